"""Materialising a variant: the exercise template with a seed, as a plain exercise whose
reference is derived for that variant. Pure and deterministic: the same template, seed and
tool catalogue give the same exercise on every run.

Per kind, what changes so that the correct answer changes (not only the wording):
- design_workflow: figures (volumes, budget, error target, turnaround) from parameters; the
  reference's review share is worked out from the variant's budget (all items when affordable,
  a sample when not);
- find_failures: which of the exercise's faults are planted; an absent fault's evidence is
  patched out of the traces, metrics and brief; the reference flags the planted faults;
- validate_output: which claims are wrong and how (a misread figure, a stale rule, a dropped
  condition), and which facts the output leaves out; the reference marks exactly those;
- explain_reasoning: the figures and facts the decision rests on (parameters, computed values,
  choices that carry the decision), with key points and reference text written from them.
"""

from __future__ import annotations

import copy
import json
import math
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

from pydantic import ValidationError

from exercises.model import EXERCISE_ADAPTER, AnyExercise
from exercises.variant_spec import (
    Value,
    VariantError,
    VariantSpec,
    apply_patch,
    evaluate,
    rng_for,
    substitute,
)
from exercises.workflow import Tool

DEFAULT_SEED = 0
BUDGET_MARGIN = 0.97  # the derived design keeps this share of the budget, so rounding never breaks it
SHARE_GRID = 0.05  # review shares are whole multiples of 5 %

Raw = dict[str, Any]
Shaper = Callable[[Raw, VariantSpec, int, Mapping[str, Tool]], dict[str, Value]]


def is_template(data: Any) -> bool:
    return isinstance(data, dict) and data.get("variants") is not None


def materialise(data: Raw, seed: int, tools: Mapping[str, Tool]) -> AnyExercise:
    """Variant `seed` of a template (0: the authored defaults). Raises VariantError or
    pydantic's ValidationError when the template cannot make a valid exercise."""
    if seed < 0:
        raise VariantError("a variant seed is 0 or more")
    try:
        spec = VariantSpec.model_validate(data["variants"])
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise VariantError(f"variants.{where}: {first['msg']}") from exc
    exercise_id = str(data.get("id", ""))
    try:
        values = spec.values(exercise_id, seed)
        raw: Raw = substitute(copy.deepcopy(data), values, strict=False)
        derived = SHAPERS[str(raw.get("kind"))](raw, spec, seed, tools)
        values = {**values, **derived}
        for name, expression in spec.after.items():
            values[name] = evaluate(expression, values)
        raw = substitute(raw, values, strict=True)
    except (KeyError, TypeError, AttributeError, IndexError, ValueError) as exc:
        if isinstance(exc, VariantError | ValidationError):
            raise
        # the template's other fields are not what its `variants` expects (a list where a
        # mapping should be, a missing reference): say so rather than fail inside the shaper
        raise VariantError(f"the exercise does not fit its variants ({type(exc).__name__}: {exc})") from exc
    raw["variant_seed"] = seed
    return EXERCISE_ADAPTER.validate_python(raw)


def template_problems(data: Raw, tools: Mapping[str, Tool], seeds: range) -> list[tuple[str, str]]:
    """Every seed whose variant cannot be built, as (field, reason)."""
    problems = []
    for seed in seeds:
        try:
            materialise(data, seed, tools)
        except VariantError as exc:
            problems.append(("variants", f"variant {seed}: {exc}"))
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"][1:])
            problems.append(("variants", f"variant {seed}: {where}: {first['msg']}"))
    return problems


def _encoded(value: Any) -> str:
    return json.dumps(value, default=str)


def answer_key(exercise: AnyExercise) -> str:
    """The variant's correct answer without its wording: two variants with the same key ask
    for the same answer."""
    key: Any
    # optional fields (a step without a stage) are None: order by the encoded form, which any
    # mix of None and text can be
    ordered = partial(sorted, key=_encoded)
    match exercise.kind:
        case "design_workflow":
            key = ordered(
                (s.tool, s.stage, sorted(s.inputs), sorted(s.checks), round(s.share, 3))
                for s in exercise.reference.steps
            )
        case "find_failures":
            key = ordered((f.step, f.category, f.severity) for f in exercise.faults)
        case "validate_output":
            claims = ordered((c.id, c.error, sorted(c.correction_numbers)) for c in exercise.claims if c.error)
            key = [claims, sorted(b.id for b in exercise.blind_spots)]
        case "explain_reasoning":
            key = ordered((k.id, k.role, k.cues) for k in exercise.key_points)
        case other:
            raise VariantError(f"no answer key for the kind '{other}'")
    return json.dumps(key, default=str)


# --- design_workflow ---------------------------------------------------------------------------


def _step_cost(step: Raw, tools: Mapping[str, Tool]) -> float:
    tool = tools.get(step.get("tool", ""))
    if tool is None:
        raise VariantError(f"reference step '{step.get('id')}' uses unknown tool '{step.get('tool')}'")
    return tool.cost_per_item + sum(tools[c].cost_per_item for c in step.get("checks", []) if c in tools)


def _shape_design(raw: Raw, spec: VariantSpec, seed: int, tools: Mapping[str, Tool]) -> dict[str, Value]:
    """The reference reviews as many items as the variant's budget allows: every item when it is
    affordable, else the largest sample on a 5 % grid (never below the tune's minimum)."""
    if spec.tune is None:
        return {}
    steps: list[Raw] = raw["reference"]["steps"]
    tuned = next((s for s in steps if s.get("id") == spec.tune.step), None)
    if tuned is None:
        raise VariantError(f"tune: the reference has no step '{spec.tune.step}'")
    budget = float(raw["constraints"]["budget_per_item"])
    others = sum(_step_cost(s, tools) * float(s.get("share", 1.0)) for s in steps if s is not tuned)
    unit = _step_cost(tuned, tools)
    if seed == DEFAULT_SEED and not spec.tune.optional:
        share = float(tuned.get("share", 1.0))  # the authored variant keeps the authored design
    else:
        affordable = 1.0 if unit <= 0 else (budget * BUDGET_MARGIN - others) / unit
        share = min(1.0, math.floor(affordable / SHARE_GRID + 1e-9) * SHARE_GRID)
        if share < spec.tune.min_share and spec.tune.optional:
            share = 0.0
            _bypass(steps, tuned)
        else:
            share = round(max(spec.tune.min_share, share), 2)
            tuned["share"] = share
    derived: dict[str, Value] = {
        "review_share": share,
        "review_all": share >= 1.0,
        "review_cost": round(unit, 2),
        "design_cost": round(others + unit * share, 2),
    }
    return derived


def _bypass(steps: list[Raw], gone: Raw) -> None:
    """Remove a step; whatever read it reads what it read."""
    steps.remove(gone)
    for step in steps:
        if gone["id"] in step.get("inputs", []):
            inputs = [i for i in step["inputs"] if i != gone["id"]]
            step["inputs"] = inputs + [i for i in gone["inputs"] if i not in inputs]


# --- find_failures -----------------------------------------------------------------------------


def _shape_failures(raw: Raw, spec: VariantSpec, seed: int, tools: Mapping[str, Tool]) -> dict[str, Value]:
    faults: list[Raw] = raw["faults"]
    ids = [f["id"] for f in faults]
    unknown = sorted(set(spec.faults) - set(ids))
    if unknown:
        raise VariantError(f"variants.faults names no fault {unknown}")
    variable = [i for i in ids if i in spec.faults]
    planted = set(ids)
    if seed != 0 and variable:
        rng = rng_for(str(raw["id"]), seed, "faults")
        low, high = (spec.plant.min, spec.plant.max) if spec.plant else (1, len(variable))
        count = rng.randint(min(low, len(variable)), min(high, len(variable)))
        planted = (set(ids) - set(variable)) | set(rng.sample(variable, count))
    if not planted:
        raise VariantError("no fault is planted")
    authored = {f["step"]: f for f in raw["reference"]["flags"]}
    for fault_id in (i for i in ids if i not in planted):
        for patch in spec.faults[fault_id].absent:
            apply_patch(raw, patch)
    raw["faults"] = [f for f in faults if f["id"] in planted]
    if seed != 0:
        raw["reference"]["flags"] = [_flag_for(f, authored) for f in raw["faults"]]
        raw["reference_notes"] = _failure_notes(raw["faults"])
    return {"planted_count": len(planted)}


def _flag_for(fault: Raw, authored: Mapping[str, Raw]) -> Raw:
    """The reference flag of one planted fault: where, what and how bad from the fault itself;
    the fix sentence from the author's flag for that fault, else its explanation."""
    steps = [fault["step"], *fault.get("also_steps", [])]
    written = next((authored[s] for s in steps if s in authored), None)
    fix = written.get("fix") if written else None
    return {
        "step": fault["step"],
        "category": fault["category"],
        "severity": fault["severity"],
        "fix_type": fault["fix_types"][0],
        "fix": fix or fault["explanation"],
    }


def _failure_notes(faults: list[Raw]) -> str:
    lines = [f"**{len(faults)} fault(s) planted in this variant.**", ""]
    for i, fault in enumerate(faults, 1):
        label = str(fault["category"]).replace("_", " ")
        lines.append(f"{i}. **{fault['step']}: {label} ({fault['severity']}).** {fault['explanation'].strip()}")
    lines += ["", "Every other step works as designed in this variant: a flag on it is a false alarm."]
    return "\n".join(lines)


# --- validate_output ----------------------------------------------------------------------------

_CLAIM_FIELDS = ("error", "also_errors", "severity", "correction", "correction_numbers", "correction_cues", "why")


def _shape_validate(raw: Raw, spec: VariantSpec, seed: int, tools: Mapping[str, Tool]) -> dict[str, Value]:
    claims: list[Raw] = raw["claims"]
    by_id = {c["id"]: c for c in claims}
    unknown = sorted(set(spec.claims) - set(by_id)) + sorted(
        set(spec.blind_spots) - {b["id"] for b in raw.get("blind_spots", [])}
    )
    if unknown:
        raise VariantError(f"variants names no claim or blind spot {unknown}")
    if seed == 0:
        return {}
    rng = rng_for(str(raw["id"]), seed, "claims")
    variable = [c["id"] for c in claims if c["id"] in spec.claims]
    low, high = (spec.wrong.min, spec.wrong.max) if spec.wrong else (1, len(variable))
    count = rng.randint(min(low, len(variable)), min(high, len(variable)))
    wrong = set(rng.sample(variable, count))
    for claim_id in variable:
        claim, variation = by_id[claim_id], spec.claims[claim_id]
        versions = ([{k: claim[k] for k in ("text", *_CLAIM_FIELDS) if k in claim}] if claim.get("error") else []) + [
            v.model_dump(mode="json") for v in variation.wrong
        ]
        for key in _CLAIM_FIELDS:
            claim.pop(key, None)
        if claim_id in wrong and versions:
            claim.update(rng.choice(versions))
        elif variation.supported is not None:
            claim["text"] = variation.supported
        elif versions and not variation.wrong:
            raise VariantError(f"claim '{claim_id}' is wrong as authored: give its `supported` text")
    spots: list[Raw] = raw.get("blind_spots", [])
    variable_spots = [b["id"] for b in spots if b["id"] in spec.blind_spots]
    low, high = (spec.left_out.min, spec.left_out.max) if spec.left_out else (0, len(variable_spots))
    left = set(rng.sample(variable_spots, rng.randint(min(low, len(variable_spots)), min(high, len(variable_spots)))))
    for spot_id in (b for b in variable_spots if b not in left):
        claims.insert(rng.randint(1, len(claims)), {"id": spot_id, "text": spec.blind_spots[spot_id].covered})
    raw["blind_spots"] = [b for b in spots if b["id"] not in variable_spots or b["id"] in left]
    if not any(c.get("error") for c in claims):
        raise VariantError("no claim is wrong in this variant")
    raw["reference"]["marks"] = [
        {"claim": c["id"], "error_type": c["error"], "correction": c["correction"]} for c in claims if c.get("error")
    ]
    raw["reference"]["omissions"] = [b["text"].strip() for b in raw["blind_spots"]]
    raw["reference_notes"] = _validate_notes(claims, raw["blind_spots"])
    return {}


def _validate_notes(claims: list[Raw], spots: list[Raw]) -> str:
    wrong = [c for c in claims if c.get("error")]
    lines = [f"**{len(wrong)} wrong claim(s) in this variant.**", ""]
    for c in wrong:
        label = str(c["error"]).replace("_", " ")
        lines.append(
            f"- **{c['id']} ({label})**: “{c['text']}” Should say: {c['correction']} {c.get('why', '')}".strip()
        )
    lines += ["", "Every other claim is supported by the source."]
    if spots:
        lines += ["", "**Left out**: " + " ".join(b["text"].strip() for b in spots)]
    return "\n".join(lines)


# --- explain_reasoning ------------------------------------------------------------------------


def _shape_explain(raw: Raw, spec: VariantSpec, seed: int, tools: Mapping[str, Tool]) -> dict[str, Value]:
    """Nothing structural: the figures, the facts and the decision are parameters, and the key
    points and reference text are written from them by their placeholders."""
    return {}


SHAPERS: dict[str, Shaper] = {
    "design_workflow": _shape_design,
    "find_failures": _shape_failures,
    "validate_output": _shape_validate,
    "explain_reasoning": _shape_explain,
}

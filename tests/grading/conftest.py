"""Builders for the grading tests: small hand-built exercises (so most tests do not depend on pack
content), tools with round-number rates for the simulator, and the shipped bank for the tests that
must walk every pack.

Test modules import these with `from .conftest import ...`: pytest has already imported this module
as `tests.grading.conftest`, so they share one copy.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pytest

from exercises import Bank, load_bank
from exercises.kinds import KINDS
from exercises.loader import SHARED_TOOLS, load_tools
from exercises.model import (
    AnyExercise,
    DesignWorkflowExercise,
    ExplainReasoningExercise,
    FindFailuresExercise,
    Kind,
    ValidateOutputExercise,
)
from exercises.submission import (
    DesignSubmission,
    ExplainSubmission,
    FaultFlag,
    FindFailuresSubmission,
    ValidateSubmission,
)
from exercises.workflow import DataClass, ErrorType, Source, Step, Tool, ToolKind, Workflow
from grading.text import sentences

# --- the catalogue and the shipped bank ----------------------------------------------------

_tools, _problems = load_tools(SHARED_TOOLS, SHARED_TOOLS.name)
assert not _problems, [str(p) for p in _problems]
CATALOGUE: dict[str, Tool] = _tools
CHECK_TOOLS = sorted(t for t, tool in CATALOGUE.items() if tool.is_check)

# Colleagues are still adding packs: a file that does not load yet is reported by tests/test_packs.py,
# and these tests walk whatever loaded.
SHIPPED: Bank = load_bank()


def shipped(kind: Kind | str) -> list[AnyExercise]:
    return sorted((e for e in SHIPPED.exercises.values() if e.kind == kind), key=lambda e: e.id)


def ids(exercises: Iterable[AnyExercise]) -> list[str]:
    return [e.id for e in exercises]


# --- simulator tools with round numbers ----------------------------------------------------


def make_tool(
    tool_id: str,
    kind: ToolKind = ToolKind.ai,
    *,
    errors: Mapping[ErrorType, float] | None = None,
    catches: Mapping[ErrorType, float] | None = None,
    cost: float = 0.0,
    latency: float = 0.0,
    false_alarm: float = 0.0,
) -> Tool:
    return Tool(
        id=tool_id,
        name=tool_id.replace("-", " ").capitalize(),
        kind=kind,
        capabilities=["validate" if catches else "draft"],
        cost_per_item=cost,
        latency_s=latency,
        error_rates=dict(errors or {}),
        catch_rates=dict(catches or {}),
        false_alarm_rate=false_alarm,
        data_clearance=list(DataClass),
    )


PERFECT_CHECK = make_tool("perfect-check", ToolKind.rule, catches=dict.fromkeys(ErrorType, 1.0))
SOURCE = Source(id="src", name="Incoming items", data_classes=[DataClass.public])


def workflow(*steps: Step, sources: Sequence[Source] = (SOURCE,)) -> Workflow:
    return Workflow(sources=list(sources), steps=list(steps))


def step(step_id: str, tool: str, inputs: Sequence[str] = ("src",), **extra: Any) -> Step:
    return Step(id=step_id, name=step_id.replace("-", " ").capitalize(), tool=tool, inputs=list(inputs), **extra)


# --- rubrics ---------------------------------------------------------------------------------

WEIGHTS: dict[Kind, dict[str, float]] = {
    Kind.design_workflow: {
        "coverage": 10,
        "tool_fit": 10,
        "controls": 25,
        "data_rules": 10,
        "constraints": 20,
        "reliability": 10,
        "structure": 5,
        "rationale": 10,
    },
    Kind.find_failures: {"detection": 40, "classification": 20, "severity": 15, "fixes": 25},
    Kind.validate_output: {"detection": 40, "error_types": 20, "corrections": 25, "omissions": 15},
    Kind.explain_reasoning: {"key_points": 35, "plain_language": 20, "structure": 20, "audience": 15, "length": 10},
}
assert all(set(w) == set(KINDS[k].criteria) and sum(w.values()) == 100 for k, w in WEIGHTS.items())


def rubric(kind: Kind) -> list[dict[str, Any]]:
    return [
        {"id": c, "title": c.replace("_", " ").capitalize(), "weight": w, "description": f"How well: {c}."}
        for c, w in WEIGHTS[kind].items()
    ]


def _common(kind: Kind, exercise_id: str) -> dict[str, Any]:
    return {
        "kind": kind.value,
        "id": exercise_id,
        "title": f"Hand-built {kind.value}",
        "sector": "finance",
        "difficulty": 2,
        "minutes": 20,
        "summary": "A small exercise built in the test suite.",
        "brief": "Built in Python so the grading tests do not depend on pack content.",
        "rubric": rubric(kind),
        "reference_notes": "Why the reference is right.",
    }


# --- design: supplier payments (financial + personal data, an irreversible payment) ------------

PAYMENT_TOOLS = [
    "doc_extractor",
    "llm_public_api",
    "llm_enterprise",
    "pii_redactor",
    "rule_check",
    "ai_verifier",
    "human_review",
    "expert_review",
    "approval_gate",
    "payment_release",
]
PAYMENT_REFERENCE = [
    step("extract", "doc_extractor", ["invoices"], stage="s-extract"),
    step("check", "rule_check", ["extract"], stage="s-check"),
    step("review", "human_review", ["check"]),
    step("pay", "payment_release", ["review"], stage="s-pay"),
]
PAYMENT_RATIONALE = (
    "A clerk reviews every invoice before the payment is released, because a payment cannot be recalled."
)


def payment_exercise(**overrides: Any) -> DesignWorkflowExercise:
    data = _common(Kind.design_workflow, "t-design-payments") | {
        "sources": [{"id": "invoices", "name": "Supplier invoices", "data_classes": ["financial", "personal"]}],
        "stages": [
            {"id": "s-extract", "name": "Read the invoice", "capability": "extract", "risk": "medium"},
            {"id": "s-check", "name": "Check the amounts", "capability": "validate", "risk": "medium"},
            {
                "id": "s-pay",
                "name": "Release the payment",
                "capability": "pay",
                "risk": "irreversible",
                "required_check": "human",
                "why": "A released payment cannot be called back.",
            },
        ],
        "tools": PAYMENT_TOOLS,
        "constraints": {"budget_per_item": 3.0, "max_error_rate": 0.02, "turnaround_s": 1800},
        "data_rules": [{"id": "dr-personal", "data_class": "personal", "text": "Sole traders' details are personal."}],
        "rationale_points": [
            {
                "id": "rp-before",
                "text": "A person reviews before the payment.",
                "cues": [["review", "approve"], ["before"], ["payment", "pay"]],
            }
        ],
        "reference": {"steps": [s.model_dump() for s in PAYMENT_REFERENCE], "rationale": PAYMENT_RATIONALE},
    }
    return DesignWorkflowExercise.model_validate(data | overrides)


def design(steps: Sequence[Step], rationale: str = PAYMENT_RATIONALE) -> DesignSubmission:
    return DesignSubmission(steps=list(steps), rationale=rationale)


# --- design: discharge letters (health data, an irreversible send) -------------------------------

LETTER_TOOLS = [
    "llm_in_tenant",
    "llm_enterprise",
    "llm_public_api",
    "pii_redactor",
    "rule_check",
    "expert_review",
    "email_send",
]


def letter_exercise() -> DesignWorkflowExercise:
    data = _common(Kind.design_workflow, "t-design-letters") | {
        "sector": "healthcare",
        "sources": [{"id": "record", "name": "Patient record", "data_classes": ["health", "personal"]}],
        "stages": [
            {"id": "s-draft", "name": "Draft the letter", "capability": "summarise", "risk": "medium"},
            {
                "id": "s-send",
                "name": "Send the letter",
                "capability": "send",
                "risk": "irreversible",
                "required_check": "expert",
            },
        ],
        "tools": LETTER_TOOLS,
        "constraints": {"budget_per_item": 20.0, "max_error_rate": 0.05, "turnaround_s": 7200},
        "data_rules": [
            {"id": "dr-health", "data_class": "health", "text": "Health data stays in tools under a BAA."},
            {"id": "dr-personal", "data_class": "personal", "text": "Patients' details are personal data."},
        ],
        "reference": {
            "steps": [
                step("draft", "llm_in_tenant", ["record"], stage="s-draft").model_dump(),
                step("sign", "expert_review", ["draft"]).model_dump(),
                step("send", "email_send", ["sign"], stage="s-send").model_dump(),
            ],
            "rationale": "A doctor signs each letter before it is sent. The model runs in our tenant.",
        },
    }
    return DesignWorkflowExercise.model_validate(data)


# --- find failures: accounts payable -------------------------------------------------------------

AP_STEPS = [
    step("intake", "llm_enterprise", ["inbox"]),
    step("extract", "doc_extractor", ["intake"]),
    step("match", "db_lookup", ["extract"], checks=["rule_check"]),
    step("pay", "payment_release", ["match"]),
    step("approve", "approval_gate", ["pay"]),
    step("post", "record_write", ["approve"]),
]
AP_FAULTS: list[dict[str, Any]] = [
    {
        "id": "f-late",
        "step": "approve",
        "also_steps": ["pay"],
        "category": "missing_check",
        "severity": "critical",
        "fix_types": ["move_check_before_action"],
        "fix_cues": [["approve", "approval"], ["before", "prior to"], ["pay", "payment", "pay run"]],
        "explanation": "The approval runs after the payment.",
    },
    {
        "id": "f-drift",
        "step": "extract",
        "also_steps": ["match"],
        "category": "format_drift",
        "also_categories": ["missing_check"],
        "severity": "high",
        "fix_types": ["enforce_schema", "add_validation"],
        "fix_cues": [["currency"], ["check", "compare", "validate", "required"]],
        "explanation": "A new template moved the currency code.",
    },
    {
        "id": "f-stale",
        "step": "match",
        "category": "stale_source",
        "severity": "medium",
        "fix_types": ["refresh_source"],
        "fix_cues": [["live", "refresh", "current"], ["vendor", "supplier", "master"]],
        "explanation": "The lookup reads a weekly export.",
    },
    {
        "id": "f-post",
        "step": "post",
        "category": "format_drift",
        "severity": "low",
        "fix_types": ["enforce_schema"],
        "explanation": "Posting drops the cost centre.",
    },
]
AP_FIXES = {
    "f-late": "Move the approval before the pay run so only approved invoices are paid.",
    "f-drift": "Make the currency a required field and compare it with the purchase order.",
    "f-stale": "Read the live vendor master instead of the weekly export.",
    "f-post": "Enforce the ledger schema so the cost centre is always posted.",
}


def perfect_flag(fault: Any, fix: str | None = None) -> FaultFlag:
    """The flag an expert would write for a fault: its step, category, severity, a fitting fix."""
    return FaultFlag(
        step=fault.step,
        category=fault.category,
        severity=fault.severity,
        fix_type=fault.fix_types[0],
        fix=AP_FIXES.get(fault.id, "Add a validation step before the output is used.") if fix is None else fix,
    )


def failures_exercise(faults: Sequence[dict[str, Any]] = AP_FAULTS, steps: Sequence[Step] = AP_STEPS):
    data = _common(Kind.find_failures, "t-failures-ap") | {
        "tools": sorted({s.tool for s in steps} | {c for s in steps for c in s.checks}),
        "workflow": {
            "sources": [{"id": "inbox", "name": "AP inbox", "data_classes": ["financial"]}],
            "steps": [s.model_dump() for s in steps],
        },
        "faults": list(faults),
        "reference": {"flags": []},
    }
    exercise = FindFailuresExercise.model_validate(data)
    reference = FindFailuresSubmission(flags=[perfect_flag(f) for f in exercise.faults])
    return exercise.model_copy(update={"reference": reference})


# --- validate an output: a payables summary ------------------------------------------------------

CLAIMS: list[dict[str, Any]] = [
    {"id": "c1", "text": "3,812 invoices arrived in March."},
    {
        "id": "c2",
        "text": "The US entity closed March with $1,205 of payables.",
        "error": "wrong_number",
        "severity": "high",
        "correction": "It closed March with $1,250.",
        "correction_numbers": [1250],
    },
    {"id": "c3", "text": "Canada's payables rose."},
    {
        "id": "c4",
        "text": "The rise was caused by the new workflow.",
        "error": "unsupported_inference",
        "severity": "medium",
        "correction": "The source gives no cause; two suppliers are in dispute.",
        "correction_cues": [["dispute", "disputed", "no evidence", "not supported"]],
    },
    {
        "id": "c5",
        "text": "Overdue balances rose 19%.",
        "error": "calculation_error",
        "also_errors": ["wrong_number"],
        "severity": "low",
        "correction": "They rose 24% on February.",
        "correction_numbers": [24],
    },
    {"id": "c6", "text": "Seven wrong payments were found."},
    {"id": "c7", "text": "Discounts of $6,180 were taken."},
]
BLIND_SPOTS: list[dict[str, Any]] = [
    {
        "id": "bs-fx",
        "text": "Canada's figures are translated at a different exchange rate each month.",
        "cues": [["exchange rate", "fx", "currency"]],
        "severity": "medium",
    },
    {
        "id": "bs-no-po",
        "text": "95 invoices arrived with no purchase order.",
        "cues": [["purchase order", "po"], ["no", "without", "missing"]],
        "severity": "high",
    },
]
GOOD_MARKS = {
    "c2": ("wrong_number", "The US entity closed March with $1,250 of payables."),
    "c4": ("unsupported_inference", "No evidence for that: the rise is two suppliers in dispute."),
    "c5": ("calculation_error", "Overdue balances rose 24% on February."),
}
GOOD_OMISSIONS = [
    "Canada's figures use a different exchange rate each month.",
    "95 invoices came in without a purchase order.",
]


def validate_exercise(claims: Sequence[dict[str, Any]] = CLAIMS, tolerance: float = 0.01) -> ValidateOutputExercise:
    data = _common(Kind.validate_output, "t-validate-payables") | {
        "source_title": "Ledger extract",
        "source": "| entity | payables |\n|---|---|\n| US | $1,250 |",
        "output_title": "AI summary",
        "claims": list(claims),
        "blind_spots": BLIND_SPOTS,
        "number_tolerance": tolerance,
        "reference": {
            "marks": [{"claim": c, "error_type": t, "correction": text} for c, (t, text) in GOOD_MARKS.items()],
            "omissions": GOOD_OMISSIONS,
        },
    }
    return ValidateOutputExercise.model_validate(data)


def marks(**by_claim: tuple[str | None, str]) -> ValidateSubmission:
    return ValidateSubmission(
        marks=[{"claim": c, "error_type": t, "correction": text} for c, (t, text) in by_claim.items()]
    )


# --- explain: approvals before payment, for a finance director ------------------------------------

EXPLAIN_REFERENCE = (
    "Dana, I recommend that every approval happens before the payment run. "
    "No invoice will be paid until a budget holder has approved it.\n\n"
    "In March we paid out $41,900 that we should not have, because approvals came after the money left. "
    "The change costs about $1,150 a month in clerk time.\n\n"
    "The main risk is that suppliers are paid one day later. "
    "Our terms are 30 days, so no supplier is paid late, and urgent payments can still go the same day.\n\n"
    "Please approve the later payment run by Friday so we can start on 1 May."
)


def explain_exercise(**overrides: Any) -> ExplainReasoningExercise:
    data = _common(Kind.explain_reasoning, "t-explain-approvals") | {
        "stakeholder": {
            "name": "Dana",
            "role": "Finance director",
            "concerns": [
                {"id": "cost", "text": "What does it cost?", "cues": [["cost", "costs", "budget"]]},
                {"id": "suppliers", "text": "Are suppliers paid late?", "cues": [["supplier", "suppliers"], ["late"]]},
            ],
        },
        "situation": (
            "**Today** budget holders approve invoices in a batch that runs after the daily payment run, "
            "so an approval cannot stop a payment. In March the company paid out $41,900 that it should "
            "not have. **The change**: the payment run moves to the next morning and only releases "
            "invoices a budget holder has approved. Suppliers are paid one day later; terms are 30 days, "
            "so nobody is paid late, and urgent payments can still go the same day. Clerk time on the "
            "change costs about $1,150 a month. It can start on 1 May if the finance director agrees by Friday."
        ),
        "key_points": [
            {
                "id": "decision",
                "role": "decision",
                "weight": 2,
                "text": "Approvals move before the payment run.",
                "cues": [["approval", "approve", "approved"], ["before", "until"], ["payment", "paid", "pay run"]],
            },
            {"id": "loss", "text": "March lost $41,900.", "cues": [["41,900", "41900", "42k"]]},
            {
                "id": "cost",
                "role": "other",
                "text": "It costs $1,150 a month.",
                "cues": [["1,150", "1150"], ["month", "year"]],
            },
            {
                "id": "delay",
                "role": "risk",
                "text": "Payments go a day later.",
                "cues": [["day later", "one day", "a day"], ["paid", "payment", "payments"]],
            },
            {
                "id": "urgent",
                "role": "mitigation",
                "text": "Urgent payments can still go the same day.",
                "cues": [["urgent"], ["same day"]],
            },
            {
                "id": "ask",
                "role": "ask",
                "weight": 1.5,
                "text": "Approve the later run by Friday.",
                "cues": [["please", "could you"], ["approve", "agree", "confirm"]],
            },
        ],
        "word_min": 60,
        "word_max": 200,
        "target_grade": 9,
        "jargon": [
            {"term": "three-way match", "plain": "comparing the invoice with the order and the delivery"},
            {"term": "LLM", "plain": "the AI model"},
        ],
        "reference": {"text": EXPLAIN_REFERENCE},
    }
    return ExplainReasoningExercise.model_validate(data | overrides)


# --- text transformations for the explain tests -----------------------------------------------------

OFF_TOPIC = (
    "The city library reopened last spring after a long renovation. Its reading room now has tall "
    "windows, and the children's corner has moved to the ground floor so that families can find it "
    "easily. Volunteers run a book club on Tuesday evenings, and the café by the entrance sells soup "
    "and bread. Most visitors say the new building feels calm and bright, and many of them stay for "
    "the whole afternoon. The council hopes that more schools will bring their classes for visits "
    "during the autumn term, when the new garden will also be open to the public."
)
GIBBERISH = " ".join(["blorv quintak zemmel fropple snazz wuggle trindle plox"] * 25)

# Everyday words and a same-sense replacement a careful writer might pick instead.
SYNONYMS = {
    "about": "around",
    "roughly": "approximately",
    "mostly": "largely",
    "also": "as well",
    "usual": "normal",
    "today": "at present",
    "simple": "plain",
    "main": "chief",
    "big": "large",
    "fast": "quick",
}
_SWAP = re.compile(r"\b(" + "|".join(SYNONYMS) + r")\b", re.IGNORECASE)
# A leading adverbial ("From Monday, ...", "In March, ...") can move to the end of its sentence.
_CLAUSE = r"(?:[^,;:]|,(?=\d))"  # no clause break; a thousands separator ("$41,900") is fine
_LEADING = re.compile(
    r"^(?P<lead>(?:From|In|For|On|At|By|After|Before|During|Since|Until|Today|This|Next|Last) "
    + _CLAUSE
    + r"{1,30}), (?P<rest>[^;:]+?)(?P<end>[.!?])$"
)
# "X, because Y." -> "Because Y, X."
_BECAUSE = re.compile(r"^(?P<main>[A-Z]" + _CLAUSE + r"+), because (?P<why>" + _CLAUSE + r"+)(?P<end>[.!?])$")


def _swap(match: re.Match[str]) -> str:
    word = match.group(0)
    new = SYNONYMS[word.lower()]
    return new[0].upper() + new[1:] if word[0].isupper() else new


def _lower_first(text: str) -> str:
    first = text.split()[0]
    keep = first == "I" or first[1:2].isupper() or any(ch.isdigit() for ch in first)
    return text if keep else text[0].lower() + text[1:]


def paraphrase_sentence(sentence: str) -> str:
    if m := _BECAUSE.match(sentence):
        sentence = f"Because {m['why']}, {_lower_first(m['main'])}{m['end']}"
    elif m := _LEADING.match(sentence):
        rest = m["rest"]
        sentence = f"{rest[0].upper()}{rest[1:]} {_lower_first(m['lead'])}{m['end']}"
    return _SWAP.sub(_swap, sentence)


def paraphrase(text: str) -> tuple[str, int]:
    """A faithful paraphrase: clauses reordered within sentences and everyday words swapped for
    synonyms; paragraphs and sentence order kept. Returns the text and how many sentences changed."""
    out, changed = [], 0
    for paragraph in re.split(r"\n\s*\n", text.strip()):
        new = []
        for sentence in sentences(paragraph):
            rewritten = paraphrase_sentence(sentence)
            changed += rewritten != sentence
            new.append(rewritten)
        out.append(" ".join(new))
    return "\n\n".join(out), changed


def keyword_stuffing(exercise: ExplainReasoningExercise, separator: str) -> str:
    """Every cue alternative of every key point and concern, joined without sentences."""
    groups = [cue for kp in exercise.key_points for cue in kp.cues]
    groups += [cue for concern in exercise.stakeholder.concerns for cue in concern.cues]
    return separator.join(alt for cue in groups for alt in cue)


def explanation(text: str) -> ExplainSubmission:
    return ExplainSubmission(text=text)


def rounded(value: float) -> object:
    """Criterion scores are kept to four decimals."""
    return pytest.approx(value, abs=1e-4)

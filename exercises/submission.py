"""What a learner hands in, one model per task kind. Sizes are bounded here, once, so the
page, the store and the grader all refuse the same oversized input."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from exercises.workflow import MAX_STEPS, Id, Step

MAX_TEXT = 20_000
LearnerText = Annotated[str, StringConstraints(max_length=MAX_TEXT)]
LineText = Annotated[str, StringConstraints(max_length=2_000)]


class FaultCategory(StrEnum):
    """The shared taxonomy of what goes wrong in AI workflows."""

    fabrication = "fabrication"
    prompt_injection = "prompt_injection"
    personal_data_leak = "personal_data_leak"
    missing_check = "missing_check"
    error_propagation = "error_propagation"
    stale_source = "stale_source"
    format_drift = "format_drift"
    bias = "bias"
    cost_latency_blowup = "cost_latency_blowup"
    automated_judgement = "automated_judgement"


class FixType(StrEnum):
    add_validation = "add_validation"
    add_human_review = "add_human_review"
    move_check_before_action = "move_check_before_action"
    restrict_data = "restrict_data"
    ground_in_sources = "ground_in_sources"
    refresh_source = "refresh_source"
    isolate_untrusted_input = "isolate_untrusted_input"
    enforce_schema = "enforce_schema"
    replace_tool = "replace_tool"
    cap_cost_or_latency = "cap_cost_or_latency"
    keep_human_decision = "keep_human_decision"
    audit_for_bias = "audit_for_bias"
    constrain_prompt = "constrain_prompt"  # narrower instructions, allowed outputs, refusal rules
    add_monitoring = "add_monitoring"  # watch rates over time and alert: catches drift, not one item
    remove_step = "remove_step"  # the step does more harm than good: take it out


class Severity(StrEnum):
    low = "low"
    medium = "medium"
    high = "high"
    critical = "critical"


SEVERITY_RANK = {Severity.low: 1, Severity.medium: 2, Severity.high: 3, Severity.critical: 4}


class ClaimError(StrEnum):
    fabricated_fact = "fabricated_fact"
    wrong_number = "wrong_number"
    wrong_entity = "wrong_entity"
    unsupported_inference = "unsupported_inference"
    outdated = "outdated"
    calculation_error = "calculation_error"
    missing_caveat = "missing_caveat"


class _Submission(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DesignSubmission(_Submission):
    kind: Literal["design_workflow"] = "design_workflow"
    steps: list[Step] = Field(default_factory=list, max_length=MAX_STEPS)
    rationale: LearnerText = ""


class FaultFlag(_Submission):
    step: Id
    category: FaultCategory
    severity: Severity = Severity.medium
    fix_type: FixType | None = None
    fix: LineText = ""


class FindFailuresSubmission(_Submission):
    kind: Literal["find_failures"] = "find_failures"
    flags: list[FaultFlag] = Field(default_factory=list, max_length=40)


class ClaimMark(_Submission):
    claim: Id
    error_type: ClaimError | None = None
    correction: LineText = ""


class ValidateSubmission(_Submission):
    """Only the claims the learner flags are listed: an unlisted claim is judged supported."""

    kind: Literal["validate_output"] = "validate_output"
    marks: list[ClaimMark] = Field(default_factory=list, max_length=60)
    omissions: list[LineText] = Field(default_factory=list, max_length=20)


class ExplainSubmission(_Submission):
    kind: Literal["explain_reasoning"] = "explain_reasoning"
    text: LearnerText = ""


Submission = Annotated[
    DesignSubmission | FindFailuresSubmission | ValidateSubmission | ExplainSubmission,
    Field(discriminator="kind"),
]


_LIST_FIELDS: dict[str, tuple[str, type[BaseModel]]] = {
    "design_workflow": ("steps", Step),
    "find_failures": ("flags", FaultFlag),
    "validate_output": ("marks", ClaimMark),
}
_MODELS: dict[str, type[BaseModel]] = {
    "design_workflow": DesignSubmission,
    "find_failures": FindFailuresSubmission,
    "validate_output": ValidateSubmission,
    "explain_reasoning": ExplainSubmission,
}


def salvage(kind: str, payload: dict[str, Any] | None) -> BaseModel:
    """The most of a draft that is a valid submission: used when time runs out, so what the
    learner wrote is graded even if some rows were unfinished. Invalid rows are dropped,
    over-long text is cut at the limit."""
    model = _MODELS[kind]
    data = dict(payload or {})
    data["kind"] = kind
    try:
        return model.model_validate(data)
    except ValidationError:
        pass
    clean: dict[str, Any] = {"kind": kind}
    if kind in _LIST_FIELDS:
        name, item_model = _LIST_FIELDS[kind]
        items = []
        for raw in data.get(name) or []:
            try:
                items.append(item_model.model_validate(raw))
            except ValidationError:
                continue
        clean[name] = items[: (MAX_STEPS if name == "steps" else 40 if name == "flags" else 60)]
    if kind == "design_workflow":
        clean["rationale"] = str(data.get("rationale") or "")[:MAX_TEXT]
    elif kind == "validate_output":
        clean["omissions"] = [str(o)[:2_000] for o in (data.get("omissions") or [])][:20]
    elif kind == "explain_reasoning":
        clean["text"] = str(data.get("text") or "")[:MAX_TEXT]
    try:
        return model.model_validate(clean)
    except ValidationError:
        return model.model_validate({"kind": kind})

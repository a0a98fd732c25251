"""What a learner hands in, one model per task kind. Sizes are bounded here, once, so the
page, the store and the grader all refuse the same oversized input."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

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

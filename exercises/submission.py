"""What a learner hands in, one model per task kind. Sizes are bounded here, once, so the
page, the store and the grader all refuse the same oversized input."""

from __future__ import annotations

import json
from collections.abc import Callable
from enum import StrEnum
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, TypeAdapter, ValidationError

from exercises.plain_text import CLEANED
from exercises.workflow import MAX_STEPS, Id, Step

MAX_TEXT = 20_000  # characters of one free-text answer (an explanation, a rationale)
MAX_LINE = 2_000  # characters of one line of an answer (a fix, a correction, an omission)
MAX_REASON = 2_000  # characters of an instructor's reason for an override (the form and the grade row)
MAX_FLAGS = 40
MAX_MARKS = 60
MAX_OMISSIONS = 20
MAX_DRAFT_BYTES = 256 * 1024  # a stored draft, as JSON: well above any valid answer; stops a pasted file
LearnerText = Annotated[str, StringConstraints(max_length=MAX_TEXT), CLEANED]  # controls removed first
LineText = Annotated[str, StringConstraints(max_length=MAX_LINE), CLEANED]


def draft_too_large(payload: Any) -> int | None:
    """The draft's size in bytes when it is over MAX_DRAFT_BYTES, else None."""
    size = len(json.dumps(payload))
    return size if size > MAX_DRAFT_BYTES else None


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

    def free_text(self) -> str:
        """All the learner's own words, for injection checks and the judge."""
        raise NotImplementedError(f"{type(self).__name__} does not say where its free text is")

    def edit_text(self, edit: Callable[[str], str]) -> Self:
        """The submission with the prose the grader reads passed through `edit` (e.g. to strip
        sentences addressed to the grader)."""
        raise NotImplementedError(f"{type(self).__name__} does not say where its free text is")

    @classmethod
    def salvage(cls, payload: dict[str, Any] | None) -> Self:
        """The most of a draft that is a valid submission: used when time runs out, so what the
        learner wrote is graded even if some rows were unfinished. Invalid rows are dropped,
        over-long text is cut at the limit."""
        data = dict(payload or {})
        data.pop("kind", None)
        try:
            return cls.model_validate(data)
        except ValidationError:
            pass
        try:
            return cls.model_validate(cls._rescued(data))
        except ValidationError:
            return cls()

    @classmethod
    def _rescued(cls, data: dict[str, Any]) -> dict[str, Any]:
        """The fields of a draft that can be kept, cut to their limits."""
        raise NotImplementedError(f"{cls.__name__} does not say how to rescue a draft")


def _valid_rows(rows: Any, model: type[BaseModel], limit: int) -> list[Any]:
    kept = []
    for raw in rows or []:
        try:
            kept.append(model.model_validate(raw))
        except ValidationError:
            continue
    return kept[:limit]


class DesignSubmission(_Submission):
    kind: Literal["design_workflow"] = "design_workflow"
    steps: list[Step] = Field(default_factory=list, max_length=MAX_STEPS)
    rationale: LearnerText = ""

    def free_text(self) -> str:
        return "\n".join([self.rationale, *(s.name for s in self.steps)])

    def edit_text(self, edit: Callable[[str], str]) -> Self:
        return self.model_copy(update={"rationale": edit(self.rationale)})  # step names are labels, not prose

    @classmethod
    def _rescued(cls, data: dict[str, Any]) -> dict[str, Any]:
        return {
            "steps": _valid_rows(data.get("steps"), Step, MAX_STEPS),
            "rationale": str(data.get("rationale") or "")[:MAX_TEXT],
        }


class FaultFlag(_Submission):
    step: Id
    category: FaultCategory
    severity: Severity = Severity.medium
    fix_type: FixType | None = None
    fix: LineText = ""


class FindFailuresSubmission(_Submission):
    kind: Literal["find_failures"] = "find_failures"
    flags: list[FaultFlag] = Field(default_factory=list, max_length=MAX_FLAGS)

    def free_text(self) -> str:
        return "\n".join(f.fix for f in self.flags)

    def edit_text(self, edit: Callable[[str], str]) -> Self:
        return self.model_copy(update={"flags": [f.model_copy(update={"fix": edit(f.fix)}) for f in self.flags]})

    @classmethod
    def _rescued(cls, data: dict[str, Any]) -> dict[str, Any]:
        return {"flags": _valid_rows(data.get("flags"), FaultFlag, MAX_FLAGS)}


class ClaimMark(_Submission):
    claim: Id
    error_type: ClaimError | None = None
    correction: LineText = ""


class ValidateSubmission(_Submission):
    """Only the claims the learner flags are listed: an unlisted claim is judged supported."""

    kind: Literal["validate_output"] = "validate_output"
    marks: list[ClaimMark] = Field(default_factory=list, max_length=MAX_MARKS)
    omissions: list[LineText] = Field(default_factory=list, max_length=MAX_OMISSIONS)

    def free_text(self) -> str:
        return "\n".join([*(m.correction for m in self.marks), *self.omissions])

    def edit_text(self, edit: Callable[[str], str]) -> Self:
        marks = [m.model_copy(update={"correction": edit(m.correction)}) for m in self.marks]
        return self.model_copy(update={"marks": marks, "omissions": [edit(o) for o in self.omissions]})

    @classmethod
    def _rescued(cls, data: dict[str, Any]) -> dict[str, Any]:
        omissions = [str(o)[:MAX_LINE] for o in (data.get("omissions") or [])][:MAX_OMISSIONS]
        return {"marks": _valid_rows(data.get("marks"), ClaimMark, MAX_MARKS), "omissions": omissions}


class ExplainSubmission(_Submission):
    kind: Literal["explain_reasoning"] = "explain_reasoning"
    text: LearnerText = ""

    def free_text(self) -> str:
        return self.text

    def edit_text(self, edit: Callable[[str], str]) -> Self:
        return self.model_copy(update={"text": edit(self.text)})

    @classmethod
    def _rescued(cls, data: dict[str, Any]) -> dict[str, Any]:
        return {"text": str(data.get("text") or "")[:MAX_TEXT]}


def is_blank(submission: BaseModel) -> bool:
    """Nothing handed in: no row, no flag, no mark and no text but white space. A blank task
    is reported as not attempted, not graded as an answer."""
    for name, value in submission:
        if name == "kind":
            continue
        if value.strip() if isinstance(value, str) else value:
            return False
    return True


AnySubmission = DesignSubmission | FindFailuresSubmission | ValidateSubmission | ExplainSubmission
Submission = Annotated[AnySubmission, Field(discriminator="kind")]
SUBMISSION_ADAPTER: TypeAdapter[AnySubmission] = TypeAdapter(Submission)

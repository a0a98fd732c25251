"""The exercise model: one pydantic class per task kind, a discriminated union on `kind`.

An exercise file holds what the learner sees (brief, rubric descriptions, sources) and what
only the grader sees (gold answers, grader notes, golden cases). `learner_view()` in the UI
layer decides what to show; the model keeps both so one file is the whole exercise.
"""

from __future__ import annotations

import hashlib
import json
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field, StringConstraints, TypeAdapter, ValidationError, field_validator, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

from exercises.sectors import SECTOR_LABELS as SECTOR_LABELS  # re-exported: pages import it here
from exercises.sectors import SECTOR_PATTERN
from exercises.sectors import Sector as Sector
from exercises.submission import (
    ClaimError,
    DesignSubmission,
    ExplainSubmission,
    FaultCategory,
    FindFailuresSubmission,
    FixType,
    Severity,
    ValidateSubmission,
)
from exercises.variant_spec import VariantSpec
from exercises.workflow import DataClass, Id, Risk, ShortText, Source, Strict, Workflow

Markdown = Annotated[str, StringConstraints(max_length=30_000)]
Prose = Annotated[str, StringConstraints(max_length=4_000)]
Cue = Annotated[list[Annotated[str, StringConstraints(min_length=1, max_length=80)]], Field(min_length=1)]
"""Alternatives for one idea: any one of them, found in the text, counts (after stemming)."""
CUE_FIELDS = frozenset({"cues", "fix_cues", "correction_cues"})
CUE_SHAPE = (
    "A cue list is a list of cues, each cue a list of alternatives (one found counts), "
    "e.g. cues: [[invoice, bill], [approve, sign off]]"
)
SectorSlug = Annotated[str, StringConstraints(pattern=SECTOR_PATTERN)]


class Kind(StrEnum):
    design_workflow = "design_workflow"
    find_failures = "find_failures"
    validate_output = "validate_output"
    explain_reasoning = "explain_reasoning"


class Criterion(Strict):
    id: Id
    title: ShortText
    weight: float = Field(ge=0, le=100, description="0 switches the criterion off for this exercise")
    description: Prose = Field(description="shown to the learner before they submit")
    grader_notes: Prose = Field("", description="gold answers, alternatives and traps; hidden")


class GoldenCase(Strict):
    """An answer with the score range an expert would give it; every pack test grades these."""

    name: ShortText
    note: Prose = ""
    min_score: float = Field(0, ge=0, le=100)
    max_score: float = Field(100, ge=0, le=100)


def rubric_errors(
    kind: str, expected: tuple[str, ...], rubric: list[Criterion], golden: list[GoldenCase]
) -> list[tuple[tuple[str | int, ...], str]]:
    """Every way a rubric does not fit its kind (whose scorer computes `expected`), each at the
    criterion (or case) at fault."""
    errors: list[tuple[tuple[str | int, ...], str]] = []
    seen: set[str] = set()
    for i, criterion in enumerate(rubric):
        if criterion.id not in expected:
            errors.append(
                (
                    ("rubric", i, "id"),
                    f"'{criterion.id}' is not a criterion of {kind}; use one of: {', '.join(expected)}",
                )
            )
        elif criterion.id in seen:
            errors.append((("rubric", i, "id"), f"criterion '{criterion.id}' is listed twice"))
        seen.add(criterion.id)
    missing = [c for c in expected if c not in seen]
    if missing:
        errors.append(
            (
                ("rubric",),
                f"misses {', '.join(missing)}: a {kind} rubric lists every one of {', '.join(expected)} "
                "(weight 0 switches one off)",
            )
        )
    total = sum(c.weight for c in rubric)
    if abs(total - 100) > 1e-6:
        parts = ", ".join(f"{c.id} {c.weight:g}" for c in rubric)
        errors.append((("rubric",), f"weights sum to {total:g}, not 100 ({parts})"))
    for i, case in enumerate(golden):
        if case.min_score > case.max_score:
            errors.append(
                (
                    ("golden", i),
                    f"golden case '{case.name}': min_score {case.min_score:g} is above max_score {case.max_score:g}",
                )
            )
    return errors


class _Exercise(Strict):
    id: Id
    version: int = Field(1, ge=1)
    title: ShortText
    sector: SectorSlug = Field(description="a shipped sector or any new slug")
    sector_name: ShortText | None = Field(None, description="the sector's display name, for a new sector")
    difficulty: int = Field(ge=1, le=3)
    minutes: int = Field(ge=1, le=180, description="estimated minutes")
    summary: Prose = Field(description="one or two sentences shown in the exercise list")
    case: Id | None = Field(None, description="scenario shared by linked exercises")
    brief: Markdown
    rubric: list[Criterion] = Field(min_length=1)
    reference_notes: Markdown = Field(description="why the reference answer is right; shown after grading")
    variants: VariantSpec | None = Field(None, description="what varies between variants (AUTHORING.md)")
    variant_seed: int = Field(0, ge=0, description="set by materialising: 0 is the authored variant")

    CRITERIA: ClassVar[tuple[str, ...]] = ()
    """The criteria this kind's scorer computes; a rubric gives them weights and wording."""

    @model_validator(mode="after")
    def _rubric_matches_kind(self) -> _Exercise:
        kind = self.__dict__["kind"]  # each subclass declares its own Literal kind
        errors = rubric_errors(kind, self.CRITERIA, self.rubric, getattr(self, "golden", []))
        if errors:  # raised with their own locations, so each names the criterion or case at fault
            raise ValidationError.from_exception_data(
                type(self).__name__,
                [InitErrorDetails(type=PydanticCustomError("rubric", msg), loc=loc, input=None) for loc, msg in errors],
            )
        return self

    @property
    def scored_rubric(self) -> list[Criterion]:
        """The criteria that count (a weight of 0 switches one off): shown, scored and stored."""
        return [c for c in self.rubric if c.weight > 0]

    def criterion(self, criterion_id: str) -> Criterion:
        return next(c for c in self.rubric if c.id == criterion_id)

    def content_hash(self) -> str:
        """Stable hash of the whole exercise, stored with each attempt so edits never rewrite history."""
        payload = json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(payload.encode()).hexdigest()[:16]


# --- design a workflow -------------------------------------------------------------------


class Stage(Strict):
    id: Id
    name: ShortText
    capability: Id
    risk: Risk
    description: Prose = ""
    required_check: Literal["any", "human", "expert"] = Field(
        "any", description="for high-risk or irreversible stages: who must check before it"
    )
    preferred_tools: list[Id] = Field(
        default_factory=list, description="tools an expert would pick; others that can do it get half credit"
    )
    why: Prose = Field("", description="why the control matters; feedback when it is missing")
    creates: list[DataClass] = Field(
        default_factory=list, description="data classes the stage's output carries (a legal analysis: privileged)"
    )


class DataRule(Strict):
    """A rule about where data may go, stated over data classes and sources:
    - `clearance` (default): data of `data_class` may only reach tools cleared for it;
    - `verified_before_release`: a step that strips `data_class` (a redactor) must have its
      output checked before any action step (a send, a publish) receives it;
    - `untrusted_input`: what comes from `sources` (outside the organisation) must pass a check
      before any action step receives it, so an instruction hidden in it cannot act."""

    id: Id
    kind: Literal["clearance", "verified_before_release", "untrusted_input"] = "clearance"
    data_class: Annotated[str, StringConstraints(max_length=40)] | None = None
    sources: list[Id] = Field(default_factory=list, description="for untrusted_input: the outside sources")
    text: Prose

    @model_validator(mode="after")
    def _fields_for_kind(self) -> DataRule:
        if self.kind in ("clearance", "verified_before_release") and self.data_class is None:
            raise ValueError(f"a {self.kind} rule needs a data_class")
        if self.kind == "untrusted_input" and not self.sources:
            raise ValueError("an untrusted_input rule needs the sources it distrusts")
        return self


class Constraints(Strict):
    budget_per_item: float = Field(gt=0, description="USD")
    max_error_rate: float = Field(gt=0, lt=1, description="target share of items with an error")
    turnaround_s: float = Field(gt=0, description="target mean seconds per item")


Role = Literal["decision", "reason", "risk", "mitigation", "ask", "other"]


class KeyPoint(Strict):
    """An idea a good free-text answer makes; matched when every cue group appears in one sentence."""

    id: Id
    text: Prose
    cues: list[Cue] = Field(min_length=1)
    weight: float = Field(1.0, gt=0)
    role: Role | list[Role] = Field("reason", description="one role, or a list when the point plays several")

    @field_validator("role")
    @classmethod
    def _roles_given(cls, value: Role | list[Role]) -> Role | list[Role]:
        if isinstance(value, list) and not value:
            raise ValueError("give at least one role")
        return value

    @property
    def roles(self) -> frozenset[str]:
        return frozenset([self.role] if isinstance(self.role, str) else self.role)


class DesignGolden(GoldenCase):
    answer: DesignSubmission


class DesignWorkflowExercise(_Exercise):
    kind: Literal["design_workflow"]
    CRITERIA = (
        "coverage",
        "tool_fit",
        "controls",
        "data_rules",
        "constraints",
        "reliability",
        "structure",
        "rationale",
    )
    sources: list[Source] = Field(min_length=1)
    stages: list[Stage] = Field(min_length=1)
    tools: list[Id] = Field(min_length=1, description="catalogue tool ids on offer")
    constraints: Constraints
    data_rules: list[DataRule] = Field(default_factory=list)
    rationale_points: list[KeyPoint] = Field(default_factory=list)
    reference: DesignSubmission
    golden: list[DesignGolden] = Field(default_factory=list)


# --- find the failure points ---------------------------------------------------------------


class Fault(Strict):
    id: Id
    step: Id
    also_steps: list[Id] = Field(default_factory=list, description="other steps it may be pinned on")
    category: FaultCategory
    also_categories: list[FaultCategory] = Field(default_factory=list)
    severity: Severity
    fix_types: list[FixType] = Field(min_length=1)
    fix_cues: list[Cue] = Field(default_factory=list, description="what a fitting fix text says")
    explanation: Prose


class TraceStep(Strict):
    step: Id
    input: Prose = ""
    output: Prose = ""
    note: Prose = ""


class Trace(Strict):
    id: Id
    title: ShortText
    steps: list[TraceStep] = Field(min_length=1)
    outcome: Prose = ""


class Metric(Strict):
    name: ShortText
    value: ShortText
    note: ShortText = ""


class FindFailuresGolden(GoldenCase):
    answer: FindFailuresSubmission


class FindFailuresExercise(_Exercise):
    kind: Literal["find_failures"]
    CRITERIA = ("detection", "classification", "severity", "fixes")
    tools: list[Id] = Field(min_length=1)
    workflow: Workflow
    traces: list[Trace] = Field(default_factory=list)
    metrics: list[Metric] = Field(default_factory=list)
    faults: list[Fault] = Field(min_length=1)
    reference: FindFailuresSubmission
    golden: list[FindFailuresGolden] = Field(default_factory=list)


# --- validate an AI output -------------------------------------------------------------


class Claim(Strict):
    id: Id
    text: Prose
    error: ClaimError | None = Field(None, description="None when the source supports the claim")
    also_errors: list[ClaimError] = Field(default_factory=list, description="other defensible types")
    severity: Severity = Severity.medium
    correction: Prose = ""
    correction_numbers: list[float] = Field(default_factory=list)
    correction_cues: list[Cue] = Field(default_factory=list)
    why: Prose = Field("", description="why this error matters; shown after grading")


class BlindSpot(Strict):
    id: Id
    text: Prose
    cues: list[Cue] = Field(min_length=1)
    severity: Severity = Severity.medium
    why: Prose = ""


class ValidateGolden(GoldenCase):
    answer: ValidateSubmission


class ValidateOutputExercise(_Exercise):
    kind: Literal["validate_output"]
    CRITERIA = ("detection", "error_types", "corrections", "omissions")
    source_title: ShortText
    source: Markdown
    output_title: ShortText
    output_context: Prose = ""
    claims: list[Claim] = Field(min_length=2)
    blind_spots: list[BlindSpot] = Field(default_factory=list)
    number_tolerance: float = Field(0.01, ge=0, le=0.5, description="relative tolerance on numbers")
    reference: ValidateSubmission
    golden: list[ValidateGolden] = Field(default_factory=list)


# --- explain to a stakeholder --------------------------------------------------------------


class Concern(Strict):
    id: Id
    text: Prose
    cues: list[Cue] = Field(min_length=1)


class Stakeholder(Strict):
    name: ShortText
    role: ShortText
    technical_level: Literal["low", "medium", "high"] = "low"
    concerns: list[Concern] = Field(min_length=1)


class JargonTerm(Strict):
    term: Annotated[str, StringConstraints(min_length=2, max_length=60)]
    plain: ShortText = Field(description="how to say it plainly")


class ExplainGolden(GoldenCase):
    answer: ExplainSubmission


class ExplainReasoningExercise(_Exercise):
    kind: Literal["explain_reasoning"]
    CRITERIA = ("key_points", "plain_language", "structure", "audience", "length")
    stakeholder: Stakeholder
    situation: Markdown
    key_points: list[KeyPoint] = Field(min_length=2)
    word_min: int = Field(ge=20)
    word_max: int = Field(le=1500)
    target_grade: float = Field(ge=4, le=16, description="target reading grade (Flesch-Kincaid)")
    jargon: list[JargonTerm] = Field(default_factory=list)
    reference: ExplainSubmission
    golden: list[ExplainGolden] = Field(default_factory=list)

    @model_validator(mode="after")
    def _word_range(self) -> ExplainReasoningExercise:
        if self.word_min >= self.word_max:
            raise ValueError("word_min must be below word_max")
        return self


Exercise = Annotated[
    DesignWorkflowExercise | FindFailuresExercise | ValidateOutputExercise | ExplainReasoningExercise,
    Field(discriminator="kind"),
]
EXERCISE_ADAPTER: TypeAdapter[Any] = TypeAdapter(Exercise)
AnyExercise = DesignWorkflowExercise | FindFailuresExercise | ValidateOutputExercise | ExplainReasoningExercise


def exercise_schema() -> dict[str, Any]:
    return EXERCISE_ADAPTER.json_schema()

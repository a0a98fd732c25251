"""Workflow graph, AI tool catalogue and data classes: the vocabulary shared by the
design and find-failure tasks and by the simulator."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from exercises.plain_text import CLEANED

ID_PATTERN = r"^[a-z0-9][a-z0-9_\-]{0,63}$"
ID_RULE = "1 to 64 characters: lower-case letters, digits, '-' and '_', starting with a letter or a digit"
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
ShortText = Annotated[str, StringConstraints(max_length=200), CLEANED]  # a learner's step names too
MAX_STEPS = 60


class Strict(BaseModel):
    """Base for every content model: unknown fields are an author's typo, not data."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class ErrorType(StrEnum):
    fabrication = "fabrication"
    omission = "omission"
    wrong_value = "wrong_value"
    format_break = "format_break"
    privacy_breach = "privacy_breach"


class DataClass(StrEnum):
    public = "public"
    personal = "personal"
    health = "health"
    financial = "financial"
    confidential = "confidential"  # commercially confidential
    privileged = "privileged"  # legally privileged


class ToolKind(StrEnum):
    """AI tools make errors; checks catch them; actions are where the work lands."""

    ai = "ai"
    rule = "rule"  # deterministic code: lookups, calculations, rule-based checks
    human = "human"
    action = "action"  # sends, pays, posts: usually irreversible


TOOL_KIND_LABELS: dict[str, str] = {
    ToolKind.ai: "AI model",
    ToolKind.rule: "Rule or lookup",
    ToolKind.human: "Person",
    ToolKind.action: "Action",
}


class Risk(StrEnum):
    low = "low"
    medium = "medium"
    high = "high"
    irreversible = "irreversible"


class Tool(Strict):
    """One entry of the AI tool catalogue, with the assumptions behind its numbers."""

    id: Id
    name: ShortText
    kind: ToolKind
    capabilities: list[Id] = Field(min_length=1)
    cost_per_item: float = Field(ge=0, description="USD per item processed")
    latency_s: float = Field(ge=0, description="seconds per item, wall clock")
    error_rates: dict[ErrorType, float] = Field(
        default_factory=dict, description="chance per item of introducing each error type"
    )
    catch_rates: dict[ErrorType, float] = Field(
        default_factory=dict, description="as a check: share of incoming errors of each type it catches"
    )
    false_alarm_rate: float = Field(0.0, ge=0, le=1, description="as a check: share of clean items it flags for rework")
    data_clearance: list[DataClass] = Field(min_length=1, description="the data classes this tool may receive")
    removes_classes: list[DataClass] = Field(
        default_factory=list, description="data classes stripped from its output (a redactor)"
    )
    assumptions: str = Field("", max_length=2000)

    @model_validator(mode="after")
    def _rates_are_probabilities(self) -> Tool:
        for label, rates in (("error rate", self.error_rates), ("catch rate", self.catch_rates)):
            for kind, rate in rates.items():
                if not 0 <= rate <= 1:
                    raise ValueError(f"{label} for {kind} must be between 0 and 1, got {rate}")
        return self

    @property
    def is_check(self) -> bool:
        return any(rate > 0 for rate in self.catch_rates.values())


class Source(Strict):
    """An input the workflow starts from (an invoice PDF, a patient record)."""

    id: Id
    name: ShortText
    data_classes: list[DataClass] = Field(min_length=1)


class Step(Strict):
    """One node of a workflow: a tool applied to earlier steps' outputs or to sources."""

    id: Id
    name: ShortText
    tool: Id
    inputs: list[Id] = Field(min_length=1, max_length=20)
    stage: Id | None = Field(None, description="the required stage this step performs")
    checks: list[Id] = Field(default_factory=list, max_length=3, description="check tools guarding this output")
    share: float = Field(1.0, gt=0, le=1, description="share of items that take this step")


class Workflow(Strict):
    sources: list[Source] = Field(default_factory=list)
    steps: list[Step] = Field(min_length=1, max_length=MAX_STEPS)

    def step(self, step_id: str) -> Step | None:
        return next((s for s in self.steps if s.id == step_id), None)

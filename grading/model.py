"""The grade: what every scorer returns, and what the store keeps."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from exercises.model import AnyExercise
from exercises.submission import AnySubmission

GRADER_VERSION = "2026.11.1"
Scorer = Callable[[AnyExercise, AnySubmission], "Grade"]
"""Grades one submission: `grading.grade` with the judge and tools chosen; what batch jobs take."""


class Flag(StrEnum):
    judge_unavailable = "judge_unavailable"
    possible_injection = "possible_injection"
    needs_review = "needs_review"
    invalid_workflow = "invalid_workflow"
    grader_error = "grader_error"  # the grader failed; the stored zero waits for a person


class CriterionScore(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    title: str
    weight: float
    score: float = Field(ge=0, le=1)
    evidence: str
    feedback: str


class Grade(BaseModel):
    model_config = ConfigDict(frozen=True)

    total: float = Field(ge=0, le=100)
    criteria: list[CriterionScore]
    flags: list[Flag] = Field(default_factory=list)
    grader_version: str = GRADER_VERSION
    details: dict[str, Any] = Field(default_factory=dict, description="e.g. the simulation summary")

    def criterion(self, criterion_id: str) -> CriterionScore:
        return next(c for c in self.criteria if c.id == criterion_id)

    @property
    def judged(self) -> bool:
        """The LLM judge took part: its verdict is blended into this grade."""
        return "judge" in self.details


def clamp(value: float) -> float:
    return max(0.0, min(1.0, value))

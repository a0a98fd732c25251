"""Tables for timed mock assessments: the assessment, each learner's sitting of it, and the
drafts written during a sitting (graded only when the whole sitting is submitted)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, BigInteger, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from store.models import now


class SittingStatus(StrEnum):
    in_progress = "in_progress"
    submitted = "submitted"
    timed_out = "timed_out"


class Assessment(SQLModel, table=True):
    __tablename__ = "assessments"
    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=200)
    cohort_id: int | None = Field(default=None, foreign_key="cohorts.id", index=True)  # None: self-set
    sector: str | None = Field(default=None, max_length=32)
    level: int = 2
    exercise_ids: list = Field(sa_column=Column(JSON, nullable=False))
    time_limit_s: int
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    created_by: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = Field(default_factory=now)


class Sitting(SQLModel, table=True):
    __tablename__ = "assessment_sittings"
    __table_args__ = (UniqueConstraint("assessment_id", "user_id", "number", name="uq_sitting"),)
    id: int | None = Field(default=None, primary_key=True)
    assessment_id: int = Field(foreign_key="assessments.id", index=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    number: int = 1
    started_at: datetime = Field(default_factory=now)
    deadline_at: datetime
    finished_at: datetime | None = None
    status: str = Field(default=SittingStatus.in_progress, max_length=20)
    # This sitting's own draw (None: the assessment's exercises) and the random seed it came from.
    exercise_ids: list | None = Field(default=None, sa_column=Column(JSON))
    draw_seed: int | None = Field(default=None, sa_column=Column(BigInteger))
    # Set in the transaction that stores the last task's grade: finished but not graded means a
    # finish was interrupted, and `assessments.settle` completes it.
    graded_at: datetime | None = None

    def tasks(self, assessment: Assessment) -> list[str]:
        """The exercises this sitting is made of."""
        return list(self.exercise_ids if self.exercise_ids is not None else assessment.exercise_ids)

    # exercise id -> the variant this sitting asks (drawn unseen at the start); None: all authored
    variant_seeds: dict | None = Field(default=None, sa_column=Column(JSON))


class SittingAnswer(SQLModel, table=True):
    __tablename__ = "assessment_answers"
    __table_args__ = (UniqueConstraint("sitting_id", "exercise_id", name="uq_sitting_answer"),)
    id: int | None = Field(default=None, primary_key=True)
    sitting_id: int = Field(foreign_key="assessment_sittings.id", index=True)
    exercise_id: str = Field(max_length=64)
    draft: dict | None = Field(default=None, sa_column=Column(JSON))
    attempt_id: int | None = Field(default=None, foreign_key="attempts.id")  # None: not attempted
    updated_at: datetime = Field(default_factory=now)
    first_saved_at: datetime | None = None  # the task's first edit (migration 0005)
    active_s: float = Field(default=0.0, sa_column_kwargs={"server_default": "0"})  # time on task


class ExtraSitting(SQLModel, table=True):
    """An instructor's permission for one more sitting of an assessment."""

    __tablename__ = "assessment_extra_sittings"
    id: int | None = Field(default=None, primary_key=True)
    assessment_id: int = Field(foreign_key="assessments.id", index=True)
    user_id: int = Field(foreign_key="users.id")
    granted_by: int | None = Field(default=None, foreign_key="users.id")
    granted_at: datetime = Field(default_factory=now)

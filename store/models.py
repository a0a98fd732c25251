"""SQLModel tables. Migrations in store/migrations are the source of truth for the schema;
these classes mirror them (a test checks they agree)."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Protocol

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from exercises.submission import MAX_REASON


class _Stored(Protocol):
    id: int | None


def row_id(row: _Stored) -> int:
    """The id of a row read from the database: set once stored, so None here is a bug."""
    if row.id is None:
        raise ValueError(f"{type(row).__name__} has no id: it was never stored")
    return row.id


def now() -> datetime:
    return datetime.now(UTC)


class Role(StrEnum):
    learner = "learner"
    instructor = "instructor"
    admin = "admin"


class AttemptStatus(StrEnum):
    draft = "draft"
    submitted = "submitted"
    graded = "graded"


class AttemptMode(StrEnum):
    """Practice attempts make up a learner's statistics and assignments; a mock assessment's
    attempts are reported with their sitting and kept out of both."""

    practice = "practice"
    assessment = "assessment"


class GradeSource(StrEnum):
    auto = "auto"
    judged = "judged"  # the LLM judge took part (live or in a regrade)
    override = "override"


class User(SQLModel, table=True):
    __tablename__ = "users"
    id: int | None = Field(default=None, primary_key=True)
    external_id: str = Field(max_length=255, unique=True, index=True)
    email: str | None = Field(default=None, max_length=320)
    name: str = Field(max_length=200)
    role: str = Field(default=Role.learner, max_length=20)
    created_at: datetime = Field(default_factory=now)


class Cohort(SQLModel, table=True):
    __tablename__ = "cohorts"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    join_code: str = Field(max_length=32, unique=True, index=True)
    created_by: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = Field(default_factory=now)


class Membership(SQLModel, table=True):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("cohort_id", "user_id", name="uq_membership"),)
    id: int | None = Field(default=None, primary_key=True)
    cohort_id: int = Field(foreign_key="cohorts.id", index=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    role: str = Field(default=Role.learner, max_length=20)  # learner or instructor in this cohort
    joined_at: datetime = Field(default_factory=now)


class Attempt(SQLModel, table=True):
    __tablename__ = "attempts"
    __table_args__ = (
        Index("ix_attempts_user_exercise", "user_id", "exercise_id"),
        Index("ix_attempts_exercise_status", "exercise_id", "status"),
        Index("ix_attempts_user_submitted", "user_id", "submitted_at"),
        # Covers every dashboard aggregate: a cohort's learners, then their graded attempts.
        Index(
            "ix_attempts_user_scores",
            "user_id",
            "kind",
            "exercise_id",
            "sector",
            "score",
            "submitted_at",
            "grade_id",
            "cohort_id",  # every cohort query filters on it (store/cohort_scope.py)
        ),
        Index("ix_attempts_exercise_variant", "exercise_id", "variant_seed"),
    )
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id")
    exercise_id: str = Field(max_length=64)
    exercise_version: int
    content_hash: str = Field(max_length=64)
    variant_seed: int = Field(default=0, sa_column_kwargs={"server_default": "0"})  # 0: the authored variant
    kind: str = Field(max_length=32)
    sector: str = Field(max_length=32)
    mode: str = Field(default="practice", max_length=20)
    # The cohort whose assessment this attempt was part of; None for practice and self-set mocks.
    # Instructors of other cohorts never see it (store/access.py).
    cohort_id: int | None = Field(default=None, index=True)
    status: str = Field(default=AttemptStatus.draft, max_length=20)
    draft: dict | None = Field(default=None, sa_column=Column(JSON))
    idempotency_key: str | None = Field(default=None, max_length=64, unique=True)
    started_at: datetime = Field(default_factory=now)
    updated_at: datetime = Field(default_factory=now)
    submitted_at: datetime | None = None
    # The effective grade (latest override, else latest grade), copied here by a database trigger
    # on `grades` (migration 0002): the one definition of which grade is in effect. Every read
    # (store.attempts, dashboards, exports) follows it. Never written by application code;
    # grades stay the record.
    grade_id: int | None = None
    score: float | None = None
    grade_source: str | None = Field(default=None, max_length=20)
    grade_flags: str | None = Field(default=None, max_length=400)  # comma-separated, None when no flag
    judge_gap: float | None = None  # |total - deterministic total| when a judge took part


class SubmissionRow(SQLModel, table=True):
    __tablename__ = "submissions"
    id: int | None = Field(default=None, primary_key=True)
    attempt_id: int = Field(foreign_key="attempts.id", unique=True)
    payload: dict = Field(sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=now)


class GradeRow(SQLModel, table=True):
    __tablename__ = "grades"
    __table_args__ = (Index("ix_grades_attempt_created", "attempt_id", "created_at"),)
    id: int | None = Field(default=None, primary_key=True)
    attempt_id: int = Field(foreign_key="attempts.id")
    total: float
    flags: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    grader_version: str = Field(max_length=40)
    source: str = Field(default=GradeSource.auto, max_length=20)
    author_id: int | None = Field(default=None, foreign_key="users.id")
    reason: str | None = Field(default=None, max_length=MAX_REASON)
    details: dict | None = Field(default=None, sa_column=Column(JSON))
    created_at: datetime = Field(default_factory=now)


class CriterionRow(SQLModel, table=True):
    __tablename__ = "criterion_grades"
    __table_args__ = (
        Index("ix_criterion_grades_criterion", "criterion_id"),
        Index("ix_criterion_grades_grade_scores", "grade_id", "criterion_id", "score"),  # covers pass rates
    )
    id: int | None = Field(default=None, primary_key=True)
    grade_id: int = Field(foreign_key="grades.id", index=True)
    criterion_id: str = Field(max_length=64)
    title: str = Field(max_length=200)
    weight: float
    score: float
    evidence: str = Field(default="", max_length=4000)
    feedback: str = Field(default="", max_length=4000)


class Assignment(SQLModel, table=True):
    """An exercise an instructor assigned to a cohort, optionally with a due date."""

    __tablename__ = "cohort_assignments"
    __table_args__ = (UniqueConstraint("cohort_id", "exercise_id", name="uq_assignment"),)
    id: int | None = Field(default=None, primary_key=True)
    cohort_id: int = Field(foreign_key="cohorts.id", index=True)
    exercise_id: str = Field(max_length=64)
    assigned_by: int | None = Field(default=None, foreign_key="users.id")
    assigned_at: datetime = Field(default_factory=now)
    due: datetime | None = None
    max_attempts: int | None = None  # graded attempts allowed before the due date; None: no limit
    hide_reference: bool = False  # the reference answer stays hidden until the due date


class LLMCache(SQLModel, table=True):
    __tablename__ = "llm_cache"
    key: str = Field(primary_key=True, max_length=64)
    model: str = Field(max_length=100)
    prompt_version: str = Field(max_length=40)
    response: dict = Field(sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=now)

"""Tables for bulk work that outlives the page that started it: a job, and one row per item it
has finished, so a restarted job resumes where it stopped and never does an item twice."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from store.models import now


class JobStatus(StrEnum):
    queued = "queued"
    running = "running"
    done = "done"
    failed = "failed"


class Job(SQLModel, table=True):
    __tablename__ = "jobs"
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(default="regrade", max_length=32)
    cohort_id: int | None = Field(default=None, foreign_key="cohorts.id", index=True)
    exercise_id: str | None = Field(default=None, max_length=64)
    created_by: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = Field(default_factory=now)
    status: str = Field(default=JobStatus.queued, max_length=20)
    total: int = 0
    done: int = 0
    failed: int = 0
    message: str = Field(default="", max_length=500)
    heartbeat_at: datetime | None = None


class JobItem(SQLModel, table=True):
    __tablename__ = "job_items"
    __table_args__ = (UniqueConstraint("job_id", "attempt_id", name="uq_job_item"),)
    id: int | None = Field(default=None, primary_key=True)
    job_id: int = Field(foreign_key="jobs.id", index=True)
    attempt_id: int = Field(foreign_key="attempts.id")
    grade_id: int | None = Field(default=None, foreign_key="grades.id")
    error: str | None = Field(default=None, max_length=300)

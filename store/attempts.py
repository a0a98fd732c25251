"""Attempts, drafts, submissions and grades: writing them safely and reading them back.

A grade is never edited: regrades and instructor overrides add rows, and the effective grade
of an attempt is its latest override, else its latest automatic grade."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Subquery, case, func
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from exercises.assessment import unseen_seed
from exercises.loader import Bank
from exercises.model import AnyExercise
from grading.model import Grade
from store.access import AccessDenied, require_user
from store.db import session_scope
from store.models import (
    Attempt,
    AttemptStatus,
    CriterionRow,
    GradeRow,
    GradeSource,
    Role,
    SubmissionRow,
    User,
    now,
)


@dataclass(frozen=True)
class HistoryRow:
    attempt_id: int
    exercise_id: str
    kind: str
    sector: str
    mode: str
    submitted_at: datetime | None
    total: float | None
    source: str | None
    flags: list[str]


@dataclass(frozen=True)
class GradeView:
    grade: GradeRow
    criteria: list[CriterionRow]
    author_name: str | None


@dataclass(frozen=True)
class AttemptDetail:
    attempt: Attempt
    payload: dict[str, Any] | None
    grades: list[GradeView]  # oldest first

    @property
    def effective(self) -> GradeView | None:
        overrides = [g for g in self.grades if g.grade.source == GradeSource.override]
        chosen = overrides or self.grades
        return chosen[-1] if chosen else None


def open_draft(
    session: Session, user_id: int, exercise_id: str, mode: str = "practice", variant_seed: int = 0
) -> Attempt | None:
    return session.exec(
        select(Attempt)
        .where(
            Attempt.user_id == user_id,
            Attempt.exercise_id == exercise_id,
            Attempt.variant_seed == variant_seed,
            Attempt.mode == mode,
            Attempt.status == AttemptStatus.draft,
        )
        .order_by(col(Attempt.id).desc())
    ).first()


def _new_attempt(user_id: int, exercise: AnyExercise, mode: str) -> Attempt:
    return Attempt(
        user_id=user_id,
        exercise_id=exercise.id,
        exercise_version=exercise.version,
        content_hash=exercise.content_hash(),
        variant_seed=exercise.variant_seed,
        kind=exercise.kind,
        sector=exercise.sector,
        mode=mode,
    )


def save_draft(
    session: Session, user_id: int, exercise: AnyExercise, payload: dict[str, Any], mode: str = "practice"
) -> Attempt:
    attempt = open_draft(session, user_id, exercise.id, mode, exercise.variant_seed) or _new_attempt(
        user_id, exercise, mode
    )
    attempt.draft = payload
    attempt.updated_at = now()
    session.add(attempt)
    session.flush()
    return attempt


def load_draft(
    session: Session, user_id: int, exercise_id: str, mode: str = "practice", variant_seed: int = 0
) -> dict[str, Any] | None:
    attempt = open_draft(session, user_id, exercise_id, mode, variant_seed)
    return attempt.draft if attempt else None


def _add_grade(
    session: Session,
    attempt_id: int,
    result: Grade,
    source: GradeSource,
    author_id: int | None = None,
    reason: str | None = None,
) -> GradeRow:
    row = GradeRow(
        attempt_id=attempt_id,
        total=result.total,
        flags=[str(f) for f in result.flags],
        grader_version=result.grader_version,
        source=source,
        author_id=author_id,
        reason=reason,
        details=result.details or None,
    )
    session.add(row)
    session.flush()
    assert row.id is not None
    for c in result.criteria:
        session.add(
            CriterionRow(
                grade_id=row.id,
                criterion_id=c.id,
                title=c.title,
                weight=c.weight,
                score=c.score,
                evidence=c.evidence[:4000],
                feedback=c.feedback[:4000],
            )
        )
    session.flush()
    return row


def submit(
    engine: Engine,
    user_id: int,
    exercise: AnyExercise,
    submission: BaseModel,
    result: Grade,
    idempotency_key: str,
    mode: str = "practice",
    source: GradeSource = GradeSource.auto,
) -> int:
    """Store a submission and its grade in one transaction; return the attempt id.

    Submitting twice with the same key (a double click, a retry after a timeout, two threads)
    stores it once and returns the first attempt's id."""
    try:
        with session_scope(engine) as session:
            existing = session.exec(select(Attempt.id).where(Attempt.idempotency_key == idempotency_key)).first()
            if existing is not None:
                return existing
            attempt = open_draft(session, user_id, exercise.id, mode, exercise.variant_seed) or _new_attempt(
                user_id, exercise, mode
            )
            attempt.exercise_version = exercise.version
            attempt.content_hash = exercise.content_hash()
            attempt.status = AttemptStatus.graded
            attempt.idempotency_key = idempotency_key
            attempt.submitted_at = attempt.updated_at = now()
            attempt.draft = None
            session.add(attempt)
            session.flush()
            assert attempt.id is not None
            session.add(SubmissionRow(attempt_id=attempt.id, payload=submission.model_dump(mode="json")))
            _add_grade(session, attempt.id, result, source)
            return attempt.id
    except IntegrityError:
        # another request stored the same key between our check and our insert
        with session_scope(engine) as session:
            existing = session.exec(select(Attempt.id).where(Attempt.idempotency_key == idempotency_key)).first()
            if existing is None:
                raise
            return existing


def record_override(
    session: Session,
    instructor: User,
    attempt_id: int,
    total: float,
    reason: str,
    criterion_scores: dict[str, float] | None = None,
) -> GradeRow:
    """Add an override grade row; the automatic grade and any earlier override stay as history."""
    if instructor.role not in (Role.instructor, Role.admin):
        raise AccessDenied("only instructors override grades")
    if not reason.strip():
        raise ValueError("an override needs a reason the learner will read")
    if not 0 <= total <= 100:
        raise ValueError("a total is between 0 and 100")
    detail = attempt_detail(session, instructor, attempt_id)
    if detail.attempt.user_id == instructor.id and instructor.role != Role.admin:
        raise AccessDenied("instructors do not override their own attempts")
    base = detail.effective
    if base is None:
        raise ValueError("this attempt has no grade to override")
    criteria = []
    for c in base.criteria:
        score = (criterion_scores or {}).get(c.criterion_id, c.score)
        criteria.append(
            {
                "id": c.criterion_id,
                "title": c.title,
                "weight": c.weight,
                "score": max(0.0, min(1.0, score)),
                "evidence": c.evidence,
                "feedback": c.feedback,
            }
        )
    result = Grade(total=round(total, 1), criteria=criteria, flags=[], grader_version=base.grade.grader_version)
    assert instructor.id is not None
    return _add_grade(session, attempt_id, result, GradeSource.override, instructor.id, reason.strip())


def _effective_grades() -> Subquery:
    """Subquery: one row per attempt, its effective grade (latest override, else latest)."""
    is_override = case((col(GradeRow.source) == GradeSource.override, 1), else_=0)
    rank = func.row_number().over(
        partition_by=col(GradeRow.attempt_id), order_by=(is_override.desc(), col(GradeRow.id).desc())
    )
    return sa_select(
        col(GradeRow.id).label("grade_id"),
        col(GradeRow.attempt_id),
        col(GradeRow.total),
        col(GradeRow.source),
        col(GradeRow.flags),
        rank.label("rank"),
    ).subquery()


def history(session: Session, viewer: User, user_id: int, limit: int = 200) -> list[HistoryRow]:
    require_user(session, viewer, user_id)
    eff = _effective_grades()
    query = (
        select(Attempt, eff.c.total, eff.c.source, eff.c.flags)
        .join(eff, (eff.c.attempt_id == col(Attempt.id)) & (eff.c.rank == 1))
        .where(Attempt.user_id == user_id, Attempt.status == AttemptStatus.graded)
        .order_by(col(Attempt.submitted_at).desc(), col(Attempt.id).desc())
        .limit(limit)
    )
    return [
        HistoryRow(a.id or 0, a.exercise_id, a.kind, a.sector, a.mode, a.submitted_at, total, source, list(flags or []))
        for a, total, source, flags in session.exec(query)
    ]


def attempt_detail(session: Session, viewer: User, attempt_id: int) -> AttemptDetail:
    attempt = session.get(Attempt, attempt_id)
    if attempt is None:
        raise AccessDenied(f"no attempt {attempt_id}")  # same answer as forbidden: ids are not probes
    require_user(session, viewer, attempt.user_id)
    sub = session.exec(select(SubmissionRow).where(SubmissionRow.attempt_id == attempt_id)).first()
    grades = list(session.exec(select(GradeRow).where(GradeRow.attempt_id == attempt_id).order_by(col(GradeRow.id))))
    ids = [g.id for g in grades]
    crit = list(
        session.exec(select(CriterionRow).where(col(CriterionRow.grade_id).in_(ids)).order_by(col(CriterionRow.id)))
    )
    author_ids = {g.author_id for g in grades if g.author_id}
    names = {u.id: u.name for u in session.exec(select(User).where(col(User.id).in_(author_ids)))}
    views = [GradeView(g, [c for c in crit if c.grade_id == g.id], names.get(g.author_id)) for g in grades]
    return AttemptDetail(attempt, sub.payload if sub else None, views)


def kind_averages(
    session: Session, viewer: User, user_id: int, mode: str | None = None
) -> dict[str, tuple[float, int]]:
    """Mean effective score and attempt count per task kind, for one learner (one mode, or all)."""
    require_user(session, viewer, user_id)
    eff = _effective_grades()
    query = (
        select(Attempt.kind, func.avg(eff.c.total), func.count())
        .join(eff, (eff.c.attempt_id == col(Attempt.id)) & (eff.c.rank == 1))
        .where(Attempt.user_id == user_id)
        .group_by(Attempt.kind)
    )
    if mode is not None:
        query = query.where(Attempt.mode == mode)
    return {kind: (float(avg), int(n)) for kind, avg, n in session.exec(query)}


def seen_variants(session: Session, user_id: int, exercise_ids: Iterable[str]) -> dict[str, set[int]]:
    """The variant seeds of each exercise this learner has opened (drafts too: they read it)."""
    ids = list(exercise_ids)
    seen: dict[str, set[int]] = {e: set() for e in ids}
    query = (
        select(Attempt.exercise_id, Attempt.variant_seed)
        .where(Attempt.user_id == user_id, col(Attempt.exercise_id).in_(ids))
        .distinct()
    )
    for exercise_id, seed in session.exec(query):
        seen[exercise_id].add(seed)
    return seen


def fresh_variant(session: Session, user_id: int, bank: Bank, exercise_id: str) -> int | None:
    """A variant of the exercise this learner has not opened yet (see `unseen_seed`)."""
    return unseen_seed(bank, exercise_id, seen_variants(session, user_id, [exercise_id])[exercise_id])


def effective_total(session: Session, attempt_id: int) -> float | None:
    """The effective total of one attempt (latest override, else latest grade)."""
    eff = _effective_grades()
    row = session.exec(select(eff.c.total).where(eff.c.attempt_id == attempt_id, eff.c.rank == 1)).first()
    return float(row) if row is not None else None

"""Attempts, drafts, submissions and grades: writing them safely and reading them back.

A grade is never edited: regrades and instructor overrides add rows. The effective grade of an
attempt (its latest override, else its latest grade) is defined once, by the database trigger of
migration 0002, which keeps `attempts.grade_id` pointing at it; every read here follows that
pointer."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ScalarSelect, func
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from exercises.assessment import unseen_seed
from exercises.loader import Bank
from exercises.model import AnyExercise
from exercises.plain_text import clean_payload, clean_text
from exercises.submission import MAX_REASON, AnySubmission
from grading.model import Grade
from store import integrity
from store.access import AccessDenied, can_view_attempt, require_user, visible_attempts
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
        """The grade in effect: the one the attempt's `grade_id` points at."""
        return next((g for g in self.grades if g.grade.id == self.attempt.grade_id), None)


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
    attempt.draft = clean_payload(payload)
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
                evidence=clean_text(c.evidence)[:4000],  # it may quote the learner
                feedback=clean_text(c.feedback)[:4000],
            )
        )
    session.flush()
    return row


def machine_source(result: Grade) -> GradeSource:
    """How a grader's (not a person's) grade is recorded: `judged` when the LLM judge took part."""
    return GradeSource.judged if result.judged else GradeSource.auto


def store_attempt(
    session: Session,
    user_id: int,
    exercise: AnyExercise,
    submission: AnySubmission,
    result: Grade,
    idempotency_key: str,
    mode: str = "practice",
    cohort_id: int | None = None,
    started_at: datetime | None = None,
) -> int:
    """Store a submission and its grade in the caller's transaction; return the attempt id (the
    existing one when the key was stored before)."""
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
    if started_at is not None:  # an assessment task: when its first edit was made
        attempt.started_at = started_at
    attempt.draft = None
    attempt.cohort_id = cohort_id
    session.add(attempt)
    session.flush()
    assert attempt.id is not None
    session.add(SubmissionRow(attempt_id=attempt.id, payload=submission.model_dump(mode="json")))
    _add_grade(session, attempt.id, result, machine_source(result))
    return attempt.id


def submit(
    engine: Engine,
    user_id: int,
    exercise: AnyExercise,
    submission: AnySubmission,
    result: Grade,
    idempotency_key: str,
    mode: str = "practice",
) -> int:
    """Store a submission and its grade in one transaction; return the attempt id.

    Submitting twice with the same key (a double click, a retry after a timeout, two threads)
    stores it once and returns the first attempt's id. A practice submission is refused while the
    exercise is in the learner's open assessment sitting, or when its assignment's attempts are
    used up (store/integrity.py)."""
    try:
        with session_scope(engine) as session:
            if mode == "practice":
                integrity.require_practice_open(session, user_id, exercise.id, now())
            return store_attempt(session, user_id, exercise, submission, result, idempotency_key, mode)
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
    if len(reason) > MAX_REASON:
        raise ValueError(f"a reason is at most {MAX_REASON:,} characters")
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
    return _add_grade(session, attempt_id, result, GradeSource.override, instructor.id, clean_text(reason).strip())


def latest_grader_grade(column: str) -> ScalarSelect[Any]:
    """Correlated with `Attempt`: a column ("id", "total") of the attempt's latest grade from the
    grader (automatic or judged), whatever an instructor decided since; what reliability and
    exports compare instructors with."""
    grader = GradeRow.__table__.alias("grader")  # type: ignore[attr-defined]
    return (
        sa_select(grader.c[column])
        .where(grader.c.attempt_id == col(Attempt.id), grader.c.source != GradeSource.override)
        .order_by(grader.c.id.desc())
        .limit(1)
        .scalar_subquery()
    )


def history(session: Session, viewer: User, user_id: int, limit: int = 200) -> list[HistoryRow]:
    require_user(session, viewer, user_id)
    query = (
        select(Attempt, GradeRow.total, GradeRow.source, GradeRow.flags)
        .join(GradeRow, col(GradeRow.id) == col(Attempt.grade_id))
        .where(Attempt.user_id == user_id, Attempt.status == AttemptStatus.graded, visible_attempts(viewer))
        .order_by(col(Attempt.submitted_at).desc(), col(Attempt.id).desc())
        .limit(limit)
    )
    return [
        HistoryRow(a.id or 0, a.exercise_id, a.kind, a.sector, a.mode, a.submitted_at, total, source, list(flags or []))
        for a, total, source, flags in session.exec(query)
    ]


def attempt_detail(session: Session, viewer: User, attempt_id: int) -> AttemptDetail:
    # populate_existing: a grade added earlier in this session moved the attempt's grade_id in the
    # database (the trigger), not in the copy this session may already hold
    attempt = session.get(Attempt, attempt_id, populate_existing=True)
    if attempt is None:
        raise AccessDenied(f"no attempt {attempt_id}")  # same answer as forbidden: ids are not probes
    if not can_view_attempt(session, viewer, attempt):
        raise AccessDenied(f"no attempt {attempt_id}")
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
    query = (
        select(Attempt.kind, func.avg(Attempt.score), func.count())
        .where(Attempt.user_id == user_id, col(Attempt.grade_id).is_not(None), visible_attempts(viewer))
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
    """The effective total of one attempt; None when it has no grade."""
    row = session.exec(select(Attempt.score).where(Attempt.id == attempt_id)).first()
    return float(row) if row is not None else None

"""The instructor's review queue, and overriding a grade from it.

An attempt is in the queue while its effective grade is not an instructor's and the grader
asked for a person (`needs_review`, `possible_injection`), could not consult the judge
(`judge_unavailable`), or the judge moved the total far from the deterministic score. An
override, even one that keeps the score, takes it out of the queue; the grades before it stay."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, or_
from sqlmodel import Session, col

from store.access import require_teaches
from store.attempts import attempt_detail, record_override
from store.cohort_scope import graded
from store.models import Attempt, GradeRow, GradeSource, User

REVIEW_FLAGS = ("grader_error", "possible_injection", "needs_review", "judge_unavailable")  # most urgent first
REVIEW_GAP = 10.0  # points between the judged total and the deterministic one
CONFIRMED = "Reviewed by your instructor: the grade stands."


@dataclass(frozen=True)
class ReviewItem:
    attempt_id: int
    user_id: int
    learner: str
    exercise_id: str
    kind: str
    submitted_at: datetime | None
    score: float
    flags: list[str]
    judge_gap: float | None

    @property
    def reasons(self) -> list[str]:
        found = [f for f in REVIEW_FLAGS if f in self.flags]
        if self.judge_gap is not None and self.judge_gap >= REVIEW_GAP:
            found.append("judge_disagrees")
        return found


def _in_queue() -> object:
    flags = col(Attempt.grade_flags)
    return (func.coalesce(col(Attempt.grade_source), "") != GradeSource.override) & or_(
        *(flags.contains(f) for f in REVIEW_FLAGS), col(Attempt.judge_gap) >= REVIEW_GAP
    )


def review_queue(session: Session, viewer: User, cohort_id: int, limit: int = 200) -> tuple[list[ReviewItem], int]:
    """The oldest `limit` items, most urgent kind first, and how many are waiting in all."""
    require_teaches(session, viewer, cohort_id)
    condition = _in_queue()
    urgency = case(
        *((col(Attempt.grade_flags).contains(f), n) for n, f in enumerate(REVIEW_FLAGS)), else_=len(REVIEW_FLAGS)
    )
    query = (
        graded(
            cohort_id,
            col(Attempt.id),
            col(Attempt.user_id),
            col(User.name),
            col(Attempt.exercise_id),
            col(Attempt.kind),
            col(Attempt.submitted_at),
            col(Attempt.score),
            col(Attempt.grade_flags),
            col(Attempt.judge_gap),
        )
        .join(User, col(User.id) == col(Attempt.user_id))
        .where(condition)  # type: ignore[arg-type]
        .order_by(urgency, col(Attempt.submitted_at), col(Attempt.id))
        .limit(limit)
    )
    items = [
        ReviewItem(int(a), int(u), n, e, k, t, float(s), f.split(",") if f else [], g)
        for a, u, n, e, k, t, s, f, g in session.exec(query)  # type: ignore[call-overload]
    ]
    total = session.exec(graded(cohort_id, func.count()).where(condition)).scalar_one()  # type: ignore[call-overload, arg-type]
    return items, int(total)


def override_total(
    base_total: float, weights: Mapping[str, float], old: Mapping[str, float], new: Mapping[str, float]
) -> float:
    """The total after criteria changed: the base total moved by each changed criterion's weighted
    difference, so a cap or rounding in the base grade is kept for what did not change."""
    shift = sum(weights[c] * (new[c] - old[c]) for c in new if c in old and c in weights)
    return round(max(0.0, min(100.0, base_total + shift)), 1)


def override_grade(
    session: Session,
    instructor: User,
    attempt_id: int,
    reason: str,
    total: float | None = None,
    criterion_scores: Mapping[str, float] | None = None,
) -> GradeRow:
    """Override the total, some criteria, or both. With criteria changed and no total given, the
    total follows the criteria."""
    detail = attempt_detail(session, instructor, attempt_id)
    base = detail.effective
    if base is None:
        raise ValueError("this attempt has no grade to override")
    old = {c.criterion_id: c.score for c in base.criteria}
    changed = {
        c: max(0.0, min(1.0, s)) for c, s in (criterion_scores or {}).items() if c in old and abs(old[c] - s) > 1e-9
    }
    if total is None:
        weights = {c.criterion_id: c.weight for c in base.criteria}
        total = override_total(base.grade.total, weights, old, changed)
    return record_override(session, instructor, attempt_id, total, reason, changed or None)


def confirm_grade(session: Session, instructor: User, attempt_id: int, reason: str = CONFIRMED) -> GradeRow:
    """Keep the grade as it is, on the record: an override with the same total and criteria."""
    detail = attempt_detail(session, instructor, attempt_id)
    if detail.effective is None:
        raise ValueError("this attempt has no grade to confirm")
    return record_override(session, instructor, attempt_id, detail.effective.grade.total, reason)

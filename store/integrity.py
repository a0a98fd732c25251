"""Exam integrity: what a learner may do in Practice while an assessment is open, what an
assessment may draw for them, and how often each item has been seen.

While a learner sits an assessment, its exercises are closed to them in Practice (no page, no
submission, no reference answer), so a second tab cannot fetch the reference of a task being
sat; they open again once the sitting is over. An assigned exercise may limit attempts or hide
its reference until the due date (store/assignments.py sets the rules; they are enforced here
and in `attempts.submit`)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from store.access import AccessDenied, require_teaches
from store.assessment_models import Assessment, Sitting, SittingStatus
from store.models import Assignment, Attempt, AttemptStatus, Membership, Role, User


class PracticeClosed(AccessDenied):
    """This exercise cannot be practised by this learner now."""


@dataclass(frozen=True)
class PracticeRules:
    in_sitting: bool  # part of an assessment the learner is sitting now
    attempts_left: int | None  # under an assignment's limit until its due date; None: no limit
    reference_hidden_until: datetime | None  # an assignment hides the reference until then

    @property
    def may_submit(self) -> bool:
        return not self.in_sitting and self.attempts_left != 0

    def reference_shown(self, now: datetime) -> bool:
        return not self.in_sitting and (self.reference_hidden_until is None or now >= self.reference_hidden_until)


@dataclass(frozen=True)
class Exposure:
    exercise_id: str
    sittings: int  # sittings of this cohort's assessments that drew it
    practised_by: int  # the cohort's learners with a graded practice attempt at it


def _utc(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; they are UTC."""
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def sitting_exercises(session: Session, user_id: int, now: datetime) -> set[str]:
    """The exercises of the learner's sittings that are open now (in progress, time not up)."""
    rows = session.exec(
        select(Sitting, Assessment)
        .join(Assessment, col(Assessment.id) == col(Sitting.assessment_id))
        .where(Sitting.user_id == user_id, Sitting.status == SittingStatus.in_progress)
    ).all()
    return {eid for s, a in rows if (_utc(s.deadline_at) or now) > now for eid in s.tasks(a)}


def practised(session: Session, user_id: int) -> set[str]:
    """Exercises the learner has a graded attempt at (practice or an earlier assessment)."""
    return set(
        session.exec(
            select(Attempt.exercise_id)
            .where(Attempt.user_id == user_id, Attempt.status == AttemptStatus.graded)
            .distinct()
        )
    )


def practice_rules(session: Session, user_id: int, exercise_id: str, now: datetime) -> PracticeRules:
    assigned = session.exec(
        select(Assignment)
        .join(Membership, col(Membership.cohort_id) == col(Assignment.cohort_id))
        .where(
            Membership.user_id == user_id,
            Membership.role == Role.learner,
            Assignment.exercise_id == exercise_id,
        )
    ).all()
    live = [a for a in assigned if a.due is None or now <= (_utc(a.due) or now)]
    limits = [a.max_attempts for a in live if a.max_attempts is not None]
    left: int | None = None
    if limits:
        used = session.exec(
            select(func.count()).where(
                Attempt.user_id == user_id,
                Attempt.exercise_id == exercise_id,
                Attempt.mode == "practice",
                Attempt.status == AttemptStatus.graded,
            )
        ).one()
        left = max(0, min(limits) - int(used))
    hidden_until = max((d for a in live if a.hide_reference and (d := _utc(a.due)) is not None), default=None)
    return PracticeRules(exercise_id in sitting_exercises(session, user_id, now), left, hidden_until)


def require_practice_open(session: Session, user_id: int, exercise_id: str, now: datetime) -> None:
    rules = practice_rules(session, user_id, exercise_id, now)
    if rules.in_sitting:
        raise PracticeClosed("this exercise is part of the assessment you are sitting; it opens again afterwards")
    if rules.attempts_left == 0:
        raise PracticeClosed("you have used every attempt your instructor allowed before the due date")


def exposure(session: Session, viewer: User, cohort_id: int, assessment_id: int | None = None) -> list[Exposure]:
    """How often each item was drawn in this cohort's assessments (or one of them), and how many
    of its learners practised it: an item many have seen tells the instructor less about who sits it."""
    require_teaches(session, viewer, cohort_id)
    drawn: Counter[str] = Counter()
    query = (
        select(Sitting, Assessment)
        .join(Assessment, col(Assessment.id) == col(Sitting.assessment_id))
        .where(Assessment.cohort_id == cohort_id)
    )
    if assessment_id is not None:
        query = query.where(Assessment.id == assessment_id)
    for sitting, assessment in session.exec(query):
        drawn.update(sitting.tasks(assessment))
    if not drawn:
        return []
    learners = select(Membership.user_id).where(Membership.cohort_id == cohort_id, Membership.role == Role.learner)
    seen = dict(
        session.exec(
            select(Attempt.exercise_id, func.count(func.distinct(Attempt.user_id)))
            .where(
                col(Attempt.user_id).in_(learners),
                col(Attempt.exercise_id).in_(list(drawn)),
                Attempt.mode == "practice",
                Attempt.status == AttemptStatus.graded,
            )
            .group_by(Attempt.exercise_id)
        ).all()
    )
    return sorted(
        (Exposure(eid, n, int(seen.get(eid, 0))) for eid, n in drawn.items()),
        key=lambda e: (-e.sittings, e.exercise_id),
    )

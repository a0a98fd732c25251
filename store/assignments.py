"""Exercises an instructor assigns to a cohort, and who has done them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, case, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from store.access import require_teaches, require_user
from store.cohort_scope import graded
from store.models import Assignment, Attempt, AttemptMode, Cohort, Membership, Role, User, now


@dataclass(frozen=True)
class AssignmentProgress:
    exercise_id: str
    assigned_at: datetime
    due: datetime | None
    learners: int  # in the cohort
    done: int  # learners with a graded attempt at it
    on_time: int  # of those, first graded by the due date (all of them when there is no due date)
    mean_best: float | None  # mean of each learner's best score on it

    @property
    def completion(self) -> float:
        return self.done / self.learners if self.learners else 0.0


@dataclass(frozen=True)
class AssignedExercise:
    exercise_id: str
    cohort_id: int
    cohort_name: str
    due: datetime | None
    best: float | None  # None: not done yet

    def overdue(self, at: datetime) -> bool:
        """Not done and past its due date."""
        due = self.due.replace(tzinfo=UTC) if self.due is not None and self.due.tzinfo is None else self.due
        return self.best is None and due is not None and due < at


def _by_due() -> ColumnElement[bool]:
    """An attempt that counts for its assignment: submitted by the due date (any, without one)."""
    return col(Assignment.due).is_(None) | (col(Attempt.submitted_at) <= col(Assignment.due))


def assign(
    session: Session,
    viewer: User,
    cohort_id: int,
    exercise_ids: Iterable[str],
    due: datetime | None = None,
    max_attempts: int | None = None,
    hide_reference: bool = False,
) -> int:
    """Assign exercises (again: the due date and rules change). Returns how many were new.

    `max_attempts` limits graded practice attempts until the due date; `hide_reference` keeps the
    reference answer hidden until then (so it cannot be copied into a resubmission)."""
    require_teaches(session, viewer, cohort_id)
    if max_attempts is not None and max_attempts < 1:
        raise ValueError("allow at least one attempt")
    if hide_reference and due is None:
        raise ValueError("the reference is hidden until the due date: set one")
    existing = {
        a.exercise_id: a for a in session.exec(select(Assignment).where(col(Assignment.cohort_id) == cohort_id))
    }
    added = 0
    for exercise_id in dict.fromkeys(exercise_ids):
        row = existing.get(exercise_id)
        if row is None:
            row = Assignment(cohort_id=cohort_id, exercise_id=exercise_id, assigned_by=viewer.id, assigned_at=now())
            added += 1
        row.due = due
        row.max_attempts = max_attempts
        row.hide_reference = hide_reference
        session.add(row)
    session.flush()
    return added


def unassign(session: Session, viewer: User, cohort_id: int, exercise_id: str) -> None:
    require_teaches(session, viewer, cohort_id)
    row = session.exec(
        select(Assignment).where(col(Assignment.cohort_id) == cohort_id, col(Assignment.exercise_id) == exercise_id)
    ).first()
    if row is not None:
        session.delete(row)
        session.flush()


def assignment_progress(session: Session, viewer: User, cohort_id: int) -> list[AssignmentProgress]:
    require_teaches(session, viewer, cohort_id)
    assigned = list(
        session.exec(select(Assignment).where(col(Assignment.cohort_id) == cohort_id).order_by(col(Assignment.id)))
    )
    if not assigned:
        return []
    learners = session.exec(
        select(func.count()).where(col(Membership.cohort_id) == cohort_id, col(Membership.role) == Role.learner)
    ).one()
    per_learner = (
        graded(
            cohort_id,
            col(Attempt.exercise_id).label("exercise_id"),
            func.min(Attempt.submitted_at).label("first"),
            func.max(case((_by_due(), col(Attempt.score)))).label("best"),
            mode=AttemptMode.practice,  # a mock assessment's task does not complete an assignment
        )
        .join(
            Assignment,
            (col(Assignment.cohort_id) == cohort_id) & (col(Assignment.exercise_id) == col(Attempt.exercise_id)),
        )
        .group_by(col(Attempt.user_id), col(Attempt.exercise_id))
        .subquery()
    )
    query = (
        sa_select(
            col(Assignment.id),
            func.count(per_learner.c.exercise_id),
            func.sum(
                case(
                    (col(Assignment.due).is_(None) & per_learner.c.exercise_id.is_not(None), 1),
                    (per_learner.c.first <= col(Assignment.due), 1),
                    else_=0,
                )
            ),
            func.avg(per_learner.c.best),
        )
        .select_from(Assignment)
        .outerjoin(per_learner, per_learner.c.exercise_id == col(Assignment.exercise_id))
        .where(col(Assignment.cohort_id) == cohort_id)
        .group_by(col(Assignment.id))
    )
    figures = {i: (int(d), int(t or 0), m) for i, d, t, m in session.exec(query)}  # type: ignore[call-overload]
    result = []
    for a in assigned:
        done, on_time, mean = figures.get(a.id, (0, 0, None))
        result.append(
            AssignmentProgress(
                a.exercise_id, a.assigned_at, a.due, int(learners), done, on_time, None if mean is None else float(mean)
            )
        )
    return result


def learner_assignments(session: Session, viewer: User, user_id: int) -> list[AssignedExercise]:
    """What the learner's cohorts assigned them, soonest due first, with their best score so far."""
    require_user(session, viewer, user_id)
    query = (
        sa_select(
            col(Assignment.exercise_id),
            col(Cohort.id),
            col(Cohort.name),
            col(Assignment.due),
            func.max(case((_by_due(), col(Attempt.score)))),
        )
        .select_from(Assignment)
        .join(Membership, col(Membership.cohort_id) == col(Assignment.cohort_id))
        .join(Cohort, col(Cohort.id) == col(Assignment.cohort_id))
        .outerjoin(
            Attempt,
            (col(Attempt.user_id) == user_id)
            & (col(Attempt.exercise_id) == col(Assignment.exercise_id))
            & col(Attempt.score).is_not(None)
            & (col(Attempt.mode) == AttemptMode.practice)  # a mock's task does not complete an assignment
            & (col(Attempt.cohort_id).is_(None) | (col(Attempt.cohort_id) == col(Assignment.cohort_id))),
        )
        .where(col(Membership.user_id) == user_id, col(Membership.role) == Role.learner)
        .group_by(col(Assignment.id), col(Cohort.id), col(Cohort.name))
    )
    rows = [AssignedExercise(e, int(c), n, d, None if b is None else float(b)) for e, c, n, d, b in session.exec(query)]  # type: ignore[call-overload]
    far = datetime.max.replace(tzinfo=now().tzinfo)
    return sorted(rows, key=lambda r: (r.best is not None, r.due or far, r.exercise_id))

"""The rows a cohort dashboard covers: its learners' graded attempts (practice, and the
assessments this cohort set; another cohort's assessments stay with that cohort's instructors), each with its effective
grade already on the row (see migration 0002). Every cohort query starts here, so they all
walk the same indexes: memberships by cohort, then attempts by learner."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select
from sqlmodel import col

from store.models import Attempt, Membership, Role


def graded(cohort_id: int, *columns: Any, mode: str | None = None, only: Any = None) -> Select[Any]:
    """SELECT columns FROM the cohort's learners' graded attempts (add GROUP BY and more);
    `mode` narrows to practice or assessment attempts, `only` to a subquery of attempt ids."""
    query = (
        select(*columns)
        .select_from(Membership)
        .join(Attempt, col(Attempt.user_id) == col(Membership.user_id))
        .where(
            col(Membership.cohort_id) == cohort_id,
            col(Membership.role) == Role.learner,
            col(Attempt.score).is_not(None),
            # practice by the cohort's learners, and this cohort's assessments, never another's
            col(Attempt.cohort_id).is_(None) | (col(Attempt.cohort_id) == cohort_id),
        )
    )
    if only is not None:
        query = query.where(col(Attempt.id).in_(only))
    return query.where(col(Attempt.mode) == mode) if mode is not None else query

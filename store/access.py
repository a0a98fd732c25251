"""Who may read what. Every query that returns another user's data goes through here, so
authorization holds even when a page passes an id it should not have."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, exists, true
from sqlmodel import Session, col, select

from store.models import Attempt, Membership, Role, User


class AccessDenied(PermissionError):
    """The viewer may not see this object."""


def teaches(session: Session, viewer: User, cohort_id: int) -> bool:
    if viewer.role == Role.admin:
        return True
    row = session.exec(
        select(Membership.id).where(
            Membership.cohort_id == cohort_id,
            Membership.user_id == viewer.id,
            Membership.role == Role.instructor,
        )
    ).first()
    return row is not None


def can_view_user(session: Session, viewer: User, user_id: int) -> bool:
    """Yourself; anyone if admin; a learner in a cohort you teach."""
    if viewer.id == user_id or viewer.role == Role.admin:
        return True
    if viewer.role != Role.instructor:
        return False
    taught = select(Membership.cohort_id).where(Membership.user_id == viewer.id, Membership.role == Role.instructor)
    found = session.exec(
        select(Membership.id).where(
            Membership.user_id == user_id,
            col(Membership.cohort_id).in_(taught),
        )
    ).first()
    return found is not None


def visible_attempts(viewer: User) -> ColumnElement[bool]:
    """A SQL condition on attempts, to add to any query of a learner's attempts: practice (and
    self-set mocks) for whoever may see the learner, but an assessment attempt only for the
    learner, an admin, and the instructors of the cohort that set the assessment. A learner in
    two cohorts is seen by two sets of instructors, neither of whom sees the other's exams."""
    if viewer.role == Role.admin:
        return true()
    taught = select(Membership.cohort_id).where(Membership.user_id == viewer.id, Membership.role == Role.instructor)
    return col(Attempt.cohort_id).is_(None) | (col(Attempt.user_id) == viewer.id) | col(Attempt.cohort_id).in_(taught)


def can_view_attempt(session: Session, viewer: User, attempt: Attempt) -> bool:
    if not can_view_user(session, viewer, attempt.user_id):
        return False
    if attempt.cohort_id is None or attempt.user_id == viewer.id:
        return True
    return teaches(session, viewer, attempt.cohort_id)


def require_user(session: Session, viewer: User, user_id: int) -> None:
    if not can_view_user(session, viewer, user_id):
        raise AccessDenied(f"user {viewer.id} may not see user {user_id}'s work")


def require_teaches(session: Session, viewer: User, cohort_id: int) -> None:
    if not teaches(session, viewer, cohort_id):
        raise AccessDenied(f"user {viewer.id} does not teach cohort {cohort_id}")


def taught_learner_filter(viewer: User) -> ColumnElement[bool]:
    """A SQL condition on users.id: learners this viewer may see (for list queries)."""
    if viewer.role == Role.admin:
        return true()
    table = Membership.__table__  # type: ignore[attr-defined]
    teach = table.alias("teach")
    learn = table.alias("learn")
    return (col(User.id) == viewer.id) | exists().where(
        and_(
            teach.c.user_id == viewer.id,
            teach.c.role == Role.instructor,
            learn.c.cohort_id == teach.c.cohort_id,
            learn.c.user_id == col(User.id),
        )
    )


def belongs_to(session: Session, viewer: User, cohort_id: int) -> bool:
    """A member of the cohort (learner or instructor), or an admin: who may see its aggregates."""
    if viewer.role == Role.admin:
        return True
    row = session.exec(
        select(Membership.id).where(Membership.cohort_id == cohort_id, Membership.user_id == viewer.id)
    ).first()
    return row is not None


def require_member(session: Session, viewer: User, cohort_id: int) -> None:
    if not belongs_to(session, viewer, cohort_id):
        raise AccessDenied(f"user {viewer.id} is not in cohort {cohort_id}")

"""Users, roles and cohorts."""

from __future__ import annotations

import secrets

from sqlmodel import Session, col, func, select

from exercises.plain_text import clean_text
from store.access import require_teaches
from store.models import Cohort, Membership, Role, User

JOIN_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread


def get_or_create_user(
    session: Session, external_id: str, name: str, email: str | None = None, role: Role = Role.learner
) -> User:
    external_id, name = clean_text(external_id), clean_text(name).strip()
    email = clean_text(email) if email else email
    user = session.exec(select(User).where(User.external_id == external_id)).first()
    if user is None:
        user = User(external_id=external_id, name=name[:200] or external_id, email=email, role=role)
        session.add(user)
        session.flush()
    return user


def promote_admin(session: Session, user: User, admin_email: str | None, email_verified: bool) -> User:
    """The first admin is named in settings; the store keeps everyone else's role. Only an email
    the identity provider says it verified counts: anyone may type any address into an account."""
    if not (admin_email and email_verified and user.email):
        return user
    if user.email.lower() == admin_email.lower() and user.role != Role.admin:
        user.role = Role.admin
        session.add(user)
        session.flush()
    return user


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(8))


def create_cohort(session: Session, instructor: User, name: str, join_code: str | None = None) -> Cohort:
    if instructor.role not in (Role.instructor, Role.admin):
        raise PermissionError("only instructors create cohorts")
    cohort = Cohort(
        name=clean_text(name).strip()[:200] or "Untitled cohort",
        join_code=join_code or new_join_code(),
        created_by=instructor.id,
    )
    session.add(cohort)
    session.flush()
    assert cohort.id is not None
    assert instructor.id is not None
    session.add(Membership(cohort_id=cohort.id, user_id=instructor.id, role=Role.instructor))
    session.flush()
    return cohort


def join_cohort(session: Session, user: User, join_code: str) -> Cohort | None:
    cohort = session.exec(select(Cohort).where(Cohort.join_code == join_code.strip().upper())).first()
    if cohort is None:
        return None
    assert cohort.id is not None
    assert user.id is not None
    exists = session.exec(
        select(Membership).where(Membership.cohort_id == cohort.id, Membership.user_id == user.id)
    ).first()
    if exists is None:
        session.add(Membership(cohort_id=cohort.id, user_id=user.id, role=Role.learner))
        session.flush()
    return cohort


def cohorts_taught(session: Session, viewer: User) -> list[Cohort]:
    if viewer.role == Role.admin:
        return list(session.exec(select(Cohort).order_by(Cohort.name)))
    query = (
        select(Cohort)
        .join(Membership, col(Membership.cohort_id) == col(Cohort.id))
        .where(Membership.user_id == viewer.id, Membership.role == Role.instructor)
        .order_by(Cohort.name)
    )
    return list(session.exec(query))


def cohorts_joined(session: Session, user: User) -> list[Cohort]:
    query = (
        select(Cohort)
        .join(Membership, col(Membership.cohort_id) == col(Cohort.id))
        .where(Membership.user_id == user.id, Membership.role == Role.learner)
        .order_by(Cohort.name)
    )
    return list(session.exec(query))


def cohort_learners(session: Session, viewer: User, cohort_id: int) -> list[User]:
    require_teaches(session, viewer, cohort_id)
    query = (
        select(User)
        .join(Membership, col(Membership.user_id) == col(User.id))
        .where(Membership.cohort_id == cohort_id, Membership.role == Role.learner)
        .order_by(User.name)
    )
    return list(session.exec(query))


def count_users(session: Session) -> int:
    return int(session.exec(select(func.count()).select_from(User)).one())

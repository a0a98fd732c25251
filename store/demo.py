"""The demo: a demo learner, a demo instructor and a generated cohort (see `store.synthetic`).
Grades are generated (marked `synthetic` in their details), never presented as anyone's real
work."""

from __future__ import annotations

import random

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from exercises.loader import Bank
from store.db import session_scope
from store.models import Cohort, Role, User, now
from store.synthetic import DEMO_COHORT_CODE, Generator
from store.users import get_or_create_user

DEMO_LEARNER = "demo-learner"
DEMO_INSTRUCTOR = "demo-instructor"
__all__ = ["DEMO_COHORT_CODE", "DEMO_INSTRUCTOR", "DEMO_LEARNER", "ensure_demo_users", "seed_demo"]


def ensure_demo_users(session: Session) -> tuple[User, User]:
    learner = get_or_create_user(session, DEMO_LEARNER, "Alex Rivera (demo learner)", "alex@demo.baton")
    instructor = get_or_create_user(
        session, DEMO_INSTRUCTOR, "Sam Okafor (demo instructor)", "sam@demo.baton", role=Role.instructor
    )
    return learner, instructor


def seed_demo(
    engine: Engine,
    bank: Bank,
    learners: int = 12,
    attempts: int = 8,
    seed: int = 2026,
    *,
    cohort_size: int | None = None,
    learner_history: int = 0,
) -> int:
    """Create the demo users and cohort once, all or nothing; return the demo cohort's id. Idempotent.

    `learners` generated learners with `attempts` graded attempts each, in the demo cohort (or,
    with `cohort_size`, the demo cohort and further cohorts of that size with their own
    instructors). `learner_history` gives the demo learner that many attempts of their own; by
    default they start fresh, so practising shows up as their first attempt."""
    with session_scope(engine) as session:
        existing = session.exec(select(Cohort).where(Cohort.join_code == DEMO_COHORT_CODE)).first()
        if existing is not None:
            assert existing.id is not None
            return existing.id
        demo_learner, instructor = ensure_demo_users(session)
        assert demo_learner.id is not None
        assert instructor.id is not None
        demo = (demo_learner.id, instructor.id)
    exercises = sorted(bank.exercises.values(), key=lambda e: e.id)
    generator = Generator(engine, exercises, random.Random(seed), end=now())
    return generator.run(learners, attempts, cohort_size or max(learners, 1), demo, learner_history)

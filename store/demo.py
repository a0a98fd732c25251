"""A plausible demo cohort: learners who improve with practice at different rates, some
weaker at one task kind. Grades are generated (marked `synthetic` in their details), never
presented as anyone's real work."""

from __future__ import annotations

import math
import random
from datetime import timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from exercises.loader import Bank
from exercises.model import CRITERIA, Kind
from store.db import session_scope
from store.models import Attempt, AttemptStatus, Cohort, CriterionRow, GradeRow, Membership, Role, User, now
from store.users import get_or_create_user

DEMO_LEARNER = "demo-learner"
DEMO_INSTRUCTOR = "demo-instructor"
DEMO_COHORT_CODE = "DEMO2026"
FIRST_NAMES = [
    "Amara",
    "Ben",
    "Chen",
    "Dana",
    "Emeka",
    "Farah",
    "Gus",
    "Hana",
    "Ivan",
    "Jo",
    "Kiri",
    "Luis",
    "Maya",
    "Nils",
    "Olu",
    "Priya",
    "Quinn",
    "Rosa",
    "Sami",
    "Tess",
    "Umar",
    "Vera",
    "Wen",
    "Yusuf",
]
LAST_NAMES = [
    "Adeyemi",
    "Brandt",
    "Costa",
    "Dubois",
    "Eriksen",
    "Fofana",
    "Garcia",
    "Hughes",
    "Ito",
    "Jensen",
    "Kowalski",
    "Lindqvist",
    "Mensah",
    "Novak",
    "Okafor",
    "Patel",
    "Quispe",
    "Rossi",
    "Singh",
    "Tanaka",
]


def ensure_demo_users(session: Session) -> tuple[User, User]:
    learner = get_or_create_user(session, DEMO_LEARNER, "Alex Rivera (demo learner)", "alex@demo.baton")
    instructor = get_or_create_user(
        session, DEMO_INSTRUCTOR, "Sam Okafor (demo instructor)", "sam@demo.baton", role=Role.instructor
    )
    return learner, instructor


def seed_demo(engine: Engine, bank: Bank, learners: int = 12, attempts: int = 8, seed: int = 2026) -> int:
    """Create the demo users and cohort once; return the cohort id. Idempotent."""
    with session_scope(engine) as session:
        existing = session.exec(select(Cohort).where(Cohort.join_code == DEMO_COHORT_CODE)).first()
        if existing is not None:
            assert existing.id is not None
            return existing.id
        demo_learner, instructor = ensure_demo_users(session)
        cohort = Cohort(name="Demo cohort · Autumn 2026", join_code=DEMO_COHORT_CODE, created_by=instructor.id)
        session.add(cohort)
        session.flush()
        assert cohort.id is not None
        session.add(Membership(cohort_id=cohort.id, user_id=instructor.id, role=Role.instructor))  # type: ignore[arg-type]
        session.add(Membership(cohort_id=cohort.id, user_id=demo_learner.id, role=Role.learner))  # type: ignore[arg-type]
        generate_learners(session, bank, cohort.id, learners, attempts, random.Random(seed))
        return cohort.id


def generate_learners(
    session: Session, bank: Bank, cohort_id: int, learners: int, attempts: int, rng: random.Random
) -> None:
    exercises = sorted(bank.exercises.values(), key=lambda e: e.id)
    if not exercises:
        return
    kinds = list(Kind)
    start = now() - timedelta(days=42)
    for i in range(learners):
        name = f"{FIRST_NAMES[i % len(FIRST_NAMES)]} {LAST_NAMES[(i * 7) % len(LAST_NAMES)]}"
        user = get_or_create_user(session, f"demo-{cohort_id}-{i:05d}", name, None)
        assert user.id is not None
        session.add(Membership(cohort_id=cohort_id, user_id=user.id, role=Role.learner))
        ability = rng.gauss(55, 12)
        rate = rng.uniform(0.5, 4.0)  # points gained per attempt, with diminishing returns
        weak_kind = rng.choice(kinds) if rng.random() < 0.4 else None
        for n in range(attempts):
            exercise = rng.choice(exercises)
            level = ability + rate * 6 * (1 - math.exp(-n / 6)) - 6 * (exercise.difficulty - 2)
            if exercise.kind == weak_kind:
                level -= 18
            total = max(0.0, min(100.0, rng.gauss(level, 9)))
            when = start + timedelta(days=42 * (n + rng.random()) / attempts)
            attempt = Attempt(
                user_id=user.id,
                exercise_id=exercise.id,
                exercise_version=exercise.version,
                content_hash=exercise.content_hash(),
                kind=exercise.kind,
                sector=exercise.sector,
                status=AttemptStatus.graded,
                started_at=when - timedelta(minutes=exercise.minutes),
                updated_at=when,
                submitted_at=when,
            )
            session.add(attempt)
            session.flush()
            assert attempt.id is not None
            grade = GradeRow(
                attempt_id=attempt.id,
                total=round(total, 1),
                flags=[],
                grader_version="demo",
                details={"synthetic": True},
                created_at=when,
            )
            session.add(grade)
            session.flush()
            assert grade.id is not None
            for criterion in exercise.rubric:
                score = max(0.0, min(1.0, rng.gauss(total / 100, 0.15)))
                session.add(
                    CriterionRow(
                        grade_id=grade.id,
                        criterion_id=criterion.id,
                        title=criterion.title,
                        weight=criterion.weight,
                        score=round(score, 3),
                        evidence="Generated demo data.",
                        feedback="",
                    )
                )
    assert set(CRITERIA) == set(kinds)

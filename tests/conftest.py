"""Shared fixtures: a fresh database per test (SQLite always, PostgreSQL when configured),
the shipped exercise bank, and users in a cohort."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url

from exercises import Bank, load_bank
from store.db import make_engine, session_scope
from store.migrate import upgrade
from store.models import Role, User
from store.users import create_cohort, get_or_create_user, join_cohort

PG_URL = os.environ.get("TEST_DATABASE_URL")
REQUIRE_PG = os.environ.get("BATON_REQUIRE_POSTGRES") == "1"


def _postgres_database() -> Iterator[str]:
    """A throwaway database on the configured server, dropped afterwards."""
    assert PG_URL is not None
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    name = f"baton_t_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'baton.db'}"
        return
    if PG_URL is None:
        if REQUIRE_PG:
            pytest.fail("BATON_REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set")
        pytest.skip("PostgreSQL not configured: set TEST_DATABASE_URL to run the store suite on it")
    yield from _postgres_database()


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = make_engine(db_url)
    upgrade(eng)
    yield eng
    eng.dispose()


@pytest.fixture(scope="session")
def bank() -> Bank:
    loaded = load_bank()
    assert not loaded.problems, [str(p) for p in loaded.problems]
    return loaded


@dataclass
class People:
    learner: User
    other_learner: User
    outsider: User  # a learner in no cohort the instructor teaches
    instructor: User
    other_instructor: User
    admin: User
    cohort_id: int
    other_cohort_id: int


@pytest.fixture
def people(engine: Engine) -> People:
    with session_scope(engine) as s:
        learner = get_or_create_user(s, "ada", "Ada Learner", "ada@example.com")
        other = get_or_create_user(s, "bo", "Bo Learner", "bo@example.com")
        outsider = get_or_create_user(s, "cy", "Cy Outsider", "cy@example.com")
        teacher = get_or_create_user(s, "tess", "Tess Teacher", "tess@example.com", Role.instructor)
        other_teacher = get_or_create_user(s, "uma", "Uma Teacher", "uma@example.com", Role.instructor)
        admin = get_or_create_user(s, "root", "Ann Admin", "admin@example.com", Role.admin)
        cohort = create_cohort(s, teacher, "Spring cohort", join_code="SPRING01")
        other_cohort = create_cohort(s, other_teacher, "Other cohort", join_code="OTHER001")
        join_cohort(s, learner, "SPRING01")
        join_cohort(s, other, "spring01")
        join_cohort(s, outsider, "OTHER001")
        assert cohort.id is not None
        assert other_cohort.id is not None
        return People(learner, other, outsider, teacher, other_teacher, admin, cohort.id, other_cohort.id)

"""Faults and bad input as a learner meets them: a locked database, an oversized answer, local
mode on a public address, demo mode only when asked for. Nothing typed is ever lost."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlmodel import select
from streamlit import config
from streamlit.testing.v1 import AppTest

from baton_config import settings
from exercises.model import Kind
from exercises.submission import MAX_TEXT
from store.attempts import load_draft
from store.db import make_engine, session_scope
from store.demo import DEMO_LEARNER
from store.models import User
from tests.app.conftest import APP
from tests.app.test_practice import first, stored_attempts
from ui.forms import validate_payload

EXPLAIN = first(Kind.explain_reasoning)
KEY = f"explain:{EXPLAIN.id}:text"


@contextmanager
def locked(db_url: str) -> Iterator[None]:
    """Another process holds the SQLite write lock."""
    conn = sqlite3.connect(db_url.removeprefix("sqlite:///"), timeout=0, isolation_level=None)
    conn.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        conn.execute("ROLLBACK")
        conn.close()


def stored_draft(db_url: str) -> dict | None:
    engine = make_engine(db_url)
    with session_scope(engine) as s:
        user = s.exec(select(User).where(User.external_id == DEMO_LEARNER)).one()
        draft = load_draft(s, user.id, EXPLAIN.id)
    engine.dispose()
    return draft


@pytest.fixture
def quick_locks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BATON_DB_BUSY_TIMEOUT_MS", "100")
    settings.cache_clear()


def test_a_locked_database_shows_a_retry_message_and_keeps_the_draft(open_app, app_db, quick_locks) -> None:
    at = open_app(EXPLAIN.id)
    with locked(app_db):
        at.text_area(key=KEY).set_value("My bottom line first: keep the sign-off.").run()
        assert not at.exception
        assert any("did not answer in time" in e.value for e in at.error)
        assert at.text_area(key=KEY).value == "My bottom line first: keep the sign-off."
        at.button(key="submit").click().run()
        assert not at.exception
        assert any("did not answer in time" in e.value for e in at.error)
    assert stored_attempts(app_db) == []
    at.run()  # the next interaction saves what was typed
    assert stored_draft(app_db)["text"] == "My bottom line first: keep the sign-off."
    at.button(key="submit").click().run()
    assert len(stored_attempts(app_db)) == 1


def test_the_answer_box_holds_at_most_the_limit(open_app, app_db) -> None:
    at = open_app(EXPLAIN.id)
    at.text_area(key=KEY).set_value("word " * (MAX_TEXT // 5 + 10)).run()
    assert len(at.text_area(key=KEY).value) == MAX_TEXT
    assert len(stored_draft(app_db)["text"]) == MAX_TEXT  # kept, as typed up to the limit


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"kind": "explain_reasoning", "text": "x" * (MAX_TEXT + 1)}, "text: too long: at most 20,000 characters"),
        (
            {
                "kind": "design_workflow",
                "steps": [{"id": f"s{i}", "name": "n", "tool": "rule_check", "inputs": ["a"]} for i in range(61)],
            },
            "steps: too many entries: at most 60",
        ),
        (
            {"kind": "design_workflow", "steps": [{"id": "Bad Id!", "name": "n", "tool": "t", "inputs": ["a"]}]},
            "steps row 1, id: use lower-case letters",
        ),
        ({"kind": "find_failures", "flags": [{"step": "x", "category": "gremlins"}]}, "flags row 1, category:"),
    ],
)
def test_malformed_or_oversized_payloads_get_clear_reasons(payload, message) -> None:
    result = validate_payload(payload)
    assert result.submission is None
    assert any(e.startswith(message) for e in result.errors), result.errors


def test_local_mode_refuses_a_public_address(app_db) -> None:
    config.set_option("server.address", "0.0.0.0")
    try:
        at = AppTest.from_file(APP, default_timeout=60).run()
    finally:
        config.set_option("server.address", "127.0.0.1")
    assert not at.exception
    (error,) = at.error
    assert "Sign-in is not configured" in error.proto.body or "without sign-in" in error.value
    assert "[auth]" in error.value
    assert not at.title  # nothing else was served


def test_demo_mode_is_off_unless_asked_for(app_db, monkeypatch) -> None:
    monkeypatch.delenv("BATON_DEMO", raising=False)
    settings.cache_clear()
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert not at.segmented_control  # no persona switch
    assert any("You (local learner)" in c.value.replace("\\", "") for c in at.sidebar.caption)  # names are escaped

"""The app's outer defences (issue 18, findings 6 to 10): binding, sign-in before any page, one
database-error guard and no traceback, admin only by a verified email, names shown as typed."""

from __future__ import annotations

import logging
import tomllib
from pathlib import Path

import pytest
import streamlit as st
from sqlalchemy.exc import DataError, DBAPIError, OperationalError
from sqlmodel import select
from streamlit import config
from streamlit.testing.v1 import AppTest

from deploy.cluster import SERVER_FLAGS
from exercises import load_bank
from pages import common
from store import attempts
from store.db import make_engine, session_scope
from store.demo import DEMO_INSTRUCTOR
from store.migrate import upgrade
from store.models import Role, User
from store.users import get_or_create_user, promote_admin
from tests.app.conftest import APP

BANK = load_bank()
ROOT = Path(__file__).resolve().parents[2]
AUTH = {
    "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
    "cookie_secret": "a-test-cookie-secret-that-is-long-enough-0123456789",
    "client_id": "baton-test",
    "client_secret": "baton-test-secret",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}


@pytest.mark.parametrize("address", ["", None, "0.0.0.0"])
def test_local_mode_refuses_every_interface_however_it_is_written(app_db, address) -> None:
    """An empty or unset address makes Streamlit listen on every interface (finding 6)."""
    config.set_option("server.address", address)
    try:
        at = AppTest.from_file(APP, default_timeout=60).run()
    finally:
        config.set_option("server.address", "127.0.0.1")
    assert not at.exception
    (error,) = at.error
    assert "without sign-in" in error.value
    assert not at.title


def test_tracebacks_are_never_shown() -> None:
    """Finding 7: the config the app reads and the flags the deployment passes both say none."""
    with (ROOT / ".streamlit" / "config.toml").open("rb") as f:
        assert tomllib.load(f)["client"]["showErrorDetails"] == "none"
    assert "--client.showErrorDetails=none" in SERVER_FLAGS


def _broken(error: type[DBAPIError], secret: str):
    def fail(*args, **kwargs):
        raise error("INSERT INTO attempts VALUES (%(text)s)", {"text": secret}, Exception("locked"))

    return fail


def _assert_calm(at: AppTest, caplog: pytest.LogCaptureFixture, secret: str) -> None:
    assert not at.exception, at.exception
    assert [e.proto.body for e in at.error][-1].startswith("The database")
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "database error" in logged
    assert secret not in logged
    assert "INSERT" not in logged


@pytest.mark.parametrize("error", [OperationalError, DataError])
def test_a_database_error_around_any_page_gets_one_calm_message_and_no_learner_text_in_the_log(
    app_db, monkeypatch, caplog, error
) -> None:
    """Finding 7: before, only OperationalError was caught, call site by call site; the guard in
    app.py holds around the user's sign-in and every page it runs."""
    secret = "my private answer about the refund"
    monkeypatch.setattr(common, "ensure_demo_users", _broken(error, secret))
    with caplog.at_level(logging.WARNING, logger="baton"):
        at = AppTest.from_file(APP, default_timeout=60).run()
    _assert_calm(at, caplog, secret)
    assert not at.button  # nothing else ran


@pytest.mark.parametrize("error", [OperationalError, DataError])
def test_a_database_error_inside_a_fragment_gets_the_same_message(open_app, monkeypatch, caplog, error) -> None:
    secret = "my private answer about the refund"
    monkeypatch.setattr(attempts, "load_draft", _broken(error, secret))
    with caplog.at_level(logging.WARNING, logger="baton"):
        at = open_app()
        at.query_params["exercise"] = next(iter(BANK.exercises))
        at.run()
    _assert_calm(at, caplog, secret)
    assert any(b.label == "Submit for grading" for b in at.button)  # the form is still there


def test_before_sign_in_no_page_is_listed_or_runs(app_db, monkeypatch) -> None:
    """Finding 8: with sign-in configured and nobody signed in, only the sign-in page exists."""
    monkeypatch.delenv("BATON_DEMO", raising=False)
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = AUTH
    at.run()
    assert not at.exception, at.exception
    assert [b.label for b in at.button] == ["Sign in"]
    assert [t.value for t in at.title] == ["Baton"]
    for page in ("pages/practice.py", "pages/reliability.py", "pages/cohort.py"):
        with pytest.raises(ValueError, match=r"Known pages: \['Sign in'\]"):
            at.switch_page(page)


class _Claims(dict):
    """What st.user holds after a provider signed someone in."""

    def to_dict(self) -> dict:
        return dict(self)


@pytest.mark.parametrize(
    "claims",
    [
        {"is_logged_in": True, "email": "boss@example.com", "email_verified": True},  # no subject
        {"is_logged_in": True, "sub": "", "name": "Nobody"},
    ],
)
def test_no_subject_no_user(app_db, monkeypatch, claims) -> None:
    """Finding 9: the user id was the email, or the string "None", when the subject was missing."""
    monkeypatch.delenv("BATON_DEMO", raising=False)
    monkeypatch.setattr(st, "user", _Claims(claims))
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = AUTH
    at.run()
    assert not at.exception, at.exception
    assert "did not say who you are" in at.error[0].value
    engine = make_engine(app_db)
    upgrade(engine)
    with session_scope(engine) as s:
        assert s.exec(select(User)).all() == []
    engine.dispose()


@pytest.mark.parametrize(("verified", "expected"), [(True, Role.admin), (False, Role.learner), (None, Role.learner)])
def test_admin_only_by_a_verified_email(tmp_path, verified, expected) -> None:
    """Finding 9: the email claim alone is whatever the account holder typed."""
    engine = make_engine(f"sqlite:///{tmp_path / 'a.db'}")
    upgrade(engine)
    with session_scope(engine) as s:
        user = get_or_create_user(s, "sub-1", "Ann", "Boss@Example.com")
        assert promote_admin(s, user, "boss@example.com", verified is True).role == expected
    engine.dispose()


def test_names_show_as_typed_in_the_instructors_views(open_app, app_db) -> None:
    """Finding 10: a display name with Markdown shows its characters, no link or image."""
    engine = make_engine(app_db)
    open_app(role="instructor")  # creates the demo users
    name = "[click](http://evil.example) ![t](http://evil.example/t.png)"
    with session_scope(engine) as s:
        instructor = s.exec(select(User).where(User.external_id == DEMO_INSTRUCTOR)).one()
        instructor.name = name
        s.add(instructor)
    engine.dispose()
    at = open_app(role="instructor")
    shown = " ".join(c.value for c in at.sidebar.caption)
    assert "](http" not in shown
    assert "\\[click\\]" in shown

"""What every page shares: the cached engine and exercise bank, the signed-in user, the judge.

Not a page itself (st.navigation lists the pages explicitly)."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import streamlit as st
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError
from streamlit.runtime.pages_manager import PagesManager

from baton_config import settings
from exercises.loader import Bank, load_bank, load_beside_shipped
from exercises.model import AnyExercise
from exercises.submission import AnySubmission
from grading import Judge, grade
from grading.model import Grade
from store import progress
from store.db import session_scope
from store.demo import DEMO_INSTRUCTOR, DEMO_LEARNER, ensure_demo_users, seed_demo
from store.llm_cache import DbJudgeCache
from store.migrate import upgrade
from store.models import Role, User
from store.users import get_or_create_user, promote_admin
from ui import state

log = logging.getLogger("baton")
LOCAL_USER = "local"
DEMO_VISITOR = re.compile(r"[a-z0-9]{1,24}")
# Streamlit listens on every interface when the address is unset or empty, so those are not here.
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@st.cache_resource(show_spinner="Loading the exercise bank…")
def bank() -> Bank:
    # the shipped packs and an instructor's folder, by the rules `python -m exercises validate` applies
    extra: Path | None = settings().baton_packs_dir
    loaded = load_bank() if extra is None else load_beside_shipped(extra)
    for problem in loaded.problems:
        log.warning("exercise pack problem: %s", problem)
    return loaded


@st.cache_resource(show_spinner="Preparing the database…")
def engine() -> Engine:
    eng = make_ready_engine(settings().database_url)
    if settings().baton_demo:
        seed_demo(eng, bank())
    return eng


# A timedelta, not "10m": Streamlit parses a duration string with pandas, a 2 s import on the first page.
CACHE_TTL = timedelta(minutes=10)


@st.cache_data(ttl=CACHE_TTL, max_entries=512, show_spinner=False)
def learner_dashboard(
    viewer_id: int, user_id: int, cohort_id: int | None, version: tuple[int, ...]
) -> progress.LearnerDashboard:
    """My progress's figures, cached per data version: a new grade or override anywhere changes
    the key at once. Defined here, not in the page, so it is not re-created on every rerun."""
    with session_scope(engine()) as session:
        viewer = session.get(User, viewer_id)
        assert viewer is not None
        return progress.learner_dashboard(session, viewer, user_id, bank().exercises.values(), cohort_id, bank())


def make_ready_engine(url: str) -> Engine:
    from store.db import make_engine

    eng = make_engine(url, busy_timeout_ms=settings().db_busy_timeout_ms)
    upgrade(eng)
    return eng


def _secrets_read() -> dict[str, object]:
    """What this session needs from .streamlit/secrets.toml, read once per session: without a
    secrets file Streamlit looks for one on disk, under a lock, and raises, on every access, which
    several times a rerun is a real cost when many sessions run at once. Secrets changed on disk
    apply to new sessions."""
    read: dict[str, object] | None = st.session_state.get(state.SECRETS)
    if read is None:
        try:
            read = {
                "auth": "auth" in st.secrets,
                "OPENAI_API_KEY": st.secrets.get("OPENAI_API_KEY"),
                "OPENAI_BASE_URL": st.secrets.get("OPENAI_BASE_URL"),
            }
        except Exception:  # no secrets file at all: local mode
            read = {"auth": False}
        st.session_state[state.SECRETS] = read
    return read


def auth_configured() -> bool:
    return bool(_secrets_read()["auth"])


def require_safe_binding() -> None:
    """Local mode has no sign-in, so it may only listen on this machine."""
    address = st.get_option("server.address")
    if not auth_configured() and address not in LOOPBACK:
        where = address or "every interface"
        st.error(
            f"Baton is set to listen on {where} without sign-in. Local mode serves only on localhost. "
            "To serve others, configure OpenID Connect sign-in under [auth] in .streamlit/secrets.toml "
            "(see the README's Security section), or start it with --server.address=127.0.0.1.",
            title="Sign-in is not configured",
        )
        st.stop()


def sign_in_page() -> None:
    """The only page registered before sign-in (and when the user could not be read)."""
    st.title("Baton")
    st.write("Practise directing AI systems: design workflows, find failures, validate outputs, explain decisions.")
    if auth_configured() and not st.user.get("is_logged_in"):
        st.button("Sign in", type="primary", on_click=st.login, key="sign_in")
    elif auth_configured():  # signed in at the provider, refused here: let them try another account
        st.button("Sign out", on_click=st.logout, key="sign_out_refused")


def current_user() -> User | None:
    """The signed-in user (OIDC), the local learner, or in demo mode the chosen demo persona;
    None when sign-in is configured and nobody is signed in (or the provider named nobody)."""
    if auth_configured():
        if not st.user.get("is_logged_in"):
            return None
        claims = st.user.to_dict()
        subject = claims.get("sub")
        if not subject:  # the user id is the provider's subject, never an email or "None"
            st.error("Your identity provider did not say who you are (no subject). Ask your administrator.")
            return None
        email = claims.get("email")
        name = str(claims.get("name") or email or subject)
        with session_scope(engine()) as session:
            user = get_or_create_user(session, str(subject), name, str(email) if email else None)
            return promote_admin(session, user, settings().baton_admin_email, claims.get("email_verified") is True)
    with session_scope(engine()) as session:
        if settings().baton_demo:
            visitor = DEMO_VISITOR.fullmatch(st.query_params.get("demo_user", ""))
            if visitor:  # demo only: many distinct demo learners, e.g. for a load test on localhost
                # one query per rerun, as a signed-in user costs (the personas below cost two more)
                return get_or_create_user(session, f"demo-visitor-{visitor[0]}", f"Demo visitor {visitor[0]}", None)
            learner, instructor = ensure_demo_users(session)
            role = st.session_state[state.DEMO_ROLE]
            return instructor if role == "instructor" else learner
        return get_or_create_user(session, LOCAL_USER, "You (local learner)", None, Role.learner)


def signed_in(*roles: Role) -> User:
    """The user app.py signed in on this run, at the top of every page. A page reached without
    one is the first run of a new server process, which treats pages/ as a legacy pages folder
    and runs the page on its own (with its raw file names as the menu): from here on app.py's
    st.navigation decides, so the page runs again through app.py, on the same URL. `roles`
    limits the page to those roles."""
    user: User | None = st.session_state.get(state.USER)
    if user is None:
        PagesManager.uses_pages_directory = False  # what st.navigation sets; Streamlit has no public switch
        st.rerun()
    assert user is not None
    if roles and user.role not in roles:
        st.error("This page is for instructors.")
        st.stop()
    return user


def demo_switch() -> None:
    if settings().baton_demo and not auth_configured():
        st.sidebar.segmented_control(
            "Demo: view as",
            ["learner", "instructor"],
            key=state.DEMO_ROLE,
            required=True,
            format_func=lambda r: {"learner": "Learner", "instructor": "Instructor"}[r],
            help="Demo mode: switch between the demo learner and the demo cohort's instructor.",
        )


def _secret(name: str) -> str | None:
    value = _secrets_read().get(name)
    return str(value) if value else None


@st.cache_resource(show_spinner=False)
def _openai_judge(api_key: str, base_url: str | None, model: str, timeout_s: float) -> Judge:
    from openai import OpenAI  # only with a key: the client library is a second's import on the first page

    from grading.llm_judge import OpenAIJudge

    client = OpenAI(api_key=api_key, base_url=base_url)
    return OpenAIJudge(client, model, cache=DbJudgeCache(engine()), timeout_s=timeout_s)


def clock() -> datetime:
    """The server's time (UTC). Tests inject a fixed time through session state instead of sleeping."""
    injected = st.session_state.get(state.NOW_OVERRIDE)
    return injected if injected is not None else datetime.now(UTC)


def judge() -> Judge | None:
    """The LLM judge when a key is configured; None means deterministic grading only."""
    config = settings()
    key = config.openai_api_key or _secret("OPENAI_API_KEY")
    if not key:
        return None
    base_url = config.openai_base_url or _secret("OPENAI_BASE_URL")
    return _openai_judge(key, base_url, config.openai_model, config.judge_timeout_s)


def grade_now(exercise: AnyExercise, submission: AnySubmission) -> Grade:
    """Grade as the app does (the judge when configured): the scorer handed to the store for
    finishing and settling sittings."""
    return grade(exercise, submission, judge=judge(), tools=bank().tools)


def judge_status() -> str:
    if judge() is None:
        return "AI judge off: grading is deterministic and works offline (set OPENAI_API_KEY to add a judge)."
    return f"AI judge on ({settings().openai_model}); its effect on a grade is bounded and checked."


def database_trouble(exc: SQLAlchemyError) -> None:
    """A calm message for the user; for the log, what failed but never the statement or its
    parameters (they hold learner text)."""
    cause = type(exc.orig).__name__ if isinstance(exc, DBAPIError) else ""
    log.warning("database error: %s %s", type(exc).__name__, cause)
    if isinstance(exc, OperationalError):
        body = "The database did not answer in time."
    else:
        body = "The database could not complete this."
    st.error(
        f"{body} Nothing you typed is lost: it is still on this page. Try again in a moment.",
        title="Could not save right now",
    )


@contextmanager
def database_guard() -> Iterator[None]:
    """Every page runs inside this (app.py), and so does each fragment (as a decorator, under
    `@st.fragment`): a database error gets one calm message, never a traceback."""
    try:
        yield
    except SQLAlchemyError as exc:
        database_trouble(exc)


__all__ = ["DEMO_INSTRUCTOR", "DEMO_LEARNER"]

"""What every page shares: the cached engine and exercise bank, the signed-in user, the judge.

Not a page itself (st.navigation lists the pages explicitly)."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from pathlib import Path

import streamlit as st
from openai import OpenAI
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from baton_config import settings
from exercises.loader import Bank, load_bank, load_beside_shipped
from grading import Judge
from grading.llm_judge import OpenAIJudge
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
LOOPBACK = {None, "", "127.0.0.1", "localhost", "::1"}


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


@st.cache_data(ttl="10m", max_entries=512, show_spinner=False)
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
        st.error(
            f"Baton is set to listen on {address} without sign-in. Local mode serves only on localhost. "
            "To serve others, configure OpenID Connect sign-in under [auth] in .streamlit/secrets.toml "
            "(see the README's Security section), or start it with --server.address=127.0.0.1.",
            title="Sign-in is not configured",
        )
        st.stop()


def current_user() -> User:
    """The signed-in user (OIDC), the local learner, or in demo mode the chosen demo persona."""
    if auth_configured():
        if not st.user.is_logged_in:
            st.title("Baton")
            st.write(
                "Practise directing AI systems: design workflows, find failures, validate outputs, explain decisions."
            )
            st.button("Sign in", type="primary", on_click=st.login, key="sign_in")
            st.stop()
        claims = st.user.to_dict()
        external = str(claims.get("sub") or claims.get("email"))
        email = str(claims["email"]) if claims.get("email") else None
        with session_scope(engine()) as session:
            user = get_or_create_user(session, external, str(claims.get("name") or email or external), email)
            return promote_admin(session, user, settings().baton_admin_email)
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


def signed_in() -> User:
    """The user app.py signed in on this run. A page opened by its URL before app.py ran in this
    session goes through app.py first."""
    user: User | None = st.session_state.get(state.USER)
    if user is None:
        st.switch_page("app.py")
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


def judge_status() -> str:
    if judge() is None:
        return "AI judge off: grading is deterministic and works offline (set OPENAI_API_KEY to add a judge)."
    return f"AI judge on ({settings().openai_model}); its effect on a grade is bounded and checked."


def database_trouble(exc: OperationalError) -> None:
    log.warning("database error: %s", exc)
    st.error(
        "The database did not answer in time. Nothing you typed is lost: it is still on this page. "
        "Try again in a moment.",
        title="Could not save right now",
    )


__all__ = ["DEMO_INSTRUCTOR", "DEMO_LEARNER"]

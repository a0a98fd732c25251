"""Session-state keys, defined once; `init_state()` runs at the top of app.py."""

from __future__ import annotations

import copy
from typing import Any

import streamlit as st

USER_ID = "user_id"
USER = "user"  # the signed-in User row, refreshed on every run by app.py
DEMO_ROLE = "demo_role"
NONCES = "submit_nonces"  # exercise id -> nonce for the idempotent submit
DRAFT_BASE = "draft_base"  # exercise id -> payload the editors started from this session
LAST_SAVED = "last_saved"  # exercise id -> payload last written to the store
RESULTS = "results"  # exercise id -> attempt id of the grade to show
SITTING_BASE = "sitting_base"  # (sitting id, exercise id) -> draft the assessment editors started from
SITTING_SAVED = "sitting_saved"  # (sitting id, exercise id) -> draft last written to the store
PENDING_SITTING = "pending_sitting"  # the assessment whose rules are shown before its clock starts
CONFIRM_FINISH = "finish_pending"  # sitting id whose submission waits for the learner's confirmation
PENDING_OVERRIDE = "pending_override"  # review form key -> the override waiting for the instructor's confirmation
NOW_OVERRIDE = "now_override"  # tests inject the clock here (a datetime); never set by the app
SECRETS = "secrets_read"  # what pages/common.py read from the secrets file, once per session

DEFAULTS: dict[str, Any] = {
    USER_ID: None,
    USER: None,
    DEMO_ROLE: "learner",
    NONCES: {},
    DRAFT_BASE: {},
    LAST_SAVED: {},
    RESULTS: {},
    SITTING_BASE: {},
    SITTING_SAVED: {},
    PENDING_SITTING: None,
    CONFIRM_FINISH: None,
    PENDING_OVERRIDE: {},
    NOW_OVERRIDE: None,
}


def init_state() -> None:
    for key, value in DEFAULTS.items():
        if key not in st.session_state:
            st.session_state[key] = copy.deepcopy(value)


def variant_key(exercise_id: str, seed: int) -> str:
    """The key of one variant in the per-exercise dicts: each variant has its own draft and grade."""
    return exercise_id if seed == 0 else f"{exercise_id}@{seed}"


def per_exercise(key: str) -> dict[str, Any]:
    """One of the dicts above, keyed by exercise id."""
    value: dict[str, Any] = st.session_state[key]
    return value

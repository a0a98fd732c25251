"""AppTest fixtures: the real app.py on a fresh SQLite database, in demo mode."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from baton_config import settings

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture
def app_db(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("BATON_DEMO", "1")
    settings.cache_clear()
    st.cache_resource.clear()
    st.cache_data.clear()
    yield url
    settings.cache_clear()
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture
def open_app(app_db: str):
    def _open(exercise_id: str | None = None, role: str = "learner") -> AppTest:
        at = AppTest.from_file(APP, default_timeout=60)
        if exercise_id:
            at.query_params["exercise"] = exercise_id
        at.session_state["demo_role"] = role
        at.run()
        assert not at.exception, at.exception
        return at

    return _open

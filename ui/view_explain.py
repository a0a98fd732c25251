"""The explain-to-a-stakeholder kind in the UI: the learner's text as submitted and the
reference explanation."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from exercises.model import ExplainReasoningExercise
from exercises.workflow import Tool
from ui.text import escape_markdown


def show_answer(
    payload: Mapping[str, Any], exercise: ExplainReasoningExercise | None, tools: Mapping[str, Tool]
) -> None:
    st.markdown(escape_markdown(str(payload.get("text", ""))))


def show_reference(exercise: ExplainReasoningExercise, tools: Mapping[str, Tool]) -> None:
    with st.container(border=True):
        st.markdown(exercise.reference.text)

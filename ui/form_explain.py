"""Explain-to-a-stakeholder form: who they are, the situation, and the answer with live counts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from exercises.model import ExplainReasoningExercise
from exercises.submission import MAX_TEXT
from exercises.workflow import Tool
from grading.explain import reading_level
from grading.text import word_count


def render(
    exercise: ExplainReasoningExercise, tools: Mapping[str, Tool], base: dict[str, Any], scope: str = ""
) -> dict[str, Any]:
    person = exercise.stakeholder
    with st.container(border=True):
        st.markdown(f"**{person.name}**, {person.role} · technical level: {person.technical_level}")
        st.markdown("Cares about: " + "; ".join(c.text for c in person.concerns))
    st.markdown(exercise.situation)
    text = (
        st.text_area(
            f"Your explanation to {person.name} ({exercise.word_min}–{exercise.word_max} words)",
            value=base.get("text", ""),
            key=f"{scope}explain:{exercise.id}:text",
            max_chars=MAX_TEXT,
            height=280,
        )
        or ""
    )
    words = word_count(text)
    grade = reading_level(text)  # the same figure the grade reports
    in_range = exercise.word_min <= words <= exercise.word_max
    st.caption(
        f"{words} words ({'in range' if in_range else f'aim for {exercise.word_min}–{exercise.word_max}'}) · "
        f"reading grade {grade:.1f} (target {exercise.target_grade:g} or below)"
    )
    return {"kind": "explain_reasoning", "text": text}

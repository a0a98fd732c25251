"""One stored attempt: the learner's answer as submitted, and its effective grade."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from exercises.model import AnyExercise
from exercises.workflow import Tool
from ui.grade_view import CriterionLine, show_grade
from ui.text import escape_markdown


def show_answer(payload: Mapping[str, Any] | None) -> None:
    """The submission exactly as typed: tables for structured parts, escaped text for prose."""
    if not payload:
        st.caption("No submission stored.")
        return
    kind = payload.get("kind")
    if kind == "explain_reasoning":
        st.markdown(escape_markdown(str(payload.get("text", ""))))
    elif kind == "design_workflow":
        st.dataframe(pd.DataFrame(payload.get("steps", [])), hide_index=True, alt="Submitted workflow steps")
        st.markdown(escape_markdown(str(payload.get("rationale", ""))))
    elif kind == "find_failures":
        st.dataframe(pd.DataFrame(payload.get("flags", [])), hide_index=True, alt="Submitted failure points")
    else:
        st.dataframe(pd.DataFrame(payload.get("marks", [])), hide_index=True, alt="Submitted claim verdicts")
        for line in payload.get("omissions", []):
            st.markdown("- " + escape_markdown(str(line)))


def show_attempt(detail: Any, exercise: AnyExercise | None, tools: Mapping[str, Tool]) -> None:
    view = detail.effective
    if view is None:
        st.caption("Not graded yet.")
        return
    lines = [CriterionLine(c.title, c.weight, c.score, c.evidence, c.feedback) for c in view.criteria]
    override = (view.author_name, view.grade.reason) if view.grade.source == "override" else None
    key = "grade" if detail.attempt.id is None else f"grade-{detail.attempt.id}"
    show_grade(view.grade.total, lines, view.grade.flags, override, view.grade.details or {}, key=key)
    earlier = [g for g in detail.grades if g is not view]
    if earlier:
        st.caption(
            "Earlier grades: "
            + "; ".join(f"{g.grade.total:.0f} ({g.grade.source}, {g.grade.created_at:%d %b %H:%M})" for g in earlier)
        )

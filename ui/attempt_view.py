"""One stored attempt: the learner's answer as submitted, and its effective grade."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import streamlit as st

from exercises.kinds import task_kind
from exercises.model import AnyExercise
from exercises.submission import is_blank
from exercises.workflow import Tool
from ui.grade_view import CriterionLine, show_grade
from ui.kinds import kind_view

if TYPE_CHECKING:  # the store's dataclasses, for types only: ui does not import the store at run time
    from store.attempts import AttemptDetail


def show_answer(
    payload: Mapping[str, Any] | None, exercise: AnyExercise | None = None, tools: Mapping[str, Tool] | None = None
) -> None:
    """The submission as handed in, in words: names instead of ids, labels instead of codes;
    learner text escaped, never rendered as HTML."""
    if not payload:
        st.caption("No submission stored.")
        return
    kind_view(str(payload.get("kind"))).answer(payload, exercise, tools or {})


def show_attempt(detail: AttemptDetail, exercise: AnyExercise | None, tools: Mapping[str, Tool]) -> None:
    view = detail.effective
    if view is None:
        st.caption("Not graded yet.")
        return
    kind = (detail.payload or {}).get("kind")
    if view.grade.source != "override" and kind and is_blank(task_kind(kind).submission.salvage(detail.payload)):
        # no per-criterion feedback on nothing: a grader's sentence could read as praise at 0 %
        st.metric("Score", f"{view.grade.total:.0f} / 100", border=True)
        st.info(
            "Nothing was handed in for this task, so there is no feedback on it. Answer it and submit again.",
            icon=":material/info:",
        )
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

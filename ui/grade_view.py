"""The grade as a learner reads it: total, band, flags, per-criterion evidence and feedback.
What differs by kind (the reference, the simulation of the answer) is in the kind's view
module, found through ui/kinds.py."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import streamlit as st

from exercises.model import AnyExercise
from exercises.workflow import Tool
from grading.bands import band_name
from ui.text import escape_markdown

FLAG_TEXT = {
    "judge_unavailable": "The AI judge could not be reached, so this grade comes from the deterministic grader alone.",
    "possible_injection": (
        "Your answer contains text addressed to the grader; it was ignored and an instructor will look at it."
    ),
    "needs_review": "This grade is provisional: an instructor will review it.",
    "invalid_workflow": "The workflow could not be run as a graph; fix its structure to be graded on the rest.",
    "grader_error": "The grader failed on this answer, so it scored 0 for now: an instructor will grade it by hand.",
}


@dataclass(frozen=True)
class GradedAnswer:
    """A stored answer and the details of its grade, as a kind's view reads them."""

    attempt_id: int
    payload: Mapping[str, Any] | None
    details: Mapping[str, Any] | None


@dataclass(frozen=True)
class CriterionLine:
    title: str
    weight: float
    score: float
    evidence: str
    feedback: str


def show_grade(
    total: float,
    criteria: Sequence[CriterionLine],
    flags: Sequence[str] = (),
    override: tuple[str | None, str | None] | None = None,
    details: Mapping[str, Any] | None = None,
    key: str = "grade",
) -> None:
    """`key` names the container (the browser tests find it as .st-key-grade); give each grade
    shown on one page its own."""
    with st.container(border=True, key=key):
        cols = st.columns([1, 3], vertical_alignment="center")
        cols[0].metric("Score", f"{total:.0f} / 100", help="Weighted sum of the criteria below")
        cols[1].markdown(f"**{band_name(total)}**")
        if override:
            author, reason = override
            cols[1].info(f"{escape_markdown(reason or '')}", title=f"Grade set by {author or 'an instructor'}")
        capped = (details or {}).get("capped")
        if capped:
            cols[1].warning(
                f"Capped at {capped['at']:g} (would be {capped['uncapped_total']:g}) because of a critical flaw "
                f"under “{capped['by'].replace('_', ' ')}”."
            )
        for flag in flags:
            st.warning(FLAG_TEXT.get(flag, flag))
        for c in criteria:
            with st.container(border=True):
                head = st.columns([3, 1], vertical_alignment="center")
                head[0].markdown(f"**{c.title}** · weight {c.weight:g}")
                head[1].progress(max(0.0, min(1.0, c.score)), text=f"{c.score:.0%}")
                st.markdown(escape_markdown(c.evidence))
                if c.feedback:
                    st.caption(escape_markdown(c.feedback))


def nothing_to_simulate(exercise: AnyExercise, tools: Mapping[str, Tool], graded: GradedAnswer) -> None:
    """The outcome view of a kind whose answer changes no workflow: there is nothing to run."""

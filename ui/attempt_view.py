"""One stored attempt: the learner's answer as submitted, and its effective grade."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd
import streamlit as st

from exercises.kinds import task_kind
from exercises.model import AnyExercise, DesignWorkflowExercise, FindFailuresExercise, ValidateOutputExercise
from exercises.submission import is_blank
from exercises.workflow import Tool
from ui.grade_view import CriterionLine, show_grade
from ui.kinds import kind_view
from ui.text import escape_markdown, label

if TYPE_CHECKING:  # the store's dataclasses, for types only: ui does not import the store at run time
    from store.attempts import AttemptDetail


def _names(exercise: AnyExercise | None, tools: Mapping[str, Tool]) -> dict[str, str]:
    """Ids a submission refers to (sources, stages, steps, tools, claims), in words."""
    names = {tool_id: tool.name for tool_id, tool in tools.items()}
    if isinstance(exercise, DesignWorkflowExercise):
        names |= {s.id: f"{s.name} (source)" for s in exercise.sources}
        names |= {s.id: s.name for s in exercise.stages}
    elif isinstance(exercise, FindFailuresExercise):
        names |= {s.id: s.name for s in exercise.workflow.sources}
        names |= {s.id: s.name for s in exercise.workflow.steps}
    return names


def answer_frames(
    payload: Mapping[str, Any], exercise: AnyExercise | None, tools: Mapping[str, Tool]
) -> pd.DataFrame | None:
    """A structured submission as a table in words: names for ids, labels for categories."""
    names = _names(exercise, tools)

    def word(value: Any) -> str:
        return names.get(str(value), label(str(value))) if value not in (None, "") else ""

    kind = payload.get("kind")
    if kind == "design_workflow":
        steps = payload.get("steps", [])
        names |= {str(s.get("id")): str(s.get("name") or s.get("id")) for s in steps}
        return pd.DataFrame(
            [
                {
                    "Step": str(s.get("name") or s.get("id")),
                    "Tool": word(s.get("tool")),
                    "Reads from": ", ".join(word(i) for i in s.get("inputs") or []),
                    "Stage": word(s.get("stage")),
                    "Checked by": ", ".join(word(c) for c in s.get("checks") or []),
                    "Share": f"{float(s.get('share') or 1):.0%}",
                }
                for s in steps
            ],
            columns=["Step", "Tool", "Reads from", "Stage", "Checked by", "Share"],
        )
    if kind == "find_failures":
        return pd.DataFrame(
            [
                {
                    "Step": word(f.get("step")),
                    "What goes wrong": word(f.get("category")),
                    "Severity": word(f.get("severity")),
                    "Fix": word(f.get("fix_type")),
                    "Fix in their words": str(f.get("fix") or ""),
                }
                for f in payload.get("flags", [])
            ],
            columns=["Step", "What goes wrong", "Severity", "Fix", "Fix in their words"],
        )
    if kind == "validate_output":
        claims = (
            {c.id: (n, c.text) for n, c in enumerate(exercise.claims, 1)}
            if isinstance(exercise, ValidateOutputExercise)
            else {}
        )
        return pd.DataFrame(
            [
                {
                    "Claim": (
                        f"{claims[m['claim']][0]}. {claims[m['claim']][1]}"
                        if m.get("claim") in claims
                        else str(m.get("claim"))
                    ),
                    "Verdict": word(m.get("error_type")) or "Supported",
                    "Correction": str(m.get("correction") or ""),
                }
                for m in payload.get("marks", [])
            ],
            columns=["Claim", "Verdict", "Correction"],
        )
    return None


def show_answer(
    payload: Mapping[str, Any] | None, exercise: AnyExercise | None = None, tools: Mapping[str, Tool] | None = None
) -> None:
    """The submission as handed in, in words: names instead of ids, labels instead of codes;
    learner text escaped, never rendered as HTML."""
    if not payload:
        st.caption("No submission stored.")
        return
    kind = payload.get("kind")
    table = answer_frames(payload, exercise, tools or {})
    if table is None:  # prose: the kind's own view shows it as typed
        kind_view(str(kind)).answer(payload)
        return
    if table is not None:
        if table.empty:
            st.caption("Nothing listed.")
        else:
            st.dataframe(table, hide_index=True, alt="The submitted answer")
    if kind == "design_workflow" and payload.get("rationale"):
        st.markdown("**Rationale**  \n" + escape_markdown(str(payload.get("rationale", ""))))
    if kind == "validate_output":
        if payload.get("omissions"):
            st.markdown("**Missing from the output, in their words**")
        for line in payload.get("omissions", []):
            st.markdown("- " + escape_markdown(str(line)))


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

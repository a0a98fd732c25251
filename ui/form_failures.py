"""Find-the-failures form: the workflow, its run traces and metrics, and a table of flags."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from exercises.model import FindFailuresExercise
from exercises.submission import MAX_LINE, FaultCategory, FixType, Severity
from exercises.workflow import Tool
from ui.charts import workflow_dot
from ui.tables import frame, records
from ui.text import label

COLUMNS = {"step": "string", "category": "string", "severity": "string", "fix_type": "string", "fix": "string"}


def show_workflow(exercise: FindFailuresExercise, tools: Mapping[str, Tool]) -> None:
    steps = [s.model_dump() for s in exercise.workflow.steps]
    st.graphviz_chart(
        workflow_dot(exercise.workflow.sources, steps, tools), width="content", alt="The workflow under review"
    )
    table = pd.DataFrame(
        [
            {
                "Step": s.name,
                "Id": s.id,
                "Tool": tools[s.tool].name if s.tool in tools else s.tool,
                "Reads from": ", ".join(s.inputs),
                "Checked by": ", ".join(tools[c].name for c in s.checks if c in tools) or "—",
                "Share": f"{s.share:.0%}",
            }
            for s in exercise.workflow.steps
        ]
    )
    st.dataframe(table, hide_index=True, alt="Workflow steps")


def show_evidence(exercise: FindFailuresExercise) -> None:
    if exercise.metrics:
        st.markdown("**Metrics**")
        st.dataframe(
            pd.DataFrame([{"Metric": m.name, "Value": m.value, "Note": m.note} for m in exercise.metrics]),
            hide_index=True,
            alt="Workflow metrics",
        )
    names = {s.id: s.name for s in exercise.workflow.steps}
    for trace in exercise.traces:
        with st.expander(f"Trace: {trace.title}"):
            for ts in trace.steps:
                st.markdown(f"**{names.get(ts.step, ts.step)}**")
                if ts.input:
                    st.markdown(f"*In:* {ts.input}")
                if ts.output:
                    st.markdown(f"*Out:* {ts.output}")
                if ts.note:
                    st.caption(ts.note)
            if trace.outcome:
                st.info(trace.outcome, title="Outcome")


def render(
    exercise: FindFailuresExercise, tools: Mapping[str, Tool], base: dict[str, Any], scope: str = ""
) -> dict[str, Any]:
    show_workflow(exercise, tools)
    show_evidence(exercise)
    names = {s.id: s.name for s in exercise.workflow.steps}
    st.subheader("Your findings")
    st.caption("One row per failure point: the step where it happens, what kind of failure, how bad, and your fix.")
    edited = st.data_editor(
        frame(base.get("flags") or [], COLUMNS),
        key=f"{scope}failures:{exercise.id}:flags",
        num_rows="dynamic",
        hide_index=True,
        column_config={
            "step": st.column_config.SelectboxColumn(
                "Step", options=list(names), format_func=lambda s: names.get(str(s), str(s))
            ),
            "category": st.column_config.SelectboxColumn(
                "Failure", options=[c.value for c in FaultCategory], format_func=label
            ),
            "severity": st.column_config.SelectboxColumn(
                "Severity", options=[s.value for s in Severity], format_func=label, default="medium"
            ),
            "fix_type": st.column_config.SelectboxColumn(
                "Fix type", options=[f.value for f in FixType], format_func=label
            ),
            "fix": st.column_config.TextColumn("Your fix", max_chars=MAX_LINE, width="large"),
        },
        alt="Editable table of failure points",
    )
    flags = []
    for row in records(edited):
        flags.append(
            {
                "step": row.get("step") or "",
                "category": row.get("category") or "",
                "severity": row.get("severity") or "medium",
                "fix_type": row.get("fix_type") or None,
                "fix": str(row.get("fix") or ""),
            }
        )
    return {"kind": "find_failures", "flags": flags}

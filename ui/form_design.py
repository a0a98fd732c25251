"""Design-a-workflow form: an editable step table with tool pickers, the graph drawn live."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import streamlit as st
from pydantic import ValidationError

from exercises.graph import graph_problems
from exercises.model import DesignWorkflowExercise
from exercises.submission import MAX_TEXT
from exercises.workflow import Tool, Workflow
from grading.design import irreversible_in, project
from ui.charts import workflow_dot
from ui.form_scope import practice_aids
from ui.tables import frame, records
from ui.tool_catalogue import show_catalogue

COLUMNS = {
    "id": "string",
    "name": "string",
    "tool": "string",
    "inputs": "list",
    "stage": "string",
    "checks": "list",
    "share": "float",
}


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9_]+", "_", text.lower()).strip("_")[:40]


def steps_from_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows as typed into the editor, turned into step payloads (ids filled from names)."""
    steps = []
    for n, row in enumerate(rows, start=1):
        step_id = str(row.get("id") or "").strip() or slug(str(row.get("name") or "")) or f"step{n}"
        share = row.get("share")
        steps.append(
            {
                "id": step_id,
                "name": str(row.get("name") or step_id).strip(),
                "tool": row.get("tool") or "",
                "inputs": [str(i) for i in row.get("inputs") or []],
                "stage": row.get("stage") or None,
                "checks": [str(c) for c in row.get("checks") or []],
                "share": 1.0 if share in (None, "") else float(share),
            }
        )
    return steps


def pending_rows(base: list[dict[str, Any]], edits: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """The editor's rows as they stand after the learner's latest edit (Streamlit keeps the edit as
    a delta on the rows the editor started from), so "Reads from" can offer a step just added."""
    if not edits:
        return list(base)
    deleted = set(edits.get("deleted_rows") or [])
    rows = []
    for n, row in enumerate(base):
        if n in deleted:
            continue
        rows.append(
            {**row, **((edits.get("edited_rows") or {}).get(n) or (edits.get("edited_rows") or {}).get(str(n)) or {})}
        )
    rows += [dict(r) for r in edits.get("added_rows") or []]
    return rows


def show_trial(exercise: DesignWorkflowExercise, tools: Mapping[str, Tool], steps: list[dict[str, Any]]) -> None:
    """Practice mode: run the draft through the simulator before submitting it."""
    offered = {t: tools[t] for t in exercise.tools if t in tools}
    try:
        workflow = Workflow(sources=exercise.sources, steps=steps)
    except ValidationError as exc:
        st.warning("Finish the table first: " + "; ".join(e["msg"] for e in exc.errors()[:3]))
        return
    problems = graph_problems(workflow, offered)
    if problems:
        st.warning("This design cannot run yet: " + "; ".join(problems[:3]))
        return
    sim = project(workflow, offered, irreversible_in(exercise, workflow.steps, offered) or None)
    c = exercise.constraints
    cols = st.columns(3)
    cols[0].metric(
        "Items with an uncaught error",
        f"{sim.error_rate:.1%}",
        f"target ≤ {c.max_error_rate:.1%}",
        delta_color="off",
        border=True,
    )
    cols[1].metric(
        "Cost per item", f"${sim.cost_per_item:.3f}", f"budget ${c.budget_per_item:.2f}", delta_color="off", border=True
    )
    cols[2].metric(
        "Mean turnaround",
        f"{sim.latency_mean_s / 60:.1f} min",
        f"target {c.turnaround_s / 60:.0f} min",
        delta_color="off",
        border=True,
    )
    st.caption(
        f"{sim.harm_rate:.1%} of items reach an irreversible step with an error. "
        + (
            "Worked out exactly from the tools' error and catch rates, as the grader does."
            if sim.exact
            else f"Simulated over {sim.cases:,} items, as the grader does."
        )
    )


def render(
    exercise: DesignWorkflowExercise, tools: Mapping[str, Tool], base: dict[str, Any], scope: str = ""
) -> dict[str, Any]:
    offered = [t for t in exercise.tools if t in tools]
    checks = [t for t in offered if tools[t].is_check]
    editor_key = f"{scope}design:{exercise.id}:steps"
    # Every step the table holds now, the ones added since the last rerun included. When the steps'
    # ids change, the editor restarts from the table as it stands, so "Reads from" offers them
    # (an editor whose options change would drop its pending edits).
    current = steps_from_rows(
        records(frame(pending_rows(base.get("steps") or [], st.session_state.get(editor_key)), COLUMNS))
    )
    if [s["id"] for s in current] != [s.get("id") for s in base.get("steps") or []]:
        base["steps"] = current
        st.session_state.pop(editor_key, None)
    base_steps = base.get("steps") or []
    step_ids = list(dict.fromkeys(s["id"] for s in current))
    stage_names = {s.id: s.name for s in exercise.stages}
    source_names = {s.id: s.name for s in exercise.sources}
    step_names = {s["id"]: f"{s['name']} ({s['id']})" for s in current}
    st.subheader("Your workflow")
    with st.expander("Tool catalogue: cost, time, error rates and data clearance", expanded=True):
        show_catalogue(offered, tools, exercise.sources, key=f"{scope}design:{exercise.id}:catalogue")
    st.caption(
        "One row per step. **Reads from** names sources or other steps: add a step as a row first, then pick it "
        "here. **Checked by** adds checks on that step's output. **Share** below 1 sends only that share of "
        "items through the step (e.g. 0.1 for a review of exceptions)."
    )
    edited = st.data_editor(
        frame(base_steps, COLUMNS),
        key=editor_key,
        width="stretch",
        num_rows="dynamic",
        hide_index=True,
        column_config={
            "id": st.column_config.TextColumn(
                "Step id", help="Short id other steps read from, e.g. extract", max_chars=64
            ),
            "name": st.column_config.TextColumn("What it does", max_chars=200),
            "tool": st.column_config.SelectboxColumn("Tool", options=offered, format_func=lambda t: tools[str(t)].name),
            "inputs": st.column_config.MultiselectColumn(
                "Reads from",
                options=list(source_names) + [i for i in step_ids if i not in source_names],
                format_func=lambda i: f"{source_names[i]} (source)" if i in source_names else step_names.get(i, i),
                width="large",
            ),
            "stage": st.column_config.SelectboxColumn(
                "Stage it performs", options=list(stage_names), format_func=lambda s: stage_names.get(str(s), str(s))
            ),
            "checks": st.column_config.MultiselectColumn(
                "Checked by", options=checks, format_func=lambda t: tools[str(t)].name
            ),
            "share": st.column_config.NumberColumn(
                "Share", min_value=0.01, max_value=1.0, step=0.01, default=1.0, format="%.2f"
            ),
        },
        alt="Editable table of workflow steps",
    )
    steps = steps_from_rows(records(edited))
    if steps:
        st.graphviz_chart(workflow_dot(exercise.sources, steps, tools), width="content", alt="Your workflow as a graph")
        if practice_aids(scope) and st.button(
            "Simulate this design", icon=":material/science:", key=f"{scope}design:{exercise.id}:simulate"
        ):
            show_trial(exercise, tools, steps)
    rationale = st.text_area(
        "Rationale: why this design (tools, checks and where they sit, cost)",
        value=base.get("rationale", ""),
        key=f"{scope}design:{exercise.id}:rationale",
        max_chars=MAX_TEXT,
        height=160,
    )
    return {"kind": "design_workflow", "steps": steps, "rationale": rationale or ""}

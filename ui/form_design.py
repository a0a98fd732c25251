"""Design-a-workflow form: the tool catalogue beside the step builder, the graph drawn live below."""

from __future__ import annotations

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
from ui.step_builder import render_steps
from ui.tool_catalogue import show_catalogue


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
    st.subheader("Your workflow")
    # The catalogue beside the cards on a wide screen; Streamlit stacks columns on a phone, so
    # there it comes first, above them.
    catalogue, cards = st.columns([2, 3], gap="medium")
    with catalogue:
        show_catalogue(offered, tools, exercise.sources, key=f"{scope}design:{exercise.id}:catalogue")
    with cards:
        st.caption(
            "One card per step, in the order items flow. **Reads from** names sources or other steps. "
            "**Checked by** adds checks on that step's output. **Share** below 1 sends only that share of "
            "items through the step (e.g. 0.1 for a review of exceptions)."
        )
        steps = render_steps(exercise, tools, base.get("steps") or [], f"{scope}design:{exercise.id}:steps")
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

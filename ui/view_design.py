"""The design-a-workflow kind in the UI: the learner's steps as submitted, the reference
design, and the simulation of the learner's design beside the reference's."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import streamlit as st

from exercises.model import DesignWorkflowExercise
from exercises.workflow import Tool, Workflow
from grading.design import SIM_CASES, SIM_SEED, irreversible_in, project
from grading.simulate import SimulationResult, simulate
from ui.answer_words import show_table, wording
from ui.charts import error_sankey, workflow_dot
from ui.grade_view import GradedAnswer
from ui.text import escape_markdown


def show_answer(payload: Mapping[str, Any], exercise: DesignWorkflowExercise | None, tools: Mapping[str, Tool]) -> None:
    """The submitted design in words: step, tool, inputs, stage, checks and share."""
    steps = payload.get("steps", [])
    names = {str(s.get("id")): str(s.get("name") or s.get("id")) for s in steps}
    if exercise is not None:
        names |= {s.id: f"{s.name} (source)" for s in exercise.sources} | {s.id: s.name for s in exercise.stages}
    word = wording(tools, names)
    table = pd.DataFrame(
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
    show_table(table, "The submitted workflow steps")
    if payload.get("rationale"):
        st.markdown("**Rationale**  \n" + escape_markdown(str(payload.get("rationale", ""))))


def show_reference(exercise: DesignWorkflowExercise, tools: Mapping[str, Tool]) -> None:
    steps = [s.model_dump() for s in exercise.reference.steps]
    st.graphviz_chart(workflow_dot(exercise.sources, steps, tools), width="content", alt="Reference workflow")


@st.cache_data(max_entries=256, show_spinner=False)
def _reference_projection(
    exercise_id: str, content_hash: str, _exercise: DesignWorkflowExercise, _tools: Mapping[str, Tool]
) -> dict[str, Any]:
    """The reference design's figures, worked out the way the grader works out the learner's."""
    offered = {t: _tools[t] for t in _exercise.tools if t in _tools}
    steps = _exercise.reference.steps
    workflow = Workflow(sources=_exercise.sources, steps=steps)
    return project(workflow, offered, irreversible_in(_exercise, steps, offered) or None).model_dump(mode="json")


@st.cache_data(max_entries=512, show_spinner=False)
def _flows(
    exercise_id: str, content_hash: str, steps_json: str, _exercise: DesignWorkflowExercise, _tools: Mapping[str, Tool]
) -> tuple[list[dict[str, Any]], int] | None:
    """Where the design's errors go, for the Sankey: a seeded simulation (the grade's figures are
    exact; individual errors' paths are what a simulation shows)."""
    offered = {t: _tools[t] for t in _exercise.tools if t in _tools}
    try:
        workflow = Workflow(sources=_exercise.sources, steps=json.loads(steps_json))
        irreversible = irreversible_in(_exercise, workflow.steps, offered)
        sim = simulate(workflow, offered, cases=SIM_CASES, seed=SIM_SEED, irreversible=irreversible or None)
    except (ValueError, KeyError):  # a graph the grader already reported as unrunnable
        return None
    return [f.model_dump(mode="json") for f in sim.flows], sim.cases


def show_simulation(
    exercise: DesignWorkflowExercise,
    tools: Mapping[str, Tool],
    details: Mapping[str, Any],
    steps: Sequence[Mapping[str, Any]],
) -> None:
    learner = details.get("simulation")
    if not learner:
        return
    ref = _reference_projection(exercise.id, exercise.content_hash(), exercise, tools)
    mine, theirs = SimulationResult.model_validate(learner), SimulationResult.model_validate(ref)
    st.markdown("**Your design against the reference: errors, cost and turnaround**")
    table = pd.DataFrame(
        {
            "": [
                "Items with an uncaught error",
                "Reach an irreversible step with an error",
                "Cost per item",
                "Mean turnaround",
            ],
            "Your design": [
                f"{mine.error_rate:.2%}",
                f"{mine.harm_rate:.2%}",
                f"${mine.cost_per_item:.3f}",
                f"{mine.latency_mean_s / 60:.1f} min",
            ],
            "Reference": [
                f"{theirs.error_rate:.2%}",
                f"{theirs.harm_rate:.2%}",
                f"${theirs.cost_per_item:.3f}",
                f"{theirs.latency_mean_s / 60:.1f} min",
            ],
            "Target": [
                f"≤ {exercise.constraints.max_error_rate:.1%}",
                "",
                f"≤ ${exercise.constraints.budget_per_item:.2f}",
                f"≤ {exercise.constraints.turnaround_s / 60:.0f} min",
            ],
        }
    )
    st.dataframe(table, hide_index=True, alt="Simulation of your design against the reference")
    if mine.flows:  # grades from before exact figures carry their own simulated flows
        flows: tuple[list[dict[str, Any]], int] | None = (learner["flows"], mine.cases)
    else:
        flows = _flows(exercise.id, exercise.content_hash(), json.dumps(list(steps)), exercise, tools)
    if flows and flows[0]:
        names = {str(s.get("id")): str(s.get("name") or s.get("id")) for s in steps}
        st.plotly_chart(error_sankey(flows[0], names, flows[1]), alt="Where errors are made and where they end")


def show_outcome(exercise: DesignWorkflowExercise, tools: Mapping[str, Tool], graded: GradedAnswer) -> None:
    """What the learner's design would do, simulated, beside the reference design."""
    if graded.details:
        steps = (graded.payload or {}).get("steps", [])
        show_simulation(exercise, tools, graded.details, steps)

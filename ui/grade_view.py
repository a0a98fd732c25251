"""The grade as a learner reads it: total, per-criterion evidence and feedback, the reference,
and for workflows the simulation beside the reference design's."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from exercises.model import (
    AnyExercise,
    DesignWorkflowExercise,
    ExplainReasoningExercise,
    FindFailuresExercise,
    ValidateOutputExercise,
)
from exercises.submission import FindFailuresSubmission
from exercises.workflow import Tool, Workflow
from grading.design import SIM_CASES, SIM_SEED, irreversible_in, project
from grading.failures import fixed_faults
from grading.fixes import before_and_after
from grading.report import band_name
from grading.simulate import SimulationResult, simulate
from ui.charts import error_sankey, workflow_dot
from ui.text import escape_markdown, label

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


def show_reference(exercise: AnyExercise, tools: Mapping[str, Tool]) -> None:
    st.markdown(exercise.reference_notes)
    if isinstance(exercise, DesignWorkflowExercise):
        steps = [s.model_dump() for s in exercise.reference.steps]
        st.graphviz_chart(workflow_dot(exercise.sources, steps, tools), width="stretch", alt="Reference workflow")
    elif isinstance(exercise, FindFailuresExercise):
        names = {s.id: s.name for s in exercise.workflow.steps}
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "Step": names.get(f.step, f.step),
                        "Failure": label(f.category),
                        "Severity": label(f.severity),
                        "Why": f.explanation,
                        "Fits": ", ".join(label(t) for t in f.fix_types),
                    }
                    for f in exercise.faults
                ]
            ),
            hide_index=True,
            alt="The seeded failure points",
        )
    elif isinstance(exercise, ValidateOutputExercise):
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "Claim": c.text,
                        "Verdict": label(c.error) if c.error else "Supported",
                        "Correction": c.correction,
                        "Why it matters": c.why,
                    }
                    for c in exercise.claims
                ]
            ),
            hide_index=True,
            alt="Gold labels of every claim",
        )
        for spot in exercise.blind_spots:
            st.markdown(f"- **Missing:** {spot.text} {spot.why}")
    elif isinstance(exercise, ExplainReasoningExercise):
        with st.container(border=True):
            st.markdown(exercise.reference.text)


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


@st.cache_data(max_entries=512, show_spinner=False)
def _fix_simulation(
    attempt_id: int, _exercise: FindFailuresExercise, _tools: Mapping[str, Tool], payload: str
) -> tuple[dict, dict] | None:
    submission = FindFailuresSubmission.model_validate_json(payload)
    result = before_and_after(_exercise, _tools, fixed_faults(_exercise, submission))
    if result is None:
        return None
    return result[0].model_dump(mode="json"), result[1].model_dump(mode="json")


def show_fix_simulation(
    exercise: FindFailuresExercise, tools: Mapping[str, Tool], attempt_id: int, payload: Mapping[str, Any] | None
) -> None:
    """The workflow under review simulated with its faults, and with the learner's fixes applied."""
    if not payload:
        return
    simulated = _fix_simulation(attempt_id, exercise, tools, json.dumps(dict(payload)))
    if simulated is None:
        return
    b, a = SimulationResult.model_validate(simulated[0]), SimulationResult.model_validate(simulated[1])
    st.markdown("**What your fixes would change, simulated**")
    cols = st.columns(4)
    cols[0].metric(
        "Items with an uncaught error",
        f"{a.error_rate:.1%}",
        f"{(a.error_rate - b.error_rate) * 100:+.1f} pts",
        delta_color="inverse",
        border=True,
    )
    cols[1].metric(
        "Harm at irreversible steps",
        f"{a.harm_rate:.1%}",
        f"{(a.harm_rate - b.harm_rate) * 100:+.1f} pts",
        delta_color="inverse",
        border=True,
    )
    cols[2].metric(
        "Cost per item",
        f"${a.cost_per_item:.3f}",
        f"{a.cost_per_item - b.cost_per_item:+.3f}",
        delta_color="inverse",
        border=True,
    )
    cols[3].metric(
        "Mean turnaround",
        f"{a.latency_mean_s / 60:.1f} min",
        f"{(a.latency_mean_s - b.latency_mean_s) / 60:+.1f} min",
        delta_color="inverse",
        border=True,
    )
    st.caption(
        f"Before your fixes: {b.error_rate:.1%} of items carry an uncaught error, at ${b.cost_per_item:.3f} per item. "
        "Only faults you found with a fitting fix count as fixed."
    )

"""The find-the-failures kind in the UI: the learner's flags as submitted, the seeded faults,
and what the learner's fixes would change, simulated."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from exercises.model import FindFailuresExercise
from exercises.submission import FindFailuresSubmission
from exercises.workflow import Tool
from grading.failures import fixed_faults
from grading.fixes import before_and_after
from grading.simulate import SimulationResult
from ui.answer_words import show_table, wording
from ui.grade_view import GradedAnswer
from ui.text import label


def show_answer(payload: Mapping[str, Any], exercise: FindFailuresExercise | None, tools: Mapping[str, Tool]) -> None:
    """The submitted failure points in words: step, what goes wrong, severity and fix."""
    names = (
        {s.id: s.name for s in exercise.workflow.sources} | {s.id: s.name for s in exercise.workflow.steps}
        if exercise is not None
        else {}
    )
    word = wording(tools, names)
    table = pd.DataFrame(
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
    show_table(table, "The submitted failure points")


def show_reference(exercise: FindFailuresExercise, tools: Mapping[str, Tool]) -> None:
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


def show_outcome(exercise: FindFailuresExercise, tools: Mapping[str, Tool], graded: GradedAnswer) -> None:
    show_fix_simulation(exercise, tools, graded.attempt_id, graded.payload)

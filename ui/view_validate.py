"""The validate-an-output kind in the UI: the learner's verdicts as submitted and the gold
label of every claim."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from exercises.model import ValidateOutputExercise
from exercises.workflow import Tool
from ui.text import escape_markdown, label


def show_answer(payload: Mapping[str, Any]) -> None:
    st.dataframe(pd.DataFrame(payload.get("marks", [])), hide_index=True, alt="Submitted claim verdicts")
    for line in payload.get("omissions", []):
        st.markdown("- " + escape_markdown(str(line)))


def show_reference(exercise: ValidateOutputExercise, tools: Mapping[str, Tool]) -> None:
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

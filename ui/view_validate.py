"""The validate-an-output kind in the UI: the learner's verdicts as submitted and the gold
label of every claim."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from exercises.model import ValidateOutputExercise
from exercises.workflow import Tool
from ui.answer_words import show_table, wording
from ui.text import escape_markdown, label


def show_answer(payload: Mapping[str, Any], exercise: ValidateOutputExercise | None, tools: Mapping[str, Tool]) -> None:
    """The submitted verdicts in words (claim, verdict, correction), then the omissions as typed."""
    claims = {c.id: f"{n}. {c.text}" for n, c in enumerate(exercise.claims, 1)} if exercise is not None else {}
    word = wording(tools, {})
    table = pd.DataFrame(
        [
            {
                "Claim": claims.get(str(m.get("claim")), str(m.get("claim"))),
                "Verdict": word(m.get("error_type")) or "Supported",
                "Correction": str(m.get("correction") or ""),
            }
            for m in payload.get("marks", [])
        ],
        columns=["Claim", "Verdict", "Correction"],
    )
    show_table(table, "The submitted claim verdicts")
    if payload.get("omissions"):
        st.markdown("**Missing from the output, in their words**")
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

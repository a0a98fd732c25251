"""Validate-an-output form: the source beside the output's claims, each claim one row to mark."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from exercises.model import ValidateOutputExercise
from exercises.submission import MAX_LINE, MAX_OMISSIONS, ClaimError
from exercises.workflow import Tool
from ui.tables import clean
from ui.text import label

SUPPORTED = "supported"
VERDICTS = [SUPPORTED] + [e.value for e in ClaimError]


def render(
    exercise: ValidateOutputExercise, tools: Mapping[str, Tool], base: dict[str, Any], scope: str = ""
) -> dict[str, Any]:
    marks = {m["claim"]: m for m in base.get("marks") or [] if isinstance(m, dict) and "claim" in m}
    left, right = st.columns([2, 3], gap="medium")
    with left, st.container(border=True, height=640):
        st.markdown(f"**Source: {exercise.source_title}**")
        st.markdown(exercise.source)
    with right:
        st.markdown(f"**AI output: {exercise.output_title}**")
        if exercise.output_context:
            st.caption(exercise.output_context)
        table = pd.DataFrame(
            {
                "n": list(range(1, len(exercise.claims) + 1)),
                "claim": [c.text for c in exercise.claims],
                "verdict": [(marks.get(c.id) or {}).get("error_type") or SUPPORTED for c in exercise.claims],
                "correction": [(marks.get(c.id) or {}).get("correction") or "" for c in exercise.claims],
            }
        )
        edited = st.data_editor(
            table,
            key=f"{scope}validate:{exercise.id}:claims",
            hide_index=True,
            disabled=["n", "claim"],
            column_config={
                "n": st.column_config.NumberColumn("#", width="small"),
                "claim": st.column_config.TextColumn("Claim", width="large"),
                "verdict": st.column_config.SelectboxColumn(
                    "Your verdict", options=VERDICTS, format_func=label, required=True
                ),
                "correction": st.column_config.TextColumn(
                    "Correction (from the source)", max_chars=MAX_LINE, width="medium"
                ),
            },
            alt="Claims of the AI output with your verdicts",
        )
    out = []
    for claim, row in zip(exercise.claims, edited.to_dict(orient="records"), strict=True):
        verdict = clean(row.get("verdict")) or SUPPORTED
        if verdict != SUPPORTED:
            out.append(
                {"claim": claim.id, "error_type": verdict, "correction": str(clean(row.get("correction")) or "")}
            )
    omissions = st.text_area(
        "What should the output have said, and didn't? One point per line.",
        value="\n".join(base.get("omissions") or []),
        key=f"{scope}validate:{exercise.id}:omissions",
        max_chars=MAX_OMISSIONS * MAX_LINE,
        height=110,
    )
    lines = [line.strip() for line in (omissions or "").splitlines() if line.strip()]
    return {"kind": "validate_output", "marks": out, "omissions": lines}

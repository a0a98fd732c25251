"""Validate-an-output form: the source alongside the output's claims, each claim on its own row
with its verdict and correction beside it (rows wrap on a narrow screen)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from exercises.model import ValidateOutputExercise
from exercises.submission import MAX_LINE, MAX_OMISSIONS, ClaimError
from exercises.workflow import Tool
from ui.form_problems import PROBLEMS
from ui.text import label

SUPPORTED = "supported"
VERDICTS = [SUPPORTED] + [e.value for e in ClaimError]


def ignored_correction(n: int) -> str:
    return (
        f"Claim {n}: you typed a correction but marked the claim Supported, so the correction is not graded. "
        "Pick what is wrong with the claim, or clear the correction."
    )


def render(
    exercise: ValidateOutputExercise, tools: Mapping[str, Tool], base: dict[str, Any], scope: str = ""
) -> dict[str, Any]:
    marks = {m["claim"]: m for m in base.get("marks") or [] if isinstance(m, dict) and "claim" in m}
    prefix = f"{scope}validate:{exercise.id}"
    left, right = st.columns([2, 3], gap="medium")  # side by side when wide, one above the other when narrow
    with left, st.container(border=True, height=640):
        st.markdown(f"**Source: {exercise.source_title}**")
        st.markdown(exercise.source)
    out, problems = [], []
    with right:
        st.markdown(f"**AI output: {exercise.output_title}**")
        if exercise.output_context:
            st.caption(exercise.output_context)
        for n, claim in enumerate(exercise.claims, start=1):
            mark = marks.get(claim.id) or {}
            with st.container(border=True, key=f"{prefix}:row:{claim.id}"):
                st.markdown(f"**{n}.** {claim.text}")
                row = st.container(horizontal=True, vertical_alignment="bottom", gap="small")
                verdict = row.selectbox(
                    f"Verdict on claim {n}",
                    VERDICTS,
                    index=VERDICTS.index(mark.get("error_type") or SUPPORTED)
                    if (mark.get("error_type") or SUPPORTED) in VERDICTS
                    else 0,
                    format_func=label,
                    key=f"{prefix}:verdict:{claim.id}",
                    width=230,
                )
                correction = row.text_input(
                    f"Correction to claim {n}, from the source",
                    value=mark.get("correction") or "",
                    max_chars=MAX_LINE,
                    key=f"{prefix}:correction:{claim.id}",
                    placeholder="What the source says instead",
                    width="stretch",
                )
                if verdict != SUPPORTED:
                    out.append({"claim": claim.id, "error_type": verdict, "correction": (correction or "").strip()})
                elif (correction or "").strip():
                    problems.append(ignored_correction(n))
                    st.warning(problems[-1], icon=":material/warning:")
    omissions = st.text_area(
        "What should the output have said, and didn't? One point per line.",
        value="\n".join(base.get("omissions") or []),
        key=f"{prefix}:omissions",
        max_chars=MAX_OMISSIONS * MAX_LINE,
        height=110,
    )
    lines = [line.strip() for line in (omissions or "").splitlines() if line.strip()]
    payload: dict[str, Any] = {"kind": "validate_output", "marks": out, "omissions": lines}
    if problems:
        payload[PROBLEMS] = problems
    return payload

"""The instructor's side of a grade: the review queue table and the override form."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd
import streamlit as st

from exercises.kinds import kind_label
from exercises.submission import MAX_REASON
from ui.text import escape_markdown

if TYPE_CHECKING:  # the store's dataclasses, for types only: ui does not import the store at run time
    from store.models import CriterionRow
    from store.review import ReviewItem

FLASH = "cohort_flash"  # session-state key: a message to show after the rerun that follows a change
FLASH_INFO = "cohort_flash_info"  # the same, for news that is not a success (an override cancelled)
REASON_TEXT = {
    "grader_error": "Grader failed",
    "possible_injection": "Text addressed to the grader",
    "needs_review": "Grader asked for review",
    "judge_unavailable": "Judge unavailable",
    "judge_disagrees": "Judge and rules disagree",
}


@dataclass(frozen=True)
class OverrideRequest:
    reason: str
    total: float | None  # None: follow the criteria
    criteria: dict[str, float]  # criterion id -> new score 0-1, only those changed


def queue_frame(items: list[ReviewItem], titles: Mapping[str, str]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "Submitted": i.submitted_at,
                "Learner": i.learner,
                "Why": [REASON_TEXT.get(r, r) for r in i.reasons],
                "Score": i.score,
                "Exercise": titles.get(i.exercise_id, i.exercise_id),
                "Task": kind_label(i.kind),
            }
            for i in items
        ],
        columns=["Submitted", "Learner", "Why", "Score", "Exercise", "Task"],
    )


def show_queue(items: list[ReviewItem], titles: Mapping[str, str], key: str) -> None:
    st.dataframe(
        queue_frame(items, titles),
        hide_index=True,
        key=key,
        alt="Grades waiting for an instructor's review",
        column_config={
            "Submitted": st.column_config.DatetimeColumn(format="D MMM, HH:mm"),
            "Score": st.column_config.ProgressColumn(min_value=0, max_value=100, format="%.0f"),
            "Why": st.column_config.MultiselectColumn(options=list(REASON_TEXT.values()), color="auto"),
        },
    )


def confirm_override(
    key: str, request: OverrideRequest, old_total: float, new_total: float, titles: Mapping[str, str]
) -> bool | None:
    """Ask before saving: the old and new total, the criteria changed and the reason, as the
    learner will read it. True to save, False to cancel (nothing saved), None while undecided."""
    with st.container(border=True, key=f"{key}_confirm_box"):
        st.warning(
            f"The total goes from **{old_total:.1f}** to **{new_total:.1f}**.",
            title="Save this override?",
            icon=":material/gavel:",
        )
        if request.criteria:
            st.markdown(
                "\n".join(
                    f"- {escape_markdown(titles.get(c, c))}: now {score:.0%}" for c, score in request.criteria.items()
                )
            )
        st.caption("Reason, as the learner will read it:")
        st.markdown(escape_markdown(request.reason))
        row = st.container(horizontal=True)
        save = row.button("Confirm and save", type="primary", icon=":material/check:", key=f"{key}_confirm_save")
        cancel = row.button("Cancel", icon=":material/close:", key=f"{key}_confirm_cancel")
    if save:
        return True
    if cancel:
        return False
    return None


def step_pick(key: str, order: list[Any], step: int) -> None:
    """Previous / next: move a selectbox's value along `order` (a button's on_click)."""
    at = order.index(st.session_state[key]) if st.session_state.get(key) in order else 0
    st.session_state[key] = order[max(0, min(len(order) - 1, at + step))]


def override_form(
    key: str, total: float, criteria: list[CriterionRow], rubric: Mapping[str, str] | None = None
) -> OverrideRequest | None:
    """Change the total, any criterion, or both, with a reason the learner will read.

    Criteria rows need `criterion_id`, `title`, `weight`, `score`. Returns the request when the
    form is submitted with a reason; shows an error and returns None without one."""
    with st.form(f"{key}_form", border=True):
        st.markdown("**Override this grade**")
        st.caption(
            "Change the total, or the criteria (the total then follows them). The grade you replace stays in the "
            "history, and the learner sees your reason beside the new grade."
        )
        new_total = st.number_input(
            "New total", min_value=0.0, max_value=100.0, value=float(total), step=0.5, key=f"{key}_total"
        )
        table = pd.DataFrame(
            {
                "id": [c.criterion_id for c in criteria],
                "Criterion": [c.title for c in criteria],
                "Weight": [c.weight for c in criteria],
                "Now %": [round(c.score * 100, 1) for c in criteria],
                "Score %": [round(c.score * 100, 1) for c in criteria],
                "What it asks": [(rubric or {}).get(c.criterion_id, "") for c in criteria],
            }
        )
        edited = st.data_editor(
            table,
            hide_index=True,
            key=f"{key}_criteria",
            disabled=["id", "Criterion", "Weight", "Now %", "What it asks"],
            column_config={
                "id": None,
                "Criterion": st.column_config.TextColumn(width="medium"),
                "Now %": st.column_config.NumberColumn(
                    "Grade now %", format="%.0f", width="small", help="The score in effect"
                ),
                "Score %": st.column_config.NumberColumn(
                    "Your score %", min_value=0, max_value=100, step=1, format="%.0f", width="small"
                ),
                "Weight": st.column_config.NumberColumn(format="%.0f", width="small"),
                "What it asks": st.column_config.TextColumn("What it asks (rubric)", width="large"),
            },
            alt="Each criterion's score: edit Your score to override it",
        )
        reason = st.text_area("Reason (the learner reads it)", max_chars=MAX_REASON, key=f"{key}_reason")
        if not st.form_submit_button("Save override", type="primary", icon=":material/gavel:"):
            return None
    if not reason.strip():
        st.error("Give a reason: the learner sees it next to the grade.", title="Not saved")
        return None
    old = {c.criterion_id: c.score for c in criteria}
    changed = {}
    for row in edited.to_dict(orient="records"):
        value = row.get("Score %")
        if value is None or pd.isna(value):
            continue
        score = max(0.0, min(1.0, float(value) / 100))
        if abs(score - old.get(row["id"], score)) >= 0.0005:
            changed[row["id"]] = score
    typed = None if abs(new_total - total) < 1e-9 else float(new_total)
    if typed is None and not changed:
        st.error("Nothing changed. To keep the grade as it is, use “Confirm the grade”.", title="Not saved")
        return None
    return OverrideRequest(reason.strip(), typed, changed)

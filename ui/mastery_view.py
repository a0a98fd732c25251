"""Mastery levels: a learner's level per task kind and per criterion, with what it takes to reach
the next; a cohort's learners by level. The figures come from store/mastery.py."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from exercises.kinds import kind_label, task_kind
from exercises.model import Kind
from grading.mastery import Belief, Estimate, Level

LEVEL_ICONS = {
    Level.not_started: ":material/radio_button_unchecked:",
    Level.practising: ":material/pending:",
    Level.proficient: ":material/check_circle:",
    Level.mastered: ":material/workspace_premium:",
}
MEDIAN_ITEM = 0.0  # the difficulty the estimate is read at (logits)


def expected_range(belief: Belief) -> tuple[float, float]:
    """Expected score on a median item, one standard deviation either side, 0-100."""
    low = Belief(belief.mean - belief.sd, belief.sd).expected(MEDIAN_ITEM) * 100
    high = Belief(belief.mean + belief.sd, belief.sd).expected(MEDIAN_ITEM) * 100
    return low, high


def show_mastery(mastery: Any, key: str) -> None:
    """One card per task kind: its level, the estimate with its uncertainty, the next step."""
    st.markdown(
        "**Mastery by task**  \n:gray[:small[Your level from your graded attempts and how hard each exercise "
        "proved for everyone. The range is the score you would likely get on an exercise of median "
        "difficulty.]]"
    )
    columns = st.columns(len(Kind), gap="small")
    for column, kind in zip(columns, Kind, strict=True):
        estimate: Estimate = mastery.kinds[kind.value]
        with column.container(border=True, key=f"{key}_mastery_{kind.value}"):
            st.markdown(f"**{kind_label(kind)}**")
            st.markdown(f"{LEVEL_ICONS[estimate.level]} **{estimate.level.value.capitalize()}**")
            if estimate.attempts:
                low, high = expected_range(estimate.belief)
                st.caption(f"Likely {low:.0f} to {high:.0f} · {estimate.attempts} graded")
            if estimate.review_due:
                st.caption(":material/history: Due for review: not practised for a while.")
            st.caption(estimate.next_step)
    practised = [
        (kind, criterion, mastery.criteria[f"{kind.value}/{criterion}"])
        for kind in Kind
        for criterion in task_kind(kind).criteria
        if mastery.criteria[f"{kind.value}/{criterion}"].attempts
    ]
    if practised:
        with st.expander("Mastery by criterion"):
            # plain lines, not a data frame: the expander is drawn on every visit of the page
            st.markdown(
                "\n".join(
                    f"- {LEVEL_ICONS[est.level]} **{kind_label(kind)} · {criterion.replace('_', ' ')}**: "
                    f"{est.level.value} ({est.attempts} graded). {est.next_step}"
                    for kind, criterion, est in practised
                )
            )


def show_cohort_levels(levels: Any, key: str) -> None:
    """Learners per level in each task kind (the same levels learners see on My progress)."""
    st.markdown(f"**Mastery levels** :gray[:small[{levels.learners} learner(s); the same model as My progress.]]")
    st.dataframe(
        pd.DataFrame(
            [
                {"Task": kind_label(kind), **{level.value.capitalize(): counts[level] for level in Level}}
                for kind, counts in levels.by_kind.items()
            ]
        ),
        hide_index=True,
        key=f"{key}_cohort_levels",
    )


def show_variant_stats(rows: Any, titles: dict[str, str], key: str) -> None:
    """Item analysis per variant: a variant much harder than its siblings is worth a look."""
    varied = [r for r in rows if any(o.exercise_id == r.exercise_id and o.variant_seed != r.variant_seed for o in rows)]
    if not varied:
        return
    with st.expander("By variant (exercises practised in more than one variant)"):
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "Exercise": titles.get(r.exercise_id, r.exercise_id),
                        "Variant": "as written" if r.variant_seed == 0 else str(r.variant_seed),
                        "Learners": r.learners,
                        "Attempts": r.attempts,
                        "Mean": round(r.mean, 1),
                    }
                    for r in varied
                ]
            ),
            hide_index=True,
            key=f"{key}_variant_stats",
        )

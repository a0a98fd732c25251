"""The cohort dashboard's read-only views: the overview, the exercises (item analysis,
distributions, rubric criteria) and the members with their assignments. They take the store's
result objects by duck typing; the page keeps everything that writes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd
import streamlit as st

from exercises.kinds import KINDS, kind_label
from exercises.model import AnyExercise
from grading.bands import CRITERION_MET
from ui.dashboard_charts import (
    criterion_bars,
    item_map,
    matrix_heatmap,
    short_title,
    spread_chart,
)
from ui.kinds import kind_view
from ui.text import escape_markdown, label

if TYPE_CHECKING:  # the store's dataclasses, for types only: ui does not import the store at run time
    from store.dashboards import CohortDashboard, ExerciseReport, ExerciseSpread
    from store.items import CriterionRate, ItemStats


def extremes(rated: Sequence[Any], hardest: int = 3, easiest: int = 2) -> tuple[list[Any], list[Any]]:
    """The hardest and the easiest exercises by mean score, never the same one in both lists:
    with few exercises the easiest are taken from those not already named hardest."""
    ordered = sorted(rated, key=lambda i: (i.mean, i.exercise_id))
    low = ordered[: min(hardest, len(ordered) // 2)] if len(ordered) < hardest + easiest else ordered[:hardest]
    rest = [i for i in ordered if i not in low]
    return low, rest[::-1][:easiest]


def show_overview(dash: CohortDashboard, active_days: int, heatmap_rows: int = 40) -> None:
    """Headline figures, the median learner per task, learners × competencies, and every learner."""
    s = dash.summary
    with st.container(horizontal=True):
        st.metric("Learners", s.learners, border=True)
        st.metric(
            "Active learners",
            s.active_learners,
            border=True,
            help=f"With a graded attempt in the last {active_days} days",
        )
        st.metric(
            "Graded attempts",
            f"{s.attempts:,}",
            border=True,
            help=f"{s.recent_attempts:,} in the last {active_days} days",
        )
        st.metric(
            "Assignments done",
            "—" if s.completion is None else f"{s.completion:.0%}",
            border=True,
            help="Share of (learner, assigned exercise) pairs with a graded attempt",
        )
        st.metric("Waiting for review", s.waiting_review, border=True, help="See the Review queue tab")
    st.markdown("**The median learner, by task**")
    st.caption(
        "Each learner's mean score in the task, then the median of those: one figure per task, robust to outliers."
    )
    medians = {m.kind: m for m in s.medians}
    with st.container(horizontal=True):
        for kind in KINDS:
            m = medians.get(kind)
            st.metric(
                kind_label(kind),
                "—" if m is None else f"{m.median:.0f}",
                border=True,
                help=None if m is None else f"Over {m.learners} learners with a score in this task",
            )
    ranked = sorted(
        (p for p in dash.learners if p.attempts),
        key=lambda p: (p.mean_total if p.mean_total is not None else 0.0, p.name),
    )
    with st.container(border=True):
        st.markdown("**Learners × competencies**")
        shown = ranked[:heatmap_rows]
        st.caption(
            "Mean score per task, lowest overall mean at the top"
            + (
                f"; the {heatmap_rows} learners with the lowest mean (all of them in the table below)."
                if len(ranked) > heatmap_rows
                else "."
            )
        )
        if shown:
            st.plotly_chart(
                matrix_heatmap(
                    [p.name for p in shown],
                    [kind_label(k) for k in KINDS],
                    [[p.by_kind.get(k) for k in KINDS] for p in shown],
                ),
                key="cohort_heatmap",
                alt="Mean score of each learner in each task kind",
            )
    table = pd.DataFrame(
        [
            {
                "Learner": p.name,
                "Attempts": p.attempts,
                "Mean": p.mean_total,
                **{kind_view(k).short: p.by_kind.get(k) for k in KINDS},
                "Last active": p.last_active,
            }
            for p in dash.learners
        ]
    )
    st.dataframe(
        table,
        hide_index=True,
        alt="Learners in this cohort with mean scores by task",
        column_config={
            "Mean": st.column_config.ProgressColumn(min_value=0, max_value=100, format="%.0f"),
            **{kind_view(k).short: st.column_config.NumberColumn(format="%.0f", help=kind_label(k)) for k in KINDS},
            "Last active": st.column_config.DatetimeColumn(format="D MMM YYYY"),
        },
    )


def show_exercises(
    report: ExerciseReport,
    exercises: Mapping[str, AnyExercise],
    pooled: list[CriterionRate],
    weak_below: float,
    min_learners: int,
) -> None:
    """Item analysis, the spread of scores per exercise, and the rubric criteria the cohort misses."""
    titles = {eid: ex.title for eid, ex in exercises.items()}
    _item_analysis(report.items, exercises, titles, weak_below, min_learners)
    _score_spreads(report.spreads, exercises, titles)
    _criteria_missed(report.criteria, pooled, exercises, titles)


def _item_analysis(
    items: list[ItemStats],
    exercises: Mapping[str, AnyExercise],
    titles: Mapping[str, str],
    weak_below: float,
    min_learners: int,
) -> None:
    st.markdown("**Item analysis**")
    st.caption(
        "Difficulty is the mean score of every attempt. Discrimination is the correlation between a learner's "
        "score on the exercise and their mean on the other exercises: near zero, the exercise does not tell "
        f"stronger learners from weaker ones (below {weak_below:g} it is flagged). It needs at least "
        "eight learners."
    )
    left, right = st.columns([3, 2], gap="medium")
    with left:
        st.plotly_chart(
            item_map(
                [
                    {
                        "label": short_title(titles.get(i.exercise_id, i.exercise_id)),
                        "kind": i.kind,
                        "mean": i.mean,
                        "discrimination": i.discrimination,
                        "learners": i.learners,
                    }
                    for i in items
                ],
                weak_below,
            ),
            key="cohort_items_map",
            alt="Exercises by mean score and discrimination",
        )
    with right, st.container(border=True):
        st.markdown("**Worth a look**")
        st.markdown(_worth_a_look(items, titles, min_learners) or "Too few learners yet to judge exercises.")
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "Exercise": titles.get(i.exercise_id, i.exercise_id),
                    "Task": kind_label(i.kind),
                    "Level": exercises[i.exercise_id].difficulty if i.exercise_id in exercises else None,
                    "Learners": i.learners,
                    "Mean score": i.mean,
                    "Discrimination": i.discrimination,
                    "Flag": "does not discriminate" if i.weak else "",
                }
                for i in sorted(items, key=lambda i: (not i.weak, i.discrimination is None, i.discrimination or 0))
            ]
        ),
        hide_index=True,
        alt="Item analysis per exercise, the weakest discrimination first",
        column_config={
            "Mean score": st.column_config.ProgressColumn(min_value=0, max_value=100, format="%.0f"),
            "Discrimination": st.column_config.NumberColumn(format="%.2f"),
        },
    )


def _worth_a_look(items: list[ItemStats], titles: Mapping[str, str], min_learners: int) -> str:
    """Markdown bullets: exercises that do not discriminate, the hardest and the easiest."""

    def named(exercise_id: str) -> str:
        return escape_markdown(titles.get(exercise_id, exercise_id))

    weak = [i for i in items if i.weak]
    rated = [i for i in items if i.learners >= min_learners]
    notes = [
        f":red-badge[does not discriminate] {named(i.exercise_id)} (r = {i.discrimination:.2f}, mean {i.mean:.0f})"
        for i in sorted(weak, key=lambda i: i.discrimination or 0.0)
    ]
    hardest, easiest = extremes(rated)
    notes += [f":orange-badge[hardest] {named(i.exercise_id)} (mean {i.mean:.0f})" for i in hardest]
    notes += [f":blue-badge[easiest] {named(i.exercise_id)} (mean {i.mean:.0f})" for i in easiest if not i.weak]
    return "\n".join(f"- {n}" for n in notes)


def _score_spreads(
    spreads: list[ExerciseSpread], exercises: Mapping[str, AnyExercise], titles: Mapping[str, str]
) -> None:
    with st.container(border=True):
        st.markdown("**Score distribution by exercise**")
        st.caption(
            "Each learner once (their mean on the exercise): the box spans the middle half of learners, "
            "the line is the median, whiskers reach the lowest and highest."
        )
        kind_order = list(KINDS)
        kinds = {eid: ex.kind for eid, ex in exercises.items()}
        shown = sorted(
            spreads,
            key=lambda x: (
                kind_order.index(kinds[x.exercise_id]) if x.exercise_id in kinds else len(kind_order),
                x.median,
            ),
        )
        if shown:
            st.plotly_chart(
                spread_chart(
                    [
                        {
                            "label": short_title(titles.get(x.exercise_id, x.exercise_id)),
                            "kind": kinds.get(x.exercise_id, ""),
                            "low": x.low,
                            "q1": x.q1,
                            "median": x.median,
                            "q3": x.q3,
                            "high": x.high,
                            "mean": x.mean,
                            "learners": x.learners,
                        }
                        for x in shown
                    ]
                ),
                key="cohort_spreads",
                alt="Distribution of learners' scores per exercise",
            )


def _criteria_missed(
    rates: list[CriterionRate],
    pooled: list[CriterionRate],
    exercises: Mapping[str, AnyExercise],
    titles: Mapping[str, str],
) -> None:
    left, right = st.columns(2, gap="medium")
    with left, st.container(border=True, height="stretch"):
        st.markdown("**Rubric criteria the cohort misses, across exercises**")
        st.caption(
            f"Share of grades scoring {CRITERION_MET * 100:.0f} % or more on the criterion, "
            "over every exercise of the task."
        )
        st.plotly_chart(
            criterion_bars(
                [
                    {
                        "label": f"{label(r.criterion_id)} · {kind_label(r.kind)}",
                        "kind": r.kind,
                        "met_rate": r.met_rate,
                        "graded": r.graded,
                    }
                    for r in pooled
                ]
            ),
            key="cohort_criteria_all",
            alt="Share of grades meeting each rubric criterion",
        )
    with right, st.container(border=True, height="stretch"):
        st.markdown("**Criteria of one exercise**")
        graded_ids = sorted({r.exercise_id for r in rates}, key=lambda e: titles.get(e, e))
        chosen = st.selectbox("Exercise", graded_ids, key="cohort_item", format_func=lambda e: titles.get(e, e))
        if chosen is not None:
            ex = exercises.get(chosen)
            names = {c.id: c.title for c in ex.rubric} if ex else {}
            st.plotly_chart(
                criterion_bars(
                    [
                        {
                            "label": names.get(r.criterion_id, label(r.criterion_id)),
                            "kind": r.kind,
                            "met_rate": r.met_rate,
                            "graded": r.graded,
                        }
                        for r in rates
                        if r.exercise_id == chosen
                    ]
                ),
                key="cohort_criteria_one",
                alt="Share of grades meeting each criterion of the chosen exercise",
            )


def show_members(dash: CohortDashboard, join_code: str, titles: Mapping[str, str]) -> None:
    """The join code, who is in the cohort, and how far each assignment has got."""
    left, right = st.columns([1, 2], gap="medium")
    with left, st.container(border=True):
        st.markdown("**Invite learners**")
        st.code(join_code, language=None)
        st.caption(
            "Learners enter this code under **My progress → Join a cohort**. A learner may belong to several cohorts."
        )
    with right:
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "Learner": p.name,
                        "Email": p.email or "",
                        "Joined": p.joined_at,
                        "Attempts": p.attempts,
                        "Last active": p.last_active,
                    }
                    for p in dash.learners
                ]
            ),
            hide_index=True,
            alt="Members of this cohort",
            column_config={
                "Joined": st.column_config.DatetimeColumn(format="D MMM YYYY"),
                "Last active": st.column_config.DatetimeColumn(format="D MMM YYYY"),
            },
        )
    st.markdown("**Assignments**")
    if dash.assignments:
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "Exercise": titles.get(a.exercise_id, a.exercise_id),
                        "Due": a.due,
                        "Done": a.completion * 100,
                        "Learners done": f"{a.done} of {a.learners}",
                        "On time": a.on_time,
                        "Mean best score": a.mean_best,
                    }
                    for a in dash.assignments
                ]
            ),
            hide_index=True,
            alt="Assigned exercises and how many learners have done them",
            column_config={
                "Due": st.column_config.DatetimeColumn(format="D MMM YYYY"),
                "Done": st.column_config.ProgressColumn(min_value=0, max_value=100, format="%.0f%%"),
                "Mean best score": st.column_config.NumberColumn(format="%.0f"),
            },
        )
    else:
        st.caption("Nothing assigned yet.")

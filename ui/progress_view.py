"""One learner's progress, shown to them on My progress and to their instructor on Cohort.

Functions take the store's dataclasses (named for the type checker only: at run time the ui
layer does not import the store)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

import pandas as pd
import streamlit as st

from exercises.kinds import KINDS, kind_label
from exercises.model import AnyExercise
from exercises.sectors import sector_label, sector_order
from grading.bands import CRITERION_MET
from ui.dashboard_charts import competency_chart, matrix_heatmap, trend_chart
from ui.kinds import kind_view
from ui.text import escape_markdown

if TYPE_CHECKING:  # the store's dataclasses, for types only: ui does not import the store at run time
    from store.attempts import AttemptDetail
    from store.progress import AttemptRow, LearnerDashboard, Recommendation

GRADED_BY = {"override": "Instructor", "judged": "Judge", "auto": "Auto"}


def show_kpis(dash: LearnerDashboard, key: str) -> None:
    kinds = {k.kind: k for k in dash.kinds}
    cohort = dash.comparison.medians if dash.comparison else {}
    mean = dash.mean
    recent = [p.score for p in dash.trend[-5:]]
    row = st.container(key=f"{key}_kpis", horizontal=True, gap="small")  # one block, not six columns
    row.metric("Graded attempts", f"{dash.attempts}", border=True, help="Every graded attempt, practice included")
    row.metric("Mean score", "—" if mean is None else f"{mean:.0f}", border=True, help="Over every graded attempt")
    row.metric(
        "Last five attempts",
        f"{sum(recent) / len(recent):.0f}" if recent else "—",
        border=True,
        help="Mean score of the five most recent graded attempts",
    )
    if kinds:
        strongest = max(kinds.values(), key=lambda k: k.mean)
        weakest = min(kinds.values(), key=lambda k: k.mean)
        for title, stat in (("Strongest", strongest), ("Weakest", weakest)):
            median = f"; the cohort's median learner: {cohort[stat.kind]:.0f}" if stat.kind in cohort else ""
            row.metric(
                f"{title}: {kind_view(stat.kind).short}",
                f"{stat.mean:.0f}",
                border=True,
                help=f"{kind_label(stat.kind)}: mean over {stat.attempts} attempt(s){median}",
            )


def show_profile(
    dash: LearnerDashboard, key: str, whose: str = "your", sector_name: Callable[[str], str] = sector_label
) -> None:
    """Competency by task kind (against the cohort's median learner) and by sector."""
    means = {k.kind: k.mean for k in dash.kinds}
    counts = {k.kind: k.attempts for k in dash.kinds}
    cohort = dash.comparison.medians if dash.comparison else {}
    left, right = st.columns([3, 2], gap="medium", border=True)
    with left:
        note = ""
        if dash.comparison and cohort:
            cohort_name = escape_markdown(dash.comparison.cohort_name)
            note = f"Bars: {whose} mean score. Marks: the median learner in {cohort_name}."
        elif dash.comparison:
            note = "The cohort has too few learners with scores yet for a comparison."
        st.markdown("**Competency by task**" + (f"  \n:gray[:small[{note}]]" if note else ""))
        st.plotly_chart(competency_chart(means, counts, cohort), key=f"{key}_competency", alt="Mean score by task kind")
    with right:
        st.markdown("**By sector**  \n:gray[:small[Mean score by sector and task; blank where nothing is tried yet.]]")
        sectors = sector_order(x.sector for x in dash.sectors)
        cells = {(x.sector, x.kind): x for x in dash.sectors}
        values = [[cells[(s, k)].mean if (s, k) in cells else None for k in KINDS] for s in sectors]
        counts_grid = [[cells[(s, k)].attempts if (s, k) in cells else 0 for k in KINDS] for s in sectors]
        if sectors:
            st.plotly_chart(
                matrix_heatmap(
                    [sector_name(s) for s in sectors],
                    [kind_view(k).short for k in KINDS],
                    values,
                    counts_grid,
                    height=80 + 44 * len(sectors),
                    scale=False,
                ),
                key=f"{key}_sectors",
                alt="Mean score by sector and task kind",
            )


def show_trend_and_misses(dash: LearnerDashboard, key: str) -> None:
    left, right = st.columns([3, 2], gap="medium")
    with left, st.container(border=True, height="stretch"):
        st.markdown("**Trend**")
        st.caption(
            "Each attempt as a dot, numbered oldest first; lines are the moving mean of the last five attempts "
            "per task."
        )
        points = [
            {"submitted_at": p.submitted_at, "kind": p.kind, "score": p.score, "moving_mean": p.moving_mean}
            for p in dash.trend
        ]
        st.plotly_chart(trend_chart(points, height=420), key=f"{key}_trend", alt="Scores over time by task kind")
    with right, st.container(border=True, height="stretch"):
        st.markdown("**Criteria missed most often**")
        st.caption(
            f"Scored below {CRITERION_MET * 100:.0f} % on the criterion; "
            "the advice is from the latest grade that missed it."
        )
        if not dash.missed:
            st.write("Nothing missed so far.")
        for m in dash.missed[:4]:
            with st.container(border=False):
                head = st.columns([3, 2], vertical_alignment="center")
                head[0].markdown(f"**{escape_markdown(m.title)}**  \n{kind_label(m.kind)}")
                head[1].progress(min(1.0, m.missed / m.graded), text=f"missed {m.missed} of {m.graded}")
                if m.feedback:
                    st.caption(escape_markdown(m.feedback))


def history_frame(
    rows: list[AttemptRow], titles: Mapping[str, str], sector_name: Callable[[str], str] = sector_label
) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "Submitted": r.submitted_at,
                "Exercise": titles.get(r.exercise_id, r.exercise_id),
                "Task": kind_label(r.kind),
                "Sector": sector_name(r.sector),
                "Score": r.score,
                "Graded by": GRADED_BY.get(r.graded_by, r.graded_by),
            }
            for r in rows
        ],
        columns=["Submitted", "Exercise", "Task", "Sector", "Score", "Graded by"],
    )


def show_history(
    rows: list[AttemptRow], titles: Mapping[str, str], key: str, sector_name: Callable[[str], str] = sector_label
) -> None:
    st.dataframe(
        history_frame(rows, titles, sector_name),
        hide_index=True,
        key=f"{key}_history",
        alt="Graded attempts, newest first",
        column_config={
            "Submitted": st.column_config.DatetimeColumn(format="D MMM YYYY, HH:mm"),
            "Score": st.column_config.NumberColumn(format="%.0f", help="Out of 100", width="small"),
        },
    )


def attempt_label(row: AttemptRow, titles: Mapping[str, str]) -> str:
    when = row.submitted_at.strftime("%d %b") if row.submitted_at else ""
    who = " · instructor" if row.graded_by == "override" else ""
    return f"{titles.get(row.exercise_id, row.exercise_id)} · {row.score:.0f}{who} · {when}"


def show_grade_history(detail: AttemptDetail) -> None:
    """Every grade of the attempt, oldest first: who set it, when, and why."""
    rows = [
        {
            "Graded": g.grade.created_at,
            "By": g.author_name if g.grade.source == "override" else GRADED_BY.get(g.grade.source, g.grade.source),
            "Score": g.grade.total,
            "Reason": g.grade.reason or "",
            "In effect": g is detail.effective,
        }
        for g in detail.grades
    ]
    st.dataframe(
        pd.DataFrame(rows),
        hide_index=True,
        alt="Every grade of this attempt",
        column_config={
            "Graded": st.column_config.DatetimeColumn(format="D MMM YYYY, HH:mm"),
            "Score": st.column_config.NumberColumn(format="%.1f"),
        },
    )


def link(title: str, exercise_id: str) -> str:
    """A Markdown link to an exercise on the practice page, on the app's own host."""
    return f"[{escape_markdown(title)}](/?exercise={exercise_id})"


def assignment_rows(assignments: list[Any], titles: Mapping[str, str], now: datetime) -> pd.DataFrame:
    """The learner's assignments, overdue first marked, each linked to its exercise."""
    return pd.DataFrame(
        [
            {
                "Exercise": link(titles.get(a.exercise_id, a.exercise_id), a.exercise_id),
                "Cohort": escape_markdown(a.cohort_name),  # st.table renders Markdown
                "Due": "—" if a.due is None else f"{a.due:%d %b %Y}",
                "Status": (
                    f"Done · best {a.best:.0f}"
                    if a.best is not None
                    else ":red[**Overdue**]"
                    if a.overdue(now)
                    else "To do"
                ),
            }
            for a in sorted(assignments, key=lambda a: (not a.overdue(now), a.best is not None))
        ],
        columns=["Exercise", "Cohort", "Due", "Status"],
    )


def instructor_changes(history: list[Any], titles: Mapping[str, str], limit: int = 3) -> str | None:
    """A notice naming the latest grades an instructor set, or None."""
    changed = [r for r in history if r.graded_by == "override"]
    if not changed:
        return None
    named = "; ".join(
        f"{escape_markdown(titles.get(r.exercise_id, r.exercise_id))} (now {r.score:.0f})" for r in changed[:limit]
    )
    more = f" and {len(changed) - limit} more" if len(changed) > limit else ""
    return (
        f"Your instructor reviewed {len(changed)} of your grades: {named}{more}. "
        "Open them under **Attempts** to read why."
    )


def show_recommendation(rec: Recommendation | None, exercise: AnyExercise | None, key: str) -> bool:
    """The recommended next exercise; True when the learner asks to start it."""
    if rec is None or exercise is None:
        return False
    kind = kind_label(rec.kind)
    expected = getattr(rec, "expected", None)
    at_level = f" You can expect about {expected:.0f} on it: hard enough to learn from." if expected is not None else ""
    if rec.why == "untried":
        why = f"You have not tried **{kind}** yet: this is a good first one.{at_level}"
    elif rec.why == "review":
        why = f"You have not practised **{kind}** for a while: time to review it.{at_level}"
    elif rec.why == "weakest" and getattr(rec, "level", None):
        why = f"**{kind}** is your weakest task (level: {rec.level}).{at_level}"
    elif rec.why == "weakest":
        why = (
            f"**{kind}** is your weakest task (mean {rec.kind_mean:.0f} over {rec.kind_attempts} attempts). "
            f"This is a difficulty-{rec.difficulty} exercise you have not done yet."
        )
    else:
        why = "You have done every exercise: this is the one with your lowest best score, worth another go."
    sector = exercise.sector_name or sector_label(exercise.sector)
    with st.container(border=True, key=f"{key}_next", horizontal=True, vertical_alignment="center", gap="medium"):
        st.markdown(
            f":material/recommend: **Recommended next: {escape_markdown(exercise.title)}**  \n"
            f":gray[:small[{sector} · {kind} · difficulty {exercise.difficulty} · about {exercise.minutes} min]]"
            f"  \n{why}",
            width="stretch",
        )
        return st.button("Start", type="primary", key=f"{key}_start", icon=":material/play_arrow:", width=120)

"""Assessments (instructors): assign a timed assessment to a cohort with a window, see who has
started, submitted or run out of time, and allow another sitting."""

from datetime import UTC, datetime, time, timedelta

import pandas as pd
import streamlit as st

from exercises.assessment import draw, time_limit_s
from exercises.kinds import kind_label
from pages.common import bank, clock, engine, signed_in
from store import assessments, users
from store.db import session_scope
from store.items import criterion_rates, item_analysis
from store.models import row_id

user = signed_in()
exercises = bank()
titles = {eid: ex.title for eid, ex in exercises.exercises.items()}
st.title("Assessments")

with session_scope(engine()) as session:
    taught = users.cohorts_taught(session, user)
if not taught:
    st.info("Assessments are assigned to cohorts. Create a cohort on the Cohort page first.")
    st.stop()
cohort = st.selectbox("Cohort", taught, format_func=lambda c: c.name, key="assess_cohort")

with st.expander("Assign a new assessment", icon=":material/add:"), st.form("assign_assessment", clear_on_submit=False):
    title = st.text_input("Title", value="Mock assessment", max_chars=200)
    sector = st.selectbox(
        "Sector", [None, *exercises.sectors], format_func=lambda s: "Mixed" if s is None else exercises.sector_name(s)
    )
    level = st.segmented_control("Level", [1, 2, 3], default=2, required=True)
    picked = draw(exercises, sector, int(level or 2), seed=cohort.id or 0)
    st.caption("Tasks: " + "; ".join(f"{kind_label(e.kind)}: {e.title}" for e in picked))
    minutes = st.number_input("Time limit (minutes)", 10, 240, value=time_limit_s(picked) // 60, step=5)
    today = clock().date()
    window = st.date_input("Window (opens, closes)", value=(today, today + timedelta(days=7)))
    if st.form_submit_button("Assign to the cohort", type="primary"):
        if len(window) != 2:
            st.error("Pick the day the window opens and the day it closes.")
            st.stop()
        opens, closes = window
        with session_scope(engine()) as session:
            assessments.create_assessment(
                session,
                user,
                title,
                [e.id for e in picked],
                int(minutes) * 60,
                cohort_id=cohort.id,
                sector=sector,
                level=int(level or 2),
                opens_at=datetime.combine(opens, time.min, tzinfo=UTC),
                closes_at=datetime.combine(closes, time.max, tzinfo=UTC),
            )
        st.success("Assigned. Learners see it under Mock assessment while the window is open.")

with session_scope(engine()) as session:
    assigned = assessments.cohort_assessments(session, user, row_id(cohort))
if not assigned:
    st.caption("No assessment assigned to this cohort yet.")
    st.stop()

chosen = st.selectbox("Assessment", assigned, format_func=lambda a: f"{a.title} (#{a.id})", key="assess_pick")
with session_scope(engine()) as session:
    rows = assessments.sitting_status(session, user, row_id(chosen))
labels = {
    "not_started": "Not started",
    "in_progress": "Sitting now",
    "submitted": "Submitted",
    "timed_out": "Ran out of time",
}
counts = {label: sum(r.status == key for r in rows) for key, label in labels.items()}
cols = st.columns(4)
for col, (label, n) in zip(cols, counts.items(), strict=True):
    col.metric(label, n, border=True)
st.dataframe(
    pd.DataFrame(
        [{"Learner": r.name, "Status": labels[r.status], "Started": r.started_at, "Score": r.total} for r in rows]
    ),
    hide_index=True,
    alt="Each learner's sitting of this assessment",
)
with session_scope(engine()) as session:
    items = [
        i
        for i in item_analysis(session, user, row_id(cohort), mode="assessment")
        if i.exercise_id in chosen.exercise_ids
    ]
    rates = [
        r
        for r in criterion_rates(session, user, row_id(cohort), mode="assessment")
        if r.exercise_id in chosen.exercise_ids
    ]
if items:
    st.markdown("**Item analysis (assessment attempts)**")
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "Exercise": titles.get(i.exercise_id, i.exercise_id),
                    "Learners": i.learners,
                    "Difficulty (mean score)": round(i.mean, 1),
                    "Discrimination": None if i.discrimination is None else round(i.discrimination, 2),
                }
                for i in items
            ]
        ),
        hide_index=True,
        alt="Difficulty and discrimination of each task in this assessment",
    )
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "Exercise": r.exercise_id,
                    "Criterion": r.criterion_id,
                    "Met": f"{r.met}/{r.graded}",
                    "Mean score": round(r.mean, 2),
                }
                for r in rates
            ]
        ),
        hide_index=True,
        alt="How often each criterion was met in this assessment",
    )
done = [r for r in rows if r.status in ("submitted", "timed_out")]
if done:
    with st.form("extra_sitting"):
        who = st.selectbox("Allow another sitting for", done, format_func=lambda r: r.name)
        if st.form_submit_button("Allow one more sitting"):
            with session_scope(engine()) as session:
                assessments.grant_extra_sitting(session, user, row_id(chosen), who.user_id)
            st.success(f"{who.name} may sit it once more.")

"""Assessments (instructors): assign a timed assessment to a cohort with a window, see who has
started, submitted or run out of time, and allow another sitting."""

import secrets
from datetime import UTC, datetime, time, timedelta

import pandas as pd
import streamlit as st

from exercises.assessment import draw, time_limit_s
from exercises.kinds import kind_label
from pages.common import bank, clock, engine, grade_now, signed_in
from store import assessments, integrity, users
from store.db import session_scope
from store.items import criterion_rates, item_analysis
from store.models import Role, row_id
from ui.text import escape_markdown

user = signed_in(Role.instructor, Role.admin)
exercises = bank()
titles = {eid: ex.title for eid, ex in exercises.exercises.items()}
st.title("Assessments")

with session_scope(engine()) as session:
    taught = users.cohorts_taught(session, user)
if not taught:
    st.info("Assessments are assigned to cohorts. Create a cohort on the Cohort page first.")
    st.stop()
cohort = st.selectbox("Cohort", taught, format_func=lambda c: c.name, key="assess_cohort")

with st.expander("Assign a new assessment", icon=":material/add:"):
    # Sector and level sit outside the form so the preview and the suggested time follow them; the time limit
    # has a key, so a minute count typed in is never replaced by the suggestion for new tasks.
    sector = st.selectbox(
        "Sector",
        [None, *exercises.sectors],
        format_func=lambda s: "Mixed" if s is None else exercises.sector_name(s),
        key="assess_sector",
    )
    level = st.segmented_control("Level", [1, 2, 3], default=2, required=True, key="assess_level")
    # A preview only: each sitting draws its own paper when it starts (store/assessments.start).
    seed = st.session_state.setdefault("assess_preview_seed", secrets.randbits(32))
    picked = draw(exercises, sector, int(level or 2), seed=seed)
    suggested = time_limit_s(picked) // 60
    st.caption(
        "For example: "
        + "; ".join(f"{kind_label(e.kind)}: {e.title}" for e in picked)
        + ". Each learner's sitting draws its own four tasks at this level, from those they have not practised. "
        + f"Suggested time: {suggested} min."
    )
    form = st.form("assign_assessment", clear_on_submit=False)
with form:
    title = st.text_input("Title", value="Mock assessment", max_chars=200)
    minutes = st.number_input("Time limit (minutes)", 10, 240, value=suggested, step=5, key="assess_minutes")
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
# Sittings whose learner never came back are closed (and graded) at their limit, here on the server.
assessments.settle(engine(), exercises, grade_now, clock(), assessment_id=row_id(chosen))
with session_scope(engine()) as session:
    rows = assessments.sitting_status(session, user, row_id(chosen))
    seen = integrity.exposure(session, user, row_id(cohort), row_id(chosen))
    drawn = {e.exercise_id for e in seen}
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
    own = assessments.assessment_attempts(row_id(chosen))  # this assessment's sittings, not every mock
    items = item_analysis(session, user, row_id(cohort), only=own)
    rates = criterion_rates(session, user, row_id(cohort), only=own)
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
            st.success(f"{escape_markdown(who.name)} may sit it once more.")
if seen:
    st.markdown("**Item exposure: how often each task of this assessment was drawn, and practised by the cohort**")
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "Exercise": titles.get(e.exercise_id, e.exercise_id),
                    "Sittings that drew it": e.sittings,
                    "Learners who practised it": e.practised_by,
                }
                for e in seen
            ]
        ),
        hide_index=True,
        alt="How often each item was drawn, and how many learners practised it",
    )

"""Cohort (instructors): learners and their scores, their work, and grade overrides."""

import pandas as pd
import streamlit as st

from exercises.model import KIND_LABELS, Kind
from pages.common import bank, engine
from store import attempts, dashboards, users
from store.access import AccessDenied
from store.db import session_scope
from ui import state
from ui.attempt_view import show_answer, show_attempt

user = st.session_state[state.USER]
exercises = bank()
st.title("Cohort")

with session_scope(engine()) as session:
    taught = users.cohorts_taught(session, user)

with st.expander("Create a cohort"):
    name = st.text_input("Cohort name", key="new_cohort_name", max_chars=200)
    if st.button("Create", key="create_cohort") and name.strip():
        with session_scope(engine()) as session:
            created = users.create_cohort(session, user, name)
        st.success(f"Cohort created. Learners join with the code **{created.join_code}**.")
        st.rerun()

if not taught:
    st.info("You don't teach a cohort yet. Create one above and share its join code.")
    st.stop()

cohort = st.selectbox("Cohort", taught, format_func=lambda c: c.name, key="cohort_pick")
st.caption(f"Join code: **{cohort.join_code}**")
with session_scope(engine()) as session:
    summary = dashboards.cohort_overview(session, user, cohort.id)

active = [s for s in summary if s.attempts]
c1, c2, c3 = st.columns(3)
c1.metric("Learners", len(summary), border=True)
c2.metric("Active learners", len(active), border=True)
c3.metric("Graded attempts", sum(s.attempts for s in summary), border=True)

table = pd.DataFrame(
    [
        {
            "Learner": s.name,
            "Attempts": s.attempts,
            "Mean": s.mean_total,
            **{KIND_LABELS[k]: s.by_kind.get(k) for k in Kind},
        }
        for s in summary
    ]
)
st.dataframe(table, hide_index=True, alt="Learners in this cohort with mean scores by task")

learner = st.selectbox("Learner", summary, format_func=lambda s: s.name, key="cohort_learner")
if learner is None:
    st.stop()
try:
    with session_scope(engine()) as session:
        rows = attempts.history(session, user, learner.user_id)
except AccessDenied:
    st.error("You can only see learners in cohorts you teach.")
    st.stop()
if not rows:
    st.caption(f"{learner.name} has no graded attempts yet.")
    st.stop()
titles = {eid: ex.title for eid, ex in exercises.exercises.items()}
pick = st.selectbox(
    "Attempt",
    [r.attempt_id for r in rows],
    key="cohort_attempt",
    format_func=lambda a: next(
        f"{titles.get(r.exercise_id, r.exercise_id)} · {r.total:.0f} ({r.source})" for r in rows if r.attempt_id == a
    ),
)
with session_scope(engine()) as session:
    detail = attempts.attempt_detail(session, user, pick)
left, right = st.columns(2, gap="medium")
with left:
    st.markdown("**Submission**")
    show_answer(detail.payload)
with right:
    show_attempt(detail, exercises.get(detail.attempt.exercise_id), exercises.tools)
    with st.form("override", clear_on_submit=True):
        st.markdown("**Override this grade**")
        current = detail.effective.grade.total if detail.effective else 0.0
        new_total = st.number_input("New total", min_value=0.0, max_value=100.0, value=float(current), step=1.0)
        reason = st.text_area("Reason (the learner sees it)", max_chars=2000)
        if st.form_submit_button("Save override"):
            if not reason.strip():
                st.error("Give a reason: the learner sees it next to the grade.")
            else:
                with session_scope(engine()) as session:
                    attempts.record_override(session, user, pick, new_total, reason)
                st.success("Override saved; the automatic grade stays in the history.")
                st.rerun()

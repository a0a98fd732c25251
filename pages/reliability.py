"""Grader reliability (instructors): how often your reviews and overrides agree with the automatic
grade, per exercise, criterion and grader version, and which graders need attention."""

from datetime import timedelta

import pandas as pd
import streamlit as st

from grading import grade
from pages.common import bank, database_guard, engine, judge, signed_in
from store import jobs, users
from store.db import session_scope
from store.models import Role, row_id
from store.reliability import grader_reliability

user = signed_in(Role.instructor, Role.admin)
exercises = bank()
titles = {eid: ex.title for eid, ex in exercises.exercises.items()}


active_judge = judge()  # resolved here: the worker thread has no Streamlit context


def regrade_score(exercise, submission):
    return grade(exercise, submission, judge=active_judge, tools=exercises.tools)


st.title("Grader reliability")
st.caption(
    "Each overridden grade is a second opinion on the grader. Agreement is the quadratic weighted kappa on score "
    "bands (totals) or Cohen's kappa on met / not met (criteria); the mean difference is yours minus the grader's."
)
with session_scope(engine()) as session:
    rows = grader_reliability(session, user)
    taught = users.cohorts_taught(session, user)

if taught:
    with st.expander("Regrade a cohort with the current grader", icon=":material/autorenew:"):
        st.caption(
            "Adds a new automatic grade to every graded attempt in scope (overrides still win). It runs on the "
            "server, so you can leave or reload this page; each attempt is graded once per run."
        )
        cohort = st.selectbox("Cohort", taught, format_func=lambda c: c.name, key="regrade_cohort")
        choices = [None, *sorted(exercises.exercises)]
        only = st.selectbox(
            "Exercise", choices, format_func=lambda e: "All exercises" if e is None else e, key="regrade_exercise"
        )
        if st.button("Start regrading", key="regrade_start", icon=":material/play_arrow:"):
            with session_scope(engine()) as session:
                job = jobs.create_regrade(session, user, row_id(cohort), only)
            jobs.start_in_background(engine(), row_id(job), exercises, regrade_score)
            st.toast(f"Regrading {job.total} attempts in the background.")

        @st.fragment(run_every=timedelta(seconds=2))
        @database_guard()
        def progress() -> None:
            with session_scope(engine()) as session:
                recent = jobs.cohort_jobs(session, user, row_id(cohort))
            for job in recent:
                if job.status == "running" and job.heartbeat_at is not None:
                    jobs.start_in_background(
                        engine(), row_id(job), exercises, regrade_score
                    )  # resume if its server died
                share = (job.done + job.failed) / job.total if job.total else 1.0
                label = f"Job {job.id} · {job.exercise_id or 'all exercises'} · {job.status} · {job.done} regraded"
                if job.failed:
                    label += f", {job.failed} failed"
                st.progress(min(1.0, share), text=label)

        progress()

if not rows:
    st.info("No overrides yet in the cohorts you teach: agreement appears here once you review grades.")
    st.stop()

table = pd.DataFrame(
    [
        {
            "Exercise": titles.get(r.exercise_id, r.exercise_id),
            "Criterion": r.criterion_id or "Total",
            "Grader version": r.grader_version,
            "Reviews": r.reviews,
            "Agreement (kappa)": r.kappa,
            "Mean difference": r.mean_difference,
            "Same band / decision": r.same_band_share,
            "Needs attention": (r.kappa is not None and r.kappa < 0.6)
            or abs(r.mean_difference) > (10 if r.criterion_id is None else 0.2),
        }
        for r in rows
    ]
)
attention = table[(table["Criterion"] == "Total") & table["Needs attention"]]
st.metric("Exercises whose grader needs attention", len(attention), border=True)
st.dataframe(
    table,
    hide_index=True,
    alt="Agreement between instructors' overrides and the automatic grade",
    column_config={
        "Agreement (kappa)": st.column_config.NumberColumn(format="%.2f"),
        "Same band / decision": st.column_config.ProgressColumn(min_value=0, max_value=1, format="percent"),
    },
)
st.download_button(
    "Export as CSV",
    table.to_csv(index=False),
    file_name="grader-reliability.csv",
    mime="text/csv",
    icon=":material/download:",
    key="reliability_csv",
)

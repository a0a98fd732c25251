"""My progress: competency by task and sector against the cohort's median learner, the trend,
the criteria missed most, what to practise next, and every graded attempt with its feedback."""

import streamlit as st

from pages.common import bank, clock, engine, learner_dashboard, signed_in
from store import dashboards, users
from store.attempts import attempt_detail
from store.db import session_scope
from store.models import row_id
from ui.attempt_view import show_answer, show_attempt
from ui.mastery_view import show_mastery
from ui.progress_view import (
    assignment_rows,
    attempt_label,
    instructor_changes,
    show_grade_history,
    show_history,
    show_kpis,
    show_profile,
    show_recommendation,
    show_trend_and_misses,
)
from ui.text import escape_markdown

user = signed_in()
exercises = bank()
titles = {eid: ex.title for eid, ex in exercises.exercises.items()}


st.title("My progress")
with session_scope(engine()) as session:
    joined = users.cohorts_joined(session, user)
    version = dashboards.data_version(session)

head = st.columns([4, 1], vertical_alignment="center")
with head[1].popover("Join a cohort", icon=":material/group_add:", width="stretch"):
    code = st.text_input("Join code from your instructor", max_chars=32, key="progress_join_code")
    if st.button("Join", key="progress_join", type="primary") and code.strip():
        with session_scope(engine()) as session:
            cohort = users.join_cohort(session, user, code)
        if cohort is None:
            st.error("No cohort has that code. Check it with your instructor.")
        else:
            st.session_state["progress_cohort"] = cohort.id
            st.rerun()

cohort_id: int | None = None
if len(joined) > 1:
    cohort_id = head[0].selectbox(
        "Compare with",
        [row_id(c) for c in joined],
        format_func=lambda i: next(c.name for c in joined if c.id == i),
        key="progress_cohort",
    )
elif joined:
    cohort_id = row_id(joined[0])
    head[0].caption(
        f"In **{escape_markdown(joined[0].name)}**: compared with its median learner, never with anyone by name."
    )
else:
    head[0].caption("Practising on your own. Join a cohort with your instructor's code to compare with its median.")

dash = learner_dashboard(row_id(user), row_id(user), cohort_id, version)
rec = dash.recommendation
if show_recommendation(rec, exercises.get(rec.exercise_id) if rec else None, key="progress"):
    assert rec is not None
    target = {"exercise": rec.exercise_id} | ({"variant": str(rec.variant_seed)} if rec.variant_seed else {})
    st.switch_page("pages/practice.py", query_params=target)

if dash.assignments:
    todo = sum(a.best is None for a in dash.assignments)
    late = sum(a.overdue(clock()) for a in dash.assignments)
    heading = f"Assigned to you: {todo} to do" if todo else "Assigned to you: all done"
    heading += f", {late} overdue" if late else ""
    with st.expander(heading, icon=":material/assignment:", expanded=bool(todo)):
        st.table(
            assignment_rows(dash.assignments, titles, clock()),
            hide_index=True,
            alt="Exercises assigned to you, overdue first, each linked",
        )

if notice := instructor_changes(dash.history, titles):
    st.info(notice, icon=":material/rate_review:")

if not dash.history:
    st.info(
        "No graded attempts yet. Open **Practice**, pick an exercise and submit it: your scores, trend and feedback "
        "appear here.",
        icon=":material/info:",
    )
    st.stop()

show_kpis(dash, key="progress")
if dash.mastery is not None:
    show_mastery(dash.mastery, key="progress")
# Only the open tab runs (Streamlit's lazy tabs): a visit draws one section, not every chart.
competency_tab, trend_tab, attempts_tab = st.tabs(
    ["Competency", "Trend and misses", "Attempts"], key="progress_tab", on_change="rerun"
)
if competency_tab.open:
    with competency_tab:
        show_profile(dash, key="progress", sector_name=exercises.sector_name)
if trend_tab.open:
    with trend_tab:
        show_trend_and_misses(dash, key="progress")
if attempts_tab.open:
    with attempts_tab:
        show_history(dash.history, titles, key="progress", sector_name=exercises.sector_name)
        rows = {r.attempt_id: r for r in dash.history}
        choice = st.selectbox(  # none open by default: the latest grade was shown where it was submitted
            "Open an attempt",
            list(rows),
            index=None,
            placeholder="Choose an attempt to see its feedback and your answer",
            key="progress_attempt",
            format_func=lambda a: attempt_label(rows[a], titles),
        )
        if choice is not None:
            with session_scope(engine()) as session:
                detail = attempt_detail(session, user, choice)
            show_attempt(
                detail, exercises.variant(detail.attempt.exercise_id, detail.attempt.variant_seed), exercises.tools
            )
            if len(detail.grades) > 1:
                st.markdown("**Grade history**")
                show_grade_history(detail)
            with st.expander("Your answer as submitted"):
                show_answer(detail.payload)

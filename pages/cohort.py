"""Cohort (instructors): how the cohort is doing, each learner's progress and work, which
exercises and rubric criteria work, the review queue with overrides, members, assignments and
the CSV export."""

from collections.abc import Callable
from datetime import UTC, datetime, time

import streamlit as st

from exercises.kinds import kind_label
from pages.common import CACHE_TTL, bank, database_guard, engine, learner_dashboard, signed_in
from store import assignments, dashboards, export, mastery, review, users
from store.access import AccessDenied
from store.attempts import attempt_detail
from store.db import session_scope
from store.items import MIN_ITEM_LEARNERS, WEAK_DISCRIMINATION, criteria_by_kind
from store.models import Role, User, row_id
from ui import state
from ui.attempt_view import show_answer, show_attempt
from ui.cohort_view import show_exercises, show_members, show_overview
from ui.kinds import show_reference
from ui.mastery_view import show_cohort_levels, show_mastery, show_variant_stats
from ui.progress_view import (
    attempt_label,
    show_grade_history,
    show_history,
    show_kpis,
    show_profile,
    show_trend_and_misses,
)
from ui.review_view import FLASH, FLASH_INFO, OverrideRequest, confirm_override, override_form, show_queue, step_pick
from ui.text import escape_markdown

user = signed_in(Role.instructor, Role.admin)
exercises = bank()
titles = {eid: ex.title for eid, ex in exercises.exercises.items()}
VIEWS = [
    ":material/dashboard: Overview",
    ":material/person_search: Learners",
    ":material/quiz: Exercises",
    ":material/rate_review: Review queue",
    ":material/group: Members and assignments",
]


@st.cache_data(ttl=CACHE_TTL, max_entries=128, show_spinner=False)
def load(viewer_id: int, cohort_id: int, version: tuple[int, ...]) -> dashboards.CohortDashboard:
    """Cached per data version: a new grade or override anywhere changes the key at once."""
    with session_scope(engine()) as session:
        viewer = session.get(User, viewer_id)
        assert viewer is not None
        return dashboards.cohort_dashboard(session, viewer, cohort_id)


@st.cache_data(ttl=CACHE_TTL, max_entries=128, show_spinner=False)
def load_exercises(viewer_id: int, cohort_id: int, version: tuple[int, ...]) -> dashboards.ExerciseReport:
    with session_scope(engine()) as session:
        viewer = session.get(User, viewer_id)
        assert viewer is not None
        return dashboards.exercise_report(session, viewer, cohort_id)


def csv_for(viewer_id: int, cohort_id: int) -> Callable[[], str]:
    """The export, built only when the instructor clicks (it can be large)."""

    def build() -> str:
        with session_scope(engine()) as session:
            viewer = session.get(User, viewer_id)
            assert viewer is not None
            return export.cohort_csv(session, viewer, cohort_id)

    return build


@database_guard()  # a callback runs outside the page's guard
def create_cohort() -> None:
    name = st.session_state.get("new_cohort_name", "")
    if name.strip():
        with session_scope(engine()) as session:
            created = users.create_cohort(session, user, name)
        st.session_state["cohort_pick"] = created.id
        st.session_state[FLASH] = f"Cohort created. Learners join with the code {created.join_code}."


def review_attempt(attempt_id: int, key: str, confirm: bool) -> None:
    """The submission beside its grade, with the override form (and, from the queue, confirm)."""
    try:
        with session_scope(engine()) as session:
            detail = attempt_detail(session, user, attempt_id)
    except AccessDenied:
        st.error("You can only see the work of learners in cohorts you teach.")
        return
    exercise = exercises.variant(detail.attempt.exercise_id, detail.attempt.variant_seed)
    view = detail.effective
    # As in Gradescope: the work and what it answers on the left, the rubric and the grade on the right.
    left, right = st.columns([1, 1], gap="medium")
    with left:
        with st.container(border=True):
            st.markdown("**Submission**")
            show_answer(detail.payload, exercise, exercises.tools)
        if exercise is not None:
            with st.expander("The exercise: " + exercise.title):
                st.markdown(exercise.brief)
            with st.expander("Reference answer"):
                show_reference(exercise, exercises.tools)
    with right:
        show_attempt(detail, exercise, exercises.tools)
        if len(detail.grades) > 1:
            st.markdown("**Grade history**")
            show_grade_history(detail)
        if view is not None:
            if confirm and st.button("Confirm the grade as it is", key=f"{key}_confirm", icon=":material/check:"):
                with session_scope(engine()) as session:
                    review.confirm_grade(session, user, attempt_id)
                st.session_state[FLASH] = (
                    "Grade confirmed: it leaves the review queue, and the learner sees it was reviewed."
                )
                st.rerun()
            rubric = {c.id: c.description for c in exercise.rubric} if exercise else {}
            # keyed by the grade: moving to another attempt (or after a save) starts from its own values
            form_key = f"{key}-{attempt_id}-{view.grade.id}"
            pending: dict[str, OverrideRequest] = st.session_state[state.PENDING_OVERRIDE]
            for other in [k for k in pending if k != form_key]:  # another grade's unconfirmed request lapses
                del pending[other]
            request = override_form(form_key, view.grade.total, view.criteria, rubric)
            if request is not None:
                pending[form_key] = request  # asked for; saved only once confirmed
            request = pending.get(form_key)
            if request is None:
                return
            weights = {c.criterion_id: c.weight for c in view.criteria}
            old = {c.criterion_id: c.score for c in view.criteria}
            new_total = (
                request.total
                if request.total is not None
                else review.override_total(view.grade.total, weights, old, request.criteria)
            )
            titles = {c.criterion_id: c.title for c in view.criteria}
            decision = confirm_override(form_key, request, view.grade.total, new_total, titles)
            if decision is None:
                return
            pending.pop(form_key, None)
            if not decision:
                st.session_state[FLASH_INFO] = "Override cancelled: nothing was saved."
                st.rerun()
            try:
                with session_scope(engine()) as session:
                    saved = review.override_grade(
                        session, user, attempt_id, request.reason, request.total, request.criteria
                    )
            except (AccessDenied, ValueError) as exc:
                st.error(str(exc), title="Not saved")
            else:
                st.session_state[FLASH] = (
                    f"Override saved: the grade is now {saved.total:.1f}. The earlier grade stays in the history."
                )
                st.rerun()


st.title("Cohort")
if flash := st.session_state.pop(FLASH, None):
    st.success(flash, icon=":material/check_circle:")
if news := st.session_state.pop(FLASH_INFO, None):
    st.info(news, icon=":material/info:")

with session_scope(engine()) as session:
    taught = users.cohorts_taught(session, user)
    version = dashboards.data_version(session)

head = st.columns([3, 1, 1], vertical_alignment="bottom")
with head[2].popover("New cohort", icon=":material/add:", width="stretch"):
    st.text_input("Cohort name", key="new_cohort_name", max_chars=200)
    st.button("Create", key="create_cohort", type="primary", on_click=create_cohort)

if not taught:
    st.info("You don't teach a cohort yet. Create one with **New cohort** and share its join code.")
    st.stop()

by_id = {row_id(c): c for c in taught}
cohort_id = head[0].selectbox("Cohort", list(by_id), format_func=lambda i: by_id[i].name, key="cohort_pick")
cohort = by_id[cohort_id]
head[1].download_button(
    "Export CSV",
    data=csv_for(row_id(user), cohort_id),
    file_name=f"baton-cohort-{cohort_id}-attempts.csv",
    mime="text/csv",
    icon=":material/download:",
    key="cohort_export",
    width="stretch",
    help="Every graded attempt of this cohort's learners: the grade in effect, overrides, and each criterion's score",
)

dash = load(row_id(user), cohort_id, version)
s = dash.summary
st.caption(f"Join code **{cohort.join_code}** · {s.learners} learners · {s.attempts:,} graded attempts")

# Only the open tab runs (each holds charts, and two of them a grade view with fixed keys).
tabs = st.tabs(VIEWS, key="cohort_view", on_change="rerun")

# --- overview ---------------------------------------------------------------------------
if tabs[0].open:
    with tabs[0]:
        show_overview(dash, dashboards.ACTIVE_DAYS)
        with session_scope(engine()) as session:
            levels = mastery.cohort_levels(session, user, cohort_id, exercises)
        show_cohort_levels(levels, key="cohort")

# --- one learner --------------------------------------------------------------------------
if tabs[1].open:
    with tabs[1]:
        people = {p.user_id: p for p in dash.learners}
        learner_id = st.selectbox(
            "Learner",
            list(people),
            key="cohort_learner",
            format_func=lambda i: (
                people[i].name + ("" if people[i].mean_total is None else f" · mean {people[i].mean_total:.0f}")
            ),
        )
        if learner_id is not None:
            ldash = learner_dashboard(row_id(user), learner_id, cohort_id, version)
            if not ldash.history:
                st.caption(f"{escape_markdown(people[learner_id].name)} has no graded attempts yet.")
            else:
                show_kpis(ldash, key="cohort_learner")
                if ldash.mastery is not None:
                    show_mastery(ldash.mastery, key="cohort_learner")
                show_profile(ldash, key="cohort_learner", whose="their", sector_name=exercises.sector_name)
                show_trend_and_misses(ldash, key="cohort_learner")
                st.markdown("**Attempts**")
                show_history(ldash.history, titles, key="cohort_learner", sector_name=exercises.sector_name)
                rows = {r.attempt_id: r for r in ldash.history}
                pick = st.selectbox(
                    "Open an attempt",
                    list(rows),
                    key="cohort_attempt",
                    format_func=lambda a: attempt_label(rows[a], titles),
                )
                if pick is not None:
                    review_attempt(pick, key="learner_override", confirm=False)


# --- exercises ----------------------------------------------------------------------------
if tabs[2].open:
    with tabs[2]:
        report = load_exercises(row_id(user), cohort_id, version)
        show_exercises(
            report, exercises.exercises, criteria_by_kind(report.criteria), WEAK_DISCRIMINATION, MIN_ITEM_LEARNERS
        )
        show_variant_stats(report.variants, titles, key="cohort")

# --- review queue -------------------------------------------------------------------------
if tabs[3].open:
    with tabs[3]:
        if not dash.review:
            st.success("Nothing is waiting for review.", icon=":material/task_alt:")
        else:
            more = f" The oldest {len(dash.review)} are listed." if s.waiting_review > len(dash.review) else ""
            st.caption(
                f"{s.waiting_review} grade(s) wait for a person: text addressed to the grader first, then grades "
                "the grader flagged, then ones the judge could not check or disagreed with; oldest first."
                f"{more} Confirming or overriding a grade takes it off the queue."
            )
            show_queue(dash.review, titles, key="review_table")
            queue = {i.attempt_id: i for i in dash.review}
            if st.session_state.get("review_pick") not in queue:
                st.session_state["review_pick"] = next(iter(queue))
            row = st.container(horizontal=True, vertical_alignment="bottom", key="review_nav")
            order = list(queue)
            row.button(
                "Previous",
                key="review_prev",
                icon=":material/arrow_back:",
                on_click=step_pick,
                args=("review_pick", order, -1),
                disabled=st.session_state["review_pick"] == order[0],
            )
            pick = row.selectbox(
                "Review",
                order,
                key="review_pick",
                format_func=lambda a: (
                    f"{order.index(a) + 1} of {len(order)}: {queue[a].learner} · "
                    f"{titles.get(queue[a].exercise_id, queue[a].exercise_id)} · {queue[a].score:.0f}"
                ),
                width=520,
            )
            row.button(
                "Next",
                key="review_next",
                icon=":material/arrow_forward:",
                on_click=step_pick,
                args=("review_pick", order, 1),
                disabled=st.session_state["review_pick"] == order[-1],
            )
            if pick is not None:
                review_attempt(pick, key="review_override", confirm=True)


# --- members and assignments --------------------------------------------------------------
if tabs[4].open:
    with tabs[4]:
        show_members(dash, cohort.join_code, titles)
        with st.form("assign_form", border=True):
            st.markdown("**Assign exercises**")
            chosen_ids = st.multiselect(
                "Exercises",
                sorted(titles, key=lambda e: titles[e]),
                format_func=lambda e: f"{titles[e]} ({kind_label(exercises.exercises[e].kind)})",
                key="assign_exercises",
            )
            due = st.date_input("Due (optional)", value=None, key="assign_due")
            limit = st.number_input(
                "Attempts allowed before the due date (0: no limit)", 0, 20, value=0, key="assign_limit"
            )
            hide = st.checkbox(
                "Hide the reference answer until the due date",
                key="assign_hide_reference",
                help="Learners then cannot copy the reference into a resubmission before the due date.",
            )
            if st.form_submit_button("Assign", type="primary", icon=":material/assignment_add:") and chosen_ids:
                due_at = datetime.combine(due, time(23, 59), tzinfo=UTC) if due else None
                try:
                    with session_scope(engine()) as session:
                        added = assignments.assign(
                            session, user, cohort_id, chosen_ids, due_at, int(limit) or None, hide
                        )
                except ValueError as exc:
                    st.error(str(exc).capitalize() + ".")
                else:
                    st.session_state[FLASH] = f"{added} exercise(s) assigned; learners see them on My progress."
                    st.rerun()
        if dash.assignments:
            remove_cols = st.columns([3, 1], vertical_alignment="bottom")
            gone = remove_cols[0].selectbox(
                "Remove an assignment",
                [a.exercise_id for a in dash.assignments],
                format_func=lambda e: titles.get(e, e),
                key="unassign_pick",
            )
            if remove_cols[1].button("Remove", key="unassign", width="stretch") and gone:
                with session_scope(engine()) as session:
                    assignments.unassign(session, user, cohort_id, gone)
                st.session_state[FLASH] = "Assignment removed."
                st.rerun()

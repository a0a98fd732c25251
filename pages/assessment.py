"""Mock assessment: the rules first, then four tasks against the clock, a confirmation that names
what is unanswered, and feedback only when all four are submitted."""

import secrets
from datetime import datetime, timedelta

import streamlit as st

from exercises.assessment import draw, time_limit_s
from exercises.kinds import kind_label, task_kind
from exercises.model import AnyExercise
from exercises.submission import draft_too_large, is_blank
from grading.report import CriterionResult, build_report
from pages.common import bank, clock, database_guard, engine, grade_now, signed_in
from store import assessments, attempts
from store.access import AccessDenied
from store.assessments import AssessmentClosed
from store.db import session_scope
from store.models import row_id
from ui import state
from ui.form_scope import SITTING_SCOPE
from ui.forms import submission_form
from ui.report_view import report_html, show_report
from ui.text import escape_markdown

user = signed_in()
exercises = bank()
now = clock()
st.title("Mock assessment")


score = grade_now


def when(value: datetime) -> str:
    return f"{value:%d %b %Y, %H:%M} UTC"


def show_rules(tasks: list[AnyExercise], limit_s: int, closes: datetime | None) -> None:
    """What a proctored test states before its clock starts."""
    st.markdown(f"**{len(tasks)} tasks, {limit_s // 60} minutes.** The clock starts when you press the button below.")
    # the kinds only: an assigned assessment draws each sitting's own exercises as its clock starts
    st.markdown("\n".join(f"{i}. {kind_label(t.kind)}" for i, t in enumerate(tasks, start=1)))
    closing = f" The assessment closes at {when(closes)}; your time ends then at the latest." if closes else ""
    st.markdown(
        "- **No feedback until the end**: grades and the report come when you submit all the tasks.\n"
        "- **Your answers save as you work.** The clock runs on the server: closing or reloading the page "
        "does not stop it.\n"
        "- **When the time is up**, what you have written is submitted.\n"
        "- A task left blank is reported as **not attempted** and counts as 0." + closing
    )


with session_scope(engine()) as session:
    active = assessments.active_sitting(session, user)

if active is not None:
    with session_scope(engine()) as session:
        sitting, assessment = assessments.sitting_for(session, user, row_id(active))
        saved_drafts = assessments.drafts(session, row_id(active))
    deadline = assessments.deadline(sitting)
    if now >= deadline:
        finished = assessments.finish(engine(), user, row_id(sitting), exercises, score, now)
        st.query_params["report"] = str(finished.id)
        st.rerun()

    st.subheader(escape_markdown(assessment.title))
    if (closing := assessments.closes(assessment)) is not None:
        st.caption(f"Closes {when(closing)}.")

    @st.fragment(run_every=timedelta(seconds=1))
    @database_guard()
    def countdown() -> None:
        left = max(0, int((deadline - clock()).total_seconds()))
        st.metric(
            "Time left",
            f"{left // 3600:d}:{left % 3600 // 60:02d}:{left % 60:02d}",
            border=True,
            help="Counted from the server's start time; a reload does not reset it.",
        )
        if left == 0:
            st.rerun(scope="app")  # the page then submits what was written

    countdown()
    st.caption(
        "Your answers are saved as you work. No feedback until you submit all four tasks; "
        "when the time is up, what you have written is submitted."
    )
    base = state.per_exercise(state.SITTING_BASE)
    last = state.per_exercise(state.SITTING_SAVED)
    tasks = list(assessments.sitting_exercises(exercises, sitting, assessment).values())
    unanswered: list[str] = []
    tabs = st.tabs([f"{i}. {kind_label(t.kind)}" if t else f"{i}." for i, t in enumerate(tasks, start=1)])
    for tab, exercise in zip(tabs, tasks, strict=True):
        if exercise is None:
            tab.error("This exercise is no longer in the bank; it will be graded as empty.")
            continue
        with tab:
            key = f"{sitting.id}:{exercise.id}"
            if key not in base:
                base[key] = saved_drafts.get(exercise.id, {})
                last[key] = base[key]
            st.markdown(f"#### {exercise.title}")
            if exercise.variant_seed:  # a variant the learner has not seen (drawn when the sitting started)
                st.caption(f"Variant {exercise.variant_seed}")
            st.markdown(exercise.brief)
            with st.expander("How this is marked"):
                for c in exercise.scored_rubric:
                    st.markdown(f"- **{c.title}** ({c.weight:g} %): {c.description}")
            result = submission_form(exercise, exercises.tools, base[key], scope=f"{SITTING_SCOPE}{sitting.id}:")
            if is_blank(task_kind(exercise.kind).submission.salvage(result.payload)):
                unanswered.append(f"{tasks.index(exercise) + 1}. {kind_label(exercise.kind)}")
            if result.payload != last.get(key) and draft_too_large(result.payload) is None:
                with database_guard():
                    with session_scope(engine()) as session:
                        kept = assessments.save_draft(session, user, row_id(sitting), exercise.id, result.payload, now)
                    if kept:
                        last[key] = result.payload
    if st.session_state[state.CONFIRM_FINISH] != row_id(sitting):
        if st.button("Submit all four tasks", type="primary", key="finish_sitting", icon=":material/task_alt:"):
            st.session_state[state.CONFIRM_FINISH] = row_id(sitting)
            st.rerun()
        st.stop()
    with st.container(border=True, key="confirm_box"):
        if unanswered:
            st.warning(
                "Not answered yet: " + "; ".join(unanswered) + ". They will be reported as not attempted.",
                title="Submit with tasks unanswered?",
            )
        else:
            st.info("You cannot change your answers after this.", title="Submit all four tasks?")
        row = st.container(horizontal=True)
        if row.button("Submit now", type="primary", key="confirm_finish", icon=":material/task_alt:"):
            st.session_state[state.CONFIRM_FINISH] = None
            finished = assessments.finish(engine(), user, row_id(sitting), exercises, score, clock())
            st.query_params["report"] = str(finished.id)
            st.rerun()
        if row.button("Keep working", key="cancel_finish"):
            st.session_state[state.CONFIRM_FINISH] = None
            st.rerun()
    st.stop()

# Complete any finish of this learner's that was interrupted (the open sitting is handled above).
assessments.settle(engine(), exercises, score, now, user_id=user.id)
report_id = st.query_params.get("report")
if report_id:
    try:
        with session_scope(engine()) as session:
            sitting, assessment = assessments.sitting_for(session, user, int(report_id))
            answered = assessments.results(session, user, row_id(sitting))
            seconds = assessments.task_times(session, user, row_id(sitting))
            details = {eid: attempts.attempt_detail(session, user, aid) for eid, aid in answered.items()}
            practice = {
                k: v[0] for k, v in attempts.kind_averages(session, user, sitting.user_id, mode="practice").items()
            }
            done = {r.exercise_id for r in attempts.history(session, user, sitting.user_id)}
    except (AccessDenied, ValueError):
        st.error("That report is not available to you.")
        st.stop()
    asked = assessments.sitting_exercises(exercises, sitting, assessment)
    rows: list[tuple[AnyExercise, float | None, list[CriterionResult]]] = []
    for eid in sitting.tasks(assessment):
        exercise, detail = asked[eid], details.get(eid)
        if exercise is None:
            continue
        view = detail.effective if detail else None
        if view is None:  # nothing written: not attempted
            rows.append((exercise, None, []))
            continue
        criteria = [CriterionResult(c.title, c.weight, c.score, c.feedback) for c in view.criteria]
        rows.append((exercise, view.grade.total, criteria))
    report = build_report(rows, practice, exercises, done, seconds)
    status = "ran out of time; what was written was graded" if sitting.status == "timed_out" else "submitted"
    st.subheader(escape_markdown(assessment.title))
    st.caption(f"Sitting {sitting.number} · {status}")
    show_report(report)
    st.download_button(
        "Download the report (print-ready HTML)",
        report_html(report, user.name, assessment.title, sitting.finished_at),
        file_name=f"baton-report-{sitting.id}.html",
        mime="text/html",
        icon=":material/download:",
        key="download_report",
    )
    with st.expander("Each task's grade and feedback"):
        for eid in sitting.tasks(assessment):
            exercise, detail = asked[eid], details.get(eid)
            if exercise is None:
                continue
            if not (detail and detail.effective):
                st.markdown(f"**{exercise.title}** · not attempted")
                st.caption("Nothing was written for this task, so there is no feedback on it.")
                continue
            st.markdown(f"**{exercise.title}** · {detail.effective.grade.total:.0f}")
            for line in detail.effective.criteria:
                st.caption(f"{line.title}: {line.score:.0%}. {line.feedback}")
    if st.button("Back to assessments", key="back_to_assessments"):
        del st.query_params["report"]
        st.rerun()
    st.stop()

pending = st.session_state[state.PENDING_SITTING]
if pending is not None:
    with session_scope(engine()) as session:
        offer = next((o for o in assessments.offers(session, user, now) if o.assessment.id == pending), None)
    if offer is None:
        st.session_state[state.PENDING_SITTING] = None
        st.rerun()
    st.subheader(f"Before you start: {offer.assessment.title}")
    chosen = [t for t in (exercises.get(e) for e in offer.assessment.exercise_ids) if t is not None]
    with st.container(border=True, key="rules"):
        show_rules(chosen, offer.assessment.time_limit_s, assessments.closes(offer.assessment))
        row = st.container(horizontal=True)
        begin = row.button("Start the clock", type="primary", key="begin_sitting", icon=":material/timer:")
        if row.button("Not now", key="cancel_start"):
            st.session_state[state.PENDING_SITTING] = None
            st.rerun()
    if begin:
        try:
            with session_scope(engine()) as session:
                assessments.start(session, user, pending, clock(), exercises)
        except AssessmentClosed as exc:
            st.error(str(exc))
        else:
            st.session_state[state.PENDING_SITTING] = None
            st.rerun()
    st.stop()

with session_scope(engine()) as session:
    offered = assessments.offers(session, user, now)
    past = assessments.finished_sittings(session, user)

assigned = [o for o in offered if o.assessment.cohort_id is not None]
if assigned:
    st.subheader("Assigned to you")
    for offer in assigned:
        a = offer.assessment
        with st.container(border=True):
            cols = st.columns([4, 1], vertical_alignment="center")
            cols[0].markdown(f"**{escape_markdown(a.title)}** · {a.time_limit_s // 60} min · four tasks")
            note = "open" if offer.is_open else "not open now"
            closing = assessments.closes(a)
            until = f" · closes {when(closing)}" if closing else ""
            cols[0].caption(f"{note}{until} · sittings used {offer.used} of {offer.allowed}")
            if cols[1].button("Start", key=f"start:{a.id}", disabled=not offer.can_start, width="stretch"):
                st.session_state[state.PENDING_SITTING] = row_id(a)  # the rules first; the clock starts there
                st.rerun()

st.subheader("Take a mock assessment")
st.caption(
    "One task of each kind, timed like a hiring assessment. The rules come first; the clock starts when you "
    "say so. Feedback and a report come at the end."
)
with st.form("self_assessment"):
    sector = st.selectbox(
        "Sector",
        [None, *exercises.sectors],
        format_func=lambda s: "Any sector" if s is None else exercises.sector_name(s),
    )
    level = st.segmented_control(
        "Level", [1, 2, 3], default=2, required=True, format_func=lambda d: "●" * d + "○" * (3 - d)
    )
    start_now = st.form_submit_button("Continue to the rules", type="primary")
if start_now:
    with session_scope(engine()) as session:
        done = {r.exercise_id for r in attempts.history(session, user, row_id(user))}
    picked = draw(exercises, sector, int(level or 2), seed=secrets.randbits(32), avoid=done)
    title = f"Mock assessment · {exercises.sector_name(sector) if sector else 'mixed sectors'}"
    with session_scope(engine()) as session:
        created = assessments.create_assessment(
            session, user, title, [e.id for e in picked], time_limit_s(picked), sector=sector, level=int(level or 2)
        )
    st.session_state[state.PENDING_SITTING] = row_id(created)  # the clock starts on the rules screen
    st.rerun()

if past:
    st.subheader("Your reports")
    for sitting, assessment in past:
        label = (
            f"{assessment.title} · {sitting.finished_at:%d %b %Y %H:%M}" if sitting.finished_at else assessment.title
        )
        if st.button(label, key=f"report:{sitting.id}", icon=":material/description:"):
            st.query_params["report"] = str(sitting.id)
            st.rerun()

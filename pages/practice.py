"""Practice: the exercise bank with filters; open one, answer it, get graded at once."""

import hashlib
import json
import uuid

import streamlit as st

from exercises.kinds import KINDS, kind_label
from exercises.model import AnyExercise
from exercises.submission import MAX_DRAFT_BYTES, draft_too_large
from pages.common import bank, clock, database_guard, engine, judge, judge_status, signed_in
from store import attempts, integrity, progress
from store.assignments import learner_assignments
from store.db import session_scope
from store.integrity import PracticeClosed
from store.models import row_id
from ui import state
from ui.practice_cards import STATUSES, badges, clear_filters, keep, matches, show_card
from ui.text import label

LIST_PAGE = 12
FRESH_HELP = "The same task with other figures, faults or claims: its correct answer differs from the ones you saw."
user = signed_in()
user_id = row_id(user)
exercises = bank()
exercise_id = st.query_params.get("exercise")
exercise = exercises.get(exercise_id) if exercise_id else None
variant_asked = st.query_params.get("variant", "0")
if exercise is not None and variant_asked != "0":
    try:
        exercise = exercises.variant(exercise.id, int(variant_asked)) or exercise
    except ValueError:  # not a seed, or a seed the template cannot build: the authored variant
        st.warning("That variant is not available; here is the exercise as written.")

if exercise is None:
    st.title("Practice")
    st.caption(
        f"Realistic scenarios from {len(exercises.sectors)} sectors. Each one is graded against a published rubric, "
        "criterion by criterion."
    )
    if exercise_id:
        st.warning(f"No exercise '{exercise_id}' in the bank; pick one below.")
    with session_scope(engine()) as session:
        done = progress.exercise_means(session, user, user_id)
        assigned = {a.exercise_id: a for a in learner_assignments(session, user, user_id)}
    # The filters persist for the session (a visit to another page keeps them).
    with st.container(border=True, key="filters"):
        search = st.text_input(
            "Search",
            placeholder="Words from the title, summary, sector or task",
            type="search",
            icon=":material/search:",
            key="f_search",
            persist_state="session",
        )
        sectors = st.pills(
            "Sector",
            list(exercises.sectors),
            selection_mode="multi",
            format_func=exercises.sector_name,
            key="f_sector",
            persist_state="session",
        )
        kinds = st.pills(
            "Task",
            list(KINDS),
            selection_mode="multi",
            format_func=kind_label,
            key="f_kind",
            persist_state="session",
        )
        row = st.container(horizontal=True, wrap=True, gap="medium")
        with row:
            levels = st.pills(
                "Difficulty",
                [1, 2, 3],
                selection_mode="multi",
                format_func=lambda d: "●" * d + "○" * (3 - d),
                key="f_level",
                persist_state="session",
                width="content",
            )
            statuses = st.pills(
                "Status",
                list(STATUSES),
                selection_mode="multi",
                format_func=STATUSES.__getitem__,
                key="f_status",
                persist_state="session",
                width="content",
            )
    with session_scope(engine()) as session:  # closed while the learner sits an assessment with them
        closed = integrity.sitting_exercises(session, user_id, clock())
    chosen = [
        ex
        for ex in exercises.filter(sectors or (), kinds or (), levels or ())
        if ex.id not in closed
        and matches(ex, search or "", exercises.sector_name(ex.sector))
        and keep(ex, statuses or [], done, assigned)
    ]
    # A page of cards at a time: each card costs three elements on every rerun, and the filters
    # above find an exercise faster than scrolling forty cards.
    shown = st.session_state.setdefault("list_shown", LIST_PAGE)
    head = st.container(horizontal=True, vertical_alignment="center")
    head.caption(f"{len(chosen)} exercise(s)" + (f", showing the first {shown}" if len(chosen) > shown else ""))
    filtered = bool(search or sectors or kinds or levels or statuses)
    head.button("Clear filters", key="clear_filters", on_click=clear_filters, disabled=not filtered, type="tertiary")
    now = clock()
    for ex in chosen[:shown]:
        if show_card(ex, exercises.sector_name(ex.sector), badges(done.get(ex.id), assigned.get(ex.id), now)):
            st.query_params["exercise"] = ex.id
            st.rerun()
    if len(chosen) > shown:
        more = min(LIST_PAGE, len(chosen) - shown)
        if st.button(f"Show {more} more", icon=":material/expand_more:", key="list_more"):
            st.session_state["list_shown"] = shown + LIST_PAGE
            st.rerun()
    st.stop()

# The exercise view's modules (grading, forms, grade views, pandas, plotly) load once an exercise
# is open: the list, the first page a visitor sees, does without them.
from grading import grade  # noqa: E402
from ui.attempt_view import show_attempt  # noqa: E402
from ui.form_scope import variant_scope  # noqa: E402
from ui.forms import submission_form  # noqa: E402
from ui.grade_view import GradedAnswer  # noqa: E402
from ui.kinds import show_outcome, show_reference  # noqa: E402

with session_scope(engine()) as session:
    in_sitting = integrity.practice_rules(session, user_id, exercise.id, clock()).in_sitting
if in_sitting:
    st.info(
        "This exercise is part of the assessment you are sitting now, so it is closed in Practice. "
        "It opens again when your sitting is over.",
        icon=":material/lock:",
    )
    st.stop()
if st.button("All exercises", icon=":material/arrow_back:", key="back"):
    del st.query_params["exercise"]
    st.query_params.pop("variant", None)
    st.rerun()
st.title(exercise.title)
st.caption(
    f"{exercises.sector_name(exercise.sector)} · {kind_label(exercise.kind)} · "
    f"difficulty {exercise.difficulty} · about {exercise.minutes} min"
    + (f" · variant {exercise.variant_seed}" if exercise.variant_seed else "")
)
st.markdown(exercise.brief)
with st.expander("How this is marked"):
    for c in exercise.scored_rubric:
        st.markdown(f"- **{c.title}** ({c.weight:g} %): {c.description}")


@st.fragment
@database_guard()
def answer(exercise: AnyExercise) -> None:
    """The answer, its autosave, the submit and the grade: the part a learner reruns most, as a
    fragment, so typing and submitting rerun neither the page above it nor the app's menu and
    sign-in check."""
    drafts = state.per_exercise(state.DRAFT_BASE)
    saved = state.per_exercise(state.LAST_SAVED)
    key = state.variant_key(exercise.id, exercise.variant_seed)
    if key not in drafts:
        drafts[key] = {}
        with database_guard(), session_scope(engine()) as session:
            drafts[key] = attempts.load_draft(session, user_id, exercise.id, variant_seed=exercise.variant_seed) or {}
        saved[key] = drafts[key]

    result = submission_form(exercise, exercises.tools, drafts[key], scope=variant_scope(exercise.variant_seed))

    draft_size = draft_too_large(result.payload)
    if draft_size is not None:
        st.warning(
            f"This answer is {draft_size:,} bytes, over the {MAX_DRAFT_BYTES:,} a draft may hold, "
            "so it is not autosaved. Shorten it; what you typed is still on this page."
        )
    elif result.payload != saved.get(key):
        with database_guard():
            with session_scope(engine()) as session:
                attempts.save_draft(session, user_id, exercise, result.payload)
            saved[key] = result.payload
            st.caption(":material/cloud_done: Draft saved")

    nonces = state.per_exercise(state.NONCES)
    nonce = nonces.setdefault(key, uuid.uuid4().hex)
    now = clock()
    with session_scope(engine()) as session:
        rules = integrity.practice_rules(session, user_id, exercise.id, now)
    st.caption(judge_status())
    if rules.attempts_left is not None:
        st.caption(f"Your instructor allows {rules.attempts_left} more attempt(s) before the due date.")
    if st.button(
        "Submit for grading", type="primary", key="submit", icon=":material/grading:", disabled=not rules.may_submit
    ):
        if result.errors:
            st.error("\n".join(f"- {e}" for e in result.errors), title="Your answer is not ready to grade")
            st.caption("Your draft is saved as it is; fix these and submit again.")
        elif result.submission is not None:
            with st.spinner("Grading…"):
                graded = grade(exercise, result.submission, judge=judge(), tools=exercises.tools)
            body = json.dumps(result.payload, sort_keys=True)
            once = hashlib.sha256(f"{user_id}|{key}|{nonce}|{body}".encode()).hexdigest()
            with database_guard():
                try:
                    attempt_id = attempts.submit(engine(), user_id, exercise, result.submission, graded, once)
                except PracticeClosed as exc:
                    st.error(f"Not stored: {exc}. Your draft is kept.")
                else:
                    state.per_exercise(state.RESULTS)[key] = attempt_id
                    nonces[key] = uuid.uuid4().hex
                    saved[key] = result.payload

    shown: int | None = state.per_exercise(state.RESULTS).get(key)
    if shown is not None:
        with session_scope(engine()) as session:
            detail = attempts.attempt_detail(session, user, shown)
        st.divider()
        st.subheader("Your grade")
        show_attempt(detail, exercise, exercises.tools)
        view = detail.effective
        details = view.grade.details if view is not None else None
        show_outcome(exercise, exercises.tools, GradedAnswer(shown, detail.payload, details))
        if rules.reference_shown(now):
            with st.expander("Reference answer and why it works"):
                show_reference(exercise, exercises.tools)
        elif (until := rules.reference_hidden_until) is not None:
            st.caption(f"Your instructor shows the reference answer after the due date, {until:%d %b %Y %H:%M} UTC.")
        st.caption(f"Marked {label(exercise.kind)} · exercise version {exercise.version}")
        if exercise.id in exercises.templates and st.button(
            "Try a fresh variant", icon=":material/shuffle:", key="fresh_variant", help=FRESH_HELP
        ):
            with session_scope(engine()) as session:
                seed = attempts.fresh_variant(session, user_id, exercises, exercise.id)
            if seed is None:
                st.info("You have seen every variant of this exercise.")
            else:
                st.query_params["variant"] = str(seed)
                st.rerun(scope="app")


answer(exercise)

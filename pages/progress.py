"""My progress: scores by task kind and every graded attempt, with its feedback."""

import pandas as pd
import streamlit as st

from exercises.model import KIND_LABELS, Kind
from pages.common import bank, engine
from store import attempts
from store.db import session_scope
from ui import state
from ui.attempt_view import show_answer, show_attempt

user = st.session_state[state.USER]
exercises = bank()
st.title("My progress")

with session_scope(engine()) as session:
    averages = attempts.kind_averages(session, user, user.id)
    rows = attempts.history(session, user, user.id)

cols = st.columns(4)
for col, kind in zip(cols, list(Kind), strict=True):
    mean, n = averages.get(kind, (None, 0))
    col.metric(
        KIND_LABELS[kind], "—" if mean is None else f"{mean:.0f}", help=f"Mean score over {n} attempt(s)", border=True
    )

if not rows:
    st.info("No graded attempts yet. Open **Practice**, pick an exercise and submit it to see it here.")
    st.stop()

titles = {eid: ex.title for eid, ex in exercises.exercises.items()}
table = pd.DataFrame(
    [
        {
            "Submitted": r.submitted_at,
            "Exercise": titles.get(r.exercise_id, r.exercise_id),
            "Task": KIND_LABELS.get(Kind(r.kind), r.kind),
            "Score": r.total,
            "Graded by": {"override": "Instructor", "llm": "Judge"}.get(r.source or "", "Auto"),
        }
        for r in rows
    ]
)
st.dataframe(
    table,
    hide_index=True,
    alt="Your graded attempts",
    column_config={
        "Submitted": st.column_config.DatetimeColumn(format="D MMM YYYY, HH:mm"),
        "Score": st.column_config.ProgressColumn(min_value=0, max_value=100, format="%.0f"),
    },
)

choice = st.selectbox(
    "Open an attempt",
    [r.attempt_id for r in rows],
    key="progress_attempt",
    format_func=lambda a: next(
        f"{titles.get(r.exercise_id, r.exercise_id)} · {r.total:.0f}" for r in rows if r.attempt_id == a
    ),
)
if choice is not None:
    with session_scope(engine()) as session:
        detail = attempts.attempt_detail(session, user, choice)
    exercise = exercises.get(detail.attempt.exercise_id)
    show_attempt(detail, exercise, exercises.tools)
    with st.expander("Your answer as submitted"):
        show_answer(detail.payload)

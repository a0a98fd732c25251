"""The practice list's cards: what an exercise is, and where the learner stands with it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import streamlit as st

from exercises.kinds import kind_label
from exercises.model import AnyExercise

FILTER_KEYS = ("f_sector", "f_kind", "f_level", "f_search", "f_status")
STATUSES = {"todo": "Not done yet", "done": "Done", "assigned": "Assigned to me"}


def badges(done: tuple[float, float, int] | None, assigned: Any | None, now: datetime) -> str:
    """Markdown badges: done with the best score, assigned, due or overdue."""
    out = []
    if done is not None:
        out.append(f":green-badge[:material/check: Done · best {done[1]:.0f}]")
    if assigned is not None:
        out.append(":violet-badge[Assigned]")
        if assigned.overdue(now):
            out.append(f":red-badge[Overdue since {assigned.due:%d %b}]")
        elif assigned.due is not None and assigned.best is None:
            out.append(f":orange-badge[Due {assigned.due:%d %b}]")
    return " ".join(out)


def matches(exercise: AnyExercise, words: str, sector: str) -> bool:
    """Every word typed appears in the title, summary, sector (its name) or task (any case)."""
    text = " ".join((exercise.title, exercise.summary, sector, kind_label(exercise.kind))).lower()
    return all(w in text for w in words.lower().split())


def keep(exercise: AnyExercise, statuses: list[str], done: Mapping[str, Any], assigned: Mapping[str, Any]) -> bool:
    if not statuses:
        return True
    return (
        ("todo" in statuses and exercise.id not in done)
        or ("done" in statuses and exercise.id in done)
        or ("assigned" in statuses and exercise.id in assigned)
    )


def clear_filters() -> None:
    """A button's on_click: every filter back to showing everything."""
    for key in FILTER_KEYS:
        st.session_state[key] = "" if key == "f_search" else []


def show_card(exercise: AnyExercise, sector: str, marks: str) -> bool:
    """One card; True when the learner opens it. The title is the button, so a screen reader
    hears which exercise each one opens."""
    with st.container(border=True, gap="xsmall"):
        opened = st.button(f"**{exercise.title}**", key=f"open:{exercise.id}", type="tertiary")
        kind = kind_label(exercise.kind)
        st.markdown(
            f":gray[:small[{sector} · {kind} · difficulty {exercise.difficulty} · "
            f"about {exercise.minutes} min]]  \n{exercise.summary}" + (f"  \n{marks}" if marks else "")
        )
    return opened

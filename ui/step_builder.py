"""The design task's step builder: one card per step across the page's width, steps added,
moved and removed with buttons, the chosen tool's figures beside each step.

The steps live in session state as a list of plain dicts under the builder's key, each with a
stable `uid` that names its widgets, so moving a step moves its widgets' values with it. A step's
widgets are seeded from that list the first time they are drawn (a draft restored after a
reload, or a list a test puts there), and read back into it on every run."""

from __future__ import annotations

import re
from collections.abc import Mapping, MutableMapping, Sequence
from typing import Any, cast

import streamlit as st

from exercises.model import DesignWorkflowExercise
from exercises.workflow import ID_PATTERN, MAX_STEPS, Tool
from ui.text import escape_markdown, shorten
from ui.tool_catalogue import tool_facts

FIELDS = ("id", "name", "tool", "inputs", "stage", "checks", "share")
UID = "uid"
NAME_IN_BUTTON = 28  # characters of a step's name in its Remove button's label


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9_]+", "_", text.lower()).strip("_")[:40]


def effective_id(row: Mapping[str, Any], n: int) -> str:
    """The id a step goes by: as typed, else made from its name, else from its position."""
    return str(row.get("id") or "").strip() or slug(str(row.get("name") or "")) or f"step{n}"


def step_payloads(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The builder's rows as step payloads: ids filled from names (or the position), blank rows
    dropped, no builder bookkeeping."""
    steps = []
    for n, row in enumerate(rows, start=1):
        if all(row.get(f) in (None, "", [], 1.0) for f in FIELDS):
            continue
        step_id = effective_id(row, n)
        share = row.get("share")
        steps.append(
            {
                "id": step_id,
                "name": str(row.get("name") or step_id).strip(),
                "tool": row.get("tool") or "",
                "inputs": [str(i) for i in row.get("inputs") or []],
                "stage": row.get("stage") or None,
                "checks": [str(c) for c in row.get("checks") or []],
                "share": 1.0 if share in (None, "") else float(share),
            }
        )
    return steps


def step_hints(steps: Sequence[Mapping[str, Any]], source_ids: Sequence[str]) -> list[list[str]]:
    """What each step still lacks, in words, shown on its card while the learner designs."""
    ids = [str(s["id"]) for s in steps]
    hints: list[list[str]] = []
    for step in steps:
        mine: list[str] = []
        if not re.match(ID_PATTERN, str(step["id"])):
            mine.append("Step id: use lower-case letters, digits, '-' or '_' (e.g. extract_totals).")
        elif ids.count(str(step["id"])) > 1:
            mine.append(f"Step id '{step['id']}' is used by another step.")
        elif step["id"] in source_ids:
            mine.append(f"Step id '{step['id']}' is also a source's id.")
        if not step.get("tool"):
            mine.append("Pick a tool.")
        if not step.get("inputs"):
            mine.append("Pick what it reads from: a source or an earlier step.")
        hints.append(mine)
    return hints


def _key(builder: str, uid: int, field: str) -> str:
    return f"{builder}:{uid}:{field}"


def _next_uid(state: MutableMapping[str, Any], builder: str) -> int:
    counter = f"{builder}:next_uid"
    uid = int(state.get(counter, 0))
    state[counter] = uid + 1
    return uid


def rows(state: MutableMapping[str, Any], builder: str, base: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The builder's rows, started from `base` (the draft) the first time; every row gets a uid."""
    if not isinstance(state.get(builder), list):
        state[builder] = [dict(step) for step in base]
    current: list[dict[str, Any]] = state[builder]
    for row in current:
        if not isinstance(row.get(UID), int):
            row[UID] = _next_uid(state, builder)
    return current


def add_step(state: MutableMapping[str, Any], builder: str) -> None:
    current = state[builder]
    taken = {str(r.get("id")) for r in current}
    n = len(current) + 1
    while f"step{n}" in taken:
        n += 1
    previous = [str(current[-1].get("id"))] if current and current[-1].get("id") else []
    current.append({UID: _next_uid(state, builder), "id": f"step{n}", "inputs": previous, "share": 1.0})


def move_step(state: MutableMapping[str, Any], builder: str, index: int, offset: int) -> None:
    current = state[builder]
    other = index + offset
    if 0 <= other < len(current):
        current[index], current[other] = current[other], current[index]


def remove_step(state: MutableMapping[str, Any], builder: str, index: int) -> None:
    current = state[builder]
    gone = current.pop(index)
    for row in current:  # nothing keeps reading from a step that is gone
        key = _key(builder, row[UID], "inputs")
        if key in state and gone.get("id") in state[key]:
            state[key] = [i for i in state[key] if i != gone.get("id")]


def rename_step(state: MutableMapping[str, Any], builder: str, uid: int) -> None:
    """A renamed step stays wired: the steps that read from it follow the new id."""
    current = state[builder]
    row = next(r for r in current if r[UID] == uid)
    old, new = str(row.get("id") or ""), str(state.get(_key(builder, uid, "id")) or "").strip()
    if not old or not new or old == new:
        return
    for other in current:
        key = _key(builder, other[UID], "inputs")
        if other[UID] != uid and key in state and old in state[key]:
            state[key] = [new if i == old else i for i in state[key]]


def action_labels(number: int, row: Mapping[str, Any]) -> tuple[str, str, str]:
    """The card's Move up, Move down and Remove labels, which are also the buttons' accessible
    names (Streamlit has no other): each names its step, so a screen reader's list of buttons
    says which step each one acts on. The name is the learner's text, escaped."""
    name = shorten(str(row.get("name") or row.get("id") or "").strip(), NAME_IN_BUTTON)
    remove = f"Remove step {number}" + (f": {escape_markdown(name)}" if name else "")
    return f"Move step {number} up", f"Move step {number} down", remove


def _seed(builder: str, row: Mapping[str, Any]) -> None:
    """Give a step's widgets its stored values, once (later the widgets hold them)."""
    uid = row[UID]
    values = {
        "id": str(row.get("id") or ""),
        "name": str(row.get("name") or ""),
        "tool": row.get("tool") or None,
        "inputs": [str(i) for i in row.get("inputs") or []],
        "stage": row.get("stage") or None,
        "checks": [str(c) for c in row.get("checks") or []],
        "share": float(row.get("share") or 1.0),
    }
    for field, value in values.items():
        st.session_state.setdefault(_key(builder, uid, field), value)


def _card(
    builder: str,
    index: int,
    row: dict[str, Any],
    count: int,
    exercise: DesignWorkflowExercise,
    tools: Mapping[str, Tool],
    offered: Sequence[str],
    step_names: Mapping[str, str],
    hints: Sequence[str],
) -> None:
    uid = row[UID]
    own = effective_id(row, index + 1)
    state = cast("MutableMapping[str, Any]", st.session_state)
    source_names = {s.id: s.name for s in exercise.sources}
    stage_names = {s.id: s.name for s in exercise.stages}
    with st.container(border=True, key=f"{builder}:{uid}:card"):
        head = st.container(horizontal=True, vertical_alignment="center")
        head.markdown(f"**Step {index + 1}**")
        head.space("stretch")
        up, down, remove = action_labels(index + 1, row)
        head.button(
            up,
            icon=":material/arrow_upward:",
            key=_key(builder, uid, "up"),
            disabled=index == 0,
            on_click=move_step,
            args=(state, builder, index, -1),
            type="tertiary",
        )
        head.button(
            down,
            icon=":material/arrow_downward:",
            key=_key(builder, uid, "down"),
            disabled=index == count - 1,
            on_click=move_step,
            args=(state, builder, index, 1),
            type="tertiary",
        )
        head.button(
            remove,
            icon=":material/delete:",
            key=_key(builder, uid, "remove"),
            on_click=remove_step,
            args=(state, builder, index),
            type="tertiary",
        )
        # Three short rows: the cards share the page with the tool catalogue at wide widths.
        first = st.columns([1, 2])
        first[0].text_input(
            "Step id",
            key=_key(builder, uid, "id"),
            max_chars=64,
            help="Short id other steps read from, e.g. extract",
            on_change=rename_step,
            args=(state, builder, uid),
        )
        first[1].text_input("What it does", key=_key(builder, uid, "name"), max_chars=200)
        second = st.columns([2, 2, 1])
        second[0].selectbox(
            "Tool",
            offered,
            index=None,
            key=_key(builder, uid, "tool"),
            format_func=lambda t: f"{tools[t].name} (${tools[t].cost_per_item:.3f})",
            placeholder="Pick a tool",
        )
        second[1].multiselect(
            "Checked by",
            [t for t in offered if tools[t].is_check],
            key=_key(builder, uid, "checks"),
            format_func=lambda t: tools[t].name,
            max_selections=3,
            placeholder="No check",
        )
        second[2].number_input(
            "Share",
            min_value=0.01,
            max_value=1.0,
            step=0.05,
            format="%.2f",
            key=_key(builder, uid, "share"),
            help="The share of items that take this step, e.g. 0.1 for a review of exceptions.",
        )
        third = st.columns(2)
        third[0].multiselect(
            "Reads from",
            list(source_names) + [i for i in step_names if i not in source_names and i != own],
            key=_key(builder, uid, "inputs"),
            format_func=lambda i: f"{source_names[i]} (source)" if i in source_names else step_names.get(i, i),
            placeholder="Sources or other steps",
        )
        third[1].selectbox(
            "Stage it performs",
            list(stage_names),
            index=None,
            key=_key(builder, uid, "stage"),
            format_func=lambda s: stage_names.get(s, s),
            placeholder="None",
        )
        tool = tools.get(str(state.get(_key(builder, uid, "tool"))))
        if tool is not None:
            st.caption(escape_markdown(f"{tool.name}: {tool_facts(tool)}"))
        if hints:
            st.caption(":material/error: " + " ".join(hints))


def render_steps(
    exercise: DesignWorkflowExercise, tools: Mapping[str, Tool], base: Sequence[Mapping[str, Any]], builder: str
) -> list[dict[str, Any]]:
    """Draw the builder; return the steps as payloads."""
    state = cast("MutableMapping[str, Any]", st.session_state)  # a mapping; typed with int keys too
    offered = [t for t in exercise.tools if t in tools]
    current = rows(state, builder, base)
    for row in current:
        _seed(builder, row)
    # The widgets' values as this run starts (a step just added or renamed included), so every
    # card offers every step in "Reads from" and says what it still lacks.
    for row in current:
        for field in FIELDS:
            row[field] = state.get(_key(builder, row[UID], field))
    ids = [effective_id(r, n) for n, r in enumerate(current, start=1)]
    step_names = {i: f"{r['name'] or 'Step'} ({i})" for i, r in zip(ids, current, strict=True)}
    hints = step_hints([{**r, "id": i} for i, r in zip(ids, current, strict=True)], [s.id for s in exercise.sources])
    for index, row in enumerate(current):
        _card(builder, index, row, len(current), exercise, tools, offered, step_names, hints[index])
        for field in FIELDS:
            row[field] = state.get(_key(builder, row[UID], field))
    st.button(
        "Add a step",
        icon=":material/add:",
        key=f"{builder}:add",
        on_click=add_step,
        args=(state, builder),
        disabled=len(current) >= MAX_STEPS,
    )
    return step_payloads(current)

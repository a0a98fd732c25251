"""The step builder's bookkeeping: adding, moving, removing and renaming steps keeps the design
wired, and each card says what its step still lacks."""

from __future__ import annotations

from typing import Any

from ui.step_builder import add_step, move_step, remove_step, rename_step, rows, step_hints, step_payloads

B = "design:x:steps"


def builder(*steps: dict[str, Any]) -> dict[str, Any]:
    state: dict[str, Any] = {}
    rows(state, B, list(steps))
    for row in state[B]:  # what the widgets hold once drawn
        state[f"{B}:{row['uid']}:id"] = row["id"]
        state[f"{B}:{row['uid']}:inputs"] = list(row.get("inputs") or [])
    return state


def ids(state: dict[str, Any]) -> list[str]:
    return [r["id"] for r in state[B]]


def test_every_row_gets_its_own_uid_once() -> None:
    state = builder({"id": "a", "inputs": ["src"]}, {"id": "b", "inputs": ["a"]})
    uids = [r["uid"] for r in state[B]]
    assert len(set(uids)) == 2
    assert [r["uid"] for r in rows(state, B, [])] == uids  # a later run keeps them; the base is not reread


def test_a_new_step_gets_a_free_id_and_reads_the_last_one() -> None:
    state = builder({"id": "step2", "inputs": ["src"]})
    add_step(state, B)
    assert ids(state) == ["step2", "step3"]
    assert state[B][-1]["inputs"] == ["step2"]
    add_step(state, B)
    assert len({r["uid"] for r in state[B]}) == 3


def test_moving_keeps_each_step_with_its_uid_and_stops_at_the_ends() -> None:
    state = builder({"id": "a", "inputs": ["src"]}, {"id": "b", "inputs": ["a"]}, {"id": "c", "inputs": ["b"]})
    uid_of = {r["id"]: r["uid"] for r in state[B]}
    move_step(state, B, 2, -1)
    assert ids(state) == ["a", "c", "b"]
    assert {r["id"]: r["uid"] for r in state[B]} == uid_of
    move_step(state, B, 0, -1)
    move_step(state, B, 2, 1)
    assert ids(state) == ["a", "c", "b"]


def test_removing_a_step_unwires_the_steps_that_read_it() -> None:
    state = builder({"id": "a", "inputs": ["src"]}, {"id": "b", "inputs": ["a", "src"]})
    remove_step(state, B, 0)
    assert ids(state) == ["b"]
    assert state[f"{B}:{state[B][0]['uid']}:inputs"] == ["src"]


def test_renaming_a_step_rewires_the_steps_that_read_it() -> None:
    state = builder({"id": "a", "inputs": ["src"]}, {"id": "b", "inputs": ["a", "src"]}, {"id": "c", "inputs": ["b"]})
    first = state[B][0]["uid"]
    state[f"{B}:{first}:id"] = "extract"
    rename_step(state, B, first)
    assert state[f"{B}:{state[B][1]['uid']}:inputs"] == ["extract", "src"]
    assert state[f"{B}:{state[B][2]['uid']}:inputs"] == ["b"]


def test_payloads_fill_ids_and_drop_blank_rows() -> None:
    steps = step_payloads(
        [
            {"name": "Extract totals", "inputs": ["src"], "share": None},
            {"id": "", "name": "", "tool": None, "inputs": [], "share": 1.0},
            {"tool": "t", "inputs": ["extract_totals"]},
        ]
    )
    assert [s["id"] for s in steps] == ["extract_totals", "step3"]
    assert steps[0]["share"] == 1.0
    assert "uid" not in steps[0]


def test_each_card_names_what_its_step_lacks() -> None:
    hints = step_hints(
        [
            {"id": "ok", "tool": "t", "inputs": ["src"]},
            {"id": "Bad Id!", "tool": "t", "inputs": ["src"]},
            {"id": "dup", "tool": "", "inputs": []},
            {"id": "dup", "tool": "t", "inputs": ["ok"]},
            {"id": "src", "tool": "t", "inputs": ["ok"]},
        ],
        ["src"],
    )
    assert hints[0] == []
    assert "lower-case" in hints[1][0]
    assert any("used by another step" in h for h in hints[2])
    assert any("Pick a tool" in h for h in hints[2])
    assert any("reads from" in h for h in hints[2])
    assert any("source's id" in h for h in hints[4])

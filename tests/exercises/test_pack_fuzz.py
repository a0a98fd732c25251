"""Robust packs: whatever a pack file holds, the loader and the validator report it as a
problem and go on; no exception escapes, and the catch-all guards are never what caught it.
Generated YAML covers nesting, odd scalars, anchors and aliases, tags, raw bytes, and shipped
exercises with parts replaced (so the cross-checks and the graders run on near-valid input)."""

from __future__ import annotations

import copy
import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exercises.__main__ import validation_problems
from exercises.loader import load_bank
from exercises.model import Kind
from exercises.pack_files import MAX_DEPTH, MAX_FILE_BYTES, MAX_NODES

INTERNAL = ("internal error", "grading its reference failed")
FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.sampled_from(
        ["", "no", "on", "~", "1,310", "2026-13-45", "0x1F", "1e999", "-.inf", ".nan", "Foo Bar", "a" * 300]
    ),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5), st.dictionaries(st.one_of(st.text(max_size=12), st.integers()), inner, max_size=5)
    ),
    max_leaves=30,
)
TOKENS = [
    "[",
    "]",
    "{",
    "}",
    ", ",
    ": ",
    "- ",
    "? ",
    "\n",
    "  ",
    "&a ",
    "*a",
    "&b ",
    "*b",
    "!!binary ",
    "!!python/object:os.system ",
    "!!timestamp ",
    "!!int ",
    "!!float ",
    "!!set ",
    "!!omap ",
    "!custom ",
    "%YAML 1.1\n",
    "---\n",
    "...\n",
    "'",
    '"',
    "|\n",
    ">-\n",
    "#",
    "<<: *a\n",
    "id",
    "kind",
    "design_workflow",
    "rubric",
    "9" * 5000,
    "\t",
    "\x00",
    "\ufeff",
    "é",
]
token_text = st.lists(st.sampled_from(TOKENS), max_size=60).map("".join)


def _load(files: dict[str, bytes]) -> list[str]:
    with tempfile.TemporaryDirectory() as folder:
        for name, data in files.items():
            path = Path(folder) / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        bank = load_bank(Path(folder))
        problems = [str(p) for p in validation_problems(bank)]
    assert not [p for p in problems if any(mark in p for mark in INTERNAL)], problems
    return problems


@FUZZ
@given(values)
def test_any_yaml_document_is_a_problem_or_an_exercise(doc: Any) -> None:
    _load({"x.yaml": yaml.safe_dump(doc).encode(), "tools.yaml": yaml.safe_dump({"tools": doc}).encode()})


@FUZZ
@given(token_text)
def test_any_token_soup_is_reported_not_raised(text: str) -> None:
    _load({"x.yaml": text.encode("utf-8", "surrogatepass"), "sub/tools.yaml": text.encode("utf-8", "surrogatepass")})


@FUZZ
@given(st.binary(max_size=300))
def test_any_bytes_are_reported_not_raised(data: bytes) -> None:
    _load({"x.yaml": data})


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _paths(value, (*prefix, i))
    return found


def _replace(doc: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    parent = doc
    for key in path[:-1]:
        parent = parent[key]
    if value is _DELETE:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return doc


_DELETE = object()


@pytest.fixture(scope="module")
def shipped(bank) -> dict[str, dict[str, Any]]:
    by_kind: dict[str, dict[str, Any]] = {}
    for exercise in sorted(bank.exercises.values(), key=lambda e: e.id):
        by_kind.setdefault(exercise.kind, exercise.model_dump(mode="json", exclude_defaults=True))
    return by_kind


@FUZZ
@given(data=st.data(), kind=st.sampled_from(list(Kind)))
def test_a_shipped_exercise_with_parts_replaced_is_reported_not_raised(shipped, data, kind) -> None:
    doc = copy.deepcopy(shipped[kind])
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(_paths(doc)))
        doc = _replace(doc, path, data.draw(st.one_of(values, st.just(_DELETE)) if path else values))
    _load({"x.yaml": yaml.safe_dump(doc, allow_unicode=True).encode()})


def test_the_limits_hold_at_their_edges(tmp_path: Path) -> None:
    (tmp_path / "deep.yaml").write_text("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1))
    (tmp_path / "shallow.yaml").write_text("[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1))
    (tmp_path / "recursive.yaml").write_text("a: &a [*a, *a]\n")
    (tmp_path / "huge.yaml").write_text("a: " + "x" * MAX_FILE_BYTES)
    problems = {p.file: p for p in load_bank(tmp_path).problems}
    assert "nested more than" in problems["deep.yaml"].reason
    assert problems["shallow.yaml"].reason == "expected a mapping of exercise fields"  # read, then refused as content
    assert f"more than {MAX_NODES:,} values" in problems["recursive.yaml"].reason
    assert "over 524288 bytes" in problems["huge.yaml"].reason


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_symlinks_out_of_the_pack_folder_are_refused(bank, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    exercise = next(iter(sorted(bank.exercises.values(), key=lambda e: e.id)))
    (outside / "secret.yaml").write_text(yaml.safe_dump(exercise.model_dump(mode="json")))
    pack = tmp_path / "pack"
    (pack / "inner").mkdir(parents=True)
    (pack / "inner" / "real.yaml").write_text(yaml.safe_dump(exercise.model_dump(mode="json")))
    (pack / "link.yaml").symlink_to(outside / "secret.yaml")
    (pack / "linked_dir").symlink_to(outside, target_is_directory=True)
    (pack / "inside.yml").symlink_to(pack / "inner" / "real.yaml")  # inside the folder: allowed, same id twice
    loaded = load_bank(pack)
    refused = {p.file: p.reason for p in loaded.problems}
    assert refused["link.yaml"] == "a symlink pointing outside the pack folder; refused"
    assert refused["linked_dir"] == "a symlink pointing outside the pack folder; refused"
    assert loaded.files == {exercise.id: "inner/real.yaml"} or loaded.files == {exercise.id: "inside.yml"}
    assert not any("secret" in f for f in loaded.files.values())

"""libyaml reads pack files (about nine times faster than PyYAML's own parser, which the app's
first start waited on), and PyYAML's own parser is the fallback where libyaml is missing: both
read every YAML file the project ships, and any YAML a library writes, as the same documents,
and refuse nesting at the same depth."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from exercises import pack_files
from exercises.loader import PACKS_DIR
from exercises.pack_files import MAX_DEPTH, PackFileError, parse_yaml
from exercises.pack_files import pack_files as list_pack_files

pytestmark = pytest.mark.skipif(pack_files._CLoader is None, reason="PyYAML was built without libyaml")


def _parse_both(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    """What each parser makes of `text`: the document, or the PackFileError's (where, reason)."""
    results = []
    for loader in (pack_files._CLoader, None):
        monkeypatch.setattr(pack_files, "_CLoader", loader)
        try:
            results.append(parse_yaml(text))
        except PackFileError as exc:
            results.append((exc.where, exc.reason))
    return results[0], results[1]


def test_every_shipped_pack_file_reads_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    files, _ = list_pack_files(PACKS_DIR.parent)  # the packs, the tool catalogue, the calibration sets
    assert len(files) > 40
    for path in files:
        fast, own = _parse_both(path.read_text(encoding="utf-8"), monkeypatch)
        assert fast == own, path.name


@pytest.mark.parametrize("depth", [1, MAX_DEPTH - 1, MAX_DEPTH, MAX_DEPTH + 1, MAX_DEPTH + 5])
@pytest.mark.parametrize("shape", ["[{}]", "{a: {}}", "- {}"])
def test_nesting_is_refused_at_the_same_depth(depth: int, shape: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if shape == "- {}":  # block style: one level per indented line
        text = "".join("  " * level + "-\n" for level in range(depth - 1)) + "  " * (depth - 1) + "- x\n"
    else:
        opener, closer = shape.split("{}")
        text = opener * depth + "x" + closer * depth
    fast, own = _parse_both(text, monkeypatch)
    assert fast == own
    refused = isinstance(fast, tuple) and "nested more than" in fast[1]
    assert refused == (depth + 1 > MAX_DEPTH)  # the innermost scalar is a node one level further in


# Control characters and line separators aside: libyaml reads a NEL (U+0085) inside a plain
# scalar as a line break, where PyYAML keeps it; no pack author types one.
words = st.text(st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp")) | st.sampled_from("\n\t"), max_size=30)
documents = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), words),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.one_of(words, st.integers()), inner, max_size=4)
    ),
    max_leaves=25,
)


@settings(max_examples=150, deadline=None)
@given(documents, st.booleans())
def test_any_document_reads_back_alike(document: Any, flow: bool) -> None:
    """What an author writes (any YAML a YAML library writes) reads as itself with either parser.
    On token soup they differ at the edges (libyaml reads "1\t" and a bare "!" as ''), and
    test_pack_fuzz already holds that such text is a reported problem, never an exception."""
    text = yaml.safe_dump(document, allow_unicode=True, default_flow_style=flow)
    with pytest.MonkeyPatch.context() as monkeypatch:
        fast, own = _parse_both(text, monkeypatch)
    assert fast == own == document


def test_a_file_nested_too_deep_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "deep.yaml").write_text("[" * 100_000 + "]" * 100_000)  # would overflow a recursive composer
    with pytest.raises(PackFileError, match="nest"):  # ours, or libyaml's own limit
        pack_files.read_pack_file(tmp_path / "deep.yaml")


# YAML 1.1 read these as booleans; authors mean the word ("id: off", "answer: no", "mode: on")
YAML_11_WORDS = [w for base in ("yes", "no", "on", "off") for w in (base, base.capitalize(), base.upper())]


@given(key=st.from_regex(r"[a-z_]{1,12}", fullmatch=True), word=st.sampled_from(YAML_11_WORDS))
@settings(max_examples=60)
def test_yes_no_on_off_are_words_in_both_parsers(key: str, word: str) -> None:
    for loader in (pack_files._CLoader, None):
        original = pack_files._CLoader
        pack_files._CLoader = loader
        try:
            assert parse_yaml(f"{key}: {word}\nlist: [{word}]\n") == {key: word, "list": [word]}
        finally:
            pack_files._CLoader = original


@pytest.mark.parametrize("word", ["true", "True", "TRUE", "false", "False", "FALSE"])
def test_true_and_false_stay_booleans(word: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fast, own = _parse_both(f"held_out: {word}\n", monkeypatch)
    assert fast == own == {"held_out": word.lower() == "true"}

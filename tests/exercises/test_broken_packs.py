"""`python -m exercises validate` on a set of broken packs (tests/exercises/broken_packs/),
one problem each: it exits 1 and prints exactly the lines each case's `# expect:` header
names, so a new author gets the message that says what to fix."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from exercises.__main__ import main

BROKEN = Path(__file__).parent / "broken_packs"
CASES = sorted(BROKEN.iterdir())


def expected(case: Path) -> list[str]:
    files = sorted(case.rglob("*.yaml")) if case.is_dir() else [case]
    prefix = "# expect: "
    return [
        line.removeprefix(prefix)
        for f in files
        for line in f.read_text(encoding="utf-8").splitlines()
        if line.startswith(prefix)
    ]


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_validate_names_the_problem_where_it_is(case: Path, tmp_path: Path, capsys) -> None:
    folder = tmp_path / "pack"
    if case.is_dir():
        shutil.copytree(case, folder)
    else:
        folder.mkdir()
        shutil.copy(case, folder)
    assert main(["validate", str(folder)]) == 1
    printed = capsys.readouterr().out.splitlines()
    wanted = expected(case)
    assert wanted, f"{case.name} states no expected line"
    for line in wanted:
        assert any(p.startswith(line) for p in printed), (line, printed)
    assert len(printed) == len(wanted), printed  # one problem per case: nothing else is wrong


def test_every_broken_case_is_a_single_problem() -> None:
    assert len(CASES) >= 15
    assert all(expected(c) for c in CASES)

"""The first page starts without the graders: they (numpy, lemmas, sentence splitting) load on the
first grade, so a page that only shows exercises and grades does not wait for them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GRADERS = ("grading.kinds", "grading.text", "grading.design", "grading.explain", "numpy", "simplemma")


def loaded_after(statement: str) -> set[str]:
    code = f"import sys\n{statement}\nprint(' '.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_the_pages_shared_module_does_not_load_the_graders() -> None:
    assert loaded_after("import pages.common").isdisjoint(GRADERS)


def test_grading_a_submission_loads_them() -> None:
    statement = (
        "from exercises import load_bank\n"
        "from grading import grade\n"
        "e = next(iter(load_bank().exercises.values()))\n"
        "grade(e, e.reference)"
    )
    assert {"grading.kinds", "grading.text"} <= loaded_after(statement)

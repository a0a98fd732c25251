"""An instructor's pack in a new sector, with tools of its own, served by the real app through
BATON_PACKS_DIR: listed under its sector's name, opened, answered and graded with its tools."""

from __future__ import annotations

from pathlib import Path

import pytest

from baton_config import settings
from exercises.loader import load_beside_shipped
from grading import grade
from tests.app.test_practice import answer_with, stored_attempts

PACK = Path(__file__).resolve().parents[1] / "fixtures" / "instructor_pack"
BANK = load_beside_shipped(PACK)
EXERCISE = BANK.exercises["legal-design-advice-letters"]


@pytest.fixture
def with_pack(monkeypatch: pytest.MonkeyPatch, app_db: str) -> str:
    monkeypatch.setenv("BATON_PACKS_DIR", str(PACK))
    settings.cache_clear()
    return app_db


def test_the_pack_loads_beside_the_shipped_ones_without_problems() -> None:
    assert [str(p) for p in BANK.problems] == []
    assert BANK.files[EXERCISE.id] == "legal/design_workflow-advice-letters.yaml"
    assert {"legal_counsel_llm", "legal_client_portal"} <= set(EXERCISE.tools) <= set(BANK.tools)


def test_the_new_sector_is_listed_by_its_name_and_filters(open_app, with_pack) -> None:
    at = open_app()
    pills = at.pills(key="f_sector")
    assert "Legal services" in pills.options, pills.options
    at.pills(key="f_sector").set_value(["legal"]).run()
    opened = {b.key.removeprefix("open:") for b in at.button if b.key and b.key.startswith("open:")}
    assert opened == {EXERCISE.id}
    assert any("Legal services" in m.value for m in at.markdown)


def test_the_pack_exercise_is_graded_with_the_pack_tools(open_app, with_pack) -> None:
    at = open_app(EXERCISE.id)
    assert at.title[0].value == EXERCISE.title
    answer_with(at, EXERCISE, EXERCISE.reference)
    at.button(key="submit").click().run()
    assert not at.exception, at.exception
    expected = grade(EXERCISE, EXERCISE.reference, tools=BANK.tools)
    ((attempt, grade_row, _),) = stored_attempts(with_pack)
    assert (attempt.exercise_id, attempt.sector) == (EXERCISE.id, "legal")
    assert grade_row.total == expected.total >= 90

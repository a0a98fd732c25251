"""Every shipped exercise carries its own tests: the reference scores high, an empty answer
scores low, and each golden case lands in the range an expert gave it."""

from __future__ import annotations

from collections import defaultdict

import pytest

from exercises import load_bank
from exercises.model import Kind, Sector
from exercises.submission import DesignSubmission, ExplainSubmission, FindFailuresSubmission, ValidateSubmission
from grading import grade
from grading.selfcheck import EMPTY_MAX, REFERENCE_MIN

BANK = load_bank()
EXERCISES = sorted(BANK.exercises.values(), key=lambda e: e.id)
EMPTY = {
    "design_workflow": DesignSubmission(),
    "find_failures": FindFailuresSubmission(),
    "validate_output": ValidateSubmission(),
    "explain_reasoning": ExplainSubmission(),
}
CORE_SECTORS = (Sector.marketing, Sector.finance, Sector.operations, Sector.healthcare)


def test_shipped_packs_have_no_problems() -> None:
    assert [str(p) for p in BANK.problems] == []


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.id)
def test_reference_scores_at_least_90(exercise) -> None:
    result = grade(exercise, exercise.reference, tools=BANK.tools)
    weak = [f"{c.id}={c.score:.2f}: {c.evidence}" for c in result.criteria if c.score < 0.9]
    assert result.total >= REFERENCE_MIN, weak


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.id)
def test_empty_answer_scores_at_most_10(exercise) -> None:
    assert grade(exercise, EMPTY[exercise.kind], tools=BANK.tools).total <= EMPTY_MAX


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.id)
def test_every_exercise_has_a_naive_golden_case(exercise) -> None:
    assert any(case.max_score <= 30 for case in exercise.golden), "write a naive answer with max_score <= 30"


GOLDEN = [(e, case) for e in EXERCISES for case in e.golden]


@pytest.mark.parametrize(("exercise", "case"), GOLDEN, ids=[f"{e.id}:{c.name}" for e, c in GOLDEN])
def test_golden_case_in_expert_range(exercise, case) -> None:
    result = grade(exercise, case.answer, tools=BANK.tools)
    detail = {c.id: round(c.score, 2) for c in result.criteria}
    assert case.min_score <= result.total <= case.max_score, (result.total, detail)


def test_content_bank_covers_every_sector_and_kind() -> None:
    levels: dict[tuple[str, str], set[int]] = defaultdict(set)
    for e in EXERCISES:
        levels[(e.sector, e.kind)].add(e.difficulty)
    missing = [(s.value, k.value) for s in Sector for k in Kind if not levels[(s, k)]]
    assert missing == []
    single_level = [(s.value, k.value) for s in CORE_SECTORS for k in Kind if len(levels[(s, k)]) < 2]
    assert single_level == []
    assert len(EXERCISES) >= 36


def test_every_sector_links_its_kinds_through_a_case() -> None:
    kinds_by_case: dict[tuple[str, str], set[str]] = defaultdict(set)
    for e in EXERCISES:
        if e.case:
            kinds_by_case[(e.sector, e.case)].add(e.kind)
    linked = {sector for (sector, _), kinds in kinds_by_case.items() if len(kinds) >= 2}
    assert linked == set(Sector)

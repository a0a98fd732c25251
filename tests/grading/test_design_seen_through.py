"""A check that reads the raw work beside an earlier check of it sees more, not less (#17): the
earlier check's catches stand, so the error figures are those of reading it through that check.
A step that is no check (an action) reading the raw work beside the checked one bypasses the check
and keeps its direct read: that is the bypassable control raters cap."""

from __future__ import annotations

import pytest

from exercises.workflow import Workflow
from grading import grade
from grading.design import seen_through_checks

from .conftest import CATALOGUE, PAYMENT_REFERENCE, design, payment_exercise, step

EXTRACT, CHECK, REVIEW, PAY = PAYMENT_REFERENCE
EXERCISE = payment_exercise()


def error_rate(steps) -> float:
    return grade(EXERCISE, design(steps)).details["simulation"]["error_rate"]


@pytest.mark.parametrize("raw", [["extract"], ["extract", "invoices"]])
def test_a_person_reading_the_raw_work_beside_the_check_keeps_the_checks_catches(raw: list[str]) -> None:
    both = step("review", "human_review", ["check", *raw])
    assert error_rate([EXTRACT, CHECK, both, PAY]) == pytest.approx(error_rate([EXTRACT, CHECK, REVIEW, PAY]))


def test_an_action_reading_the_raw_work_beside_the_checked_one_still_bypasses_the_check() -> None:
    bypass = step("pay", "payment_release", ["review", "extract"], stage="s-pay")
    assert error_rate([EXTRACT, CHECK, REVIEW, bypass]) > error_rate([EXTRACT, CHECK, REVIEW, PAY])


@pytest.mark.parametrize(
    "steps",
    [
        PAYMENT_REFERENCE,
        [EXTRACT, CHECK, step("pay", "payment_release", ["check", "extract"], stage="s-pay")],
        [EXTRACT, step("review", "human_review", ["extract"]), step("pay", "payment_release", ["review"])],
    ],
)
def test_a_workflow_with_no_check_reading_around_another_is_unchanged(steps) -> None:
    workflow = Workflow(sources=EXERCISE.sources, steps=list(steps))
    assert seen_through_checks(workflow, CATALOGUE) == workflow

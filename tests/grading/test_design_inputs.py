"""A stage must read what the stages it builds on produce (#17): where the reference design's step
for a stage reads another stage's work (the amount is worked out from the looked-up record), a
design whose step for it never does performs that stage on the wrong inputs. It counts in part
for coverage, and the grade goes to a person: what such a stage gets wrong is beyond the
simulation. Checks and people are judged as controls, not here."""

from __future__ import annotations

import pytest

from exercises.model import DesignWorkflowExercise
from grading import Flag, grade
from grading.design import UNFOUNDED_CREDIT

from .conftest import PAYMENT_TOOLS, design, payment_exercise, step

STAGES = [
    {"id": "s-extract", "name": "Read the invoice", "capability": "extract", "risk": "medium"},
    {"id": "s-match", "name": "Find the purchase order", "capability": "lookup", "risk": "low"},
    {"id": "s-check", "name": "Check the amounts", "capability": "validate", "risk": "medium"},
    {
        "id": "s-pay",
        "name": "Release the payment",
        "capability": "pay",
        "risk": "irreversible",
        "required_check": "human",
    },
]
EXTRACT = step("extract", "doc_extractor", ["invoices"], stage="s-extract")
MATCH = step("match", "db_lookup", ["extract"], stage="s-match")  # the lookup reads what was extracted
CHECK = step("check", "rule_check", ["match"], stage="s-check")
REVIEW = step("review", "human_review", ["check"])
PAY = step("pay", "payment_release", ["review"], stage="s-pay")


def exercise() -> DesignWorkflowExercise:
    reference = {"steps": [s.model_dump() for s in (EXTRACT, MATCH, CHECK, REVIEW, PAY)], "rationale": "."}
    return payment_exercise(stages=STAGES, tools=[*PAYMENT_TOOLS, "db_lookup"], reference=reference)


def test_the_reference_reads_what_each_stage_builds_on() -> None:
    result = grade(exercise(), design([EXTRACT, MATCH, CHECK, REVIEW, PAY]))
    assert result.criterion("coverage").score == 1
    assert "never reads" not in result.criterion("coverage").evidence


@pytest.mark.parametrize("order", [0, 1])
def test_a_stage_that_never_reads_the_work_it_builds_on_counts_in_part_and_goes_to_a_person(order: int) -> None:
    blind = step("match", "db_lookup", ["invoices"], stage="s-match")  # looks up without the extracted invoice
    check = step("check", "rule_check", ["match", "extract"], stage="s-check")
    steps = [EXTRACT, blind, check, REVIEW, PAY] if order == 0 else [blind, EXTRACT, check, REVIEW, PAY]
    result = grade(exercise(), design(steps))
    coverage = result.criterion("coverage")
    assert coverage.score == pytest.approx(1 - (1 - UNFOUNDED_CREDIT) / len(STAGES), abs=1e-4)
    assert "'Find the purchase order' never reads the work of 'Read the invoice'" in coverage.evidence
    assert Flag.needs_review in result.flags


def test_a_check_or_a_person_reading_less_is_left_to_the_controls() -> None:
    # the rule check reads only the lookup, not the extraction: not this rule's concern
    narrow = step("check", "rule_check", ["match"], stage="s-check")
    result = grade(exercise(), design([EXTRACT, MATCH, narrow, REVIEW, PAY]))
    assert "never reads" not in result.criterion("coverage").evidence


def test_a_stage_the_design_does_not_cover_is_coverages_concern_only() -> None:
    no_extract = step("match", "db_lookup", ["invoices"], stage="s-match")
    result = grade(
        exercise(), design([no_extract, step("check", "rule_check", ["match"], stage="s-check"), REVIEW, PAY])
    )
    assert "never reads" not in result.criterion("coverage").evidence
    assert result.criterion("coverage").score == pytest.approx(3 / 4, abs=1e-4)

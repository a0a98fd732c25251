"""An error "corrected" to another wrong figure (#17): where the source gives a figure, a
correction that states one of its own in digits and nowhere the source's would, applied, put a
new error into the output. It costs precision as a correct claim flagged and corrected does,
never what was caught. The claim's own figures quoted back and corrections in words only are not
read as wrong figures (thin evidence stays doubt). Stated over every claim with a figure in the
shipped exercises and the hand-built one."""

from __future__ import annotations

import pytest

from exercises.submission import ValidateSubmission
from grading import grade
from grading.text import numbers
from grading.validate import wrong_figure

from .conftest import GOOD_MARKS, GOOD_OMISSIONS, ids, marks, shipped, validate_exercise

EXERCISE = validate_exercise()
FIGURED = [e for e in [EXERCISE, *shipped("validate_output")] if any(c.correction_numbers for c in e.claims)]


def _text(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".")


@pytest.mark.parametrize("exercise", FIGURED, ids=ids(FIGURED))
def test_only_a_figure_of_its_own_and_never_the_sources_is_a_wrong_figure(exercise) -> None:
    tol = exercise.number_tolerance
    for claim in (c for c in exercise.claims if c.correction_numbers):
        gold = claim.correction_numbers[0]
        other = gold * 1.5 + 7  # well outside any tolerance, and no figure the claim states
        assert wrong_figure(claim, f"It should be {_text(other)}.", tol), claim.id
        assert not wrong_figure(claim, f"It should be {_text(gold)}, see section 4.", tol), claim.id
        assert not wrong_figure(claim, "The source gives a different figure.", tol), claim.id  # no figure: doubt
        quoted = numbers(claim.text)
        if quoted:  # the claim's own figure quoted back states nothing new
            assert not wrong_figure(claim, f"Not {_text(quoted[0])}.", tol), claim.id


@pytest.mark.parametrize("claim_id", ["c2", "c5"])  # the errors with a figure
def test_a_miscorrected_error_costs_precision_never_what_was_caught(claim_id: str) -> None:
    claim = next(c for c in EXERCISE.claims if c.id == claim_id)
    error_type = GOOD_MARKS[claim_id][0]
    wrong = f"It should be {_text(claim.correction_numbers[0] * 1.5 + 7)}."
    right = f"It should be {_text(claim.correction_numbers[0])}."
    base = {c: GOOD_MARKS[c] for c in GOOD_MARKS if c != claim_id}

    def graded(correction: str):
        submission = marks(**base, **{claim_id: (error_type, correction)})
        return grade(EXERCISE, ValidateSubmission(marks=submission.marks, omissions=GOOD_OMISSIONS))

    miscorrected, corrected = graded(wrong), graded(right)
    detection = miscorrected.criterion("detection")
    assert detection.evidence.startswith("Caught 3 of 3 errors")  # what was caught stands
    assert "corrected to another wrong figure" in detection.evidence
    assert detection.score < corrected.criterion("detection").score
    assert miscorrected.total < corrected.total

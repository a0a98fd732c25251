"""Where the validate grader may be wrong, and what a harmful correction costs (#17), stated over
the hand-built payables output (errors c2 high, c4 medium, c5 low; c1, c3, c6, c7 correct):
- a neighbouring error type (a stale figure called a wrong number) scores as a wrong type but is
  doubt; an unrelated type is not;
- the right verdict with a correction that gives no figure in digits where the source has one
  may give it in words: doubt; a different figure in digits is a wrong figure the grader can see;
- a correct claim flagged and "corrected" costs more precision than one flagged bare (applied, the
  correction would put an error into the output); it never costs what was caught."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exercises.submission import ClaimError, ValidateSubmission
from grading import grade
from grading.validate import NEIGHBOURS, score_validation

from .conftest import CLAIMS, GOOD_MARKS, marks, validate_exercise

ERRORS = {c["id"]: c for c in CLAIMS if "error" in c}
CORRECT = [c["id"] for c in CLAIMS if "error" not in c]


def _doubt(result_criteria, criterion: str) -> float:
    return next(c.doubt for c in result_criteria if c.id == criterion)


def test_neighbours_are_symmetric_and_never_the_type_itself() -> None:
    for kind, near in NEIGHBOURS.items():
        assert kind not in near
        assert all(kind in NEIGHBOURS[other] for other in near)


@given(claim=st.sampled_from(sorted(ERRORS)), given_type=st.sampled_from(list(ClaimError)))
def test_a_neighbouring_type_is_doubt_and_an_unrelated_or_right_one_is_not(claim, given_type) -> None:
    spec = ERRORS[claim]
    accepted = {ClaimError(spec["error"]), *(ClaimError(e) for e in spec.get("also_errors", []))}
    exercise = validate_exercise()
    scored = score_validation(exercise, marks(**{claim: (given_type.value, GOOD_MARKS[claim][1])}), {})
    doubt = _doubt(scored.criteria, "error_types")
    near = given_type not in accepted and any(given_type in NEIGHBOURS[a] for a in accepted)
    assert (doubt > 0) == near
    # doubt never changes the score: a neighbour still earns nothing for its type
    score = next(c.score for c in scored.criteria if c.id == "error_types")
    assert (score > 0) == (given_type in accepted)


@pytest.mark.parametrize(
    "in_words",
    [
        "It closed March with one thousand two hundred and fifty dollars.",
        "The payables figure has two digits swapped.",
        "Read the closing figure again from the ledger.",
    ],
)
def test_the_right_verdict_without_a_figure_in_digits_is_doubt(in_words: str) -> None:
    scored = score_validation(validate_exercise(), marks(c2=("wrong_number", in_words)), {})
    assert _doubt(scored.criteria, "corrections") > 0


@pytest.mark.parametrize("figure", ["$1,300", "$1,100", "$2,050"])
def test_a_wrong_figure_in_digits_is_confident(figure: str) -> None:
    scored = score_validation(validate_exercise(), marks(c2=("wrong_number", f"It closed March with {figure}.")), {})
    assert _doubt(scored.criteria, "corrections") == 0
    assert next(c.score for c in scored.criteria if c.id == "corrections") == 0


@given(wrong=st.sets(st.sampled_from(CORRECT), min_size=1), caught=st.sets(st.sampled_from(sorted(ERRORS))))
def test_a_corrected_false_flag_costs_more_than_a_bare_one_and_never_what_was_caught(wrong, caught) -> None:
    exercise = validate_exercise()
    found = {c: GOOD_MARKS[c] for c in caught}
    bare = grade(exercise, marks(**found, **dict.fromkeys(wrong, ("fabricated_fact", ""))))
    corrected = grade(exercise, marks(**found, **dict.fromkeys(wrong, ("fabricated_fact", "It should say 12."))))
    assert corrected.criterion("detection").score <= bare.criterion("detection").score
    if not caught:
        assert corrected.criterion("detection").score == 0
    only = grade(exercise, marks(**found))
    assert (
        corrected.criterion("corrections").score
        == bare.criterion("corrections").score
        == (only.criterion("corrections").score)
    )


@pytest.mark.parametrize("wrong", CORRECT)
def test_with_every_error_caught_one_corrected_false_flag_costs_more_than_a_bare_one(wrong: str) -> None:
    exercise = validate_exercise()
    bare = grade(exercise, marks(**GOOD_MARKS, **{wrong: ("fabricated_fact", "")}))
    corrected = grade(exercise, marks(**GOOD_MARKS, **{wrong: ("fabricated_fact", "It should say 12.")}))
    assert 0 < corrected.criterion("detection").score < bare.criterion("detection").score < 1


# --- a correction placed in part: the figures it gives are checked, the rest may be in words --------
TWO_FIGURES = [
    {**c, "correction": "It closed March with $1,250, $45 more than February.", "correction_numbers": [1250, 45]}
    if c["id"] == "c2"
    else c
    for c in CLAIMS
]


@given(given=st.sets(st.sampled_from(["$1,250", "$45"])), other=st.sampled_from(["", "$3,999"]))
def test_a_correction_with_some_of_the_sources_figures_is_doubt_about_the_rest(given: set[str], other: str) -> None:
    """Some of the source's figures in digits and not the others: the rest may be given in words
    the grader cannot read, so the part it could not place is doubt. All of them leave none, and a
    correction read as another wrong figure (none of the source's, one of its own) is decided."""
    figures = sorted(given)
    text = f"It closed March at {' and '.join(figures) or 'a different figure'}{', not ' + other if other else ''}."
    scored = score_validation(validate_exercise(TWO_FIGURES), marks(c2=("wrong_number", text)), {})
    corrections = next(c for c in scored.criteria if c.id == "corrections")
    if len(figures) == 1:  # placed in part
        assert corrections.doubt == pytest.approx(3 * 0.5 / 6)  # c2 weighs 3 of 6; half of it unplaced
    elif len(figures) == 2:
        assert corrections.doubt == 0
        assert corrections.score == pytest.approx(3 / 6)
    elif other:
        assert corrections.doubt == 0  # another wrong figure: decided
        assert corrections.score == 0


# --- omissions in other words: doubt per missed point, from lines that made no point -----------------
# blind spots: the exchange rate (medium, 2) and invoices without a purchase order (high, 3) of 5
FX_IN_OTHER_WORDS = "Canada's figures are translated at a different rate each month."
NO_PO = "95 invoices came in without a purchase order."


def _omission_doubt(omissions: list[str]) -> float:
    scored = score_validation(validate_exercise(), ValidateSubmission(marks=[], omissions=omissions), {})
    return _doubt(scored.criteria, "omissions")


def test_a_line_about_one_missed_point_is_doubt_for_that_point_only() -> None:
    assert _omission_doubt([FX_IN_OTHER_WORDS]) == pytest.approx(0.5 * 2 / 5)
    assert _omission_doubt([FX_IN_OTHER_WORDS, NO_PO]) == pytest.approx(0.5 * 2 / 5)


def test_a_line_that_made_a_point_is_no_doubt_about_another_and_off_topic_lines_none() -> None:
    assert _omission_doubt([NO_PO]) == 0
    assert _omission_doubt([NO_PO[:-1] + " and " + FX_IN_OTHER_WORDS[0].lower() + FX_IN_OTHER_WORDS[1:]]) == 0
    assert _omission_doubt(["Nothing else to add about the weather."]) == 0
    assert _omission_doubt([]) == 0

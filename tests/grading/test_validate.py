"""The validate grader: detection weighted by severity (a correct claim flagged weighs as a medium
error), error types, corrections checked against the gold numbers and cues, omissions.

The detection formula is the grader's to choose (it has been F1 and is now a chance-corrected
agreement), so detection is tested by the orderings every sound choice must keep; the other
criteria follow published rules and are tested exactly.

The hand-built output has seven claims; three are wrong, weighing 3 (c2, high), 2 (c4, medium)
and 1 (c5, low)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exercises.submission import ClaimMark, ValidateSubmission
from grading import Flag, grade, in_doubt
from grading.detection import FOUND_SHARE

from .conftest import CLAIMS, GOOD_MARKS, GOOD_OMISSIONS, ids, marks, rounded, shipped, validate_exercise

EXERCISE = validate_exercise()
ERRORS = {"c2": 3, "c4": 2, "c5": 1}
CORRECT = ["c1", "c3", "c6", "c7"]


def test_the_reference_earns_every_criterion() -> None:
    result = grade(EXERCISE, EXERCISE.reference)
    assert all(c.score == 1 for c in result.criteria)
    assert result.flags == []


def detection(*caught: str, false_flags: tuple[str, ...] = ()) -> float:
    submission = marks(**{c: GOOD_MARKS[c] for c in caught}, **dict.fromkeys(false_flags, ("fabricated_fact", "")))
    return grade(EXERCISE, submission).criterion("detection").score


def test_detection_runs_from_nothing_to_everything() -> None:
    assert detection() == 0
    assert detection(*ERRORS) == 1
    assert 0 < detection("c5") < detection("c4") < detection("c2") < detection("c2", "c4") < 1


@pytest.mark.parametrize(("severe", "minor"), [("c2", "c5"), ("c2", "c4"), ("c4", "c5")])
def test_catching_the_severe_error_beats_catching_the_minor_one(severe: str, minor: str) -> None:
    assert detection(severe) > detection(minor)
    assert (
        grade(EXERCISE, marks(**{severe: GOOD_MARKS[severe]})).total
        > grade(EXERCISE, marks(**{minor: GOOD_MARKS[minor]})).total
    )


def test_each_correct_claim_flagged_costs_detection() -> None:
    costs = [detection(*ERRORS, false_flags=tuple(CORRECT[:n])) for n in range(len(CORRECT) + 1)]
    assert costs == sorted(costs, reverse=True)
    assert len(set(costs)) == len(costs)


def test_the_worst_miss_is_named() -> None:
    minor = grade(EXERCISE, marks(c5=GOOD_MARKS["c5"]))
    assert minor.criterion("detection").feedback.startswith("Missed: “The US entity closed March with $1,205")


def test_flagging_every_claim_scores_lower_than_flagging_only_the_errors() -> None:
    everything = marks(**GOOD_MARKS, **dict.fromkeys(CORRECT, ("fabricated_fact", "Not in the source.")))
    only_errors = marks(**GOOD_MARKS)
    shotgun, precise = grade(EXERCISE, everything), grade(EXERCISE, only_errors)
    assert shotgun.criterion("detection").score < precise.criterion("detection").score
    assert shotgun.total < precise.total
    assert "4 correct claim(s) flagged as wrong" in shotgun.criterion("detection").evidence


VALIDATE = shipped("validate_output")


@pytest.mark.parametrize("exercise", VALIDATE, ids=ids(VALIDATE))
def test_flagging_every_shipped_claim_scores_lower_than_the_reference(exercise) -> None:
    flagged = {m.claim for m in exercise.reference.marks}
    extra = [ClaimMark(claim=c.id, error_type="fabricated_fact") for c in exercise.claims if c.id not in flagged]
    assert extra, "every claim is wrong: nothing to over-flag"
    shotgun = exercise.reference.model_copy(update={"marks": [*exercise.reference.marks, *extra]})
    assert grade(exercise, shotgun).total < grade(exercise, exercise.reference).total


# --- corrections ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fit"),
    [
        ("It closed March with $1,250.", 1.0),
        ("Payables were 1.25k at month end.", 1.0),
        ("About 1,262 in fact.", 1.0),  # 0.96 % off: inside the 1 % tolerance
        ("It closed March with $1,300.", 0.0),  # 4 % off
        ("It was wrong.", 0.0),
        ("", 0.0),
    ],
)
def test_a_numeric_correction_passes_within_tolerance_only(text: str, fit: float) -> None:
    result = grade(EXERCISE, marks(c2=("wrong_number", text)))
    assert result.criterion("corrections").score == rounded(fit * 3 / 6)


def test_the_tolerance_is_the_exercises() -> None:
    loose = validate_exercise(tolerance=0.05)
    assert grade(loose, marks(c2=("wrong_number", "It closed March with $1,300."))).criterion(
        "corrections"
    ).score == rounded(0.5)


def test_a_correction_by_cues_needs_them_in_one_sentence() -> None:
    said = grade(EXERCISE, marks(c4=GOOD_MARKS["c4"])).criterion("corrections").score
    unsaid = (
        grade(EXERCISE, marks(c4=("unsupported_inference", "The workflow did not do it.")))
        .criterion("corrections")
        .score
    )
    assert said == rounded(2 / 6)
    assert unsaid == 0


def _vague_claims(n: int) -> list[dict[str, object]]:
    return [
        {
            "id": f"v{i}",
            "text": f"Suppliers in region {i} are happier.",
            "error": "unsupported_inference",
            "correction": "Nothing in the source says so.",
        }
        for i in range(n)
    ]


@pytest.mark.parametrize("n", [1, 2, 4])
def test_a_correction_with_nothing_to_check_against_earns_half_and_counts_as_doubt(n: int) -> None:
    exercise = validate_exercise([*CLAIMS, *_vague_claims(n)])
    vague = {f"v{i}": ("unsupported_inference", "The source does not say that.") for i in range(n)}
    result = grade(exercise, marks(**GOOD_MARKS, **vague))
    # half credit while unchecked: 3 + 2 + 1 + 0.5 * 2 per vague claim, of 6 + 2 per vague claim
    assert result.criterion("corrections").score == rounded((6 + n) / (6 + 2 * n))
    # the other half is what a person may give or take back: it is the grader's doubt, in points
    at_stake = 25 * n / (6 + 2 * n)
    assert result.details["doubt"]["points"] == pytest.approx(at_stake, abs=0.06)
    assert (Flag.needs_review in result.flags) == in_doubt(result.total, result.details)


# --- error types ----------------------------------------------------------------------------------


def test_error_types_accept_the_listed_alternatives_only() -> None:
    also = grade(EXERCISE, marks(c5=("wrong_number", "They rose 24%.")))  # also_errors of c5
    wrong = grade(EXERCISE, marks(c2=("fabricated_fact", "It closed March with $1,250.")))
    untyped = grade(EXERCISE, marks(c2=(None, "It closed March with $1,250.")))
    assert also.criterion("error_types").score == rounded(1 / 6)
    assert wrong.criterion("error_types").score == 0
    assert "is wrong number, not fabricated fact" in wrong.criterion("error_types").feedback
    assert untyped.criterion("error_types").score == 0
    assert wrong.criterion("detection").score == untyped.criterion("detection").score > 0


# --- omissions ------------------------------------------------------------------------------------


def test_omissions_are_matched_by_cues_and_weighted_by_severity() -> None:
    def omitted(*lines: str) -> float:
        return grade(EXERCISE, ValidateSubmission(omissions=list(lines))).criterion("omissions").score

    assert omitted(*GOOD_OMISSIONS) == 1
    assert omitted("The FX rate changed between months.") == rounded(2 / 5)  # medium of medium + high
    assert omitted("95 invoices came with no PO.") == rounded(3 / 5)
    assert omitted("95 invoices came with no", "purchase order attached") == 0  # cues split over two lines
    assert omitted("Nothing is missing.") == 0


def test_marks_on_unknown_claims_are_ignored_and_a_claim_counts_once() -> None:
    reference = grade(EXERCISE, marks(**GOOD_MARKS))
    noisy = ValidateSubmission(
        marks=[
            *marks(**GOOD_MARKS).marks,
            ClaimMark(claim="c99", error_type="wrong_number"),
            ClaimMark(claim="c2", error_type="fabricated_fact", correction="duplicate"),
        ]
    )
    assert grade(EXERCISE, noisy).criteria == reference.criteria


# --- monotonicity -----------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(st.sets(st.sampled_from(list(ERRORS) + CORRECT)), st.sampled_from(list(ERRORS) + CORRECT))
def test_flagging_one_more_error_never_lowers_and_one_more_correct_claim_never_raises(
    marked: set[str], extra: str
) -> None:
    def submission(claims: set[str]) -> ValidateSubmission:
        return marks(**{c: GOOD_MARKS.get(c, ("fabricated_fact", "Not supported.")) for c in sorted(claims)})

    before = grade(EXERCISE, submission(marked - {extra}))
    after = grade(EXERCISE, submission(marked | {extra}))
    if extra in ERRORS:
        assert after.total >= before.total
        assert after.criterion("detection").score >= before.criterion("detection").score
    else:
        assert after.total <= before.total
        assert after.criterion("detection").score <= before.criterion("detection").score


# --- found and false alarms are two scores ----------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(st.sets(st.sampled_from(list(ERRORS)), min_size=1), st.sets(st.sampled_from(CORRECT), min_size=1))
def test_a_false_flag_costs_the_clean_share_never_what_was_caught(caught: set[str], wrong: set[str]) -> None:
    clean = grade(EXERCISE, marks(**{c: GOOD_MARKS[c] for c in caught})).criterion("detection").score
    noisy = marks(**{c: GOOD_MARKS[c] for c in caught}, **dict.fromkeys(wrong, ("fabricated_fact", "")))
    score = grade(EXERCISE, noisy).criterion("detection").score
    assert score < clean
    # what was caught keeps its found share, fading only as the flags approach flagging everything
    assert score >= FOUND_SHARE * clean * (1 - (len(wrong) / len(CORRECT)) ** 2) - 1e-3  # scores kept to 4 places


@pytest.mark.parametrize("exercise", [EXERCISE, *VALIDATE], ids=ids([EXERCISE, *VALIDATE]))
def test_flagging_every_claim_catches_nothing(exercise) -> None:
    everything = ValidateSubmission(
        marks=[ClaimMark(claim=c.id, error_type="fabricated_fact") for c in exercise.claims]
    )
    assert grade(exercise, everything).criterion("detection").score == 0

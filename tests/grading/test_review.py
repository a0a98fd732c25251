"""Review flags point where the grader may be wrong: the points it is unsure of (text on the case it
could not place, partial matches, many flags that match nothing) must be large enough to matter,
in any band. Nearness to an edge alone is no reason; a capped critical flaw stays capped."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from exercises.submission import FaultFlag, FindFailuresSubmission, FixType
from grading import Flag, grade, in_doubt
from grading.bands import BAND_EDGES, CAP_DOUBT, CRITERION_MET, MIN_DOUBT
from grading.detection import noisy
from grading.rubric import Scored, assemble

from .conftest import AP_FIXES, failures_exercise, marks, perfect_flag, validate_exercise

FAILURES = failures_exercise()
LATE = next(f for f in FAILURES.faults if f.id == "f-late")


@given(st.floats(0, 100), st.floats(0, 60))
def test_review_when_the_doubt_is_large_wherever_the_total_sits(total: float, points: float) -> None:
    details = {"doubt": {"points": points, "where": []}}
    assert in_doubt(total, details) == (points >= MIN_DOUBT)
    assert not in_doubt(total, details | {"cap": {"at": 44, "by": "controls"}})


@given(st.sampled_from(BAND_EDGES), st.floats(-1.4, 1.4))
def test_a_grade_near_a_band_edge_without_doubt_is_not_reviewed(edge: float, offset: float) -> None:
    assert not in_doubt(edge + offset, {})
    assert not in_doubt(edge + offset, {"doubt": {"points": MIN_DOUBT - 0.1}})


def test_many_flags_that_match_nothing_are_doubt() -> None:
    noise = [FaultFlag(step=s, category="bias") for s in ("intake", "pay")]
    clean = grade(FAILURES, FindFailuresSubmission(flags=[perfect_flag(LATE)]))
    noisy = grade(FAILURES, FindFailuresSubmission(flags=[perfect_flag(LATE), *noise]))
    assert "doubt" not in clean.details
    assert "2 flags that match no fault" in noisy.details["doubt"]["where"]


@given(st.integers(0, 12), st.integers(0, 12))
def test_noise_is_many_unmatched_flags_against_few_hits(false_alarms: int, hits: int) -> None:
    assert noisy(false_alarms, hits) == (false_alarms >= 2 and false_alarms * 2 >= hits)
    assert not noisy(false_alarms, hits) or noisy(false_alarms + 1, hits)  # more noise never less doubt


@given(st.integers(2, 5))
def test_unmatched_flags_with_nothing_found_are_no_doubt(n: int) -> None:
    """The clean share is a share of what was found: with nothing found, noise moves no points."""
    steps = [s.id for s in FAILURES.workflow.steps if s.id not in {f.step for f in FAILURES.faults}]
    noise = [FaultFlag(step=s, category="bias") for s in steps[:n]]
    result = grade(FAILURES, FindFailuresSubmission(flags=noise))
    assert not any("match no fault" in w for w in result.details.get("doubt", {}).get("where", []))
    assert Flag.needs_review not in result.flags


def test_a_fix_about_the_fault_in_other_words_is_doubt_and_an_off_topic_one_is_not() -> None:
    unfitting = next(t for t in FixType if t not in LATE.fix_types)  # no tick to weigh against the words

    def doubt(fix: str) -> float:
        flag = perfect_flag(LATE, fix).model_copy(update={"fix_type": unfitting})
        return grade(FAILURES, FindFailuresSubmission(flags=[flag])).details.get("doubt", {}).get("points", 0.0)

    assert doubt(AP_FIXES["f-late"]) == 0  # fully read
    assert doubt("The approval runs after the payment, so swap their order in the workflow.") > 0
    assert doubt("Buy a faster server and retrain everyone on spreadsheets.") == 0


def test_a_correction_in_other_words_is_doubt_and_a_wrong_number_is_not() -> None:
    exercise = validate_exercise()
    reworded = grade(exercise, marks(c4=("unsupported_inference", "The source gives no cause for the rise at all.")))
    wrong_number = grade(exercise, marks(c2=("wrong_number", "It closed March with $1,300.")))
    assert reworded.details["doubt"]["points"] > 0
    assert "doubt" not in wrong_number.details
    assert Flag.needs_review not in wrong_number.flags


@given(st.floats(0, 44), st.floats(0, 40), st.floats(0, CRITERION_MET, exclude_max=True))
def test_a_cap_that_barely_binds_goes_to_review_and_one_that_binds_firmly_does_not(
    below: float, margin: float, failed: float
) -> None:
    capped = {
        "cap": {"at": 44.0, "by": "controls"},
        "capped": {"at": 44.0, "uncapped_total": 44.0 + margin, "criterion_score": failed},
    }
    assert in_doubt(44.0, capped) == (margin < CAP_DOUBT)
    assert not in_doubt(below, {"cap": {"at": 44.0, "by": "controls"}})  # the cap does not bind at all


@given(st.floats(0, 40), st.floats(CRITERION_MET, 1.0))
def test_a_cap_imposed_by_a_criterion_that_is_otherwise_met_goes_to_review(margin: float, met: float) -> None:
    """One flaw amid work its own criterion credits: raters split on how much it should cost."""
    capped = {"cap": {"at": 44.0, "by": "key_points"}, "capped": {"at": 44.0, "uncapped_total": 44.0 + margin}}
    assert in_doubt(44.0, capped | {"capped": capped["capped"] | {"criterion_score": met}})


@given(st.floats(0, 40), st.floats(0, 1.0))
def test_a_firm_cap_is_never_a_close_call(margin: float, criterion: float) -> None:
    """A flaw stated outright (the decision argued against in so many words) is not one raters split on."""
    capped = {"at": 44.0, "by": "key_points", "uncapped_total": 44.0 + margin, "criterion_score": criterion}
    details = {"cap": {"at": 44.0, "by": "key_points"}, "capped": capped | {"firm": True}}
    assert not in_doubt(44.0, details)
    assert in_doubt(44.0, details | {"capped": capped}) == (margin < CAP_DOUBT or criterion >= CRITERION_MET)


@given(st.floats(0, 1), st.floats(0.5, 1), st.booleans())
def test_a_binding_cap_records_whether_it_is_firm(score: float, rest: float, firm: bool) -> None:
    exercise = validate_exercise()
    ids = [c.id for c in exercise.scored_rubric]
    scored = [
        Scored(i, score if i == ids[0] else rest, "", "", cap=1.0, firm=firm)
        if i == ids[0]
        else Scored(i, rest, "", "")
        for i in ids
    ]
    assert assemble(exercise, scored).details["capped"].get("firm", False) == firm


@given(st.floats(0, 1), st.floats(0.5, 1))
def test_a_binding_cap_records_the_score_of_the_criterion_that_imposes_it(score: float, rest: float) -> None:
    exercise = validate_exercise()
    ids = [c.id for c in exercise.scored_rubric]
    scored = [Scored(i, score if i == ids[0] else rest, "", "", cap=1.0 if i == ids[0] else None) for i in ids]
    result = assemble(exercise, scored)
    assert result.details["capped"]["by"] == ids[0]
    assert result.details["capped"]["criterion_score"] == round(score, 4)

"""A fix argued against in its own words earns no fix fit (#17): a clause that rejects a control
earns nothing while the rest of the fix still counts, and a fix that denies the fault proposes
nothing at all. A negation that is itself the remedy ("never pay before approval") is a fix.
Stated over every seeded fault of the hand-built exercise and families of phrasings."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exercises.submission import FindFailuresSubmission
from grading import grade
from grading.fix_stance import argued_against, denies_the_fault, proposed, samples_only

from .conftest import AP_FAULTS, AP_FIXES, failures_exercise, perfect_flag

EXERCISE = failures_exercise()
FAULTS = [f for f in EXERCISE.faults if f.id in AP_FIXES]

CONTROLS = ["a human review", "a second check", "monitoring", "a validation step", "an approval", "a teacher review"]
REJECTIONS = [
    "There is no need to add {c}.",
    "{C} would not help here.",
    "{C} is not necessary.",
    "{C} isn't needed.",
    "We don't need {c}.",
    "Adding {c} is overkill.",
    "{C} won't catch anything.",
]
DENIALS = [
    "This was a management choice, not an AI fault.",
    "It is not a real problem.",
    "The step works as intended.",
    "Honestly this isn't an issue.",
    "No change is needed.",
]
REMEDY_NEGATIONS = [
    "Never release the payment before a person approves it.",
    "Do not send the names to the public model.",
    "Do not let the draft's text set the mark without a teacher.",
    "No invoice is paid until it is approved.",
]


def fixes_score(fault_id: str, fix: str) -> float:
    fault = next(f for f in EXERCISE.faults if f.id == fault_id)
    result = grade(EXERCISE, FindFailuresSubmission(flags=[perfect_flag(fault, fix=fix)]))
    return result.criterion("fixes").score


def _cap(text: str) -> str:
    return text[0].upper() + text[1:]


@settings(max_examples=60, deadline=None)
@given(
    fault=st.sampled_from(FAULTS),
    rejection=st.sampled_from(REJECTIONS),
    control=st.sampled_from(CONTROLS),
    before=st.booleans(),
)
def test_a_rejected_control_earns_nothing_and_the_rest_of_the_fix_still_counts(fault, rejection, control, before):
    rejecting = rejection.format(c=control, C=_cap(control))
    fitting = AP_FIXES[fault.id]
    assert proposed(rejecting) == ""
    assert argued_against(rejecting)
    # the rejection on its own earns no fit, not even for the ticked fix type
    assert fixes_score(fault.id, rejecting) == 0
    # beside a fitting remedy it neither adds nor takes away
    both = f"{rejecting} {fitting}" if before else f"{fitting} {rejecting}"
    assert fixes_score(fault.id, both) == fixes_score(fault.id, fitting) > 0


@settings(max_examples=40, deadline=None)
@given(fault=st.sampled_from(FAULTS), denial=st.sampled_from(DENIALS), before=st.booleans())
def test_a_fix_that_denies_the_fault_earns_nothing_however_fitting_its_words(fault, denial, before):
    fitting = AP_FIXES[fault.id]
    fix = f"{denial} {fitting}" if before else f"{fitting} {denial}"
    assert denies_the_fault(fix)
    assert fixes_score(fault.id, fix) == 0
    assert fixes_score(fault.id, fitting) > 0


@given(remedy=st.sampled_from(REMEDY_NEGATIONS), tail=st.sampled_from(list(AP_FIXES.values())))
def test_a_negation_that_is_the_remedy_is_kept(remedy, tail):
    fix = f"{remedy} {tail}"
    assert not denies_the_fault(fix)
    assert proposed(fix) == fix
    assert not argued_against(fix)


def test_every_fitting_fix_of_the_exercise_is_read_unchanged() -> None:
    for fix in AP_FIXES.values():
        assert proposed(fix) == fix


# --- a person on a sample, where a person must decide every item -----------------------------------

DECIDE = {**next(f for f in AP_FAULTS if f["id"] == "f-late"), "fix_types": ["keep_human_decision"]}
SAMPLERS = [
    "Have a manager spot-check approvals before the pay run.",
    "Approve a random sample of invoices before payment.",
    "Approve 10 % of invoices before the pay run.",
    "Routine invoices can stay automated; approve the large ones before payment.",
    "Approve a few of the invoices before payment.",
]


@pytest.mark.parametrize("sampler", SAMPLERS)
def test_a_person_on_a_sample_earns_part_of_a_fix_where_a_person_must_decide_each_item(sampler: str) -> None:
    every_item = failures_exercise([DECIDE])
    checked = failures_exercise([{**DECIDE, "fix_types": ["move_check_before_action"]}])
    full = "Move the approval before the pay run so only approved invoices are paid."

    def fit(exercise, fix: str) -> float:
        fault = exercise.faults[0]
        return grade(exercise, FindFailuresSubmission(flags=[perfect_flag(fault, fix=fix)])).criterion("fixes").score

    assert samples_only(sampler)
    assert not samples_only(full)
    assert fit(every_item, full) == 1
    assert 0 < fit(every_item, sampler) < fit(every_item, full)
    # where no person's decision is the remedy, a sampled check is judged on its words alone
    assert fit(checked, sampler) == fit(checked, full) == 1

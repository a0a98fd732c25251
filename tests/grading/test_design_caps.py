"""Caps in proportion to expected harm (#17): a design whose unguarded risky step lets errors
through at about the target rate is capped at the critical cap; each doubling of the uncaught
error rate past the target, and each further independent critical flaw, lowers the cap, never
below the floor for a single flaw. Stated as properties of the cap and over a family of targets and flaws."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exercises.model import Constraints, DesignWorkflowExercise
from grading import Flag, grade
from grading.design import CAP_FLOOR, CAP_PER_DOUBLING, INFEASIBLE_CAP, harm_cap
from grading.rubric import CRITICAL_CAP

from .conftest import PAYMENT_REFERENCE, design, payment_exercise, step

EXTRACT, CHECK, REVIEW, PAY = PAYMENT_REFERENCE
UNGUARDED = [EXTRACT, CHECK, step("pay", "payment_release", ["check"], stage="s-pay")]  # no person before paying
PUBLIC = step("extract", "llm_public_api", ["invoices"], stage="s-extract")  # personal data to an uncleared tool

ratios = st.floats(min_value=0.0, max_value=1e4, allow_nan=False)
flaws = st.integers(min_value=1, max_value=4)


@given(ratio=ratios, more=st.floats(min_value=0, max_value=1e3), n=flaws)
def test_the_cap_falls_with_harm_and_with_each_further_flaw_never_below_the_floor(ratio, more, n) -> None:
    assert CAP_FLOOR <= harm_cap(ratio + more, n) <= harm_cap(ratio, n) <= CRITICAL_CAP
    assert harm_cap(ratio, n + 1) <= harm_cap(ratio, n)


@given(ratio=st.floats(min_value=0.0, max_value=1.0), n=flaws)
def test_at_or_under_the_target_one_flaw_caps_at_the_critical_cap(ratio, n) -> None:
    assert harm_cap(ratio) == CRITICAL_CAP
    assert harm_cap(ratio, n) == max(CAP_FLOOR, CRITICAL_CAP - CAP_PER_DOUBLING * (n - 1))


@given(ratio=st.floats(min_value=1.0, max_value=2.0 ** ((CRITICAL_CAP - CAP_FLOOR) / CAP_PER_DOUBLING - 1)))
def test_each_doubling_past_the_target_costs_the_same(ratio) -> None:
    assert harm_cap(ratio) - harm_cap(2 * ratio) == pytest.approx(CAP_PER_DOUBLING, abs=0.1)


@pytest.mark.parametrize("target", [0.012, 0.006, 0.003, 0.0015, 0.0008])  # the design errs on about 1.6 %
def test_an_unguarded_payment_is_capped_by_how_far_its_errors_exceed_the_target(target: float) -> None:
    exercise = payment_exercise(constraints=Constraints(budget_per_item=3.0, max_error_rate=target, turnaround_s=1800))
    result = grade(exercise, design(UNGUARDED))
    error_rate = result.details["simulation"]["error_rate"]
    assert "cap" in result.details
    assert result.details["cap"]["at"] == pytest.approx(harm_cap(error_rate / target))
    assert result.total <= harm_cap(error_rate / target)
    if error_rate > 2 * target:
        assert result.details["cap"]["at"] < CRITICAL_CAP
        assert f"caps this design at {result.details['cap']['at']:g}" in result.criterion("controls").feedback


def test_two_critical_flaws_cap_lower_than_either_alone() -> None:
    exercise = payment_exercise()
    breach = grade(exercise, design([PUBLIC, CHECK, REVIEW, PAY]))
    unguarded = grade(exercise, design(UNGUARDED))
    both = grade(exercise, design([PUBLIC, CHECK, step("pay", "payment_release", ["check"], stage="s-pay")]))
    assert both.details["cap"]["at"] < min(breach.details["cap"]["at"], unguarded.details["cap"]["at"])
    ratio = both.details["simulation"]["error_rate"] / exercise.constraints.max_error_rate
    # the floor is for one misplaced control: a second, independent critical flaw may go below it
    assert both.details["cap"]["at"] == pytest.approx(
        max(0.0, CRITICAL_CAP - CAP_PER_DOUBLING * (math.log2(max(1.0, ratio)) + 1)), abs=0.05
    )


def test_a_grade_held_down_by_several_critical_flaws_goes_to_a_person() -> None:
    exercise = payment_exercise()
    pay_unguarded = step("pay", "payment_release", ["check"], stage="s-pay")
    both = grade(exercise, design([PUBLIC, CHECK, pay_unguarded]))
    assert both.details["capped"]
    assert Flag.needs_review in both.flags
    # one flaw whose cap binds far below work its criterion fails is a confident grade
    strict = payment_exercise(constraints=Constraints(budget_per_item=3.0, max_error_rate=0.002, turnaround_s=1800))
    one = grade(strict, design(UNGUARDED))
    assert one.details["capped"]["uncapped_total"] - one.total > 10
    assert Flag.needs_review not in one.flags


# --- far over a hard limit: not deployable, however safe ------------------------------------------

REFERENCE_COST = 0.015 + 0.0002 + 2.5 + 0.05  # the reference design's simulated cost per invoice


@pytest.mark.parametrize("over", [0.5, 0.9, 1.2, 1.49, 1.51, 2.0, 4.0])
def test_a_design_far_over_budget_is_capped_below_proficient_and_nearly_over_is_not(over: float) -> None:
    budget = REFERENCE_COST / over
    exercise = payment_exercise(constraints=Constraints(budget_per_item=budget, max_error_rate=0.02, turnaround_s=1800))
    result = grade(exercise, design(PAYMENT_REFERENCE))
    capped_by_cost = result.details.get("cap", {}).get("by") == "constraints"
    assert capped_by_cost == (over >= 1.5)
    if capped_by_cost:
        assert result.total <= INFEASIBLE_CAP
        assert f"caps the grade at {INFEASIBLE_CAP:g}" in result.criterion("constraints").feedback


@pytest.mark.parametrize("over", [1.2, 1.6, 3.0])
def test_a_design_far_over_its_turnaround_is_capped_the_same_way(over: float) -> None:
    slow = grade(payment_exercise(), design(PAYMENT_REFERENCE)).details["simulation"]["latency_mean_s"]
    limits = Constraints(budget_per_item=3.0, max_error_rate=0.02, turnaround_s=slow / over)
    exercise = payment_exercise(constraints=limits)
    result = grade(exercise, design(PAYMENT_REFERENCE))
    assert (result.details.get("cap", {}).get("by") == "constraints") == (over >= 1.5)


def test_an_infeasible_design_is_no_critical_flaw_and_a_critical_flaw_still_binds_lower() -> None:
    budget = REFERENCE_COST / 2
    exercise = payment_exercise(constraints=Constraints(budget_per_item=budget, max_error_rate=0.02, turnaround_s=1800))
    pay = step("pay", "payment_release", ["check"], stage="s-pay")
    late = [EXTRACT, CHECK, pay, step("review", "human_review", ["pay"])]
    result = grade(exercise, design(late))
    assert "caps the grade at" in result.criterion("constraints").feedback  # over budget: capped at 69 too
    assert result.details["cap"]["by"] == "controls"
    # one critical flaw: the infeasible budget does not compound it as a second one would
    assert result.details["cap"]["at"] == harm_cap(result.details["simulation"]["error_rate"] / 0.02)
    assert result.details["cap"]["at"] <= CRITICAL_CAP < INFEASIBLE_CAP


# --- a person's decision no one with the authority makes -------------------------------------------

DECIDE_STAGE = {"id": "s-decide", "name": "Decide whether to pay", "capability": "decide", "risk": "high"}


def _with_decision(risk: str = "high") -> DesignWorkflowExercise:
    base = payment_exercise()
    stages = [s.model_dump() for s in base.stages]
    return payment_exercise(stages=[*stages[:2], {**DECIDE_STAGE, "risk": risk}, stages[2]])


@pytest.mark.parametrize("risk", ["high", "irreversible"])
@pytest.mark.parametrize("reviewer", ["human_review", "approval_gate"])
def test_an_irreversible_step_on_a_decision_no_one_with_the_authority_makes_is_critical(risk, reviewer) -> None:
    exercise = _with_decision(risk)
    # a person reviews before paying, but no one who may decide does: the stage is not performed
    review = step("review", reviewer, ["check"], stage="s-decide")
    result = grade(
        exercise, design([EXTRACT, CHECK, review, step("pay", "payment_release", ["review"], stage="s-pay")])
    )
    assert "without anyone able to 'decide'" in result.criterion("controls").evidence
    assert result.total <= CRITICAL_CAP


def test_the_same_design_with_someone_who_may_decide_is_not_capped_for_it() -> None:
    exercise = _with_decision()
    decide = step("decide", "expert_review", ["check"], stage="s-decide")
    result = grade(
        exercise, design([EXTRACT, CHECK, decide, step("pay", "payment_release", ["decide"], stage="s-pay")])
    )
    assert "without anyone able" not in result.criterion("controls").evidence
    assert "capped" not in result.details or result.details["capped"]["by"] != "controls"


def test_without_an_irreversible_step_a_missing_decision_is_no_critical_flaw() -> None:
    exercise = _with_decision()
    result = grade(exercise, design([EXTRACT, CHECK]))
    assert "without anyone able" not in result.criterion("controls").evidence

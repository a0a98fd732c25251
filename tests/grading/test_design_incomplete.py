"""A design must do the work before its other qualities count (#17). One that performs under half
of the stages is not yet a workflow for the problem: it stays in the lowest band, capped in
proportion to the stages it performs, whatever its constraints, data rules and structure earn on
the little it covers; a design covering half or more is not touched by that cap. A design with no
check anywhere has no control to misplace, so its harm cap has no floor. Stated as properties and
over every shipped design cut short or stripped of its checks."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exercises.model import Constraints
from grading import grade
from grading.bands import BAND_EDGES
from grading.design import CAP_FLOOR, WORKFLOW_SHARE, harm_cap, not_a_workflow_cap, stages_performed

from .conftest import CATALOGUE, PAYMENT_REFERENCE, design, ids, payment_exercise, shipped, step
from .test_design import IRREVERSIBLE, without_checks

EXTRACT, CHECK, REVIEW, PAY = PAYMENT_REFERENCE
DESIGNS = shipped("design_workflow")
shares = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


@given(low=shares, high=shares)
def test_the_cap_rises_with_the_work_done_and_stays_in_the_lowest_band(low, high) -> None:
    low, high = sorted((low, high))
    cap_low, cap_high = not_a_workflow_cap(low), not_a_workflow_cap(high)
    if high >= WORKFLOW_SHARE:
        assert cap_high is None
    else:
        assert cap_low is not None
        assert cap_high is not None
        assert 0 <= cap_low <= cap_high < BAND_EDGES[0]


def _cut_short(steps: list) -> list[list]:
    """The reference's first 1, 2, ... steps: each reads only sources and earlier steps."""
    return [steps[:n] for n in range(1, len(steps) + 1)]


@pytest.mark.parametrize("exercise", DESIGNS, ids=ids(DESIGNS))
def test_a_shipped_reference_cut_short_is_capped_only_below_half_the_stages(exercise) -> None:
    tools = {t: CATALOGUE[t] for t in exercise.tools if t in CATALOGUE}
    for steps in _cut_short(list(exercise.reference.steps)):
        share = stages_performed(exercise, steps, tools)
        result = grade(exercise, exercise.reference.model_copy(update={"steps": steps}))
        by = result.details.get("cap", {}).get("by")
        if share < WORKFLOW_SHARE:
            cap = not_a_workflow_cap(share)
            assert cap is not None
            assert result.total <= cap < BAND_EDGES[0], (len(steps), share)
            assert f"caps the grade at {cap:g}" in result.criterion("coverage").feedback
        else:
            assert by != "coverage", (len(steps), share)  # strong designs are not moved by it


@pytest.mark.parametrize("exercise", IRREVERSIBLE, ids=ids(IRREVERSIBLE))
def test_a_shipped_reference_with_no_check_at_all_is_capped_without_the_floor(exercise) -> None:
    stripped = exercise.reference.model_copy(update={"steps": without_checks(list(exercise.reference.steps))})
    result = grade(exercise, stripped)
    ratio = result.details["simulation"]["error_rate"] / exercise.constraints.max_error_rate
    assert result.total <= harm_cap(ratio, floor=False)


@pytest.mark.parametrize("target", [0.012, 0.003, 0.0008])  # the unchecked design errs on about 1.6 %
def test_only_a_design_with_no_check_at_all_falls_below_the_floor(target: float) -> None:
    exercise = payment_exercise(constraints=Constraints(budget_per_item=3.0, max_error_rate=target, turnaround_s=1800))
    bare = grade(exercise, design([EXTRACT, step("pay", "payment_release", ["extract"], stage="s-pay")]))
    misplaced = grade(exercise, design([EXTRACT, CHECK, step("pay", "payment_release", ["check"], stage="s-pay")]))
    bare_ratio = bare.details["simulation"]["error_rate"] / target
    assert bare.details["cap"]["at"] == pytest.approx(harm_cap(bare_ratio, floor=False))
    assert misplaced.details["cap"]["at"] >= CAP_FLOOR  # a check in the wrong place keeps the floor
    if target < 0.002:  # errors many times the target: the bare design falls below any misplaced check
        assert bare.total < CAP_FLOOR <= misplaced.total

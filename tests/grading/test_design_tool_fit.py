"""A capable tool the exercise does not list for a stage is judged by what it does against the best
listed one (#17), not by the list: an alternative that errs no more, catches no less and costs no
more earns full fit; otherwise at most half, and less the more often it errs or the more it costs."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from exercises.workflow import ErrorType, ToolKind
from grading.design import alternative_fit

from .conftest import make_tool, payment_exercise

EXERCISE = payment_exercise()  # error target 2 %, budget $3.00
LISTED = make_tool("listed", errors={ErrorType.wrong_value: 0.03}, cost=0.5)

rates = st.floats(min_value=0.0, max_value=0.45, allow_nan=False)
costs = st.floats(min_value=0.0, max_value=20.0, allow_nan=False)


@given(err=rates, cost=costs)
def test_an_alternative_no_worse_than_the_listed_tool_earns_full_fit(err, cost) -> None:
    better = make_tool("alt", errors={ErrorType.wrong_value: min(err, 0.03)}, cost=min(cost, 0.5))
    assert alternative_fit(better, [LISTED], EXERCISE) == 1


@given(err=rates, cost=costs, more_err=rates, more_cost=costs)
def test_a_worse_alternative_earns_at_most_half_and_less_the_worse_it_is(err, cost, more_err, more_cost) -> None:
    worse = make_tool("alt", errors={ErrorType.wrong_value: 0.03 + err}, cost=0.5 + cost)
    worst = make_tool("alt2", errors={ErrorType.wrong_value: 0.03 + err + more_err}, cost=0.5 + cost + more_cost)
    fit = alternative_fit(worse, [LISTED], EXERCISE)
    if worse.cost_per_item > LISTED.cost_per_item or sum(worse.error_rates.values()) > 0.03:
        assert 0 < fit <= 0.5
    assert alternative_fit(worst, [LISTED], EXERCISE) <= fit


@given(catch=st.floats(min_value=0.0, max_value=0.89))
def test_a_check_that_catches_less_than_the_listed_one_is_not_an_equal_alternative(catch) -> None:
    listed = make_tool("listed-check", catches={ErrorType.wrong_value: 0.9}, cost=0.1)
    weaker = make_tool("weaker-check", catches={ErrorType.wrong_value: catch}, cost=0.1)
    assert alternative_fit(weaker, [listed], EXERCISE) <= 0.5


def test_the_best_of_several_listed_tools_is_the_bar() -> None:
    cheap = make_tool("cheap", errors={ErrorType.wrong_value: 0.05}, cost=0.01)
    accurate = make_tool("accurate", errors={ErrorType.wrong_value: 0.001}, cost=2.0)
    both = make_tool("alt", errors={ErrorType.wrong_value: 0.001}, cost=0.01)
    assert alternative_fit(both, [cheap, accurate], EXERCISE) == 1
    assert alternative_fit(cheap, [accurate], EXERCISE) < 0.5


catch_rates = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


@given(catch=catch_rates, cost=costs, listed_catch=catch_rates, listed_cost=costs)
def test_a_person_standing_in_for_the_people_a_stage_names_earns_at_most_half(
    catch, cost, listed_catch, listed_cost
) -> None:
    """A stage given to named people is a role: another person is not the one given that judgement,
    however well they catch errors or however little they cost (a contract manager is not the lawyer)."""
    named = make_tool("named-person", ToolKind.human, catches={ErrorType.wrong_value: listed_catch}, cost=listed_cost)
    stand_in = make_tool("other-person", ToolKind.human, catches={ErrorType.wrong_value: catch}, cost=cost)
    assert alternative_fit(stand_in, [named], EXERCISE) <= 0.5
    # the rule is about people: a non-person check as able and as cheap is still an equal alternative
    rule = make_tool("rule-check", ToolKind.rule, catches={ErrorType.wrong_value: listed_catch}, cost=listed_cost)
    assert alternative_fit(rule, [named], EXERCISE) == 1
    # and a person may stand in for a tool at full fit, where their figures are as good
    tool = make_tool("tool-check", ToolKind.rule, catches={ErrorType.wrong_value: catch}, cost=cost)
    assert alternative_fit(stand_in, [tool], EXERCISE) == 1

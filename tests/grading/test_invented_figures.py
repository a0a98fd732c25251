"""Figures the case does not give (see grading.figures.unfounded), as rules over families of
sentences: a case figure restated, rounded, in other units, over another period or as "1 in N"
is the case's; a figure none of that reaches is invented, and so is a rate restated as a count.
In a sentence that makes a key point in place of its own figure it is a wrong figure; elsewhere
on a key point it sends the answer to review."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exercises.model import ExplainReasoningExercise, KeyPoint
from grading import Flag, grade
from grading.explain import WRONG_FIGURE_CAP
from grading.figures import unfounded
from grading.text import analyse

from .conftest import EXPLAIN_REFERENCE, SHIPPED, explain_exercise, explanation, shipped

BASE = explain_exercise()
ERRORS = KeyPoint(
    id="errors",
    text="About 7 in 1,000 payments, 0.7 %, still go to the wrong supplier.",
    cues=[["wrong supplier", "wrong account"], ["payment", "payments"]],
    role="risk",
)
CASE = BASE.model_copy(
    update={
        "situation": BASE.situation + " Each month 2,400 payments go out; about 7 in 1,000 of them, 0.7 %, "
        "go to the wrong supplier.",
        "key_points": [*BASE.key_points, ERRORS],
    }
)


def invented(text: str) -> list[float]:
    return [v for s in analyse(text) for v in unfounded(CASE, s.stems)]


# a case figure as a writer may fairly restate it: (template, the figure it derives)
RESTATED = [
    ("In March we lost about ${:,.0f}.", 41_900),  # given
    ("We lost about ${:,.0f}k in March.", 41.9),  # in thousands
    ("Clerk time costs about ${:,.0f} a year.", 1_150 * 12),  # a month's cost over a year
    ("Clerk time costs about ${:,.0f} a week.", 1_150 * 12 / 52),
    ("That is about 1 in {:.0f} payments.", 100 / 0.7),  # "1 in N" for a rate
    ("About {:.0f} payments a month go to the wrong supplier.", 2_400 * 0.7 / 100),  # a percentage of
    ("About {:.1f} % of payments reach the right supplier.", 100 - 0.7),  # the complement
]


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(RESTATED), st.floats(0.96, 1.04))
def test_a_case_figure_restated_rounded_or_derived_is_never_invented(restated, rounding: float) -> None:
    template, figure = restated
    sentence = template.format(figure * rounding)
    assert invented(sentence) == [], sentence


@pytest.mark.parametrize(
    ("sentence", "figure"),
    [
        ("In March we lost about $75,000.", 75_000),
        ("Clerk time costs about $6,000 a month.", 6_000),
        ("About 1 in 5 payments go to the wrong supplier.", 1),  # 20 %, where the case gives 0.7 %
        ("About 7 payments a month go to the wrong supplier.", 7),  # the rate's 7 as a count
        ("About 7 a year go to the wrong supplier.", 7),
    ],
)
def test_a_figure_no_case_figure_reaches_is_invented(sentence: str, figure: float) -> None:
    assert invented(sentence) == [figure]
    # the same sentence with the case's own figure or rate is not
    fair = sentence.replace("$75,000", "$41,900").replace("$6,000", "$1,150").replace("1 in 5", "7 in 1,000")
    fair = fair.replace("7 payments a month", "0.7 % of payments").replace("7 a year", "7 in 1,000")
    assert invented(fair) == [], fair


@pytest.mark.parametrize("invented_count", ["About 500 payments a month", "Roughly 900 payments a month"])
def test_an_invented_figure_in_place_of_a_points_own_is_a_wrong_figure(invented_count: str) -> None:
    own = EXPLAIN_REFERENCE + "\n\nAbout 7 in 1,000 payments still go to the wrong supplier."
    wrong = EXPLAIN_REFERENCE + f"\n\n{invented_count} still go to the wrong supplier."
    fair, bad = grade(CASE, explanation(own)), grade(CASE, explanation(wrong))
    assert bad.criterion("key_points").score < fair.criterion("key_points").score
    assert bad.total <= WRONG_FIGURE_CAP < fair.total
    assert "a figure the facts do not give" in bad.criterion("key_points").evidence


@pytest.mark.parametrize("figure", ["$75,000", "$6,000", "$250,000"])
def test_an_invented_figure_on_a_key_point_it_does_not_replace_goes_to_review(figure: str) -> None:
    """The point is made by its own words (the cues hold no figure), the extra figure is unsupported."""
    text = EXPLAIN_REFERENCE + f"\n\nAbout 7 in 1,000 payments, {figure} of them, still go to the wrong supplier."
    result = grade(CASE, explanation(text))
    assert Flag.needs_review in result.flags
    assert Flag.needs_review not in grade(CASE, explanation(text.replace(f", {figure} of them", ""))).flags


@pytest.mark.parametrize("exercise", shipped("explain_reasoning"), ids=lambda e: e.id)
@pytest.mark.parametrize("seed", [0, 3, 11])
def test_no_figure_of_a_shipped_reference_is_invented(exercise, seed: int) -> None:
    """The reference writes the case's own figures and fair derivations of them, in every variant."""
    variant = SHIPPED.variant(exercise.id, seed) or exercise
    assert isinstance(variant, ExplainReasoningExercise)
    for sentence in analyse(variant.reference.text):
        assert unfounded(variant, sentence.stems) == [], sentence.text

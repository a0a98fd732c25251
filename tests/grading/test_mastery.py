"""The mastery model as rules: monotone in the evidence, uncertain when there is little of it,
levels that a lucky first attempt cannot reach, review after a gap, and a recommendation at
about 70 % expected success on the weakest competency."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from grading.mastery import (
    PRIOR_SD,
    REVIEW_AFTER_DAYS,
    TARGET_SUCCESS,
    Belief,
    Item,
    Level,
    Observation,
    difficulty_from,
    estimate,
    estimates,
    recommend,
    update,
)

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
outcomes = st.floats(min_value=0, max_value=1, allow_nan=False)
difficulties = st.floats(min_value=-3, max_value=3, allow_nan=False)
means = st.floats(min_value=-3, max_value=3, allow_nan=False)


def history(scores: list[float], start: datetime = T0, difficulty: float = 0.0) -> list[Observation]:
    return [Observation(difficulty, s, start + timedelta(days=i)) for i, s in enumerate(scores)]


@given(means, difficulties, outcomes, outcomes)
def test_a_better_grade_never_lowers_the_estimate(mean: float, difficulty: float, a: float, b: float) -> None:
    low, high = sorted((a, b))
    assert update(Belief(mean, 0.8), difficulty, high).mean >= update(Belief(mean, 0.8), difficulty, low).mean


@given(means, difficulties, outcomes)
def test_the_same_grade_on_a_harder_item_counts_for_more(mean: float, difficulty: float, y: float) -> None:
    assert update(Belief(mean, 0.8), difficulty + 0.5, y).mean >= update(Belief(mean, 0.8), difficulty, y).mean


def test_uncertainty_shrinks_with_evidence() -> None:
    sds = [estimate("k", history([0.7] * n), T0 + timedelta(days=n)).belief.sd for n in (1, 3, 8, 20)]
    assert sds == sorted(sds, reverse=True)
    assert sds[0] < PRIOR_SD


@pytest.mark.parametrize(
    ("scores", "level"),
    [
        ([], Level.not_started),
        ([1.0], Level.practising),  # one lucky attempt is not proficiency
        ([0.3, 0.4, 0.35, 0.4], Level.practising),
        ([0.85] * 10, Level.proficient),
        ([0.97] * 25, Level.mastered),
    ],
)
def test_levels_follow_the_evidence(scores: list[float], level: Level) -> None:
    assert estimate("k", history(scores), T0 + timedelta(days=len(scores))).level is level


def test_each_level_says_what_it_takes_to_reach_the_next() -> None:
    practising = estimate("k", history([0.6, 0.7]), T0 + timedelta(days=2))
    assert practising.next_step.startswith("About ")
    assert "proficient" in practising.next_step
    assert "first graded attempt" in estimate("k", [], T0).next_step


def test_a_competency_left_alone_comes_back_for_review() -> None:
    scores = history([0.85] * 10)
    soon = estimate("k", scores, scores[-1].at + timedelta(days=2))
    later = estimate("k", scores, scores[-1].at + timedelta(days=REVIEW_AFTER_DAYS + 1))
    assert soon.level is Level.proficient
    assert not soon.review_due
    assert later.review_due
    assert later.belief.sd > soon.belief.sd  # and its level may slip until it is practised again


def test_difficulty_comes_from_everyone_and_starts_from_the_author() -> None:
    assert difficulty_from(None, 0, 2) == 0.0
    assert difficulty_from(None, 0, 3) > difficulty_from(None, 0, 1)
    assert difficulty_from(0.3, 200, 2) > difficulty_from(0.8, 200, 2)
    assert abs(difficulty_from(0.3, 2, 2)) < abs(difficulty_from(0.3, 200, 2))  # shrunk while few tried it


def items() -> list[Item]:
    return [
        Item(f"{kind}-{d}", kind, d / 2, fresh=True)
        for kind in ("design_workflow", "find_failures", "validate_output", "explain_reasoning")
        for d in range(-4, 5)
    ]


def test_the_recommendation_targets_the_weakest_competency_at_about_70_percent() -> None:
    now = T0 + timedelta(days=30)
    kinds = estimates(
        {
            "design_workflow": history([0.9] * 8, T0 + timedelta(days=20)),
            "find_failures": history([0.4, 0.5, 0.45], T0 + timedelta(days=25)),
            "validate_output": history([0.8] * 6, T0 + timedelta(days=20)),
            "explain_reasoning": history([0.85] * 6, T0 + timedelta(days=20)),
        },
        ["design_workflow", "find_failures", "validate_output", "explain_reasoning"],
        now,
    )
    pick = recommend(kinds, items())
    assert pick is not None
    assert pick.competency == "find_failures"
    assert pick.why == "weakest"
    assert abs(pick.expected - TARGET_SUCCESS) < 0.1


def test_an_untried_kind_comes_before_practised_ones_and_review_before_both() -> None:
    now = T0 + timedelta(days=60)
    practised = {k: history([0.85] * 10, now - timedelta(days=12)) for k in ("design_workflow", "find_failures")}
    kinds = estimates(practised, ["design_workflow", "find_failures", "explain_reasoning"], now)
    first = recommend(kinds, items())
    assert first is not None
    assert first.competency == "explain_reasoning"
    stale = {**practised, "find_failures": history([0.85] * 10, T0)}  # last practised 50 days ago
    pick = recommend(estimates(stale, ["design_workflow", "find_failures", "explain_reasoning"], now), items())
    assert pick is not None
    assert (pick.competency, pick.why) == ("find_failures", "review")


def test_fresh_items_come_first() -> None:
    kinds = estimates({}, ["validate_output"], T0)
    pool = [Item("seen", "validate_output", -0.85, fresh=False), Item("new", "validate_output", 1.0, fresh=True)]
    pick = recommend(kinds, pool)
    assert pick is not None
    assert pick.item.exercise_id == "new"

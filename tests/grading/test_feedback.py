"""Learner feedback from the structured graders (design, find the failures, validate): a blank task
never gets encouraging words, every criterion at zero says what is missing, and nothing is phrased
in statistics vocabulary (kappa, F1, recall, precision)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exercises.model import Kind
from exercises.submission import (
    ClaimMark,
    DesignSubmission,
    FaultCategory,
    FaultFlag,
    FindFailuresSubmission,
    Severity,
    ValidateSubmission,
)
from grading import grade

from .conftest import SHIPPED, failures_exercise, payment_exercise, shipped, validate_exercise

KINDS = (Kind.design_workflow, Kind.find_failures, Kind.validate_output)
BLANK = {
    Kind.design_workflow: DesignSubmission(),
    Kind.find_failures: FindFailuresSubmission(),
    Kind.validate_output: ValidateSubmission(),
}
HAND_BUILT = {e.id: e for e in (payment_exercise(), failures_exercise(), validate_exercise())}
EXERCISES = {e.id: e for kind in KINDS for e in shipped(kind)} | HAND_BUILT
PRAISE = re.compile(
    r"\b(fits?|well|good|great|right for|respected|every seeded fault found|sound|excellent)\b", re.IGNORECASE
)
WHAT_IS_MISSING = re.compile(r"\b(no|not|none|nothing|missing|missed|add|flag|yet|never|give|name|rate)\b", re.I)
JARGON = re.compile(r"\b(kappa|f1|recall|precision|beyond chance|severity-weighted)\b", re.IGNORECASE)


@pytest.mark.parametrize("exercise_id", sorted(EXERCISES))
def test_a_blank_task_gets_no_encouragement_and_is_told_what_is_missing(exercise_id: str) -> None:
    exercise = EXERCISES[exercise_id]
    result = grade(exercise, BLANK[Kind(exercise.kind)], tools=SHIPPED.tools)
    for c in result.criteria:
        if c.score > 0:
            continue
        assert not PRAISE.search(c.feedback), (c.id, c.feedback)
        assert WHAT_IS_MISSING.search(c.feedback), (c.id, c.feedback)


def _any_failures_answer(exercise, draw) -> FindFailuresSubmission:
    steps = [s.id for s in exercise.workflow.steps]
    flag = st.builds(
        FaultFlag,
        step=st.sampled_from(steps),
        category=st.sampled_from(list(FaultCategory)),
        severity=st.sampled_from(list(Severity)),
        fix=st.sampled_from(["", "Add a check.", "A person reviews it before it is sent."]),
    )
    return FindFailuresSubmission(flags=draw(st.lists(flag, max_size=8)))


def _any_validate_answer(exercise, draw) -> ValidateSubmission:
    claims = [c.id for c in exercise.claims]
    mark = st.builds(ClaimMark, claim=st.sampled_from(claims), correction=st.sampled_from(["", "It was 12."]))
    return ValidateSubmission(
        marks=draw(st.lists(mark, max_size=8)), omissions=draw(st.lists(st.just("x"), max_size=2))
    )


STRUCTURED = sorted(e.id for kind in (Kind.find_failures, Kind.validate_output) for e in shipped(kind))


@pytest.mark.parametrize("exercise_id", STRUCTURED)
@settings(max_examples=15, deadline=None)
@given(data=st.data())
def test_feedback_is_in_plain_words(exercise_id: str, data: st.DataObject) -> None:
    exercise = EXERCISES[exercise_id]
    build = _any_failures_answer if exercise.kind == Kind.find_failures else _any_validate_answer
    result = grade(exercise, build(exercise, data.draw), tools=SHIPPED.tools)
    for c in result.criteria:
        said = c.evidence + " " + c.feedback
        for quoted in _content(exercise):  # the exercise's own words may say "recall" (a product recall)
            said = said.replace(quoted, "")
        assert not JARGON.search(said), (c.id, c.evidence, c.feedback)


def _content(exercise) -> list[str]:
    if exercise.kind == Kind.find_failures:
        return [f.explanation for f in exercise.faults] + [s.name for s in exercise.workflow.steps]
    texts = [t for c in exercise.claims for t in (c.text, c.why, c.correction)]
    return texts + [t for b in exercise.blind_spots for t in (b.text, b.why)]

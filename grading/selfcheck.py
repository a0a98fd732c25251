"""An exercise's own tests, graded: the reference must score high, an empty answer low, and
every golden case must land in the range its author stated. Run by `python -m exercises
validate` (so an author sees the figure before shipping) and by the pack tests."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from exercises.model import (
    AnyExercise,
    DesignGolden,
    ExplainGolden,
    ExplainReasoningExercise,
    FindFailuresGolden,
    ValidateGolden,
)
from exercises.workflow import Tool
from grading import grade

REFERENCE_MIN = 90.0  # a reference is a model answer: anything less and the rubric or the answer is off
EMPTY_MAX = 10.0  # an empty answer earning more means a criterion gives marks for nothing
# alternatives per cue an explanation needs for its paraphrases to be read: on the tuned calibration
# explanations, cues cut to their first 2, 3, 4 and 5 alternatives gave QWK 0.56, 0.69, 0.72 and
# 0.78 with the raters, against 0.82 with the authors' own (about 7 a cue)
MIN_ALTERNATIVES = 5


@dataclass(frozen=True)
class SelfCheckProblem:
    field: str
    reason: str


def self_check(exercise: AnyExercise, tools: Mapping[str, Tool]) -> list[SelfCheckProblem]:
    """Every way the exercise's reference, empty answer or golden cases miss their mark."""
    problems: list[SelfCheckProblem] = []
    reference = grade(exercise, exercise.reference, tools=tools)
    if reference.total < REFERENCE_MIN:
        weak = ", ".join(f"{c.id} {c.score:.2f}" for c in reference.criteria if c.score < 0.9)
        problems.append(
            SelfCheckProblem(
                "reference",
                f"the reference scores {reference.total:g}; it must score at least {REFERENCE_MIN:g}"
                + (f" (criteria below 0.9: {weak})" if weak else ""),
            )
        )
    empty = grade(exercise, type(exercise.reference)(), tools=tools)
    if empty.total > EMPTY_MAX:
        problems.append(
            SelfCheckProblem(
                "reference", f"an empty answer scores {empty.total:g}; it must score at most {EMPTY_MAX:g}"
            )
        )
    cases: Sequence[DesignGolden | FindFailuresGolden | ValidateGolden | ExplainGolden] = exercise.golden
    for i, case in enumerate(cases):
        result = grade(exercise, case.answer, tools=tools)
        if not case.min_score <= result.total <= case.max_score:
            problems.append(
                SelfCheckProblem(
                    f"golden.{i}",
                    f"golden case '{case.name}' scores {result.total:g}, outside its range "
                    f"{case.min_score:g}-{case.max_score:g}",
                )
            )
    return problems


def cue_advice(exercise: AnyExercise) -> list[SelfCheckProblem]:
    """Advice, not a problem: the key points and concerns of an explanation whose cues list fewer
    than MIN_ALTERNATIVES alternatives, so a learner who makes the point in other words is missed."""
    if not isinstance(exercise, ExplainReasoningExercise):
        return []
    advice = []
    for field, items in (("key_points", exercise.key_points), ("stakeholder.concerns", exercise.stakeholder.concerns)):
        thin = [
            f"{item.id} ({', '.join(group)})" for item in items for group in item.cues if len(group) < MIN_ALTERNATIVES
        ]
        if thin:
            advice.append(
                SelfCheckProblem(
                    field,
                    f"{len(thin)} cue(s) list fewer than {MIN_ALTERNATIVES} alternatives: {'; '.join(thin[:3])}"
                    + ("; …" if len(thin) > 3 else "")
                    + ". A learner who says it in other words is not credited: add synonyms and figures written "
                    "other ways (see AUTHORING.md).",
                )
            )
    return advice

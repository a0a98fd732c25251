"""Pure scoring: `grade(exercise, submission, judge=None) -> Grade`. No UI, no database."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from exercises.loader import SHARED_TOOLS, load_tools
from exercises.model import AnyExercise
from exercises.submission import AnySubmission
from exercises.workflow import Tool
from grading.bands import in_doubt
from grading.judge import Judge, apply_judge
from grading.model import GRADER_VERSION, CriterionScore, Flag, Grade

__all__ = ["GRADER_VERSION", "CriterionScore", "Flag", "Grade", "Judge", "grade", "in_doubt"]


@lru_cache(maxsize=1)
def shared_tools() -> dict[str, Tool]:
    tools, problems = load_tools(SHARED_TOOLS, SHARED_TOOLS.name)
    if problems:
        raise RuntimeError("the shared tool catalogue is broken: " + "; ".join(map(str, problems)))
    return tools


def grade(
    exercise: AnyExercise,
    submission: AnySubmission,
    judge: Judge | None = None,
    tools: Mapping[str, Tool] | None = None,
) -> Grade:
    """Score a submission against its exercise. Deterministic when `judge` is None."""
    # the graders and their text tools (numpy, lemmas, sentence splitting) load on the first grade,
    # not with the package: pages that only read grades (the first page among them) start faster
    from grading.injection import looks_like_injection, strip_injection
    from grading.kinds import grader_for
    from grading.rubric import assemble

    if submission.kind != exercise.kind:
        raise ValueError(f"a {submission.kind} submission cannot answer a {exercise.kind} exercise")
    grader = grader_for(exercise.kind)
    flags: list[Flag] = []
    text = submission.free_text()
    if looks_like_injection(text):
        flags.append(Flag.possible_injection)
        submission = submission.edit_text(strip_injection)
    scoring = grader.score(exercise, submission, tools or shared_tools())
    result = assemble(exercise, scoring.criteria, flags + scoring.flags, scoring.details)
    if judge is not None:
        result = apply_judge(judge, exercise, grader.judged, text, result)
    if in_doubt(result.total, result.details):  # where the grader may be wrong, not near an edge alone
        result = result.model_copy(update={"flags": sorted({*result.flags, Flag.needs_review})})
    return result

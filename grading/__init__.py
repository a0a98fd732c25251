"""Pure scoring: `grade(exercise, submission, judge=None) -> Grade`. No UI, no database."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from exercises.loader import SHARED_TOOLS, load_tools
from exercises.model import (
    AnyExercise,
    DesignWorkflowExercise,
    ExplainReasoningExercise,
    FindFailuresExercise,
    ValidateOutputExercise,
)
from exercises.submission import (
    DesignSubmission,
    ExplainSubmission,
    FindFailuresSubmission,
    ValidateSubmission,
)
from exercises.workflow import Tool
from grading.agreement import BAND_EDGES
from grading.design import score_design
from grading.explain import score_explanation
from grading.failures import score_failures
from grading.injection import looks_like_injection, strip_injection
from grading.judge import Judge, apply_judge
from grading.model import GRADER_VERSION, CriterionScore, Flag, Grade
from grading.rubric import assemble
from grading.validate import score_validation

__all__ = [
    "CAP_DOUBT",
    "GRADER_VERSION",
    "MIN_DOUBT",
    "CriterionScore",
    "Flag",
    "Grade",
    "Judge",
    "free_text",
    "grade",
    "in_doubt",
]

AnySubmission = DesignSubmission | FindFailuresSubmission | ValidateSubmission | ExplainSubmission
MIN_DOUBT = 8.0  # points the grader must be unsure of before a person is asked, however close the edge
CAP_DOUBT = 10.0  # a critical-flaw cap binding by less than this leaves the grade to the weaker criteria


@lru_cache(maxsize=1)
def shared_tools() -> dict[str, Tool]:
    tools, problems = load_tools(SHARED_TOOLS, SHARED_TOOLS.name)
    if problems:
        raise RuntimeError("the shared tool catalogue is broken: " + "; ".join(map(str, problems)))
    return tools


def free_text(submission: AnySubmission) -> str:
    """All the learner's own words in a submission, for injection checks and the judge."""
    if isinstance(submission, ExplainSubmission):
        return submission.text
    if isinstance(submission, DesignSubmission):
        return "\n".join([submission.rationale, *(s.name for s in submission.steps)])
    if isinstance(submission, FindFailuresSubmission):
        return "\n".join(f.fix for f in submission.flags)
    return "\n".join([*(m.correction for m in submission.marks), *submission.omissions])


def without_injection(submission: AnySubmission) -> AnySubmission:
    """The submission with every sentence addressed to the grader removed from its free text."""
    if isinstance(submission, ExplainSubmission):
        return submission.model_copy(update={"text": strip_injection(submission.text)})
    if isinstance(submission, DesignSubmission):
        return submission.model_copy(update={"rationale": strip_injection(submission.rationale)})
    if isinstance(submission, FindFailuresSubmission):
        flags = [f.model_copy(update={"fix": strip_injection(f.fix)}) for f in submission.flags]
        return submission.model_copy(update={"flags": flags})
    marks = [m.model_copy(update={"correction": strip_injection(m.correction)}) for m in submission.marks]
    omissions = [strip_injection(o) for o in submission.omissions]
    return submission.model_copy(update={"marks": marks, "omissions": omissions})


def grade(
    exercise: AnyExercise,
    submission: AnySubmission,
    judge: Judge | None = None,
    tools: Mapping[str, Tool] | None = None,
) -> Grade:
    """Score a submission against its exercise. Deterministic when `judge` is None."""
    if submission.kind != exercise.kind:
        raise ValueError(f"a {submission.kind} submission cannot answer a {exercise.kind} exercise")
    flags: list[Flag] = []
    details: dict[str, object] = {}
    text = free_text(submission)
    if looks_like_injection(text):
        flags.append(Flag.possible_injection)
        submission = without_injection(submission)
    if isinstance(exercise, DesignWorkflowExercise):
        assert isinstance(submission, DesignSubmission)
        scored, design_flags, details = score_design(exercise, submission, tools or shared_tools())
        flags += design_flags
    elif isinstance(exercise, FindFailuresExercise):
        assert isinstance(submission, FindFailuresSubmission)
        scored, details = score_failures(exercise, submission)
    elif isinstance(exercise, ValidateOutputExercise):
        assert isinstance(submission, ValidateSubmission)
        scored, _unchecked = score_validation(exercise, submission)  # its doubt decides review
    else:
        assert isinstance(exercise, ExplainReasoningExercise)
        assert isinstance(submission, ExplainSubmission)
        scored, thin = score_explanation(exercise, submission)
        if thin:
            flags.append(Flag.needs_review)
    result = assemble(exercise, scored, flags, details)
    if judge is not None:
        result = apply_judge(judge, exercise, submission, text, result)
    if in_doubt(result.total, result.details):
        result = result.model_copy(update={"flags": sorted({*result.flags, Flag.needs_review})})
    return result


def in_doubt(total: float, details: dict[str, object]) -> bool:
    """Review where the grader may be wrong: the points it is unsure of (text it could not place,
    partial matches, many unmatched flags) are enough to move the grade across a band edge.
    Nearness to an edge alone is no reason; a grade capped by a critical flaw stays capped, and
    goes to a person only when the cap barely binds (raters hold such weak, flawed designs well
    below the cap)."""
    capped = details.get("capped")
    if isinstance(capped, dict) and capped.get("uncapped_total", 0.0) - capped.get("at", 0.0) < CAP_DOUBT:
        return True  # the cap barely binds: how far below it a critically flawed design belongs is a judgement
    doubt = details.get("doubt")
    points = float(doubt.get("points", 0.0)) if isinstance(doubt, dict) else 0.0
    if points < MIN_DOUBT or "cap" in details:
        return False
    up = [edge - total for edge in BAND_EDGES if edge > total][:1]
    down = [total - edge for edge in BAND_EDGES if edge <= total][-1:]
    return points >= min(up + down, default=100.0)

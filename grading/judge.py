"""The optional LLM judge's contract and how its scores are folded into a grade.

The judge scores only free-text criteria, its effect on the total is bounded, it cannot lift a
failing deterministic grade to a pass without review, and any failure leaves the deterministic
grade in place with a visible `judge_unavailable` flag."""

from __future__ import annotations

import logging
from typing import Protocol

from pydantic import BaseModel, Field

from exercises.model import AnyExercise
from grading.bands import PASS_MARK
from grading.model import CriterionScore, Flag, Grade

log = logging.getLogger(__name__)

JUDGE_SHARE = 0.5  # the judge's share of a judged criterion
MAX_SHIFT = 15.0  # points the judge may move the total, either way
DISAGREEMENT = 0.4  # per-criterion gap that sends the grade to review


class JudgeError(RuntimeError):
    """The judge could not give a usable verdict (timeout, refusal, rate limit, bad JSON)."""


class JudgedCriterion(BaseModel):
    id: str
    score: float = Field(ge=0, le=1)
    evidence: str = Field("", max_length=600, description="a span quoted from the answer")


class JudgeVerdict(BaseModel):
    criteria: list[JudgedCriterion]
    injection_detected: bool = False


class Judge(Protocol):
    def assess(self, exercise: AnyExercise, criteria: tuple[str, ...], answer: str) -> JudgeVerdict: ...


def apply_judge(judge: Judge, exercise: AnyExercise, judged_ids: tuple[str, ...], answer: str, grade: Grade) -> Grade:
    """Blend the judge's verdict on `judged_ids` (the kind's free-text criteria) into `grade`."""
    flags = set(grade.flags)
    if not answer.strip():
        return grade
    try:
        verdict = judge.assess(exercise, judged_ids, answer)
    except JudgeError as exc:
        log.warning("judge unavailable for %s: %s", exercise.id, exc)
        return grade.model_copy(update={"flags": sorted(flags | {Flag.judge_unavailable})})
    judged = {c.id: c for c in verdict.criteria if c.id in judged_ids}
    if verdict.injection_detected:
        flags.add(Flag.possible_injection)
    criteria: list[CriterionScore] = []
    for c in grade.criteria:
        j = judged.get(c.id)
        if j is None:
            criteria.append(c)
            continue
        if abs(j.score - c.score) >= DISAGREEMENT:
            flags.add(Flag.needs_review)
        blended = (1 - JUDGE_SHARE) * c.score + JUDGE_SHARE * j.score
        evidence = c.evidence + (f" Judge: “{j.evidence}”" if j.evidence else "")
        criteria.append(c.model_copy(update={"score": round(blended, 4), "evidence": evidence}))
    total = sum(c.weight * c.score for c in criteria)
    shift = max(-MAX_SHIFT, min(MAX_SHIFT, total - grade.total))
    total = grade.total + shift
    cap = (grade.details.get("cap") or {}).get("at")
    if cap is not None:
        total = min(total, float(cap))  # a critical flaw stays critical, whatever the judge thinks
    if grade.total < PASS_MARK <= total or Flag.possible_injection in flags:
        # a judge alone never turns a fail into a pass, and never rewards a suspicious answer
        total = min(total, grade.total) if Flag.possible_injection in flags else min(total, PASS_MARK - 0.1)
        flags.add(Flag.needs_review)
    details = {**grade.details, "deterministic_total": grade.total, "judge": [c.model_dump() for c in judged.values()]}
    return grade.model_copy(
        update={
            "total": round(max(0.0, min(100.0, total)), 1),
            "criteria": criteria,
            "flags": sorted(flags),
            "details": details,
        }
    )

"""Turning per-criterion scores into a grade: weights from the exercise's rubric."""

from __future__ import annotations

from dataclasses import dataclass

from exercises.model import AnyExercise
from grading.model import CriterionScore, Flag, Grade, clamp

CRITICAL_CAP = 44.0
"""The most a submission with a critical flaw can score, however polished the rest: an
unchecked irreversible step or a data-rule breach makes a design undeployable, as an
assessor would mark it."""


@dataclass(frozen=True)
class Scored:
    """A scorer's verdict on one criterion before the rubric weights it. `cap` marks a
    critical flaw: the total may not exceed it."""

    id: str
    score: float
    evidence: str
    feedback: str
    cap: float | None = None


def assemble(
    exercise: AnyExercise,
    scored: list[Scored],
    flags: list[Flag] | None = None,
    details: dict[str, object] | None = None,
) -> Grade:
    by_id = {s.id: s for s in scored}
    criteria = []
    for criterion in exercise.scored_rubric:  # a criterion weighted 0 is switched off: not shown, not capping
        verdict = by_id[criterion.id]
        criteria.append(
            CriterionScore(
                id=criterion.id,
                title=criterion.title,
                weight=criterion.weight,
                score=round(clamp(verdict.score), 4),
                evidence=verdict.evidence,
                feedback=verdict.feedback,
            )
        )
    total = sum(c.weight * c.score for c in criteria)
    counted = {c.id for c in criteria}
    caps = [(s.cap, s.id) for s in scored if s.cap is not None and s.id in counted]
    info = dict(details or {})
    if caps:
        cap, reason = min(caps)
        info["cap"] = {"at": cap, "by": reason}  # kept so a judge can never lift the total past it
        if total > cap:
            info["capped"] = {"at": cap, "by": reason, "uncapped_total": round(total, 1)}
            total = cap
    return Grade(
        total=round(max(0.0, min(100.0, total)), 1),
        criteria=criteria,
        flags=sorted(set(flags or [])),
        details=info,
    )


def join(items: list[str], limit: int = 6) -> str:
    """'a, b and c', cut to a readable length."""
    shown = items[:limit]
    more = len(items) - len(shown)
    text = ", ".join(shown[:-1]) + (" and " if len(shown) > 1 else "") + shown[-1] if shown else ""
    return text + (f" (and {more} more)" if more > 0 else "")

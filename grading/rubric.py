"""Turning per-criterion scores into a grade: weights from the exercise's rubric."""

from __future__ import annotations

from dataclasses import dataclass, field

from exercises.model import AnyExercise
from grading.bands import PASS_MARK
from grading.model import CriterionScore, Flag, Grade, clamp
from grading.text import FUNCTION_STEMS, stems

CRITICAL_CAP = PASS_MARK - 1.0
"""The most a submission with a critical flaw can score, however polished the rest: an
unchecked irreversible step or a data-rule breach makes a design undeployable, as an
assessor would mark it."""


@dataclass(frozen=True)
class Scored:
    """A scorer's verdict on one criterion before the rubric weights it. `cap` marks a
    critical flaw: the total may not exceed it. `doubt` is the share of the criterion the
    grader may have read wrongly (text it could not place, a partial match a person may judge
    either way), with `doubt_why` saying where; it decides whether a person reviews the grade.
    `firm` marks a cap whose flaw the text states outright (a decision argued against in so many
    words): raters do not split on it, so it is never a close call."""

    id: str
    score: float
    evidence: str
    feedback: str
    cap: float | None = None
    doubt: float = 0.0
    doubt_why: str = ""
    firm: bool = False


@dataclass(frozen=True)
class Scoring:
    """What every kind's scorer returns: its criteria, the flags it raises (e.g. `needs_review`
    when its evidence is thin) and details kept with the grade (e.g. a workflow's simulation)."""

    criteria: list[Scored]
    flags: list[Flag] = field(default_factory=list)
    details: dict[str, object] = field(default_factory=dict)


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
    weights = {c.id: c.weight for c in exercise.rubric}
    doubts = [(weights[s.id] * clamp(s.doubt), s.doubt_why) for s in scored if s.doubt > 0 and s.id in weights]
    if doubts:
        info["doubt"] = {
            "points": round(sum(points for points, _ in doubts), 1),
            "where": [why for points, why in sorted(doubts, reverse=True) if why][:3],
        }
    if caps:
        cap, reason = min(caps)
        info["cap"] = {"at": cap, "by": reason}  # kept so a judge can never lift the total past it
        if total > cap:
            # the capping criterion's own score: a flaw found amid work it otherwise credits is a close call
            score = round(clamp(by_id[reason].score), 4)
            capped: dict[str, object] = {"at": cap, "by": reason, "uncapped_total": round(total, 1)}
            info["capped"] = capped | {"criterion_score": score} | ({"firm": True} if by_id[reason].firm else {})
            total = cap
    return Grade(
        total=round(max(0.0, min(100.0, total)), 1),
        criteria=criteria,
        flags=sorted(set(flags or [])),
        details=info,
    )


ON_TOPIC = 0.3  # share of a text's content words found in what it answers: it is about the case


def on_topic(text: str, *about: str) -> bool:
    """Is this learner text about the case (enough of its content words occur in what it
    answers: the fault, the claim, the gold correction)? Such text that earns little is where
    a grader that matches words may be wrong, so it counts as doubt."""
    own = {s for s in stems(text) if s not in FUNCTION_STEMS and not s.isdigit()}
    if len(own) < 3:
        return False
    known = {s for part in about for s in stems(part)}
    return len(own & known) / len(own) >= ON_TOPIC


def join(items: list[str], limit: int = 6) -> str:
    """'a, b and c', cut to a readable length."""
    shown = items[:limit]
    more = len(items) - len(shown)
    text = ", ".join(shown[:-1]) + (" and " if len(shown) > 1 else "") + shown[-1] if shown else ""
    return text + (f" (and {more} more)" if more > 0 else "")

"""Mastery: a learner's ability per competency (a task kind, or one rubric criterion of a kind)
with its uncertainty, from their graded attempts and the items' difficulty.

The model is an Elo-style rating with uncertainty (a Glicko-like Bayesian update of a
one-parameter logistic model). Ability θ is a normal belief N(mean, sd²); an item has a
difficulty b; a grade is an outcome y in [0, 1] (score / 100) whose expected value is
σ(θ - b). Each graded attempt updates the belief by one Laplace step: the information an
attempt carries is p(1-p), so the uncertainty shrinks fastest on items at the learner's level.
Idle time adds variance (skills fade, and an old estimate deserves less trust), which is also
what brings a competency back for review.

Why this and not a full IRT fit: the estimate updates one attempt at a time in order, needs no
iterative fit over every learner on each page view, and its two numbers (a level and its
uncertainty) are what the levels and the recommendation need. Item difficulty comes from
everyone's attempts (`difficulty_from`), shrunk toward the author's rating while there are few.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from grading.bands import PROFICIENT

PRIOR_MEAN = 0.0
PRIOR_SD = 1.2
EVIDENCE_WEIGHT = 3.0  # a rubric-scored answer says more than one right/wrong item: several criteria
FADE_PER_DAY = 0.004  # variance added per idle day: after 90 days sd grows by about 0.3
LEARNING_VARIANCE = 0.05  # variance added per attempt: practice changes the skill being measured
REVIEW_AFTER_DAYS = 21  # a practised competency left alone this long comes back for review
TARGET_SUCCESS = 0.70  # the recommendation aims at this expected score on the weakest competency
PROFICIENT_AT = math.log(PROFICIENT / (100 - PROFICIENT))  # expected a proficient grade on a median item…
MASTERED_AT = PROFICIENT_AT + 1.0  # …and on a hard one (one logit harder)
DIFFICULTY_PRIOR_WEIGHT = 5.0  # attempts' worth of trust in the author's difficulty rating
AUTHORED_SCALE = 0.8  # logits per authored difficulty step (1, 2, 3 around 2)
EDGE = 0.02  # outcomes are clipped away from 0 and 1 before a logit


class Level(StrEnum):
    not_started = "not started"
    practising = "practising"
    proficient = "proficient"
    mastered = "mastered"


LEVEL_ORDER = list(Level)


@dataclass(frozen=True)
class Observation:
    """One graded outcome on a competency: the item's difficulty and the score (0-1)."""

    difficulty: float
    outcome: float
    at: datetime


@dataclass(frozen=True)
class Belief:
    mean: float = PRIOR_MEAN
    sd: float = PRIOR_SD

    @property
    def lower(self) -> float:
        """One standard deviation below the mean: what the levels require, so a lucky first
        attempt does not make anyone proficient."""
        return self.mean - self.sd

    def expected(self, difficulty: float) -> float:
        """Expected score (0-1) on an item of this difficulty."""
        return sigmoid(self.mean - difficulty)


@dataclass(frozen=True)
class Estimate:
    key: str  # "design_workflow", or "design_workflow/controls" for a criterion
    belief: Belief
    attempts: int
    last_at: datetime | None
    level: Level
    next_step: str  # what it takes to reach the next level, in words
    review_due: bool


def sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def logit(p: float) -> float:
    p = min(1 - EDGE, max(EDGE, p))
    return math.log(p / (1 - p))


def authored_difficulty(level: int) -> float:
    """The author's 1-3 rating on the logit scale (2 is the median item)."""
    return (level - 2) * AUTHORED_SCALE


def difficulty_from(mean_outcome: float | None, attempts: int, authored: int) -> float:
    """An item's difficulty from everyone's attempts (the logit of its mean shortfall), shrunk
    toward the author's rating while few have tried it."""
    prior = authored_difficulty(authored)
    if mean_outcome is None or attempts <= 0:
        return prior
    observed = -logit(mean_outcome)
    return (attempts * observed + DIFFICULTY_PRIOR_WEIGHT * prior) / (attempts + DIFFICULTY_PRIOR_WEIGHT)


def update(belief: Belief, difficulty: float, outcome: float) -> Belief:
    """One graded attempt: a Laplace (Newton) step of the logistic likelihood."""
    belief = Belief(belief.mean, math.sqrt(belief.sd**2 + LEARNING_VARIANCE))
    p = sigmoid(belief.mean - difficulty)
    information = EVIDENCE_WEIGHT * p * (1 - p)
    variance = 1.0 / (1.0 / belief.sd**2 + information)
    mean = belief.mean + variance * EVIDENCE_WEIGHT * (min(1.0, max(0.0, outcome)) - p)
    return Belief(mean, math.sqrt(variance))


def fade(belief: Belief, days: float) -> Belief:
    """Uncertainty grows while a competency is not practised (never beyond the prior's)."""
    if days <= 0:
        return belief
    return Belief(belief.mean, min(PRIOR_SD, math.sqrt(belief.sd**2 + FADE_PER_DAY * days)))


def level_of(belief: Belief, attempts: int) -> Level:
    if attempts == 0:
        return Level.not_started
    if belief.lower >= MASTERED_AT:
        return Level.mastered
    if belief.lower >= PROFICIENT_AT:
        return Level.proficient
    return Level.practising


def attempts_to_reach(belief: Belief, threshold: float, outcome: float = 0.85, limit: int = 30) -> int | None:
    """Graded attempts at `outcome` on well-matched items until the lower bound passes
    `threshold`; None when that outcome cannot get there."""
    current = belief
    for n in range(1, limit + 1):
        current = update(current, current.mean - logit(TARGET_SUCCESS), outcome)
        if current.lower >= threshold:
            return n
    return None


def next_step(belief: Belief, level: Level) -> str:
    if level is Level.not_started:
        return "Submit a first graded attempt to get a level."
    if level is Level.mastered:
        return f"Mastered. Practise at least every {REVIEW_AFTER_DAYS} days to keep it."
    threshold, name, outcome = (
        (PROFICIENT_AT, "proficient", 0.80) if level is Level.practising else (MASTERED_AT, "mastered", 0.90)
    )
    n = attempts_to_reach(belief, threshold, outcome)
    if n is None:
        return f"Scores of {outcome * 100:.0f} or more on harder items are what lead to {name}."
    plural = "attempt" if n == 1 else "attempts"
    return f"About {n} more {plural} scoring {outcome * 100:.0f} or more to reach {name}."


def estimate(key: str, observations: Sequence[Observation], now: datetime) -> Estimate:
    """Fold the observations in time order (fading over gaps), then fade to `now`."""
    belief = Belief()
    last: datetime | None = None
    for obs in sorted(observations, key=lambda o: o.at):
        if last is not None:
            belief = fade(belief, (obs.at - last).total_seconds() / 86_400)
        belief = update(belief, obs.difficulty, obs.outcome)
        last = obs.at
    idle = (now - last).total_seconds() / 86_400 if last is not None else 0.0
    belief = fade(belief, idle)
    level = level_of(belief, len(observations))
    due = bool(observations) and idle >= REVIEW_AFTER_DAYS
    return Estimate(key, belief, len(observations), last, level, next_step(belief, level), due)


def estimates(
    observations: Mapping[str, Sequence[Observation]], keys: Iterable[str], now: datetime
) -> dict[str, Estimate]:
    """An estimate for every key (a competency with no observation is not started)."""
    return {key: estimate(key, observations.get(key, ()), now) for key in keys}


@dataclass(frozen=True)
class Item:
    exercise_id: str
    kind: str
    difficulty: float
    fresh: bool  # the learner has a variant of it they have not seen


@dataclass(frozen=True)
class Pick:
    item: Item
    competency: str
    expected: float  # expected score 0-1
    why: str  # "review" or "weakest"


def recommend(kinds: Mapping[str, Estimate], items: Iterable[Item]) -> Pick | None:
    """The next item: a competency due for review first; else the weakest one (lowest lower
    bound, so an untried kind comes early); in it, the item whose expected score is nearest
    TARGET_SUCCESS, fresh items first."""
    pool = list(items)
    if not pool:
        return None
    due = sorted((e for e in kinds.values() if e.review_due), key=lambda e: e.last_at or datetime.min)
    ranked = due + sorted((e for e in kinds.values() if not e.review_due), key=lambda e: (e.belief.lower, e.key))
    for competency in ranked:
        candidates = [i for i in pool if i.kind == competency.key]
        if not candidates:
            continue
        belief = competency.belief
        best = min(
            candidates,
            key=lambda i: (not i.fresh, abs(belief.expected(i.difficulty) - TARGET_SUCCESS), i.exercise_id),
        )
        why = "review" if competency.review_due else "weakest"
        return Pick(best, competency.key, belief.expected(best.difficulty), why)
    return None

"""The mastery model on simulated learners with known abilities.

Prints:
  mastery_rank_correlation_after_8   Spearman's rank correlation between the estimated and the
                                     true ability after 8 graded attempts in a task kind (mean
                                     over the four kinds; 1,000 learners)
  attempts_to_proficient_ratio       attempts until the model rates a learner proficient in all
                                     four kinds, following the recommendation, over the same
                                     with the bank in a fixed order (mean over 1,000 learners)

The simulated world: items are the shipped exercises, each with a true difficulty (the author's
rating on the logit scale plus noise); a learner's score on an item is σ(θ - b) plus grading
noise, clipped to 0-100. Learners improve with practice, most on items neither too easy nor too
hard (gain ∝ p(1-p), the usual desirable-difficulty assumption), and not at all in a kind they
do not practise. Item difficulties are estimated from a first cohort's attempts, as in the app.
Run: uv run python benchmarks/mastery.py [--learners N] [--seed S]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from exercises.loader import load_bank
from exercises.model import Kind
from grading.agreement import spearman
from grading.mastery import (
    Belief,
    Estimate,
    Item,
    Level,
    authored_difficulty,
    difficulty_from,
    estimate,
    level_of,
    recommend,
    sigmoid,
    update,
)

GRADING_NOISE = 0.10  # sd of the score around its expectation (0-1 scale)
ITEM_NOISE = 0.35  # sd of true difficulty around the author's rating (logits)
LEARNING_RATE = 0.12  # logits gained per attempt at p = 0.5
START_MEAN = -0.6  # a new learner expects about 35 on a median item
START_SPREAD_LEARNERS = 0.5  # learners differ overall…
START_SPREAD_KINDS = 0.8  # …and one learner differs across kinds (writes well, has never designed a workflow)
MAX_ATTEMPTS = 400
T0 = datetime(2026, 1, 5, tzinfo=UTC)


@dataclass(frozen=True)
class SimItem:
    exercise_id: str
    kind: str
    authored: int
    true_difficulty: float


def score(rng: random.Random, ability: float, difficulty: float) -> float:
    return min(1.0, max(0.0, sigmoid(ability - difficulty) + rng.gauss(0, GRADING_NOISE)))


def calibrate(rng: random.Random, items: list[SimItem], learners: int) -> dict[str, float]:
    """Item difficulties from a first cohort's attempts (each tries every item once)."""
    totals = {i.exercise_id: [0.0, 0] for i in items}
    for _ in range(learners):
        ability = {k: rng.gauss(0, 1) for k in Kind}
        for item in items:
            if rng.random() < 0.3:  # not everyone tries everything
                totals[item.exercise_id][0] += score(rng, ability[Kind(item.kind)], item.true_difficulty)
                totals[item.exercise_id][1] += 1
    return {
        i.exercise_id: difficulty_from(
            totals[i.exercise_id][0] / totals[i.exercise_id][1] if totals[i.exercise_id][1] else None,
            int(totals[i.exercise_id][1]),
            i.authored,
        )
        for i in items
    }


def rank_correlation_after(
    rng: random.Random, items: list[SimItem], b: dict[str, float], learners: int, n: int
) -> float:
    per_kind = []
    for kind in Kind:
        pool = [i for i in items if i.kind == kind]
        truth, estimated = [], []
        for _ in range(learners):
            ability = rng.gauss(0, 1)
            belief = Belief()
            for _ in range(n):
                item = rng.choice(pool)
                belief = update(belief, b[item.exercise_id], score(rng, ability, item.true_difficulty))
            truth.append(ability)
            estimated.append(belief.mean)
        per_kind.append(spearman(estimated, truth))
    return statistics.fmean(per_kind)


def attempts_until_proficient(rng: random.Random, items: list[SimItem], b: dict[str, float], recommended: bool) -> int:
    overall = rng.gauss(START_MEAN, START_SPREAD_LEARNERS)
    ability = {k.value: overall + rng.gauss(0, START_SPREAD_KINDS) for k in Kind}
    history: dict[str, list[tuple[float, float]]] = {k.value: [] for k in Kind}
    beliefs = {k.value: Belief() for k in Kind}
    order = sorted(items, key=lambda i: i.exercise_id)  # the bank as listed, over and over
    for attempt in range(MAX_ATTEMPTS):
        levels = {k: level_of(beliefs[k], len(history[k])) for k in beliefs}
        if all(level in (Level.proficient, Level.mastered) for level in levels.values()):
            return attempt
        if recommended:
            when = T0 + timedelta(hours=attempt)
            kinds = {k: Estimate(k, beliefs[k], len(history[k]), when, levels[k], "", False) for k in beliefs}
            pick = recommend(kinds, (Item(i.exercise_id, i.kind, b[i.exercise_id], True) for i in items))
            assert pick is not None
            item = next(i for i in items if i.exercise_id == pick.item.exercise_id)
        else:
            item = order[attempt % len(order)]
        p = sigmoid(ability[item.kind] - item.true_difficulty)
        outcome = min(1.0, max(0.0, p + rng.gauss(0, GRADING_NOISE)))
        history[item.kind].append((b[item.exercise_id], outcome))
        beliefs[item.kind] = update(beliefs[item.kind], b[item.exercise_id], outcome)
        ability[item.kind] += LEARNING_RATE * 4 * p * (1 - p)
    return MAX_ATTEMPTS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--learners", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=20)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    bank = load_bank()
    items = [
        SimItem(e.id, e.kind, e.difficulty, authored_difficulty(e.difficulty) + rng.gauss(0, ITEM_NOISE))
        for e in sorted(bank.exercises.values(), key=lambda e: e.id)
    ]
    b = calibrate(rng, items, args.learners)
    correlation = rank_correlation_after(rng, items, b, args.learners, 8)
    guided = [
        attempts_until_proficient(random.Random(args.seed * 7919 + n), items, b, True) for n in range(args.learners)
    ]
    fixed = [
        attempts_until_proficient(random.Random(args.seed * 7919 + n), items, b, False) for n in range(args.learners)
    ]
    # sanity: the estimate from `estimate()` (with time) agrees with the plain fold used above
    assert estimate("k", [], T0).level is Level.not_started
    print(f"mastery_rank_correlation_after_8: {correlation:.3f} rho")
    print(f"attempts_to_proficient_ratio: {statistics.fmean(guided) / statistics.fmean(fixed):.3f} ratio")
    print(f"attempts_to_proficient_recommended: {statistics.fmean(guided):.1f} attempts")
    print(f"attempts_to_proficient_fixed_order: {statistics.fmean(fixed):.1f} attempts")


if __name__ == "__main__":
    main()

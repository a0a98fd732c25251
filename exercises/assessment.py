"""Drawing a mock assessment: one exercise of each task kind, by sector and level."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Collection

from exercises.loader import Bank
from exercises.model import AnyExercise, Kind
from exercises.variants import answer_key

MIN_MINUTES = 20
MAX_SEED_SCAN = 200  # seeds tried for an unseen variant before giving up


def fingerprint(exercise: AnyExercise) -> str:
    """What a learner sees and is asked, whatever seed made it: two seeds that happen to build
    the same exercise are one variant."""
    return hashlib.sha256(exercise.model_dump_json(exclude={"variant_seed"}).encode()).hexdigest()


def unseen_seed(bank: Bank, exercise_id: str, seen: Collection[int]) -> int | None:
    """A variant of the exercise this learner has not seen, preferably one that asks for a
    different answer from every variant they have seen; None when there is none (an exercise
    without parameters, already done)."""
    if exercise_id not in bank.templates:
        return None if 0 in seen else 0
    shown = [v for v in (bank.variant(exercise_id, s) for s in seen) if v is not None]
    prints, keys = {fingerprint(v) for v in shown}, {answer_key(v) for v in shown}
    fallback = None
    for seed in range(1, MAX_SEED_SCAN):
        variant = bank.variant(exercise_id, seed)
        if variant is None or fingerprint(variant) in prints:
            continue
        if answer_key(variant) not in keys:
            return seed
        fallback = seed if fallback is None else fallback
    return fallback


def draw(bank: Bank, sector: str | None, level: int, seed: int, avoid: Collection[str] = ()) -> list[AnyExercise]:
    """One exercise per kind: the sector's exercise closest to the level, not yet done if
    possible, else one with parameters (a fresh variant of it is asked); other sectors only
    where the sector has none of that kind."""
    rng = random.Random(seed)
    chosen = []
    for kind in Kind:
        pool = [e for e in bank.exercises.values() if e.kind == kind and (sector is None or e.sector == sector)]
        if not pool:
            pool = [e for e in bank.exercises.values() if e.kind == kind]
        if not pool:
            raise ValueError(f"the bank has no {kind} exercise")
        # not practised at all first (nothing of it exposed), then a parameterised exercise (its
        # sitting asks a variant not yet seen), then anything
        fresh = [e for e in pool if e.id not in avoid] or [e for e in pool if e.id in bank.templates] or pool
        best = min(abs(e.difficulty - level) for e in fresh)
        candidates = sorted((e for e in fresh if abs(e.difficulty - level) == best), key=lambda e: e.id)
        chosen.append(rng.choice(candidates))
    return chosen


def time_limit_s(exercises: list[AnyExercise]) -> int:
    """The exercises' estimated minutes, rounded up to five minutes."""
    minutes = max(MIN_MINUTES, sum(e.minutes for e in exercises))
    return int(-(-minutes // 5) * 5 * 60)

"""Drawing a mock assessment: one exercise of each task kind, by sector and level."""

from __future__ import annotations

import random
from collections.abc import Collection

from exercises.loader import Bank
from exercises.model import AnyExercise, Kind

MIN_MINUTES = 20


def draw(bank: Bank, sector: str | None, level: int, seed: int, avoid: Collection[str] = ()) -> list[AnyExercise]:
    """One exercise per kind: the sector's exercise closest to the level, not yet done if
    possible; other sectors only where the sector has none of that kind."""
    rng = random.Random(seed)
    chosen = []
    for kind in Kind:
        pool = [e for e in bank.exercises.values() if e.kind == kind and (sector is None or e.sector == sector)]
        if not pool:
            pool = [e for e in bank.exercises.values() if e.kind == kind]
        if not pool:
            raise ValueError(f"the bank has no {kind} exercise")
        fresh = [e for e in pool if e.id not in avoid] or pool
        best = min(abs(e.difficulty - level) for e in fresh)
        candidates = sorted((e for e in fresh if abs(e.difficulty - level) == best), key=lambda e: e.id)
        chosen.append(rng.choice(candidates))
    return chosen


def time_limit_s(exercises: list[AnyExercise]) -> int:
    """The exercises' estimated minutes, rounded up to five minutes."""
    minutes = max(MIN_MINUTES, sum(e.minutes for e in exercises))
    return int(-(-minutes // 5) * 5 * 60)

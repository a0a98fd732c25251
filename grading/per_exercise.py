"""Results that depend on an exercise alone, worked out once per exercise object.

Exercises are frozen models, so one object always holds the same content: a value read from it
(its points' statements as the reference makes them, say) can be kept for as long as the object
lives. The cache holds the object itself beside the value, so its id cannot be reused while the
entry stands, and is bounded, so packs reloaded many times do not grow it without end."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from exercises.workflow import Strict

E = TypeVar("E", bound=Strict)
V = TypeVar("V")

MAX_EXERCISES = 1024  # several times the bank and every calibration pack together


def per_exercise(work: Callable[[E], V]) -> Callable[[E], V]:
    kept: dict[int, tuple[E, V]] = {}

    @wraps(work)
    def cached(exercise: E) -> V:
        hit = kept.get(id(exercise))
        if hit is not None and hit[0] is exercise:
            return hit[1]
        value = work(exercise)
        if len(kept) >= MAX_EXERCISES:
            kept.clear()
        kept[id(exercise)] = (exercise, value)
        return value

    return cached

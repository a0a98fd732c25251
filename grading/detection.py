"""Detection as two scores, as raters mark it: what was found (recall) and how clean the flags
are (precision). Shared by the find-failures and validate graders.

A false alarm lowers the clean share only, never the credit for what was found, with one
exception that keeps "flag everything" worth nothing: a learner who flags most of what there is
to flag is only choosing if the flags are cleaner than a know-nothing flagger's (precision at
chance); if not, what they "found" was found by volume. The found credit fades with coverage
squared (flagging a third of the steps is a choice) and with precision up to `CHANCE_MARGIN`
above chance.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T", bound=Hashable)

FOUND_SHARE = 0.6  # of the detection criterion: what was found
CLEAN_SHARE = 1 - FOUND_SHARE  # how clean the flags are
CHANCE_MARGIN = 0.25  # chance-corrected precision at which finds count in full


def neighbours(pairs: Iterable[tuple[T, T]], members: Iterable[T]) -> dict[T, frozenset[T]]:
    """Each member's neighbours from pairs that name the same problem from two sides: symmetric,
    so a pair is written once."""
    pairs = list(pairs)
    return {m: frozenset({b for a, b in pairs if a == m} | {a for a, b in pairs if b == m}) for m in members}


@dataclass(frozen=True)
class Detection:
    found: float  # severity-weighted share of the real problems found, 0-1
    precision: float  # credit-weighted share of the flags that point at a real problem, 0-1
    chance: float  # the precision a flagger who knows nothing would reach, 0-1
    flags: float  # how many flags (weighted) were raised
    coverage: float = 0.0  # share of what could be flagged (steps, claims) flagged as a guess, 0-1

    @property
    def clean(self) -> float:
        """1 less the false alarms per real find (by weight): one false alarm for every two finds
        leaves half; as many false alarms as finds leaves nothing."""
        if self.flags <= 0 or self.precision <= 0:
            return 0.0
        return max(0.0, 1.0 - (1.0 - self.precision) / self.precision)

    @property
    def above_chance(self) -> float:
        """Precision above a know-nothing flagger's, scaled to 0-1."""
        if self.flags <= 0:
            return 0.0
        if self.chance >= 1:
            return 1.0 if self.precision >= 1 else 0.0
        return max(0.0, min(1.0, (self.precision - self.chance) / (1 - self.chance)))

    @property
    def informative(self) -> float:
        """How far the flags are from guessing, 0-1: the share of the found credit that counts."""
        sure = min(1.0, self.above_chance / CHANCE_MARGIN)
        return 1.0 - min(1.0, self.coverage) ** 2 * (1.0 - sure)

    @property
    def score(self) -> float:
        """Found credit plus a clean bonus worth at most `CLEAN_SHARE` of what was found: clean
        flags on one trivial find are not worth a third of the criterion."""
        return self.found * (FOUND_SHARE * self.informative + CLEAN_SHARE * self.clean)


def noisy(false_alarms: int, hits: int) -> bool:
    """Many flags that match nothing (at least two, and one for every two hits or more): raters
    differ widely on what such noise costs, so the clean share of the score is in doubt."""
    return false_alarms >= 2 and false_alarms * 2 >= hits

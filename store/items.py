"""Item analysis for a cohort: how hard each exercise is, whether it tells stronger learners
from weaker ones, and which rubric criteria the cohort misses.

Discrimination is the corrected item-total correlation: across the learners who did an
exercise, Pearson's r between their score on it (the mean of their attempts at it) and the mean
of their other exercises' scores (each exercise counted once). The database returns the five
sums r needs per exercise; only the square root happens here."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Float, case, cast, func, select
from sqlmodel import Session, col

from grading.bands import CRITERION_MET
from store.access import require_teaches
from store.cohort_scope import graded
from store.models import Attempt, CriterionRow, User

MIN_ITEM_LEARNERS = 8  # fewer learners than this and a correlation means little
WEAK_DISCRIMINATION = 0.2  # below this an exercise hardly separates stronger from weaker learners


@dataclass(frozen=True)
class ItemStats:
    exercise_id: str
    kind: str
    learners: int
    attempts: int
    mean: float  # difficulty: the mean score of every attempt, 0-100
    discrimination: float | None  # None: too few learners, or no spread to correlate

    @property
    def weak(self) -> bool:
        return self.discrimination is not None and self.discrimination < WEAK_DISCRIMINATION


@dataclass(frozen=True)
class CriterionRate:
    exercise_id: str
    kind: str
    criterion_id: str
    graded: int
    met: int
    mean: float  # mean criterion score, 0-1

    @property
    def met_rate(self) -> float:
        return self.met / self.graded if self.graded else 0.0


@dataclass(frozen=True)
class VariantStats:
    """One variant of an exercise in a cohort: is it harder or easier than its siblings?"""

    exercise_id: str
    variant_seed: int
    learners: int
    attempts: int
    mean: float  # 0-100


def variant_stats(session: Session, viewer: User, cohort_id: int, mode: str | None = None) -> list[VariantStats]:
    """Attempts and mean score per exercise and variant (the authored one is variant 0)."""
    require_teaches(session, viewer, cohort_id)
    query = graded(
        cohort_id,
        col(Attempt.exercise_id),
        col(Attempt.variant_seed),
        func.count(func.distinct(Attempt.user_id)),
        func.count(),
        func.avg(Attempt.score),
        mode=mode,
    ).group_by(col(Attempt.exercise_id), col(Attempt.variant_seed))
    rows = session.exec(query.order_by(col(Attempt.exercise_id), col(Attempt.variant_seed)))  # type: ignore[call-overload]
    return [VariantStats(e, int(v), int(k), int(n), float(m)) for e, v, k, n, m in rows]


def pearson(n: int, sx: float, sy: float, sxx: float, syy: float, sxy: float) -> float | None:
    """Pearson's r from sums; None without spread on either side."""
    vx, vy = n * sxx - sx * sx, n * syy - sy * sy
    if n < 2 or vx <= 1e-9 * max(1.0, n * sxx) or vy <= 1e-9 * max(1.0, n * syy):
        return None
    return max(-1.0, min(1.0, (n * sxy - sx * sy) / math.sqrt(vx * vy)))


def item_analysis(
    session: Session, viewer: User, cohort_id: int, mode: str | None = None, only: Any = None
) -> list[ItemStats]:
    """Per exercise; `only` (a subquery of attempt ids) limits it to, e.g., one assessment's sittings."""
    require_teaches(session, viewer, cohort_id)
    # each learner's mean per exercise
    per_item = (
        graded(
            cohort_id,
            col(Attempt.user_id).label("user_id"),
            col(Attempt.exercise_id).label("exercise_id"),
            func.avg(Attempt.score).label("x"),
            mode=mode,
            only=only,
        )
        .group_by(col(Attempt.user_id), col(Attempt.exercise_id))
        .cte("per_item")
    )
    per_learner = (
        select(
            per_item.c.user_id,
            func.sum(per_item.c.x).label("t"),
            func.count().label("k"),
        )
        .group_by(per_item.c.user_id)
        .cte("per_learner")
    )
    rest = (per_learner.c.t - per_item.c.x) / cast(per_learner.c.k - 1, Float)
    x = per_item.c.x
    sums = (
        select(
            per_item.c.exercise_id,
            func.count(),
            func.sum(x),
            func.sum(rest),
            func.sum(x * x),
            func.sum(rest * rest),
            func.sum(x * rest),
        )
        .join(per_learner, per_learner.c.user_id == per_item.c.user_id)
        .where(per_learner.c.k > 1)
        .group_by(per_item.c.exercise_id)
    )
    correlations = {}
    for exercise_id, n, sx, sy, sxx, syy, sxy in session.exec(sums):  # type: ignore[call-overload]
        r = pearson(int(n), sx, sy, sxx, syy, sxy) if n >= MIN_ITEM_LEARNERS else None
        correlations[exercise_id] = r
    difficulty = graded(
        cohort_id,
        col(Attempt.exercise_id),
        func.min(Attempt.kind),
        func.count(func.distinct(Attempt.user_id)),
        func.count(),
        func.avg(Attempt.score),
        mode=mode,
        only=only,
    ).group_by(col(Attempt.exercise_id))
    return sorted(
        (
            ItemStats(exercise_id, kind, int(learners), int(n), float(mean), correlations.get(exercise_id))
            for exercise_id, kind, learners, n, mean in session.exec(difficulty)  # type: ignore[call-overload]
        ),
        key=lambda s: s.exercise_id,
    )


def criterion_rates(
    session: Session, viewer: User, cohort_id: int, mode: str | None = None, only: Any = None
) -> list[CriterionRate]:
    """Per exercise and criterion: how many effective grades met it, and the mean score."""
    require_teaches(session, viewer, cohort_id)
    query = (
        graded(
            cohort_id,
            col(Attempt.exercise_id),
            func.min(Attempt.kind),
            col(CriterionRow.criterion_id),
            func.count(),
            func.sum(case((col(CriterionRow.score) >= CRITERION_MET, 1), else_=0)),
            func.avg(CriterionRow.score),
            mode=mode,
            only=only,
        )
        .join(CriterionRow, col(CriterionRow.grade_id) == col(Attempt.grade_id))
        .group_by(col(Attempt.exercise_id), col(CriterionRow.criterion_id))
    )
    return [
        CriterionRate(exercise_id, kind, criterion_id, int(n), int(met or 0), float(mean))
        for exercise_id, kind, criterion_id, n, met, mean in session.exec(query)  # type: ignore[call-overload]
    ]


def criteria_by_kind(rates: list[CriterionRate]) -> list[CriterionRate]:
    """Per-exercise rates pooled per task kind and criterion (exercise_id is empty)."""
    pooled: dict[tuple[str, str], list[float]] = {}
    for r in rates:
        acc = pooled.setdefault((r.kind, r.criterion_id), [0, 0, 0.0])
        acc[0] += r.graded
        acc[1] += r.met
        acc[2] += r.mean * r.graded
    return [
        CriterionRate("", kind, criterion_id, int(n), int(met), total / n if n else 0.0)
        for (kind, criterion_id), (n, met, total) in sorted(pooled.items())
    ]

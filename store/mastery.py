"""The queries behind mastery: item difficulty from everyone's graded attempts, one learner's
graded outcomes per competency (task kind, and kind/criterion), and a cohort's learners' levels.
The model itself is grading/mastery.py; this module only feeds it."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlmodel import Session, col

from exercises.kinds import task_kind
from exercises.loader import Bank
from exercises.model import Kind
from grading.mastery import Estimate, Item, Level, Observation, Pick, difficulty_from, estimates, recommend
from store.access import require_teaches, require_user
from store.cohort_scope import graded
from store.models import Attempt, CriterionRow, User
from store.users import cohort_learners


@dataclass(frozen=True)
class Mastery:
    kinds: dict[str, Estimate]  # every kind, not started included
    criteria: dict[str, Estimate]  # "kind/criterion" for every criterion of every kind
    pick: Pick | None


@dataclass(frozen=True)
class CohortLevels:
    learners: int
    by_kind: dict[str, dict[Level, int]]  # kind -> learners at each level


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def criterion_key(kind: str, criterion_id: str) -> str:
    return f"{kind}/{criterion_id}"


def item_difficulties(session: Session, bank: Bank) -> dict[str, float]:
    """Exercise id -> difficulty (logits) from every learner's graded attempts at it."""
    rows = session.exec(
        select(Attempt.exercise_id, func.avg(Attempt.score), func.count())  # type: ignore[call-overload]
        .where(col(Attempt.score).is_not(None))
        .group_by(col(Attempt.exercise_id))
    )
    seen: dict[str, tuple[float | None, int]] = {e: (float(m) / 100, int(n)) for e, m, n in rows}
    result = {}
    for eid, ex in bank.exercises.items():
        mean, count = seen.get(eid, (None, 0))
        result[eid] = difficulty_from(mean, count, ex.difficulty)
    return result


def _criterion_difficulties(session: Session, bank: Bank, exercise_ids: Iterable[str]) -> dict[tuple[str, str], float]:
    ids = list(exercise_ids)
    rows = session.exec(
        select(Attempt.exercise_id, CriterionRow.criterion_id, func.avg(CriterionRow.score), func.count())  # type: ignore[call-overload]
        .join(CriterionRow, col(CriterionRow.grade_id) == col(Attempt.grade_id))
        .where(col(Attempt.exercise_id).in_(ids))
        .group_by(col(Attempt.exercise_id), col(CriterionRow.criterion_id))
    )
    return {
        (e, c): difficulty_from(float(m), int(n), bank.exercises[e].difficulty if e in bank.exercises else 2)
        for e, c, m, n in rows
    }


def learner_mastery(session: Session, viewer: User, user_id: int, bank: Bank, now: datetime | None = None) -> Mastery:
    """One learner's estimates per kind and per criterion, and the next item to practise."""
    require_user(session, viewer, user_id)
    now = now or datetime.now(UTC)
    difficulty = item_difficulties(session, bank)
    attempts = list(
        session.exec(
            select(Attempt.exercise_id, Attempt.kind, Attempt.score, Attempt.submitted_at, Attempt.variant_seed).where(  # type: ignore[call-overload]
                Attempt.user_id == user_id, col(Attempt.score).is_not(None)
            )
        )
    )
    by_kind: dict[str, list[Observation]] = defaultdict(list)
    seen: dict[str, set[int]] = defaultdict(set)
    for exercise_id, kind, score, at, seed in attempts:
        seen[exercise_id].add(seed)
        if at is not None:
            by_kind[kind].append(Observation(difficulty.get(exercise_id, 0.0), float(score) / 100, _aware(at)))
    criterion_rows = session.exec(
        select(Attempt.exercise_id, Attempt.kind, CriterionRow.criterion_id, CriterionRow.score, Attempt.submitted_at)  # type: ignore[call-overload]
        .join(CriterionRow, col(CriterionRow.grade_id) == col(Attempt.grade_id))
        .where(Attempt.user_id == user_id)
    )
    rows = [r for r in criterion_rows if r[4] is not None]
    hardness = _criterion_difficulties(session, bank, {r[0] for r in rows})
    by_criterion: dict[str, list[Observation]] = defaultdict(list)
    for exercise_id, kind, criterion_id, score, at in rows:
        by_criterion[criterion_key(kind, criterion_id)].append(
            Observation(hardness.get((exercise_id, criterion_id), 0.0), float(score), _aware(at))
        )
    kinds = estimates(by_kind, [k.value for k in Kind], now)
    criteria = estimates(by_criterion, [criterion_key(k, c) for k in Kind for c in task_kind(k).criteria], now)
    items = [
        Item(eid, ex.kind, difficulty[eid], fresh=eid in bank.templates or eid not in seen)
        for eid, ex in sorted(bank.exercises.items())
    ]
    return Mastery(kinds, criteria, recommend(kinds, items))


def cohort_levels(
    session: Session, viewer: User, cohort_id: int, bank: Bank, now: datetime | None = None
) -> CohortLevels:
    """How many of the cohort's learners stand at each level in each kind (same model as My
    progress); learners with no graded attempt in a kind count as not started."""
    require_teaches(session, viewer, cohort_id)
    now = now or datetime.now(UTC)
    difficulty = item_difficulties(session, bank)
    rows = session.exec(  # type: ignore[call-overload]
        graded(
            cohort_id,
            col(Attempt.user_id),
            col(Attempt.exercise_id),
            col(Attempt.kind),
            col(Attempt.score),
            col(Attempt.submitted_at),
        )
    )
    per_learner: dict[int, dict[str, list[Observation]]] = defaultdict(lambda: defaultdict(list))
    for user_id, exercise_id, kind, score, at in rows:
        if at is not None:
            per_learner[user_id][kind].append(
                Observation(difficulty.get(exercise_id, 0.0), float(score) / 100, _aware(at))
            )
    learners = [u.id for u in cohort_learners(session, viewer, cohort_id) if u.id is not None]
    by_kind: dict[str, Counter[Level]] = {k.value: Counter() for k in Kind}
    for user_id in learners:
        for kind, est in estimates(per_learner.get(user_id, {}), [k.value for k in Kind], now).items():
            by_kind[kind][est.level] += 1
    return CohortLevels(len(learners), {k: {level: c[level] for level in Level} for k, c in by_kind.items()})

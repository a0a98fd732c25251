"""A learner's own progress: competency by task kind and sector, the trend, the criteria they
miss most, their history, what to do next, and how they compare with their cohort's median
learner (an aggregate only, withheld when too few learners would stand behind it)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from sqlalchemy import Select, case, func, select
from sqlmodel import Session, col

from exercises.assessment import unseen_seed
from exercises.kinds import KINDS
from exercises.loader import Bank
from exercises.model import AnyExercise, Kind
from grading.bands import CRITERION_MET, PROFICIENT
from store import attempts
from store.access import AccessDenied, require_member, require_user, visible_attempts
from store.assignments import AssignedExercise, learner_assignments
from store.cohort_scope import graded
from store.mastery import Mastery, learner_mastery
from store.models import Attempt, AttemptMode, Cohort, CriterionRow, User
from store.quantiles import medians_by

MIN_PEERS = 5  # a cohort median needs at least this many learners behind it
TREND_WINDOW = 5  # attempts in the moving mean


@dataclass(frozen=True)
class KindStat:
    kind: str
    attempts: int
    mean: float
    best: float


@dataclass(frozen=True)
class SectorStat:
    sector: str
    kind: str
    attempts: int
    mean: float


@dataclass(frozen=True)
class TrendPoint:
    attempt_id: int
    submitted_at: datetime
    kind: str
    score: float
    moving_mean: float  # over this kind's last few attempts, this one included


@dataclass(frozen=True)
class MissedCriterion:
    kind: str
    criterion_id: str
    title: str
    graded: int
    missed: int
    mean: float  # 0-1
    feedback: str  # the latest feedback given on it when missed


@dataclass(frozen=True)
class AttemptRow:
    attempt_id: int
    exercise_id: str
    kind: str
    sector: str
    mode: str
    submitted_at: datetime | None
    score: float
    graded_by: str
    flags: list[str]


@dataclass(frozen=True)
class Recommendation:
    exercise_id: str
    kind: str
    difficulty: int
    why: Literal["untried", "weakest", "retry", "review"]
    kind_mean: float | None
    kind_attempts: int
    expected: float | None = None  # the mastery model's expected score, 0-100
    variant_seed: int = 0  # a variant the learner has not seen
    level: str | None = None  # the competency's mastery level


@dataclass(frozen=True)
class Comparison:
    cohort_id: int
    cohort_name: str
    medians: dict[str, float]  # kind -> the median learner's mean score; kinds with too few learners left out
    learners: dict[str, int]  # kind -> learners with a score in it


@dataclass(frozen=True)
class LearnerDashboard:
    user_id: int
    kinds: list[KindStat]
    sectors: list[SectorStat]
    trend: list[TrendPoint]
    missed: list[MissedCriterion]
    history: list[AttemptRow]
    recommendation: Recommendation | None
    assignments: list[AssignedExercise] = field(default_factory=list)
    comparison: Comparison | None = None
    mastery: Mastery | None = None

    @property
    def attempts(self) -> int:
        return sum(k.attempts for k in self.kinds)

    @property
    def mean(self) -> float | None:
        n = self.attempts
        return sum(k.mean * k.attempts for k in self.kinds) / n if n else None


def _mine(viewer: User, user_id: int, *columns: object) -> Select[tuple[object, ...]]:
    """The learner's graded attempts that the viewer may see (store/access.visible_attempts)."""
    return (
        select(*columns)  # type: ignore[call-overload]
        .select_from(Attempt)
        .where(
            Attempt.user_id == user_id,
            col(Attempt.score).is_not(None),
            visible_attempts(viewer),
            Attempt.mode == AttemptMode.practice,  # a mock's tasks are reported with their sitting
        )
    )


def competency(session: Session, viewer: User, user_id: int) -> list[KindStat]:
    require_user(session, viewer, user_id)
    query = _mine(
        viewer, user_id, col(Attempt.kind), func.count(), func.avg(Attempt.score), func.max(Attempt.score)
    ).group_by(col(Attempt.kind))
    order = list(KINDS)
    stats = [KindStat(k, int(n), float(m), float(b)) for k, n, m, b in session.exec(query)]  # type: ignore[call-overload]
    return sorted(stats, key=lambda s: order.index(Kind(s.kind)) if s.kind in KINDS else len(order))


def sector_profile(session: Session, viewer: User, user_id: int) -> list[SectorStat]:
    require_user(session, viewer, user_id)
    query = _mine(
        viewer, user_id, col(Attempt.sector), col(Attempt.kind), func.count(), func.avg(Attempt.score)
    ).group_by(col(Attempt.sector), col(Attempt.kind))
    return [SectorStat(s, k, int(n), float(m)) for s, k, n, m in session.exec(query)]  # type: ignore[call-overload]


def trend(session: Session, viewer: User, user_id: int, limit: int = 300) -> list[TrendPoint]:
    """The latest `limit` attempts, oldest first, with each kind's moving mean."""
    require_user(session, viewer, user_id)
    latest = (
        _mine(viewer, user_id, col(Attempt.id), col(Attempt.submitted_at), col(Attempt.kind), col(Attempt.score))
        .order_by(col(Attempt.submitted_at).desc(), col(Attempt.id).desc())
        .limit(limit)
        .subquery()
    )
    moving = func.avg(latest.c.score).over(
        partition_by=latest.c.kind,
        order_by=(latest.c.submitted_at, latest.c.id),
        rows=(-(TREND_WINDOW - 1), 0),
    )
    query = select(latest.c.id, latest.c.submitted_at, latest.c.kind, latest.c.score, moving).order_by(
        latest.c.submitted_at, latest.c.id
    )
    return [TrendPoint(int(i), t, k, float(s), float(m)) for i, t, k, s, m in session.exec(query)]  # type: ignore[call-overload]


def missed_criteria(session: Session, viewer: User, user_id: int, limit: int = 5) -> list[MissedCriterion]:
    """The criteria this learner most often scores below the bar on, with the latest advice."""
    require_user(session, viewer, user_id)
    miss = col(CriterionRow.score) < CRITERION_MET
    rates = (
        _mine(
            viewer,
            user_id,
            col(Attempt.kind),
            col(CriterionRow.criterion_id),
            func.max(CriterionRow.title),
            func.count(),
            func.sum(case((miss, 1), else_=0)),
            func.avg(CriterionRow.score),
        )
        .join(CriterionRow, col(CriterionRow.grade_id) == col(Attempt.grade_id))
        .group_by(col(Attempt.kind), col(CriterionRow.criterion_id))
    )
    rows = [(k, c, t, int(n), int(m or 0), float(a)) for k, c, t, n, m, a in session.exec(rates)]  # type: ignore[call-overload]
    rows = sorted((r for r in rows if r[4]), key=lambda r: (-r[4] / r[3], r[5]))[:limit]
    if not rows:
        return []
    latest = (
        _mine(
            viewer,
            user_id,
            col(Attempt.kind),
            col(CriterionRow.criterion_id),
            col(CriterionRow.feedback),
            func.row_number()
            .over(
                partition_by=(col(Attempt.kind), col(CriterionRow.criterion_id)),
                order_by=(col(Attempt.submitted_at).desc(), col(Attempt.id).desc()),
            )
            .label("rank"),
        )
        .join(CriterionRow, col(CriterionRow.grade_id) == col(Attempt.grade_id))
        .where(miss, col(CriterionRow.criterion_id).in_({r[1] for r in rows}))
        .subquery()
    )
    advice = {
        (k, c): f
        for k, c, f in session.exec(
            select(latest.c.kind, latest.c.criterion_id, latest.c.feedback).where(latest.c.rank == 1)
        )  # type: ignore[call-overload]
    }
    return [MissedCriterion(k, c, t, n, m, a, advice.get((k, c), "")) for k, c, t, n, m, a in rows]


def history(session: Session, viewer: User, user_id: int, limit: int = 200) -> list[AttemptRow]:
    require_user(session, viewer, user_id)
    query = (
        _mine(
            viewer,
            user_id,
            col(Attempt.id),
            col(Attempt.exercise_id),
            col(Attempt.kind),
            col(Attempt.sector),
            col(Attempt.mode),
            col(Attempt.submitted_at),
            col(Attempt.score),
            col(Attempt.grade_source),
            col(Attempt.grade_flags),
        )
        .order_by(col(Attempt.submitted_at).desc(), col(Attempt.id).desc())
        .limit(limit)
    )
    return [
        AttemptRow(int(i), e, k, s, m, t, float(score), src or "auto", flags.split(",") if flags else [])
        for i, e, k, s, m, t, score, src, flags in session.exec(query)  # type: ignore[call-overload]
    ]


def exercise_means(session: Session, viewer: User, user_id: int) -> dict[str, tuple[float, float, int]]:
    """{exercise id: (mean, best, attempts)} for one learner."""
    require_user(session, viewer, user_id)
    query = _mine(
        viewer, user_id, col(Attempt.exercise_id), func.avg(Attempt.score), func.max(Attempt.score), func.count()
    ).group_by(col(Attempt.exercise_id))
    return {e: (float(m), float(b), int(n)) for e, m, b, n in session.exec(query)}  # type: ignore[call-overload]


def choose_next(
    kinds: Iterable[KindStat], done: Mapping[str, tuple[float, float, int]], exercises: Iterable[AnyExercise]
) -> Recommendation | None:
    """The next exercise: in the weakest task kind (an untried kind first), one level above the
    highest difficulty cleared there, among exercises not done yet. With everything done, the
    exercise with the lowest best score, to retry."""
    stats = {k.kind: k for k in kinds}
    pool = sorted(exercises, key=lambda e: e.id)
    if not pool:
        return None
    order = sorted(KINDS, key=lambda k: (k in stats, stats[k].mean if k in stats else 0.0, list(KINDS).index(k)))
    for kind in order:
        fresh = [e for e in pool if e.kind == kind and e.id not in done]
        if not fresh:
            continue
        cleared = [e.difficulty for e in pool if e.kind == kind and e.id in done and done[e.id][0] >= PROFICIENT]
        target = min(3, max(cleared, default=0) + 1)
        pick = min(fresh, key=lambda e: (abs(e.difficulty - target), e.difficulty > target, e.id))
        stat = stats.get(kind)
        why: Literal["untried", "weakest"] = "weakest" if stat else "untried"
        return Recommendation(
            pick.id, kind, pick.difficulty, why, stat.mean if stat else None, stat.attempts if stat else 0
        )
    known = [e for e in pool if e.id in done]
    if not known:
        return None
    retry = min(known, key=lambda e: (done[e.id][1], e.id))
    stat = stats.get(retry.kind)
    return Recommendation(
        retry.id, retry.kind, retry.difficulty, "retry", stat.mean if stat else None, stat.attempts if stat else 0
    )


def cohort_comparison(session: Session, viewer: User, cohort_id: int) -> Comparison:
    """The cohort's median learner per task kind: each learner's mean in the kind, then the median
    of those. Only members see it, and a kind with fewer than MIN_PEERS learners is left out, so
    no single learner's score can be read from it."""
    require_member(session, viewer, cohort_id)
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise AccessDenied(f"no cohort {cohort_id}")
    per_learner = graded(
        cohort_id, col(Attempt.kind), func.avg(Attempt.score).label("value"), mode=AttemptMode.practice
    ).group_by(col(Attempt.user_id), col(Attempt.kind))
    medians, counts = {}, {}
    for (kind,), (median, n) in medians_by(session, per_learner).items():
        counts[kind] = n
        if n >= MIN_PEERS:
            medians[kind] = round(median, 1)
    return Comparison(cohort_id, cohort.name, medians, counts)


def mastery_recommendation(
    session: Session, user_id: int, bank: Bank, mastery: Mastery, kinds: Iterable[KindStat]
) -> Recommendation | None:
    """The mastery model's pick, as a recommendation: the exercise and a variant not yet seen."""
    pick = mastery.pick
    if pick is None:
        return None
    exercise = bank.exercises[pick.item.exercise_id]
    stat = next((k for k in kinds if k.kind == pick.competency), None)
    seen = attempts.seen_variants(session, user_id, [exercise.id])[exercise.id]
    seed = unseen_seed(bank, exercise.id, seen)
    why: Literal["untried", "weakest", "review"] = (
        "review" if pick.why == "review" else "weakest" if stat else "untried"
    )
    return Recommendation(
        exercise.id,
        exercise.kind,
        exercise.difficulty,
        why,
        stat.mean if stat else None,
        stat.attempts if stat else 0,
        expected=round(pick.expected * 100, 1),
        variant_seed=seed or 0,
        level=mastery.kinds[pick.competency].level.value,
    )


def learner_dashboard(
    session: Session,
    viewer: User,
    user_id: int,
    exercises: Iterable[AnyExercise],
    cohort_id: int | None = None,
    bank: Bank | None = None,
) -> LearnerDashboard:
    """Everything the My progress page shows, in one call (the benchmark times this). With the
    bank, mastery levels per competency and a recommendation that follows them."""
    kinds = competency(session, viewer, user_id)
    done = exercise_means(session, viewer, user_id)
    mastery = learner_mastery(session, viewer, user_id, bank) if bank is not None else None
    recommendation = (
        mastery_recommendation(session, user_id, bank, mastery, kinds)
        if bank is not None and mastery is not None
        else choose_next(kinds, done, exercises)
    )
    return LearnerDashboard(
        user_id=user_id,
        kinds=kinds,
        sectors=sector_profile(session, viewer, user_id),
        trend=trend(session, viewer, user_id),
        missed=missed_criteria(session, viewer, user_id),
        history=history(session, viewer, user_id),
        recommendation=recommendation,
        assignments=learner_assignments(session, viewer, user_id),
        comparison=cohort_comparison(session, viewer, cohort_id) if cohort_id is not None else None,
        mastery=mastery,
    )

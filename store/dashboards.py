"""Aggregates behind the cohort dashboard: each one GROUP BY over a cohort's learners' graded
attempts (see `cohort_scope`), through indexes that cover it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import case, func, select
from sqlmodel import Session, col

from store.access import require_teaches
from store.assignments import AssignmentProgress, assignment_progress
from store.cohort_scope import graded
from store.items import CriterionRate, ItemStats, VariantStats, criterion_rates, item_analysis, variant_stats
from store.models import Assignment, Attempt, AttemptMode, GradeRow, Membership, Role, User, now
from store.quantiles import medians_by, quantiles_by
from store.review import ReviewItem, review_queue

ACTIVE_DAYS = 14  # a learner with a graded attempt this recent counts as active


@dataclass
class LearnerSummary:
    user_id: int
    name: str
    attempts: int = 0
    mean_total: float | None = None
    by_kind: dict[str, float] = field(default_factory=dict)
    last_active: datetime | None = None
    recent_attempts: int = 0  # in the last ACTIVE_DAYS days
    email: str | None = None
    joined_at: datetime | None = None


@dataclass(frozen=True)
class KindMedian:
    kind: str
    median: float
    learners: int


@dataclass(frozen=True)
class CohortSummary:
    learners: int
    active_learners: int
    attempts: int
    recent_attempts: int
    medians: list[KindMedian]
    completion: float | None  # share of (learner, assignment) pairs done; None without assignments
    waiting_review: int


@dataclass(frozen=True)
class ExerciseSpread:
    """How the cohort's learners score on one exercise, each learner once (their mean on it)."""

    exercise_id: str
    learners: int
    mean: float
    low: float
    q1: float
    median: float
    q3: float
    high: float


@dataclass(frozen=True)
class CohortDashboard:
    """What every tab of the Cohort page but Exercises shows."""

    cohort_id: int
    summary: CohortSummary
    learners: list[LearnerSummary]
    review: list[ReviewItem]
    assignments: list[AssignmentProgress]


@dataclass(frozen=True)
class ExerciseReport:
    """The Exercises tab: item analysis, the spread of scores, and rubric criteria met."""

    cohort_id: int
    items: list[ItemStats]
    spreads: list[ExerciseSpread]
    criteria: list[CriterionRate]
    variants: list[VariantStats] = field(default_factory=list)


def cohort_overview(session: Session, viewer: User, cohort_id: int) -> list[LearnerSummary]:
    """Every learner in the cohort with their attempts, mean score overall and per task kind."""
    require_teaches(session, viewer, cohort_id)
    since = now() - timedelta(days=ACTIVE_DAYS)
    members = session.exec(
        select(col(User.id), col(User.name), col(User.email), col(Membership.joined_at))  # type: ignore[call-overload]
        .join(Membership, col(Membership.user_id) == col(User.id))
        .where(col(Membership.cohort_id) == cohort_id, col(Membership.role) == Role.learner)
        .order_by(col(User.name), col(User.id))
    )
    summaries = {uid: LearnerSummary(uid, name, email=email, joined_at=joined) for uid, name, email, joined in members}
    query = graded(
        cohort_id,
        col(Attempt.user_id),
        col(Attempt.kind),
        func.count(),
        func.avg(Attempt.score),
        func.max(Attempt.submitted_at),
        func.sum(case((col(Attempt.submitted_at) >= since, 1), else_=0)),
        mode=AttemptMode.practice,
    ).group_by(col(Attempt.user_id), col(Attempt.kind))
    sums: dict[int, float] = {}
    for user_id, kind, n, avg, last, recent in session.exec(query):  # type: ignore[call-overload]
        s = summaries[user_id]
        s.attempts += int(n)
        s.recent_attempts += int(recent or 0)
        s.by_kind[kind] = round(float(avg), 1)
        s.last_active = last if s.last_active is None else max(s.last_active, last)
        sums[user_id] = sums.get(user_id, 0.0) + float(avg) * int(n)
    for uid, s in summaries.items():
        if s.attempts:
            s.mean_total = round(sums[uid] / s.attempts, 1)
    return list(summaries.values())


def kind_medians(session: Session, viewer: User, cohort_id: int) -> list[KindMedian]:
    """Per task kind, the median learner: each learner's mean in the kind, then the median."""
    require_teaches(session, viewer, cohort_id)
    per_learner = graded(
        cohort_id, col(Attempt.kind), func.avg(Attempt.score).label("value"), mode=AttemptMode.practice
    ).group_by(col(Attempt.user_id), col(Attempt.kind))
    return [KindMedian(k, round(m, 1), n) for (k,), (m, n) in sorted(medians_by(session, per_learner).items())]


def score_spreads(session: Session, viewer: User, cohort_id: int) -> list[ExerciseSpread]:
    """Per exercise, the spread of learners' scores on it: quartiles, extremes and mean, each
    learner counted once (their mean over their attempts at it), so repeat attempts by a few
    do not drown out the rest."""
    require_teaches(session, viewer, cohort_id)
    values = graded(
        cohort_id, col(Attempt.exercise_id), func.avg(Attempt.score).label("value"), mode=AttemptMode.practice
    ).group_by(col(Attempt.user_id), col(Attempt.exercise_id))
    spreads = quantiles_by(session, values, [0.25, 0.5, 0.75])
    return sorted(
        (
            ExerciseSpread(e, s.n, s.mean, s.low, s.quantiles[0], s.quantiles[1], s.quantiles[2], s.high)
            for (e,), s in spreads.items()
        ),
        key=lambda s: s.exercise_id,
    )


def summarize(
    learners: Iterable[LearnerSummary],
    medians: list[KindMedian],
    assignments: list[AssignmentProgress],
    waiting_review: int,
) -> CohortSummary:
    people = list(learners)
    since = now() - timedelta(days=ACTIVE_DAYS)
    pairs = sum(a.learners for a in assignments)
    return CohortSummary(
        learners=len(people),
        active_learners=sum(1 for p in people if p.last_active is not None and p.last_active >= since),
        attempts=sum(p.attempts for p in people),
        recent_attempts=sum(p.recent_attempts for p in people),
        medians=medians,
        completion=sum(a.done for a in assignments) / pairs if pairs else None,
        waiting_review=waiting_review,
    )


def cohort_dashboard(session: Session, viewer: User, cohort_id: int) -> CohortDashboard:
    """The Cohort page's figures but the Exercises tab's, in one call (the benchmark times it)."""
    learners = cohort_overview(session, viewer, cohort_id)
    assignments = assignment_progress(session, viewer, cohort_id)
    review, waiting = review_queue(session, viewer, cohort_id)
    return CohortDashboard(
        cohort_id=cohort_id,
        summary=summarize(learners, kind_medians(session, viewer, cohort_id), assignments, waiting),
        learners=learners,
        review=review,
        assignments=assignments,
    )


def exercise_report(session: Session, viewer: User, cohort_id: int) -> ExerciseReport:
    """The Exercises tab's figures, loaded only when it is opened (the heaviest: every criterion)."""
    return ExerciseReport(
        cohort_id=cohort_id,
        items=item_analysis(session, viewer, cohort_id, mode=AttemptMode.practice),
        spreads=score_spreads(session, viewer, cohort_id),
        criteria=criterion_rates(session, viewer, cohort_id, mode=AttemptMode.practice),
        variants=variant_stats(session, viewer, cohort_id),
    )


def data_version(session: Session) -> tuple[int, ...]:
    """Changes whenever a grade, membership or assignment is added or removed: a cache key that
    lets dashboards cache their figures and still show a new grade or override at once.
    Four index lookups; no table scan beyond the small memberships and assignments."""
    row = session.exec(
        select(  # type: ignore[call-overload]
            select(func.coalesce(func.max(GradeRow.id), 0)).scalar_subquery(),
            select(func.coalesce(func.max(Membership.id), 0)).scalar_subquery(),
            select(func.count()).select_from(Membership).scalar_subquery(),
            select(func.coalesce(func.max(Assignment.id), 0)).scalar_subquery(),
            select(func.count()).select_from(Assignment).scalar_subquery(),
        )
    ).one()
    return tuple(int(v) for v in row)

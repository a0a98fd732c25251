"""How often instructors agree with the automatic grade: for every overridden attempt, the
automatic total against the instructor's, per exercise and grader version, and per criterion.
Only overridden attempts are read (a small set), never the whole grade history."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from grading.agreement import cohen_kappa, quadratic_weighted_kappa
from grading.bands import band
from store.access import taught_learner_filter, visible_attempts
from store.attempts import latest_grader_grade
from store.models import Attempt, CriterionRow, GradeRow, GradeSource, User

PASS = 0.5  # a criterion counts as met at half marks or more


@dataclass(frozen=True)
class Pair:
    attempt_id: int
    exercise_id: str
    grader_version: str
    auto: float
    human: float
    auto_grade_id: int
    human_grade_id: int


@dataclass(frozen=True)
class Agreement:
    exercise_id: str
    grader_version: str
    criterion_id: str | None  # None: the total
    reviews: int
    kappa: float | None  # QWK on bands for totals, Cohen's kappa on met/not met for criteria
    mean_difference: float  # instructor minus grader (points for totals, score for criteria)
    same_band_share: float


def reviewed_pairs(session: Session, viewer: User) -> list[Pair]:
    """The latest automatic and the latest override grade of each overridden attempt the viewer may see."""
    grades = GradeRow.__table__  # type: ignore[attr-defined]
    human = grades.alias("human")
    latest_auto = latest_grader_grade("id")
    latest_human = (
        sa_select(func.max(human.c.id))
        .where(human.c.attempt_id == col(Attempt.id), human.c.source == GradeSource.override)
        .scalar_subquery()
    )
    a, h = grades.alias("a"), grades.alias("h")
    query = (
        sa_select(col(Attempt.id), col(Attempt.exercise_id), a.c.grader_version, a.c.total, h.c.total, a.c.id, h.c.id)
        .join(User, col(User.id) == col(Attempt.user_id))
        .join(a, a.c.id == latest_auto)
        .join(h, h.c.id == latest_human)
        .where(taught_learner_filter(viewer), visible_attempts(viewer))
        .order_by(col(Attempt.id))
    )
    return [Pair(*row) for row in session.execute(query)]


def grader_reliability(session: Session, viewer: User) -> list[Agreement]:
    pairs = reviewed_pairs(session, viewer)
    if not pairs:
        return []
    out: list[Agreement] = []
    groups: dict[tuple[str, str], list[Pair]] = defaultdict(list)
    for p in pairs:
        groups[(p.exercise_id, p.grader_version)].append(p)
    grade_ids = [p.auto_grade_id for p in pairs] + [p.human_grade_id for p in pairs]
    crit = session.exec(
        select(CriterionRow.grade_id, CriterionRow.criterion_id, CriterionRow.score).where(
            col(CriterionRow.grade_id).in_(grade_ids)
        )
    ).all()
    scores = {(g, c): s for g, c, s in crit}
    for (exercise_id, version), members in sorted(groups.items()):
        auto_bands = [band(p.auto) for p in members]
        human_bands = [band(p.human) for p in members]
        out.append(
            Agreement(
                exercise_id,
                version,
                None,
                len(members),
                quadratic_weighted_kappa(auto_bands, human_bands) if len(members) > 1 else None,
                round(sum(p.human - p.auto for p in members) / len(members), 2),
                sum(x == y for x, y in zip(auto_bands, human_bands, strict=True)) / len(members),
            )
        )
        criteria = sorted({c for (g, c) in scores if g in {p.auto_grade_id for p in members}})
        for criterion in criteria:
            both = [
                (scores[(p.auto_grade_id, criterion)], scores[(p.human_grade_id, criterion)])
                for p in members
                if (p.auto_grade_id, criterion) in scores and (p.human_grade_id, criterion) in scores
            ]
            if not both:
                continue
            met_auto = [int(x >= PASS) for x, _ in both]
            met_human = [int(y >= PASS) for _, y in both]
            out.append(
                Agreement(
                    exercise_id,
                    version,
                    criterion,
                    len(both),
                    cohen_kappa(met_auto, met_human) if len(both) > 1 else None,
                    round(sum(y - x for x, y in both) / len(both), 3),
                    sum(x == y for x, y in zip(met_auto, met_human, strict=True)) / len(both),
                )
            )
    return out

"""Aggregates behind the dashboards: one GROUP BY each, over indexed columns."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, col, func, select

from store.access import require_teaches
from store.attempts import _effective_grades
from store.models import Attempt, AttemptStatus, Membership, Role, User


@dataclass
class LearnerSummary:
    user_id: int
    name: str
    attempts: int = 0
    mean_total: float | None = None
    by_kind: dict[str, float] = field(default_factory=dict)


def cohort_overview(session: Session, viewer: User, cohort_id: int) -> list[LearnerSummary]:
    require_teaches(session, viewer, cohort_id)
    eff = _effective_grades()
    members = select(Membership.user_id).where(Membership.cohort_id == cohort_id, Membership.role == Role.learner)
    query = (
        select(Attempt.user_id, Attempt.kind, func.count(), func.avg(eff.c.total))
        .join(eff, (eff.c.attempt_id == col(Attempt.id)) & (eff.c.rank == 1))
        .where(col(Attempt.user_id).in_(members), Attempt.status == AttemptStatus.graded)
        .group_by(col(Attempt.user_id), col(Attempt.kind))
    )
    learners = session.exec(select(User.id, User.name).where(col(User.id).in_(members)).order_by(col(User.name))).all()
    summaries = {uid: LearnerSummary(uid, name) for uid, name in learners if uid is not None}
    sums: dict[int, float] = {}
    for user_id, kind, n, avg in session.exec(query):
        s = summaries[user_id]
        s.attempts += int(n)
        s.by_kind[kind] = round(float(avg), 1)
        sums[user_id] = sums.get(user_id, 0.0) + float(avg) * int(n)
    for uid, s in summaries.items():
        if s.attempts:
            s.mean_total = round(sums[uid] / s.attempts, 1)
    return list(summaries.values())

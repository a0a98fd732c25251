"""Authorization lives in store queries: every query x role, with ids passed directly."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from exercises.model import Kind
from grading import grade
from store import attempts, dashboards, users
from store.access import AccessDenied
from store.db import session_scope


def _submit(engine, bank, user, key):
    exercise = next(e for e in sorted(bank.exercises.values(), key=lambda e: e.id) if e.kind == Kind.explain_reasoning)
    result = grade(exercise, exercise.reference, tools=bank.tools)
    return attempts.submit(engine, user.id, exercise, exercise.reference, result, key)


def _history(s: Session, viewer, target, people, attempt_id):
    return attempts.history(s, viewer, target.id)


def _detail(s: Session, viewer, target, people, attempt_id):
    return attempts.attempt_detail(s, viewer, attempt_id)


def _averages(s: Session, viewer, target, people, attempt_id):
    return attempts.kind_averages(s, viewer, target.id)


def _override(s: Session, viewer, target, people, attempt_id):
    return attempts.record_override(s, viewer, attempt_id, 10.0, "checking access")


QUERIES = {"history": _history, "detail": _detail, "averages": _averages, "override": _override}
# (viewer, owner of the data) -> allowed, per query
CASES = [
    ("learner", "learner", {"history", "detail", "averages"}),
    ("learner", "other_learner", set()),
    ("learner", "outsider", set()),
    ("instructor", "learner", {"history", "detail", "averages", "override"}),
    ("instructor", "outsider", set()),
    ("other_instructor", "learner", set()),
    ("other_instructor", "outsider", {"history", "detail", "averages", "override"}),
    ("admin", "learner", {"history", "detail", "averages", "override"}),
    ("admin", "outsider", {"history", "detail", "averages", "override"}),
]


@pytest.mark.parametrize(("viewer", "owner", "allowed"), CASES)
@pytest.mark.parametrize("query", sorted(QUERIES))
def test_every_query_for_every_role(engine, bank, people, viewer, owner, allowed, query) -> None:
    target = getattr(people, owner)
    attempt_id = _submit(engine, bank, target, key=f"{owner}-1")
    with session_scope(engine) as s:
        if query in allowed:
            QUERIES[query](s, getattr(people, viewer), target, people, attempt_id)
        else:
            with pytest.raises(AccessDenied):
                QUERIES[query](s, getattr(people, viewer), target, people, attempt_id)


def test_a_missing_attempt_looks_the_same_as_a_forbidden_one(engine, people) -> None:
    with session_scope(engine) as s, pytest.raises(AccessDenied):
        attempts.attempt_detail(s, people.learner, 999_999)


def test_cohort_queries_only_for_those_who_teach_it(engine, bank, people) -> None:
    _submit(engine, bank, people.learner, "a")
    with session_scope(engine) as s:
        summary = dashboards.cohort_overview(s, people.instructor, people.cohort_id)
        assert {x.name for x in summary} == {"Ada Learner", "Bo Learner"}
        ada = next(x for x in summary if x.name == "Ada Learner")
        assert ada.attempts == 1
        assert ada.mean_total is not None
        assert [c.name for c in users.cohorts_taught(s, people.instructor)] == ["Spring cohort"]
        assert len(users.cohorts_taught(s, people.admin)) == 2
        dashboards.cohort_overview(s, people.admin, people.cohort_id)
        for viewer in (people.learner, people.other_instructor):
            with pytest.raises(AccessDenied):
                dashboards.cohort_overview(s, viewer, people.cohort_id)
            with pytest.raises(AccessDenied):
                users.cohort_learners(s, viewer, people.cohort_id)


def test_learners_cannot_create_cohorts_and_join_codes_work(engine, people) -> None:
    with session_scope(engine) as s:
        with pytest.raises(PermissionError):
            users.create_cohort(s, people.learner, "Mine")
        assert users.join_cohort(s, people.outsider, "NOPE0000") is None
        joined = users.join_cohort(s, people.outsider, " spring01 ")
        assert joined is not None
        assert [c.name for c in users.cohorts_joined(s, people.outsider)] == ["Other cohort", "Spring cohort"]

"""Bulk regrading: every attempt in scope graded once per job, resumable, never twice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlmodel import func, select

from exercises.model import Kind
from grading import grade
from store import attempts, jobs
from store.access import AccessDenied
from store.db import session_scope
from store.job_models import Job, JobItem, JobStatus
from store.models import GradeRow, now


def _exercise(bank):
    return next(e for e in sorted(bank.exercises.values(), key=lambda e: e.id) if e.kind == Kind.explain_reasoning)


def _submit(engine, bank, user, key):
    exercise = _exercise(bank)
    result = grade(exercise, exercise.reference, tools=bank.tools)
    return attempts.submit(engine, user.id, exercise, exercise.reference, result, key)


def _grades(engine, attempt_id: int) -> int:
    with session_scope(engine) as s:
        return s.exec(select(func.count()).select_from(GradeRow).where(GradeRow.attempt_id == attempt_id)).one()


def _score(bank):
    return lambda exercise, submission: grade(exercise, submission, tools=bank.tools)


def test_a_regrade_grades_each_attempt_in_scope_once(engine, bank, people) -> None:
    mine = [_submit(engine, bank, people.learner, f"a{i}") for i in range(2)]
    mine.append(_submit(engine, bank, people.other_learner, "b0"))
    outside = _submit(engine, bank, people.outsider, "c0")
    with session_scope(engine) as s:
        job = jobs.create_regrade(s, people.instructor, people.cohort_id)
    assert job.total == 3
    jobs.run_regrade(engine, job.id, bank, _score(bank))
    with session_scope(engine) as s:
        done = s.get(Job, job.id)
        assert (done.status, done.done, done.failed) == (JobStatus.done, 3, 0)
    assert [_grades(engine, a) for a in mine] == [2, 2, 2]
    assert _grades(engine, outside) == 1
    jobs.run_regrade(engine, job.id, bank, _score(bank))  # finished: nothing happens
    assert [_grades(engine, a) for a in mine] == [2, 2, 2]


def test_a_job_resumes_after_a_crash_without_grading_twice(engine, bank, people) -> None:
    ids = [_submit(engine, bank, people.learner, f"r{i}") for i in range(3)]
    with session_scope(engine) as s:
        job = jobs.create_regrade(s, people.instructor, people.cohort_id)
        # the first worker graded one attempt, then its server died: running, stale heartbeat
        s.add(JobItem(job_id=job.id, attempt_id=ids[0]))
        s.exec(
            update(Job)
            .where(Job.id == job.id)
            .values(status=JobStatus.running, heartbeat_at=now() - timedelta(hours=1))
        )  # type: ignore[call-overload]
    jobs.run_regrade(engine, job.id, bank, _score(bank))
    assert [_grades(engine, a) for a in ids] == [1, 2, 2]


def test_only_one_worker_runs_a_job(engine, bank, people) -> None:
    _submit(engine, bank, people.learner, "w0")
    with session_scope(engine) as s:
        job = jobs.create_regrade(s, people.instructor, people.cohort_id)
    assert jobs._claim(engine, job.id) is True
    assert jobs._claim(engine, job.id) is False  # the heartbeat is fresh: someone is working on it


def test_a_failing_item_is_recorded_and_the_rest_go_on(engine, bank, people) -> None:
    ids = [_submit(engine, bank, people.learner, f"f{i}") for i in range(3)]
    calls = {"n": 0}

    def flaky(exercise, submission):
        calls["n"] += 1
        if calls["n"] == 2:
            raise TimeoutError("judge timed out")
        return grade(exercise, submission, tools=bank.tools)

    with session_scope(engine) as s:
        job = jobs.create_regrade(s, people.instructor, people.cohort_id)
    jobs.run_regrade(engine, job.id, bank, flaky)
    with session_scope(engine) as s:
        done = s.get(Job, job.id)
        assert (done.done, done.failed) == (2, 1)
        errors = s.exec(select(JobItem.error).where(JobItem.job_id == job.id, JobItem.error.is_not(None))).all()  # type: ignore[union-attr]
    assert errors == ["TimeoutError: judge timed out"]
    assert sorted(_grades(engine, a) for a in ids) == [1, 2, 2]


def test_only_the_cohorts_instructors_may_regrade_it(engine, people) -> None:
    with session_scope(engine) as s:
        for viewer in (people.learner, people.other_instructor):
            with pytest.raises(AccessDenied):
                jobs.create_regrade(s, viewer, people.cohort_id)

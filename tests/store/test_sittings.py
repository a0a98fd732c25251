"""Assessment sittings under attack and failure (issue 18, findings 1, 2 and 12): a finish is
atomic and recoverable, a failing grader stores a flagged grade, a sitting left open is closed
on the server, Practice is closed for a sitting's exercises while it is open, and each sitting
draws its own paper from what the learner has not practised."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import col, select

from exercises.model import Kind
from grading import grade
from store import assessments, attempts, integrity
from store.assessment_models import Assessment, Sitting, SittingStatus
from store.db import session_scope
from store.integrity import PracticeClosed
from store.models import Attempt, GradeRow

T0 = datetime.now(UTC).replace(microsecond=0)  # practice submissions are checked against the wall clock


class Killed(BaseException):
    """Stands for the process dying mid-finish (not an Exception: nothing may catch it)."""


def _assessment(engine, bank, people) -> int:
    picked = [next(e for e in sorted(bank.exercises.values(), key=lambda e: e.id) if e.kind == k) for k in Kind]
    with session_scope(engine) as s:
        created = assessments.create_assessment(
            s, people.instructor, "Week 4", [e.id for e in picked], 3600, cohort_id=people.cohort_id
        )
        assert created.id is not None
        return created.id


def _start(engine, bank, user, assessment_id: int) -> tuple[int, list[str]]:
    with session_scope(engine) as s:
        sitting = assessments.start(s, user, assessment_id, T0, bank)
        assessment = s.get(Assessment, assessment_id)
        assert sitting.id is not None
        assert assessment is not None
        return sitting.id, sitting.tasks(assessment)


def _write_references(engine, bank, user, sitting_id: int, tasks: list[str]) -> None:
    with session_scope(engine) as s:
        for eid in tasks:
            payload = bank.get(eid).reference.model_dump(mode="json")
            assert assessments.save_draft(s, user, sitting_id, eid, payload, T0 + timedelta(minutes=5))


def _scorer(bank, fail_on: set[str] = frozenset(), kill_on: set[str] = frozenset()):  # type: ignore[assignment]
    def score(exercise, submission):
        if exercise.id in kill_on:
            raise Killed
        if exercise.id in fail_on:
            raise RuntimeError("grader bug")
        return grade(exercise, submission, tools=bank.tools)

    return score


def _stored(engine, sitting_id: int) -> list[Attempt]:
    with session_scope(engine) as s:
        return list(s.exec(select(Attempt).where(col(Attempt.idempotency_key).startswith(f"sitting-{sitting_id}-"))))


def _row(engine, people, assessment_id: int):
    with session_scope(engine) as s:
        rows = assessments.sitting_status(s, people.instructor, assessment_id)
    return next(r for r in rows if r.user_id == people.learner.id)


def test_a_finish_killed_midway_stores_nothing_partial_and_is_completed_on_the_next_read(engine, bank, people):
    """Before: two of four tasks stored, the mean taken over them, and nothing ever graded the rest."""
    assessment_id = _assessment(engine, bank, people)
    sitting_id, tasks = _start(engine, bank, people.learner, assessment_id)
    _write_references(engine, bank, people.learner, sitting_id, tasks)
    with pytest.raises(Killed):
        assessments.finish(engine, people.learner, sitting_id, bank, _scorer(bank, kill_on={tasks[2]}), T0)
    assert _stored(engine, sitting_id) == []  # all or nothing
    assert _row(engine, people, assessment_id).total is None  # no mean of a part
    with session_scope(engine) as s, pytest.raises(assessments.AccessDenied):
        assessments.results(s, people.learner, sitting_id)
    assert assessments.settle(engine, bank, _scorer(bank), T0, user_id=people.learner.id) == 1
    assert {a.exercise_id for a in _stored(engine, sitting_id)} == set(tasks)
    assert _row(engine, people, assessment_id).total is not None
    # finishing again, or settling again, changes nothing
    assessments.finish(engine, people.learner, sitting_id, bank, _scorer(bank), T0)
    assert assessments.settle(engine, bank, _scorer(bank), T0) == 0
    assert len(_stored(engine, sitting_id)) == len(tasks)


def test_a_grader_error_stores_a_flagged_grade_for_that_task(engine, bank, people):
    assessment_id = _assessment(engine, bank, people)
    sitting_id, tasks = _start(engine, bank, people.learner, assessment_id)
    _write_references(engine, bank, people.learner, sitting_id, tasks)
    assessments.finish(engine, people.learner, sitting_id, bank, _scorer(bank, fail_on={tasks[1]}), T0)
    stored = {a.exercise_id: a for a in _stored(engine, sitting_id)}
    assert set(stored) == set(tasks)
    with session_scope(engine) as s:
        broken = s.exec(select(GradeRow).where(GradeRow.attempt_id == stored[tasks[1]].id)).one()
        assert {"grader_error", "needs_review"} <= set(broken.flags)
        assert broken.total == 0
        others = [attempts.effective_total(s, stored[e].id) for e in tasks if e != tasks[1]]
    total = _row(engine, people, assessment_id).total
    assert total == pytest.approx(round(sum(others) / len(tasks), 1))  # the failed task counts, as 0


def test_a_sitting_whose_learner_never_returns_is_closed_at_its_limit_on_the_server(engine, bank, people):
    assessment_id = _assessment(engine, bank, people)
    sitting_id, tasks = _start(engine, bank, people.learner, assessment_id)
    _write_references(engine, bank, people.learner, sitting_id, tasks[:1])
    assert assessments.settle(engine, bank, _scorer(bank), T0 + timedelta(minutes=59)) == 0  # still sitting
    assert _row(engine, people, assessment_id).status == SittingStatus.in_progress
    assessments.settle(engine, bank, _scorer(bank), T0 + timedelta(hours=2), assessment_id=assessment_id)
    row = _row(engine, people, assessment_id)
    assert row.status == SittingStatus.timed_out
    assert row.total is not None
    with session_scope(engine) as s:
        sitting = s.get(Sitting, sitting_id)
        assert sitting is not None
        assert assessments.deadline(sitting) == T0 + timedelta(hours=1)
    assert {a.exercise_id for a in _stored(engine, sitting_id)} == set(tasks[:1])  # the blank ones: not attempted


def test_practice_is_closed_for_a_sittings_exercises_while_it_is_open(engine, bank, people):
    """Before: a second tab submitted the task in Practice and read its reference."""
    assessment_id = _assessment(engine, bank, people)
    sitting_id, tasks = _start(engine, bank, people.learner, assessment_id)
    exercise = bank.get(tasks[0])
    result = grade(exercise, exercise.reference, tools=bank.tools)
    with session_scope(engine) as s:
        rules = integrity.practice_rules(s, people.learner.id, exercise.id, T0 + timedelta(minutes=1))
        assert rules.in_sitting
        assert not rules.may_submit
        assert not rules.reference_shown(T0)
        other = integrity.practice_rules(s, people.other_learner.id, exercise.id, T0)
        assert other.may_submit
        assert other.reference_shown(T0)
    with pytest.raises(PracticeClosed):
        attempts.submit(engine, people.learner.id, exercise, exercise.reference, result, "tab-2")
    assessments.finish(engine, people.learner, sitting_id, bank, _scorer(bank), T0 + timedelta(minutes=30))
    with session_scope(engine) as s:
        assert integrity.practice_rules(s, people.learner.id, exercise.id, T0 + timedelta(minutes=31)).may_submit
    assert attempts.submit(engine, people.learner.id, exercise, exercise.reference, result, "after") > 0


def test_practice_reopens_when_the_time_is_up_even_before_the_sitting_is_settled(engine, bank, people):
    assessment_id = _assessment(engine, bank, people)
    _, tasks = _start(engine, bank, people.learner, assessment_id)
    with session_scope(engine) as s:
        assert tasks[0] in integrity.sitting_exercises(s, people.learner.id, T0 + timedelta(minutes=59))
        assert integrity.sitting_exercises(s, people.learner.id, T0 + timedelta(hours=1)) == set()


def test_each_sitting_draws_its_own_recorded_paper_avoiding_what_the_learner_practised(engine, bank, people):
    assessment_id = _assessment(engine, bank, people)
    with session_scope(engine) as s:
        planned = s.get(Assessment, assessment_id).exercise_ids  # type: ignore[union-attr]
    for eid in planned:  # the learner practised the instructor's preview paper
        exercise = bank.get(eid)
        attempts.submit(
            engine,
            people.learner.id,
            exercise,
            exercise.reference,
            grade(exercise, exercise.reference, tools=bank.tools),
            eid,
        )
    seeds, papers = set(), []
    for user in (people.learner, people.other_learner):
        sitting_id, tasks = _start(engine, bank, user, assessment_id)
        with session_scope(engine) as s:
            sitting = s.get(Sitting, sitting_id)
            assert sitting is not None
            assert sitting.draw_seed is not None
            seeds.add(sitting.draw_seed)
        assert sorted(bank.get(e).kind for e in tasks) == sorted(Kind)
        papers.append(tasks)
    assert len(seeds) == 2  # random per sitting, not seeded by the cohort
    assert not set(papers[0]) & set(planned)  # nothing the learner practised, the bank allows it


def test_an_items_exposure_is_visible_to_its_cohorts_instructor_only(engine, bank, people):
    assessment_id = _assessment(engine, bank, people)
    _, tasks = _start(engine, bank, people.learner, assessment_id)
    exercise = bank.get(tasks[0])
    attempts.submit(
        engine,
        people.other_learner.id,
        exercise,
        exercise.reference,
        grade(exercise, exercise.reference, tools=bank.tools),
        "bo-1",
    )
    with session_scope(engine) as s:
        seen = {e.exercise_id: e for e in integrity.exposure(s, people.instructor, people.cohort_id)}
        assert set(seen) == set(tasks)
        assert (seen[tasks[0]].sittings, seen[tasks[0]].practised_by) == (1, 1)
        with pytest.raises(assessments.AccessDenied):
            integrity.exposure(s, people.other_instructor, people.cohort_id)

"""A mock assessment is reported with its sitting and kept apart: its tasks never change a
learner's practice statistics or assignments, a blank task is "not attempted" (no attempt, no
grade), each task records when work on it began and how long it took, and an assessment's item
analysis covers only its own sittings (issue #19, bug 1 and item 8)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from exercises.model import Kind
from exercises.submission import DesignSubmission, ExplainSubmission, ValidateSubmission, is_blank
from grading import grade
from store import assessments, assignments, attempts, progress
from store.assessment_models import SittingAnswer
from store.db import session_scope
from store.items import item_analysis
from store.models import Attempt, AttemptMode

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def by_kind(bank, kind: Kind):
    return next(e for e in sorted(bank.exercises.values(), key=lambda e: e.id) if e.kind == kind)


def practise(engine, bank, user, exercise, key: str) -> float:
    result = grade(exercise, exercise.reference, tools=bank.tools)
    attempts.submit(engine, user.id, exercise, exercise.reference, result, key)
    return result.total


def sit(engine, bank, learner, instructor, cohort_id, answered: dict[str, dict], minutes: int = 5):
    """An assessment of one exercise per kind, sat with only `answered` written, then submitted."""
    ids = [by_kind(bank, k).id for k in Kind]
    with session_scope(engine) as s:
        a = assessments.create_assessment(s, instructor, "Mock", ids, 3600, cohort_id=cohort_id)
        sitting = assessments.start(s, learner, a.id, T0)
        for eid, payload in answered.items():
            assessments.save_draft(s, learner, sitting.id, eid, payload, T0 + timedelta(minutes=1))
            assessments.save_draft(s, learner, sitting.id, eid, payload, T0 + timedelta(minutes=1 + minutes))
        sitting_id, assessment_id = sitting.id, a.id

    def score(exercise, submission):
        return grade(exercise, submission, tools=bank.tools)

    assessments.finish(engine, learner, sitting_id, bank, score, T0 + timedelta(minutes=30))
    return sitting_id, assessment_id


def reference_payload(exercise) -> dict:
    return exercise.reference.model_dump(mode="json")


@pytest.mark.parametrize(
    "blank",
    [
        DesignSubmission(),
        DesignSubmission(rationale="   \n"),
        ExplainSubmission(text=" "),
        ValidateSubmission(),
    ],
)
def test_blank_submissions_are_blank(blank) -> None:
    assert is_blank(blank)


def test_anything_written_is_not_blank(bank) -> None:
    for kind in Kind:
        assert not is_blank(by_kind(bank, kind).reference), kind
    assert not is_blank(ExplainSubmission(text="We should pause."))


def test_a_mock_with_blank_tasks_leaves_progress_and_assignments_alone(engine, bank, people) -> None:
    learner, teacher = people.learner, people.instructor
    explain = by_kind(bank, Kind.explain_reasoning)
    design = by_kind(bank, Kind.design_workflow)
    with session_scope(engine) as s:
        assignments.assign(s, teacher, people.cohort_id, [design.id])
    practised = [practise(engine, bank, learner, explain, f"p{i}") for i in range(3)]
    with session_scope(engine) as s:
        before = progress.competency(s, learner, learner.id)
    # the case: answer one task only (the explanation), submit
    sitting_id, _ = sit(engine, bank, learner, teacher, people.cohort_id, {explain.id: reference_payload(explain)})
    with session_scope(engine) as s:
        after = progress.competency(s, learner, learner.id)
        history = progress.history(s, learner, learner.id)
        mine = assignments.learner_assignments(s, learner, learner.id)
        cohort_view = assignments.assignment_progress(s, teacher, people.cohort_id)
        answered = assessments.results(s, learner, sitting_id)
        rows = list(s.exec(select(Attempt).where(Attempt.mode == AttemptMode.assessment)))
    assert after == before
    assert sum(k.attempts for k in after) == len(practised)
    assert all(r.mode == AttemptMode.practice for r in history)
    assert [a.best for a in mine] == [None]  # the design task shared with the assignment does not count
    assert [(c.done, c.mean_best) for c in cohort_view] == [(0, None)]
    assert list(answered) == [explain.id]  # the three blank tasks are not attempted: no attempt at all
    assert [r.exercise_id for r in rows] == [explain.id]


def test_a_mock_task_starts_when_it_was_first_edited_and_counts_its_time(engine, bank, people) -> None:
    explain = by_kind(bank, Kind.explain_reasoning)
    sitting_id, _ = sit(
        engine, bank, people.learner, people.instructor, people.cohort_id, {explain.id: reference_payload(explain)}, 4
    )
    with session_scope(engine) as s:
        row = s.exec(select(Attempt).where(Attempt.mode == AttemptMode.assessment)).one()
        times = assessments.task_times(s, people.learner, sitting_id)
    started = row.started_at.replace(tzinfo=UTC) if row.started_at.tzinfo is None else row.started_at
    submitted = row.submitted_at.replace(tzinfo=UTC) if row.submitted_at.tzinfo is None else row.submitted_at
    assert started == T0 + timedelta(minutes=1)
    assert submitted > started
    assert times == {explain.id: pytest.approx(assessments.IDLE_S)}  # a four-minute pause counts as two


def test_time_on_task_adds_up_short_pauses(engine, bank, people) -> None:
    explain = by_kind(bank, Kind.explain_reasoning)
    ids = [by_kind(bank, k).id for k in Kind]
    with session_scope(engine) as s:
        a = assessments.create_assessment(s, people.learner, "Mine", ids, 3600)
        sitting = assessments.start(s, people.learner, a.id, T0)
        for second in (0, 30, 70, 100):
            payload = {"kind": "explain_reasoning", "text": f"draft at {second}"}
            assessments.save_draft(s, people.learner, sitting.id, explain.id, payload, T0 + timedelta(seconds=second))
        times = assessments.task_times(s, people.learner, sitting.id)
        first = s.exec(select(SittingAnswer)).one().first_saved_at
    assert times == {explain.id: pytest.approx(100.0)}
    assert first is not None


def test_an_assessments_item_analysis_covers_only_its_own_sittings(engine, bank, people) -> None:
    explain = by_kind(bank, Kind.explain_reasoning)
    answered = {explain.id: reference_payload(explain)}
    _, first = sit(engine, bank, people.learner, people.instructor, people.cohort_id, answered)
    _, second = sit(engine, bank, people.other_learner, people.instructor, people.cohort_id, answered)
    with session_scope(engine) as s:
        everything = item_analysis(s, people.instructor, people.cohort_id, mode=AttemptMode.assessment)
        own = item_analysis(s, people.instructor, people.cohort_id, only=assessments.assessment_attempts(first))
    assert [(i.exercise_id, i.learners) for i in everything] == [(explain.id, 2)]
    assert [(i.exercise_id, i.learners) for i in own] == [(explain.id, 1)]
    assert second != first


def test_sitting_total_counts_a_task_not_attempted_as_nothing(engine, bank, people) -> None:
    explain = by_kind(bank, Kind.explain_reasoning)
    sitting_id, assessment_id = sit(
        engine, bank, people.learner, people.instructor, people.cohort_id, {explain.id: reference_payload(explain)}
    )
    with session_scope(engine) as s:
        total = attempts.effective_total(s, assessments.results(s, people.learner, sitting_id)[explain.id])
        rows = assessments.sitting_status(s, people.instructor, assessment_id)
    assert total is not None
    mine = next(r for r in rows if r.user_id == people.learner.id)
    assert mine.total == pytest.approx(round(total / 4, 1))

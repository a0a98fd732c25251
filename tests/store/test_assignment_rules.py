"""Assignments (issue 18, finding 11): the best score counts attempts up to the due date, and an
instructor may limit attempts or hide the reference until then."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update
from sqlmodel import col

from exercises.model import Kind
from grading import grade
from store import assignments, attempts, integrity
from store.db import session_scope
from store.integrity import PracticeClosed
from store.models import Attempt


def _explain(bank):
    return next(e for e in sorted(bank.exercises.values(), key=lambda e: e.id) if e.kind == Kind.explain_reasoning)


def _submit(engine, bank, user, exercise, text: str, at: datetime | None = None) -> int:
    submission = exercise.reference.model_copy(update={"text": text})
    attempt_id = attempts.submit(
        engine, user.id, exercise, submission, grade(exercise, submission, tools=bank.tools), uuid.uuid4().hex
    )
    if at is not None:
        with session_scope(engine) as s:
            s.execute(update(Attempt).where(col(Attempt.id) == attempt_id).values(submitted_at=at))
    return attempt_id


def test_the_best_score_counts_attempts_up_to_the_due_date(engine, bank, people) -> None:
    exercise = _explain(bank)
    due = datetime.now(UTC) + timedelta(hours=1)
    with session_scope(engine) as s:
        assignments.assign(s, people.instructor, people.cohort_id, [exercise.id], due)
    weak = _submit(engine, bank, people.learner, exercise, "We should keep it.")
    strong = _submit(engine, bank, people.learner, exercise, exercise.reference.text, at=due + timedelta(days=1))
    with session_scope(engine) as s:
        weak_total = attempts.effective_total(s, weak)
        assert weak_total is not None
        assert (attempts.effective_total(s, strong) or 0) > weak_total
        mine = assignments.learner_assignments(s, people.learner, people.learner.id)[0]
        cohort = assignments.assignment_progress(s, people.instructor, people.cohort_id)[0]
    assert mine.best == pytest.approx(weak_total)  # the late, better attempt does not count
    assert cohort.mean_best == pytest.approx(weak_total)


def test_an_attempt_limit_holds_until_the_due_date(engine, bank, people) -> None:
    exercise = _explain(bank)
    due = datetime.now(UTC) + timedelta(hours=1)
    with session_scope(engine) as s:
        assignments.assign(s, people.instructor, people.cohort_id, [exercise.id], due, max_attempts=2)
    _submit(engine, bank, people.learner, exercise, "First try.")
    with session_scope(engine) as s:
        assert integrity.practice_rules(s, people.learner.id, exercise.id, datetime.now(UTC)).attempts_left == 1
    _submit(engine, bank, people.learner, exercise, "Second try.")
    with pytest.raises(PracticeClosed):
        _submit(engine, bank, people.learner, exercise, exercise.reference.text)
    _submit(engine, bank, people.outsider, exercise, "Not in the cohort: no limit.")  # other cohorts unaffected
    with session_scope(engine) as s:
        after = integrity.practice_rules(s, people.learner.id, exercise.id, due + timedelta(minutes=1))
    assert after.may_submit  # past the due date nothing counts any more, so practice is free


def test_the_reference_can_stay_hidden_until_the_due_date(engine, bank, people) -> None:
    exercise = _explain(bank)
    due = datetime.now(UTC) + timedelta(days=2)
    with session_scope(engine) as s:
        with pytest.raises(ValueError, match="due date"):
            assignments.assign(s, people.instructor, people.cohort_id, [exercise.id], None, hide_reference=True)
        assignments.assign(s, people.instructor, people.cohort_id, [exercise.id], due, hide_reference=True)
        now = datetime.now(UTC)
        rules = integrity.practice_rules(s, people.learner.id, exercise.id, now)
        assert not rules.reference_shown(now)
        assert rules.reference_hidden_until is not None
        assert rules.reference_shown(due + timedelta(seconds=1))
        assert integrity.practice_rules(s, people.outsider.id, exercise.id, now).reference_shown(now)

"""The store on a real database: migrations, drafts, idempotent submits, overrides, history."""

from __future__ import annotations

import importlib
import threading

import pytest
from sqlalchemy import inspect, text
from sqlmodel import SQLModel, func, select

from exercises.model import Kind
from grading import grade
from grading.judge import JudgedCriterion, JudgeError, JudgeVerdict
from store import attempts
from store.db import session_scope
from store.demo import DEMO_COHORT_CODE, seed_demo
from store.migrate import upgrade
from store.models import Attempt, CriterionRow, GradeRow, GradeSource, SubmissionRow


def first_of(bank, kind: Kind):
    return next(e for e in sorted(bank.exercises.values(), key=lambda e: e.id) if e.kind == kind)


def submit_reference(engine, bank, user, kind=Kind.explain_reasoning, key="k1"):
    exercise = first_of(bank, kind)
    result = grade(exercise, exercise.reference, tools=bank.tools)
    return exercise, result, attempts.submit(engine, user.id, exercise, exercise.reference, result, key)


def test_migrations_create_the_tables_the_models_declare(engine) -> None:
    # every module that declares tables, as the migrations' env.py imports them (a new SQLite
    # database is built without loading it)
    importlib.import_module("store.assessment_models")
    importlib.import_module("store.job_models")
    inspector = inspect(engine)
    tables = set(inspector.get_table_names()) - {"alembic_version"}
    assert tables == set(SQLModel.metadata.tables)
    for name, table in SQLModel.metadata.tables.items():
        columns = {c["name"] for c in inspector.get_columns(name)}
        assert columns == {c.name for c in table.columns}, name


def test_upgrading_twice_keeps_rows(engine, people) -> None:
    upgrade(engine)
    with session_scope(engine) as s:
        assert s.exec(text("select count(*) from users")).one()[0] == 6  # type: ignore[call-overload]


def test_sqlite_runs_with_wal_and_foreign_keys(engine) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite pragmas only")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_submit_stores_submission_grade_and_criteria(engine, bank, people) -> None:
    exercise, result, attempt_id = submit_reference(engine, bank, people.learner)
    with session_scope(engine) as s:
        attempt = s.get(Attempt, attempt_id)
        assert attempt is not None
        assert (attempt.exercise_id, attempt.exercise_version) == (exercise.id, exercise.version)
        assert attempt.content_hash == exercise.content_hash()
        assert attempt.kind == exercise.kind
        sub = s.exec(select(SubmissionRow).where(SubmissionRow.attempt_id == attempt_id)).one()
        assert sub.payload["text"] == exercise.reference.text
        grade_row = s.exec(select(GradeRow).where(GradeRow.attempt_id == attempt_id)).one()
        assert grade_row.total == result.total
        crit = s.exec(select(CriterionRow).where(CriterionRow.grade_id == grade_row.id)).all()
        assert {c.criterion_id for c in crit} == {c.id for c in exercise.rubric}


def test_submitting_twice_with_one_key_stores_once(engine, bank, people) -> None:
    _, _, first = submit_reference(engine, bank, people.learner, key="same")
    _, _, second = submit_reference(engine, bank, people.learner, key="same")
    assert first == second
    with session_scope(engine) as s:
        assert s.exec(select(func.count()).select_from(GradeRow)).one() == 1


def test_fifty_concurrent_submits_lose_nothing_and_never_store_twice(engine, bank, people) -> None:
    exercise = first_of(bank, Kind.explain_reasoning)
    result = grade(exercise, exercise.reference, tools=bank.tools)
    ids: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker(n: int) -> None:
        key = f"key-{n % 25}"  # 25 distinct submissions, each sent twice at once
        try:
            attempt_id = attempts.submit(engine, people.learner.id, exercise, exercise.reference, result, key)
            with lock:
                ids.append(attempt_id)
        except BaseException as exc:  # collected: a thread's exception would otherwise vanish
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(ids) == 50
    assert len(set(ids)) == 25
    with session_scope(engine) as s:
        assert s.exec(select(func.count()).select_from(Attempt)).one() == 25
        assert s.exec(select(func.count()).select_from(GradeRow)).one() == 25


def test_draft_is_kept_and_becomes_the_submitted_attempt(engine, bank, people) -> None:
    exercise = first_of(bank, Kind.explain_reasoning)
    with session_scope(engine) as s:
        attempts.save_draft(s, people.learner.id, exercise, {"kind": "explain_reasoning", "text": "first"})
        attempts.save_draft(s, people.learner.id, exercise, {"kind": "explain_reasoning", "text": "second"})
    with session_scope(engine) as s:
        assert attempts.load_draft(s, people.learner.id, exercise.id) == {"kind": "explain_reasoning", "text": "second"}
        assert attempts.load_draft(s, people.other_learner.id, exercise.id) is None
        draft_id = attempts.open_draft(s, people.learner.id, exercise.id).id
    _, _, attempt_id = submit_reference(engine, bank, people.learner)
    assert attempt_id == draft_id
    with session_scope(engine) as s:
        assert attempts.load_draft(s, people.learner.id, exercise.id) is None


def test_override_adds_a_row_wins_and_keeps_history(engine, bank, people) -> None:
    _, result, attempt_id = submit_reference(engine, bank, people.learner)
    with session_scope(engine) as s:
        attempts.record_override(s, people.instructor, attempt_id, 42.0, "Key risk stated wrongly.")
    with session_scope(engine) as s:
        detail = attempts.attempt_detail(s, people.learner, attempt_id)
        assert [g.grade.source for g in detail.grades] == [GradeSource.auto, GradeSource.override]
        assert detail.effective.grade.total == 42.0
        assert detail.effective.grade.reason == "Key risk stated wrongly."
        assert detail.effective.author_name == "Tess Teacher"
        assert detail.grades[0].grade.total == result.total
        (row,) = attempts.history(s, people.learner, people.learner.id)
        assert (row.total, row.source) == (42.0, "override")
        # a later automatic regrade does not beat the instructor's override
        attempts._add_grade(s, attempt_id, result, GradeSource.auto)
    with session_scope(engine) as s:
        (row,) = attempts.history(s, people.learner, people.learner.id)
        assert row.total == 42.0


@pytest.mark.parametrize(
    ("total", "reason", "error"),
    [(50.0, "  ", ValueError), (101.0, "too high", ValueError), (-1.0, "too low", ValueError)],
)
def test_override_needs_a_reason_and_a_valid_total(engine, bank, people, total, reason, error) -> None:
    _, _, attempt_id = submit_reference(engine, bank, people.learner)
    with session_scope(engine) as s, pytest.raises(error):
        attempts.record_override(s, people.instructor, attempt_id, total, reason)


def test_demo_seed_is_idempotent_and_plausible(engine, bank) -> None:
    first = seed_demo(engine, bank, learners=6, attempts=5)
    again = seed_demo(engine, bank, learners=6, attempts=5)
    assert first == again
    with session_scope(engine) as s:
        assert s.exec(select(func.count()).select_from(Attempt)).one() == 30
        totals = s.exec(select(GradeRow.total)).all()
        assert all(0 <= t <= 100 for t in totals)
        assert len(set(totals)) > 10  # learners differ
        code = s.exec(text("select join_code from cohorts")).all()  # type: ignore[call-overload]
        assert (DEMO_COHORT_CODE,) in [tuple(r) for r in code]


def test_a_demo_stopped_midway_leaves_nothing_that_looks_done(engine, bank, monkeypatch) -> None:
    """The demo cohort's row says the demo is there, so generation is all or nothing: stopped in
    its last batch of learners, it leaves no cohort and no generated rows, and the next start
    makes it whole."""
    from store import synthetic

    real = synthetic.Generator._attempts
    calls = []

    def failing(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 2:  # after the first batch's rows went in
            raise RuntimeError("stopped")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(synthetic, "BATCH_LEARNERS", 3)
    monkeypatch.setattr(synthetic.Generator, "_attempts", failing)
    with pytest.raises(RuntimeError, match="stopped"):
        seed_demo(engine, bank, learners=6, attempts=5)
    with session_scope(engine) as s:
        assert s.exec(select(func.count()).select_from(Attempt)).one() == 0
        assert s.exec(text("select count(*) from cohorts")).one() == (0,)  # type: ignore[call-overload]
        assert s.exec(text("select count(*) from cohort_assignments")).one() == (0,)  # type: ignore[call-overload]
    monkeypatch.setattr(synthetic.Generator, "_attempts", real)
    seed_demo(engine, bank, learners=6, attempts=5)
    with session_scope(engine) as s:
        assert s.exec(select(func.count()).select_from(Attempt)).one() == 30


class _Judge:
    """Scores every judged criterion 0.7, or fails like an unreachable endpoint."""

    def __init__(self, reachable: bool) -> None:
        self.reachable = reachable

    def assess(self, exercise, criteria, answer) -> JudgeVerdict:
        if not self.reachable:
            raise JudgeError("timeout")
        return JudgeVerdict(criteria=[JudgedCriterion(id=c, score=0.7) for c in criteria])


@pytest.mark.parametrize(
    ("judge", "expected"),
    [(None, GradeSource.auto), (_Judge(reachable=False), GradeSource.auto), (_Judge(True), GradeSource.judged)],
    ids=["no judge", "judge unavailable", "judge took part"],
)
def test_a_live_grade_is_recorded_as_judged_exactly_when_the_judge_took_part(
    engine, bank, people, judge, expected
) -> None:
    exercise = first_of(bank, Kind.explain_reasoning)
    result = grade(exercise, exercise.reference, judge=judge, tools=bank.tools)
    attempt_id = attempts.submit(engine, people.learner.id, exercise, exercise.reference, result, "judged-key")
    with session_scope(engine) as s:
        assert s.exec(select(GradeRow.source).where(GradeRow.attempt_id == attempt_id)).one() == expected
        attempt = s.get(Attempt, attempt_id)
        assert attempt is not None
        assert attempt.grade_source == expected

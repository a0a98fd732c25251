"""A timed mock assessment in the real app: taken, resumed after a reload, auto-submitted at the
limit with the clock injected (never slept), reported; no early feedback, no second sitting."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from exercises import load_bank
from exercises.kinds import kind_label
from exercises.model import Kind
from store import assessments
from store.access import AccessDenied
from store.assessment_models import Assessment, Sitting, SittingStatus
from store.db import make_engine, session_scope
from store.demo import DEMO_COHORT_CODE, DEMO_INSTRUCTOR, DEMO_LEARNER
from store.models import Attempt, Cohort, User
from tests.app.test_practice import answer_with

BANK = load_bank()
T0 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def open_at(open_app, when: datetime, role: str = "learner"):
    at = open_app(role=role)
    at.session_state["now_override"] = when
    at.switch_page("pages/assessment.py").run()
    assert not at.exception, at.exception
    return at


def rerun_at(at, when: datetime):
    at.session_state["now_override"] = when
    at.run()
    assert not at.exception, at.exception
    return at


def start_mock(open_app):
    at = open_at(open_app, T0)
    at.form_submit_button[0].click().run()
    assert not at.exception, at.exception
    assert not any(m.label == "Time left" for m in at.metric)  # the rules first; no clock yet
    at.button(key="begin_sitting").click().run()
    assert not at.exception, at.exception
    return at


def submit_sitting(at):
    at.button(key="finish_sitting").click().run()
    at.button(key="confirm_finish").click().run()
    assert not at.exception, at.exception
    return at


def current(db_url: str) -> tuple[Sitting, Assessment]:
    engine = make_engine(db_url)
    with session_scope(engine) as s:
        sitting = s.exec(select(Sitting).order_by(Sitting.id.desc())).first()
        assessment = s.get(Assessment, sitting.assessment_id)
    engine.dispose()
    return sitting, assessment


def assessment_attempts(db_url: str) -> list[Attempt]:
    engine = make_engine(db_url)
    with session_scope(engine) as s:
        rows = list(s.exec(select(Attempt).where(Attempt.mode == "assessment")))
    engine.dispose()
    return rows


def explain_of(assessment: Assessment, sitting: Sitting | None = None):
    """The explanation task: of the sitting's own draw when it has one."""
    ids = sitting.tasks(assessment) if sitting is not None else assessment.exercise_ids
    return next(BANK.get(e) for e in ids if BANK.get(e).kind == Kind.explain_reasoning)


def test_a_full_assessment_is_taken_and_reported(open_app, app_db) -> None:
    at = start_mock(open_app)
    sitting, assessment = current(app_db)
    assert len(assessment.exercise_ids) == 4
    assert {BANK.get(e).kind for e in assessment.exercise_ids} == set(Kind)
    assert any(m.label == "Time left" for m in at.metric)
    for eid in assessment.exercise_ids:
        exercise = BANK.get(eid)
        at.session_state["now_override"] = T0 + timedelta(minutes=5)
        answer_with(at, exercise, exercise.reference, scope=f"sit{sitting.id}:")
    assert not any(m.label == "Score" for m in at.metric)  # no feedback while sitting
    assert assessment_attempts(app_db) == []
    submit_sitting(at)
    assert not at.exception, at.exception
    done, _ = current(app_db)
    assert done.status == SittingStatus.submitted
    stored = assessment_attempts(app_db)
    assert {a.exercise_id for a in stored} == set(assessment.exercise_ids)
    score = next(m for m in at.metric if m.label == "Assessment score")
    assert int(score.value.split("/")[0]) >= 90
    assert at.get("download_button")


def test_a_reload_resumes_with_the_clock_from_the_server(open_app, app_db) -> None:
    at = start_mock(open_app)
    sitting, assessment = current(app_db)
    explain = explain_of(assessment)
    key = f"sit{sitting.id}:explain:{explain.id}:text"
    at.session_state["now_override"] = T0 + timedelta(minutes=3)
    at.text_area(key=key).set_value("Bottom line: the doctor signs first.").run()
    reloaded = open_at(open_app, T0 + timedelta(minutes=10))  # a new browser session
    assert reloaded.text_area(key=key).value == "Bottom line: the doctor signs first."
    left = next(m for m in reloaded.metric if m.label == "Time left").value
    limit = timedelta(seconds=assessment.time_limit_s) - timedelta(minutes=10)
    hours, minutes, seconds = (int(x) for x in left.split(":"))
    assert timedelta(hours=hours, minutes=minutes, seconds=seconds) == limit


def test_at_the_limit_what_was_written_is_submitted(open_app, app_db) -> None:
    at = start_mock(open_app)
    sitting, assessment = current(app_db)
    explain = explain_of(assessment)
    key = f"sit{sitting.id}:explain:{explain.id}:text"
    at.session_state["now_override"] = T0 + timedelta(minutes=2)
    at.text_area(key=key).set_value(explain.reference.text).run()
    rerun_at(at, T0 + timedelta(seconds=assessment.time_limit_s + 1))
    done, _ = current(app_db)
    assert done.status == SittingStatus.timed_out
    stored = {a.exercise_id: a for a in assessment_attempts(app_db)}
    assert set(stored) == {explain.id}  # untouched tasks are not attempted: no attempt, no grade
    assert any("ran out of time" in c.value for c in at.caption)
    engine = make_engine(app_db)
    with session_scope(engine) as s:
        explain_total = assessments.attempts.effective_total(s, stored[explain.id].id)
    engine.dispose()
    assert explain_total >= 90  # the text written before the limit was graded


def test_no_early_feedback_and_no_second_sitting(open_app, app_db) -> None:
    engine = make_engine(app_db)
    open_app()  # creates the demo cohort and users
    with session_scope(engine) as s:
        teacher = s.exec(select(User).where(User.external_id == DEMO_INSTRUCTOR)).one()
        learner = s.exec(select(User).where(User.external_id == DEMO_LEARNER)).one()
        cohort = s.exec(select(Cohort).where(Cohort.join_code == DEMO_COHORT_CODE)).one()
        ids = [next(e.id for e in sorted(BANK.exercises.values(), key=lambda e: e.id) if e.kind == k) for k in Kind]
        assigned = assessments.create_assessment(
            s,
            teacher,
            "Week 6 check",
            ids,
            1800,
            cohort_id=cohort.id,
            opens_at=T0 - timedelta(days=1),
            closes_at=T0 + timedelta(days=6),
        )
    at = open_at(open_app, T0)
    at.button(key=f"start:{assigned.id}").click().run()
    assert any("closes" in c.value.lower() for c in at.markdown)  # the closing date, stated in the rules
    at.button(key="begin_sitting").click().run()
    sitting, assessment = current(app_db)
    explain = explain_of(assessment, sitting)
    answer_with(at, explain, explain.reference, scope=f"sit{sitting.id}:")
    with session_scope(engine) as s, pytest.raises(AccessDenied):
        assessments.results(s, learner, sitting.id)  # no feedback before the whole sitting is in
    submit_sitting(at)
    at = open_at(open_app, T0 + timedelta(hours=1))
    assert at.button(key=f"start:{assigned.id}").disabled
    with session_scope(engine) as s, pytest.raises(assessments.AssessmentClosed):
        assessments.start(s, learner, assigned.id, T0 + timedelta(hours=1))
    with session_scope(engine) as s:
        assessments.grant_extra_sitting(s, teacher, assigned.id, learner.id)
    at = open_at(open_app, T0 + timedelta(hours=2))
    assert not at.button(key=f"start:{assigned.id}").disabled
    instructor = open_at(open_app, T0 + timedelta(hours=2), role="instructor")
    instructor.switch_page("pages/assessments_admin.py").run()
    assert not instructor.exception, instructor.exception
    statuses = dict(zip(instructor.dataframe[0].value["Learner"], instructor.dataframe[0].value["Status"], strict=True))
    assert statuses["Alex Rivera (demo learner)"] == "Submitted"
    assert list(statuses.values()).count("Not started") == len(statuses) - 1
    items = instructor.dataframe[1].value  # item analysis of this assessment's attempts only
    assert set(items["Learners"]) == {1}
    assert len(items) == 1  # the one task answered; the blank ones were not attempted
    engine.dispose()


def test_submitting_asks_first_and_names_the_tasks_left_unanswered(open_app, app_db) -> None:
    at = start_mock(open_app)
    sitting, assessment = current(app_db)
    explain = explain_of(assessment)
    answer_with(at, explain, explain.reference, scope=f"sit{sitting.id}:")
    at.button(key="finish_sitting").click().run()
    warning = at.warning[0].value
    others = [BANK.get(e) for e in sitting.tasks(assessment) if e != explain.id]
    for exercise in others:
        assert kind_label(exercise.kind) in warning
    assert kind_label(Kind.explain_reasoning) not in warning
    at.button(key="cancel_finish").click().run()  # keep working: nothing is submitted
    assert current(app_db)[0].status == SittingStatus.in_progress
    submit_sitting(at)
    assert current(app_db)[0].status == SittingStatus.submitted
    table = at.table[0].value
    scores = dict(zip(table["Task"], table["Score"], strict=True))
    assert sum(v == "not attempted" for v in scores.values()) == len(others)
    assert "0" not in scores.values()


def test_an_assigned_assessment_keeps_the_time_limit_typed(open_app, app_db) -> None:
    """Issue #19: 60 typed, 110 saved. Changing the sector re-drew the tasks and reset the
    minutes box to the new tasks' suggestion as the form was submitted."""
    at = open_at(open_app, T0, role="instructor")
    at.switch_page("pages/assessments_admin.py").run()
    assert not at.exception, at.exception
    suggestions = set()
    for index in (1, 2, 3):  # AppTest cannot round-trip every label (it reformats "HR and people")
        at.selectbox(key="assess_sector").select_index(index).run()
        suggestions.add(next(c.value for c in at.caption if "Suggested time" in c.value))
    at.number_input(key="assess_minutes").set_value(60)
    at.selectbox(key="assess_sector").select_index(1)
    at.form_submit_button[0].click().run()
    assert not at.exception, at.exception
    _, assessment = latest_assessment(app_db)
    assert assessment.time_limit_s == 60 * 60
    assert len(suggestions) > 1  # the sectors' suggestions differ, so a reset would have shown


def latest_assessment(db_url: str):
    engine = make_engine(db_url)
    with session_scope(engine) as s:
        assessment = s.exec(select(Assessment).order_by(Assessment.id.desc())).first()
    engine.dispose()
    return None, assessment


def test_a_sittings_exercises_are_closed_in_practice_until_it_is_over(open_app, app_db) -> None:
    """Issue 18, finding 1: another tab on /?exercise=<id> showed the reference of a task being sat."""
    at = start_mock(open_app)
    sitting, assessment = current(app_db)
    task = sitting.tasks(assessment)[0]
    tab = rerun_at(open_app(task), T0 + timedelta(minutes=5))  # a second tab, straight to the exercise
    assert any("closed in Practice" in i.value for i in tab.info)
    assert not any(b.label == "Submit for grading" for b in tab.button)
    assert not any("Reference answer" in e.label for e in tab.expander)
    listing = rerun_at(open_app(), T0 + timedelta(minutes=5))
    assert not any(b.key == f"open:{task}" for b in listing.button)  # not listed either
    at.session_state["now_override"] = T0 + timedelta(minutes=6)
    submit_sitting(at)
    reopened = rerun_at(open_app(task), T0 + timedelta(minutes=7))
    assert any(b.label == "Submit for grading" for b in reopened.button)


def test_each_learner_gets_their_own_recorded_draw_and_the_instructor_sees_exposure(open_app, app_db) -> None:
    engine = make_engine(app_db)
    open_app()
    with session_scope(engine) as s:
        teacher = s.exec(select(User).where(User.external_id == DEMO_INSTRUCTOR)).one()
        cohort = s.exec(select(Cohort).where(Cohort.join_code == DEMO_COHORT_CODE)).one()
        assigned = assessments.create_assessment(
            s, teacher, "Week 7", ["x"] * 4, 1800, cohort_id=cohort.id, opens_at=T0 - timedelta(days=1)
        )
    at = open_at(open_app, T0)
    at.button(key=f"start:{assigned.id}").click().run()
    at.button(key="begin_sitting").click().run()  # the rules first
    assert not at.exception, at.exception
    sitting, assessment = current(app_db)
    assert sitting.draw_seed is not None
    assert {BANK.get(e).kind for e in sitting.tasks(assessment)} == set(Kind)  # drawn, not the planned ids
    instructor = open_at(open_app, T0 + timedelta(minutes=5), role="instructor")
    instructor.switch_page("pages/assessments_admin.py").run()
    assert not instructor.exception, instructor.exception
    exposure = instructor.dataframe[-1].value
    assert list(exposure["Sittings that drew it"]) == [1, 1, 1, 1]
    engine.dispose()

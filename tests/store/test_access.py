"""Authorization lives in store queries: every query x role, with ids passed directly."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from exercises.model import Kind
from grading import grade
from grading.model import Flag
from store import assignments, attempts, dashboards, export, items, jobs, progress, review, users
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


def _cohort(people, target) -> int:
    """The cohort the data's owner learns in."""
    return people.other_cohort_id if target is people.outsider else people.cohort_id


def _user_query(fn):
    return lambda s, viewer, target, people, attempt_id: fn(s, viewer, target.id)


def _cohort_query(fn):
    return lambda s, viewer, target, people, attempt_id: fn(s, viewer, _cohort(people, target))


QUERIES = {
    "history": _history,
    "detail": _detail,
    "averages": _averages,
    "override": _override,
    # a learner's own progress
    "competency": _user_query(progress.competency),
    "sector_profile": _user_query(progress.sector_profile),
    "trend": _user_query(progress.trend),
    "missed_criteria": _user_query(progress.missed_criteria),
    "progress_history": _user_query(progress.history),
    "exercise_means": _user_query(progress.exercise_means),
    "learner_assignments": _user_query(assignments.learner_assignments),
    "learner_dashboard": lambda s, viewer, target, people, attempt_id: progress.learner_dashboard(
        s, viewer, target.id, [], _cohort(people, target)
    ),
    # a cohort's aggregates: its members see the median learner, only its instructors the rest
    "cohort_comparison": _cohort_query(progress.cohort_comparison),
    "cohort_overview": _cohort_query(dashboards.cohort_overview),
    "kind_medians": _cohort_query(dashboards.kind_medians),
    "score_spreads": _cohort_query(dashboards.score_spreads),
    "cohort_dashboard": _cohort_query(dashboards.cohort_dashboard),
    "exercise_report": _cohort_query(dashboards.exercise_report),
    "item_analysis": _cohort_query(items.item_analysis),
    "criterion_rates": _cohort_query(items.criterion_rates),
    "review_queue": _cohort_query(review.review_queue),
    "assignment_progress": _cohort_query(assignments.assignment_progress),
    "assign": lambda s, viewer, target, people, attempt_id: assignments.assign(
        s, viewer, _cohort(people, target), ["cs-explain-refund-triage"]
    ),
    "unassign": lambda s, viewer, target, people, attempt_id: assignments.unassign(
        s, viewer, _cohort(people, target), "cs-explain-refund-triage"
    ),
    "export": _cohort_query(export.cohort_csv),
    # overriding from the review queue
    "override_grade": lambda s, viewer, target, people, attempt_id: review.override_grade(
        s, viewer, attempt_id, "checking access", total=12.0
    ),
    "confirm_grade": lambda s, viewer, target, people, attempt_id: review.confirm_grade(s, viewer, attempt_id),
}
OWN = {
    "history",
    "detail",
    "averages",
    "competency",
    "sector_profile",
    "trend",
    "missed_criteria",
    "progress_history",
    "exercise_means",
    "learner_assignments",
    "learner_dashboard",
    "cohort_comparison",
}
TEACHING = set(QUERIES)  # everything, overrides included
# (viewer, owner of the data) -> allowed, per query
CASES = [
    ("learner", "learner", OWN),
    ("learner", "other_learner", {"cohort_comparison"}),  # the same cohort's median learner, nobody's own data
    ("learner", "outsider", set()),
    ("instructor", "learner", TEACHING),
    ("instructor", "outsider", set()),
    ("other_instructor", "learner", set()),
    ("other_instructor", "outsider", TEACHING),
    ("admin", "learner", TEACHING),
    ("admin", "outsider", TEACHING),
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


# --- cohort-scoped instructors (issue 18, finding 4) ----------------------------------------------


def _shared_learner_exam(engine, bank, people) -> tuple[int, int]:
    """Ada learns in both cohorts: a practice attempt, and an assessment attempt in the other
    cohort (Uma's), flagged for review. Returns (practice id, exam id)."""
    exercise = next(e for e in sorted(bank.exercises.values(), key=lambda e: e.id) if e.kind == Kind.explain_reasoning)
    result = grade(exercise, exercise.reference, tools=bank.tools)
    flagged = result.model_copy(update={"flags": [Flag.needs_review]})
    with session_scope(engine) as s:
        users.join_cohort(s, people.learner, "OTHER001")
        practice = attempts.store_attempt(s, people.learner.id, exercise, exercise.reference, flagged, "p-1")
        exam = attempts.store_attempt(
            s,
            people.learner.id,
            exercise,
            exercise.reference,
            flagged,
            "x-1",
            mode="assessment",
            cohort_id=people.other_cohort_id,
        )
    return practice, exam


EXAM_QUERIES = {
    "detail": lambda s, viewer, p, exam: attempts.attempt_detail(s, viewer, exam),
    "override": lambda s, viewer, p, exam: attempts.record_override(s, viewer, exam, 100.0, "copied answer"),
    "review_override": lambda s, viewer, p, exam: review.override_grade(s, viewer, exam, "x", total=100.0),
    "confirm": lambda s, viewer, p, exam: review.confirm_grade(s, viewer, exam),
}


@pytest.mark.parametrize(
    ("viewer", "allowed"), [("instructor", False), ("other_instructor", True), ("admin", True), ("learner", True)]
)
@pytest.mark.parametrize("query", sorted(EXAM_QUERIES))
def test_an_exam_attempt_is_only_for_the_cohort_that_set_it(engine, bank, people, viewer, allowed, query) -> None:
    """Before: Tess, who teaches Ada in another cohort, opened and overrode Ada's exam for Uma's cohort."""
    practice, exam = _shared_learner_exam(engine, bank, people)
    who = getattr(people, viewer)
    if query in ("override", "review_override", "confirm") and viewer == "learner":
        allowed = False  # learners never override, their own work included
    with session_scope(engine) as s:
        if allowed:
            EXAM_QUERIES[query](s, who, people, exam)
        else:
            with pytest.raises(AccessDenied):
                EXAM_QUERIES[query](s, who, people, exam)
        attempts.attempt_detail(s, who, practice)  # practice is for all who teach the learner


def test_lists_exports_queues_and_jobs_leave_out_other_cohorts_exams(engine, bank, people) -> None:
    practice, exam = _shared_learner_exam(engine, bank, people)
    with session_scope(engine) as s:
        tess, uma = people.instructor, people.other_instructor
        assert {h.attempt_id for h in attempts.history(s, tess, people.learner.id)} == {practice}
        assert {h.attempt_id for h in attempts.history(s, uma, people.learner.id)} == {practice, exam}
        assert {h.attempt_id for h in attempts.history(s, people.learner, people.learner.id)} == {practice, exam}
        assert {r.attempt_id for r in progress.history(s, tess, people.learner.id)} == {practice}
        assert sum(k.attempts for k in progress.competency(s, tess, people.learner.id)) == 1
        exported = export.cohort_csv(s, tess, people.cohort_id)
        assert f"\n{practice}," in exported
        assert f"\n{exam}," not in exported
        assert f"\n{exam}," in export.cohort_csv(s, uma, people.other_cohort_id)
        queue, waiting = review.review_queue(s, tess, people.cohort_id)
        assert ({i.attempt_id for i in queue}, waiting) == ({practice}, 1)
        assert exam in {i.attempt_id for i in review.review_queue(s, uma, people.other_cohort_id)[0]}
        job = jobs.create_regrade(s, tess, people.cohort_id)
        assert job.total == 1
        assert jobs.create_regrade(s, uma, people.other_cohort_id).total == 2

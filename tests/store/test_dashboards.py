"""Dashboard queries on a real database: the effective grade kept on each attempt, medians and
quantiles, cohort figures, item analysis, the review queue and overrides, the CSV export, the
recommendation, assignments and the bulk demo generator. SQLite always, PostgreSQL when set."""

from __future__ import annotations

import csv
import io
import math
import random
import statistics
import uuid
from datetime import UTC, timedelta

import numpy as np
import pytest
from sqlalchemy import Column, Float, Integer, MetaData, String, Table, text
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, func, select

from exercises.kinds import KINDS
from exercises.model import Kind
from exercises.submission import MAX_REASON
from grading.model import CriterionScore, Grade
from store import assignments, attempts, dashboards, export, items, progress, review
from store.db import make_engine, session_scope
from store.demo import DEMO_COHORT_CODE, DEMO_LEARNER, seed_demo
from store.migrate import upgrade
from store.models import Attempt, Cohort, CriterionRow, GradeRow, GradeSource, Membership, Role, User, now
from store.quantiles import quantiles_by
from store.users import get_or_create_user, join_cohort


def exercise_of(bank, kind: Kind, n: int = 0):
    return [e for e in sorted(bank.exercises.values(), key=lambda e: e.id) if e.kind == kind][n]


def graded(exercise, total: float, scores: dict[str, float] | None = None, flags=(), details=None) -> Grade:
    """A grade with a chosen total; criteria default to total/100 each."""
    criteria = [
        CriterionScore(
            id=c.id,
            title=c.title,
            weight=c.weight,
            score=(scores or {}).get(c.id, total / 100),
            evidence="e",
            feedback="" if (scores or {}).get(c.id, total / 100) >= 0.6 else f"Fix {c.id}",
        )
        for c in exercise.rubric
    ]
    return Grade(total=total, criteria=criteria, flags=list(flags), details=details or {})


def put(engine, user, exercise, total, **kw) -> int:
    return attempts.submit(
        engine, user.id, exercise, exercise.reference, graded(exercise, total, **kw), uuid.uuid4().hex
    )


def expected_effective(session) -> dict[int, tuple[int, float]]:
    """The rule, restated from the grade rows: an override beats any other grade, then the latest wins."""
    best: dict[int, GradeRow] = {}
    for g in session.exec(select(GradeRow)):
        held = best.get(g.attempt_id)
        rank = (g.source == GradeSource.override, g.id)
        if held is None or rank > (held.source == GradeSource.override, held.id):
            best[g.attempt_id] = g
    return {a: (g.id, g.total) for a, g in best.items()}


# --- the effective grade on each attempt ----------------------------------------------------


def test_the_trigger_keeps_each_attempts_effective_grade(engine, bank, people) -> None:
    ex = exercise_of(bank, Kind.explain_reasoning)
    plain = put(engine, people.learner, ex, 55.0)
    judged = put(
        engine,
        people.learner,
        ex,
        72.0,
        flags=["needs_review", "possible_injection"],
        details={"deterministic_total": 60.0, "judge": []},
    )
    with session_scope(engine) as s:
        attempts.record_override(s, people.instructor, plain, 61.0, "Fair")
        attempts._add_grade(s, plain, graded(ex, 20.0), GradeSource.auto)  # a later regrade loses to the override
        attempts._add_grade(s, judged, graded(ex, 74.0, flags=["judge_unavailable"]), GradeSource.judged)
    with session_scope(engine) as s:
        a, b = s.get(Attempt, plain), s.get(Attempt, judged)
        assert (a.score, a.grade_source, a.grade_flags, a.judge_gap) == (61.0, "override", None, None)
        assert (b.score, b.grade_source, b.grade_flags, b.judge_gap) == (74.0, "judged", "judge_unavailable", None)
        expected = expected_effective(s)
        for attempt in s.exec(select(Attempt)):
            assert (attempt.grade_id, attempt.score) == expected[attempt.id]
            assert attempts.attempt_detail(s, people.admin, attempt.id).effective.grade.id == attempt.grade_id
        attempts.record_override(s, people.instructor, plain, 64.0, "Second look")
    with session_scope(engine) as s:
        assert s.get(Attempt, plain).score == 64.0
        first = put(engine, people.other_learner, ex, 50.0, details={"deterministic_total": 38.0})
    with session_scope(engine) as s:
        assert s.get(Attempt, first).judge_gap == pytest.approx(12.0)


def test_the_migration_fills_in_attempts_graded_before_it(db_url) -> None:
    engine = make_engine(db_url)
    upgrade(engine, "0001")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO users (id, external_id, name, role, created_at) VALUES "
                "(1, 'a', 'A', 'learner', '2026-01-01 10:00:00'), (2, 't', 'T', 'instructor', '2026-01-01 10:00:00')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO attempts (id, user_id, exercise_id, exercise_version, content_hash, kind, sector, mode, "
                "status, started_at, updated_at, submitted_at) VALUES "
                "(1, 1, 'x', 1, 'h', 'explain_reasoning', 'finance', 'practice', 'graded', "
                "'2026-01-02 10:00:00', '2026-01-02 10:00:00', '2026-01-02 10:00:00'),"
                "(2, 1, 'y', 1, 'h', 'explain_reasoning', 'finance', 'practice', 'graded', "
                "'2026-01-02 10:00:00', '2026-01-02 10:00:00', '2026-01-02 10:00:00')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO grades (id, attempt_id, total, flags, grader_version, source, author_id, reason, details, "
                "created_at) VALUES "
                "(1, 1, 40, '[]', 'v', 'auto', NULL, NULL, NULL, '2026-01-02 10:00:00'),"
                "(2, 1, 70, '[]', 'v', 'override', 2, 'ok', NULL, '2026-01-03 10:00:00'),"
                "(3, 1, 30, '[]', 'v', 'auto', NULL, NULL, NULL, '2026-01-04 10:00:00'),"
                "(4, 2, 66, '[\"needs_review\", \"possible_injection\"]', 'v', 'judged', NULL, NULL, "
                "'{\"deterministic_total\": 51}', '2026-01-02 10:00:00')"
            )
        )
    upgrade(engine)
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT id, grade_id, score, grade_source, grade_flags, judge_gap FROM attempts ORDER BY id")
        ).all()
    assert [tuple(r) for r in rows] == [
        (1, 2, 70.0, "override", None, None),
        (2, 4, 66.0, "judged", "needs_review,possible_injection", 15.0),
    ]
    engine.dispose()


# --- medians and quantiles ----------------------------------------------------------------------


@pytest.mark.parametrize("portable", [True, False])
def test_quantiles_match_numpy(engine, portable) -> None:
    if not portable and engine.dialect.name != "postgresql":
        pytest.skip("percentile_cont is PostgreSQL's")
    md = MetaData()
    table = Table("q_values", md, Column("id", Integer, primary_key=True), Column("g", String(4)), Column("v", Float))
    md.create_all(engine)
    rng = random.Random(7)
    data = {g: [round(rng.uniform(0, 100), 1) for _ in range(rng.randint(1, 25))] for g in "abcdef"}
    with engine.begin() as conn:
        conn.execute(table.insert(), [{"g": g, "v": v} for g, vs in data.items() for v in vs])
    ps = [0.25, 0.5, 0.75, 0.9]
    with Session(engine) as s:
        found = quantiles_by(s, sa_select(table.c.g, table.c.v.label("value")), ps, portable=portable)
    for g, values in data.items():
        spread = found[(g,)]
        assert spread.n == len(values)
        assert spread.mean == pytest.approx(statistics.fmean(values))
        assert (spread.low, spread.high) == (min(values), max(values))
        assert spread.quantiles == pytest.approx([float(np.quantile(values, p)) for p in ps])


# --- cohort figures -----------------------------------------------------------------------------


def test_cohort_figures_on_a_known_cohort(engine, bank, people) -> None:
    ex = exercise_of(bank, Kind.explain_reasoning)
    design = exercise_of(bank, Kind.design_workflow)
    put(engine, people.learner, ex, 40.0)
    put(engine, people.learner, ex, 60.0)
    put(engine, people.learner, design, 90.0)
    put(engine, people.other_learner, ex, 80.0)
    put(engine, people.outsider, ex, 10.0)  # another cohort: never counted
    with session_scope(engine) as s:
        dash = dashboards.cohort_dashboard(s, people.instructor, people.cohort_id)
        report = dashboards.exercise_report(s, people.instructor, people.cohort_id)
    by_name = {p.name: p for p in dash.learners}
    ada, bo = by_name["Ada Learner"], by_name["Bo Learner"]
    assert (ada.attempts, ada.by_kind, ada.mean_total) == (
        3,
        {"explain_reasoning": 50.0, "design_workflow": 90.0},
        63.3,
    )
    assert (bo.attempts, bo.mean_total) == (1, 80.0)
    assert set(by_name) == {"Ada Learner", "Bo Learner"}
    medians = {m.kind: (m.median, m.learners) for m in dash.summary.medians}
    assert medians == {"explain_reasoning": (65.0, 2), "design_workflow": (90.0, 1)}  # median of 50 and 80
    s_ = dash.summary
    assert (s_.learners, s_.active_learners, s_.attempts, s_.recent_attempts, s_.completion) == (2, 2, 4, 4, None)
    spreads = {x.exercise_id: x for x in report.spreads}
    assert (spreads[ex.id].learners, spreads[ex.id].median, spreads[ex.id].low) == (2, 65.0, 50.0)
    item = next(i for i in report.items if i.exercise_id == ex.id)
    assert (item.learners, item.attempts, item.mean, item.discrimination) == (2, 3, 60.0, None)  # too few learners


def test_item_analysis_is_the_corrected_item_total_correlation(engine, bank) -> None:
    cohort_id = seed_demo(engine, bank, learners=40, attempts=25, seed=11)
    with session_scope(engine) as s:
        instructor = s.exec(select(User).where(User.external_id == "demo-instructor")).one()
        found = {i.exercise_id: i for i in items.item_analysis(s, instructor, cohort_id)}
        raw = s.exec(select(Attempt.user_id, Attempt.exercise_id, Attempt.score)).all()
    per: dict[int, dict[str, list[float]]] = {}
    for user_id, exercise_id, score in raw:
        per.setdefault(user_id, {}).setdefault(exercise_id, []).append(score)
    means = {u: {e: statistics.fmean(v) for e, v in ex.items()} for u, ex in per.items()}
    checked = 0
    for exercise_id, stats in found.items():
        pairs = [
            (m[exercise_id], (sum(m.values()) - m[exercise_id]) / (len(m) - 1))
            for m in means.values()
            if exercise_id in m and len(m) > 1
        ]
        everyone = [s for ex in per.values() for s in ex.get(exercise_id, [])]
        assert stats.mean == pytest.approx(statistics.fmean(everyone))
        assert stats.learners == sum(1 for m in means.values() if exercise_id in m)
        if len(pairs) >= items.MIN_ITEM_LEARNERS:
            x, y = zip(*pairs, strict=True)
            assert stats.discrimination == pytest.approx(float(np.corrcoef(x, y)[0, 1]), abs=1e-9)
            checked += 1
    assert checked >= 10
    rs = [i.discrimination for i in found.values() if i.discrimination is not None]
    assert 0.2 < statistics.fmean(rs) < 0.9  # learners differ, so most exercises separate them


def test_criterion_rates_follow_the_grade_in_effect(engine, bank, people) -> None:
    ex = exercise_of(bank, Kind.explain_reasoning)
    first, second = ex.rubric[0].id, ex.rubric[1].id
    a = put(engine, people.learner, ex, 50.0, scores={first: 0.2, second: 0.9})
    put(engine, people.other_learner, ex, 50.0, scores={first: 0.7, second: 0.1})
    with session_scope(engine) as s:
        review.override_grade(s, people.instructor, a, "Point one was made after all", criterion_scores={first: 0.8})
    with session_scope(engine) as s:
        rates = {r.criterion_id: r for r in items.criterion_rates(s, people.instructor, people.cohort_id)}
    assert (rates[first].graded, rates[first].met, rates[first].mean) == (2, 2, pytest.approx(0.75))
    assert (rates[second].met, rates[second].met_rate) == (1, 0.5)
    pooled = {r.criterion_id: r for r in items.criteria_by_kind(list(rates.values()))}
    assert pooled[first].graded == 2


# --- the review queue and overrides ---------------------------------------------------------------


def test_the_review_queue_holds_what_needs_a_person_until_someone_acts(engine, bank, people) -> None:
    ex = exercise_of(bank, Kind.explain_reasoning)
    flagged = put(engine, people.learner, ex, 50.0, flags=["needs_review"])
    injected = put(engine, people.learner, ex, 30.0, flags=["possible_injection", "needs_review"])
    offline = put(engine, people.other_learner, ex, 60.0, flags=["judge_unavailable"])
    apart = put(engine, people.other_learner, ex, 70.0, details={"deterministic_total": 58.0})
    put(engine, people.other_learner, ex, 70.0, details={"deterministic_total": 66.0})  # close enough
    put(engine, people.learner, ex, 70.0)
    put(engine, people.outsider, ex, 20.0, flags=["needs_review"])  # not this cohort
    with session_scope(engine) as s:
        queue, waiting = review.review_queue(s, people.instructor, people.cohort_id)
    assert [i.attempt_id for i in queue] == [injected, flagged, offline, apart]
    assert waiting == 4
    assert queue[3].reasons == ["judge_disagrees"]
    assert queue[0].reasons == ["possible_injection", "needs_review"]
    with session_scope(engine) as s:
        review.confirm_grade(s, people.instructor, flagged)
        review.override_grade(s, people.instructor, injected, "Marked on the rest of the answer", total=25.0)
    with session_scope(engine) as s:
        queue, waiting = review.review_queue(s, people.instructor, people.cohort_id)
        assert [i.attempt_id for i in queue] == [offline, apart]
        detail = attempts.attempt_detail(s, people.learner, flagged)
    assert [g.grade.source for g in detail.grades] == ["auto", "override"]
    assert detail.effective.grade.total == 50.0
    assert detail.effective.grade.reason == review.CONFIRMED


def test_overriding_criteria_moves_the_total_by_their_weights(engine, bank, people) -> None:
    ex = exercise_of(bank, Kind.explain_reasoning)
    c = ex.rubric[0]
    attempt_id = put(engine, people.learner, ex, 50.0)
    with session_scope(engine) as s:
        row = review.override_grade(s, people.instructor, attempt_id, "Rescored", criterion_scores={c.id: 1.0})
        assert row.total == pytest.approx(50.0 + c.weight * 0.5, abs=0.05)
        criteria = {
            r.criterion_id: r.score for r in s.exec(select(CriterionRow).where(CriterionRow.grade_id == row.id))
        }
        assert criteria[c.id] == 1.0
        assert criteria[ex.rubric[1].id] == 0.5
        typed = review.override_grade(
            s, people.instructor, attempt_id, "Both", total=33.0, criterion_scores={c.id: 0.0}
        )
        assert typed.total == 33.0
        with pytest.raises(ValueError, match="reason"):
            review.override_grade(s, people.instructor, attempt_id, "  ", total=10.0)
        # one limit, in the form and in the store: a reason the form lets through is stored whole
        review.override_grade(s, people.instructor, attempt_id, "x" * MAX_REASON, total=11.0)
        with pytest.raises(ValueError, match=f"{MAX_REASON:,} characters"):
            review.override_grade(s, people.instructor, attempt_id, "x" * (MAX_REASON + 1), total=12.0)
    assert GradeRow.model_fields["reason"].metadata[0].max_length == MAX_REASON
    assert review.override_total(80.0, {"a": 40, "b": 60}, {"a": 0.5, "b": 1.0}, {"a": 1.0}) == 100.0
    assert review.override_total(10.0, {"a": 40}, {"a": 0.5}, {"a": 0.0}) == 0.0


# --- export -------------------------------------------------------------------------------------


def test_the_csv_export_matches_the_database(engine, bank, people) -> None:
    ex = exercise_of(bank, Kind.explain_reasoning)
    design = exercise_of(bank, Kind.design_workflow)
    a = put(engine, people.learner, ex, 45.0, flags=["needs_review"])
    put(engine, people.learner, design, 81.5)
    put(engine, people.other_learner, ex, 66.0)
    put(engine, people.outsider, ex, 12.0)
    with session_scope(engine) as s:
        review.override_grade(s, people.instructor, a, "Reconsidered", total=52.0)
    with session_scope(engine) as s:
        body = export.cohort_csv(s, people.instructor, people.cohort_id)
        in_cohort = s.exec(
            select(Attempt)
            .join(Membership, col(Membership.user_id) == col(Attempt.user_id))
            .where(Membership.cohort_id == people.cohort_id, Membership.role == Role.learner)
            .order_by(col(Attempt.id))
        ).all()
        criteria = {
            (r.grade_id, r.criterion_id): r.score
            for r in s.exec(select(CriterionRow).where(col(CriterionRow.grade_id).in_([x.grade_id for x in in_cohort])))
        }
        names = {u.id: u for u in s.exec(select(User))}
    rows = list(csv.DictReader(io.StringIO(body)))
    assert list(rows[0]) == export.COLUMNS
    assert [int(r["attempt_id"]) for r in rows] == [x.id for x in in_cohort]
    for row, attempt in zip(rows, in_cohort, strict=True):
        assert float(row["score"]) == attempt.score
        assert row["graded_by"] == (attempt.grade_source or "auto")
        assert row["learner"] == names[attempt.user_id].name
        assert row["email"] == names[attempt.user_id].email
        assert row["exercise_id"] == attempt.exercise_id
        for criterion_id in KINDS[attempt.kind].criteria:
            assert float(row[f"{attempt.kind}.{criterion_id}"]) == criteria[(attempt.grade_id, criterion_id)]
        other = [c for c in export.CRITERION_COLUMNS if not c.startswith(attempt.kind + ".")]
        assert all(row[c] == "" for c in other)
    overridden = next(r for r in rows if int(r["attempt_id"]) == a)
    assert (overridden["score"], overridden["auto_score"], overridden["override_by"]) == (
        "52.0",
        "45.0",
        "Tess Teacher",
    )
    assert overridden["override_reason"] == "Reconsidered"


def test_the_export_defuses_cells_a_spreadsheet_would_run(engine, bank, people) -> None:
    with session_scope(engine) as s:
        user = s.get(User, people.learner.id)
        user.name = '=HYPERLINK("http://x")'
        s.add(user)
    put(engine, people.learner, exercise_of(bank, Kind.explain_reasoning), 50.0)
    with session_scope(engine) as s:
        rows = list(csv.DictReader(io.StringIO(export.cohort_csv(s, people.instructor, people.cohort_id))))
    assert rows[0]["learner"] == '\'=HYPERLINK("http://x")'


# --- a learner's own progress ---------------------------------------------------------------------


def test_the_learner_dashboard(engine, bank, people) -> None:
    ex = exercise_of(bank, Kind.explain_reasoning)
    weak = ex.rubric[0].id
    for total in (40.0, 50.0, 60.0):
        put(engine, people.learner, ex, total, scores={weak: 0.1})
    put(engine, people.other_learner, ex, 99.0)
    with session_scope(engine) as s:
        dash = progress.learner_dashboard(
            s, people.learner, people.learner.id, bank.exercises.values(), people.cohort_id
        )
    assert [(k.kind, k.attempts, k.mean, k.best) for k in dash.kinds] == [("explain_reasoning", 3, 50.0, 60.0)]
    assert [p.score for p in dash.trend] == [40.0, 50.0, 60.0]
    assert [p.moving_mean for p in dash.trend] == [40.0, 45.0, 50.0]
    assert dash.missed[0].criterion_id == weak
    assert (dash.missed[0].graded, dash.missed[0].missed, dash.missed[0].feedback) == (3, 3, f"Fix {weak}")
    assert [r.score for r in dash.history] == [60.0, 50.0, 40.0]
    assert dash.recommendation is not None
    assert dash.recommendation.why == "untried"
    assert dash.recommendation.kind == Kind.design_workflow  # untried kinds first, in order
    assert dash.comparison is not None
    assert dash.comparison.medians == {}  # two learners: too few to show a median
    assert dash.comparison.learners == {"explain_reasoning": 2}


def test_a_cohort_median_appears_once_enough_learners_stand_behind_it(engine, bank, people) -> None:
    ex = exercise_of(bank, Kind.explain_reasoning)
    with session_scope(engine) as s:
        extra = [get_or_create_user(s, f"peer{i}", f"Peer {i}") for i in range(3)]
        for u in extra:
            join_cohort(s, u, "SPRING01")
    for u, total in zip([people.learner, people.other_learner, *extra], [10, 20, 30, 40, 50], strict=True):
        put(engine, u, ex, float(total))
    with session_scope(engine) as s:
        comparison = progress.cohort_comparison(s, people.learner, people.cohort_id)
    assert comparison.medians == {"explain_reasoning": 30.0}


def test_the_next_exercise_is_in_the_weakest_kind_one_level_up(bank) -> None:
    pool = list(bank.exercises.values())

    def stat(kind, mean):
        return progress.KindStat(kind, 3, mean, mean)

    kinds = [stat(k, 80.0) for k in Kind if k != Kind.validate_output] + [stat(Kind.validate_output, 40.0)]
    easy = [e for e in pool if e.kind == Kind.validate_output and e.difficulty == 1]
    done = {e.id: (85.0, 85.0, 1) for e in easy}  # cleared level 1 in validate
    rec = progress.choose_next(kinds, done, pool)
    assert (rec.kind, rec.difficulty, rec.why) == (Kind.validate_output, 2, "weakest")
    assert rec.exercise_id not in done
    tried_but_low = {easy[0].id: (30.0, 30.0, 1)}  # not cleared: stay at level 1, another exercise
    again = progress.choose_next(kinds, tried_but_low, pool)
    assert (again.difficulty, again.exercise_id != easy[0].id) == (1, True)
    everything = {e.id: (70.0, 50.0 if e.id == easy[0].id else 90.0, 1) for e in pool}
    retry = progress.choose_next(kinds, everything, pool)
    assert (retry.exercise_id, retry.why) == (easy[0].id, "retry")
    assert progress.choose_next([], {}, []) is None


# --- assignments ----------------------------------------------------------------------------------


def test_assignments_and_who_has_done_them(engine, bank, people) -> None:
    ex = exercise_of(bank, Kind.explain_reasoning)
    other = exercise_of(bank, Kind.validate_output)
    with session_scope(engine) as s:
        assert (
            assignments.assign(s, people.instructor, people.cohort_id, [ex.id, other.id], now() + timedelta(days=3))
            == 2
        )
        assert assignments.assign(s, people.instructor, people.cohort_id, [ex.id], now() - timedelta(days=1)) == 0
    put(engine, people.learner, ex, 70.0)
    put(engine, people.learner, ex, 80.0)
    with session_scope(engine) as s:
        progress_rows = {
            a.exercise_id: a for a in assignments.assignment_progress(s, people.instructor, people.cohort_id)
        }
        mine = {a.exercise_id: a for a in assignments.learner_assignments(s, people.learner, people.learner.id)}
        summary = dashboards.cohort_dashboard(s, people.instructor, people.cohort_id).summary
    done = progress_rows[ex.id]
    # both attempts came after the (moved) due date: done, late, and no best score counted
    assert (done.learners, done.done, done.on_time, done.mean_best, done.completion) == (2, 1, 0, None, 0.5)
    assert (progress_rows[other.id].done, progress_rows[other.id].mean_best) == (0, None)
    assert (mine[ex.id].best, mine[other.id].best, mine[ex.id].cohort_name) == (None, None, "Spring cohort")
    assert summary.completion == 0.25
    with session_scope(engine) as s:
        assignments.unassign(s, people.instructor, people.cohort_id, other.id)
        assert [a.exercise_id for a in assignments.assignment_progress(s, people.instructor, people.cohort_id)] == [
            ex.id
        ]


def test_the_data_version_moves_with_every_change_a_dashboard_shows(engine, bank, people) -> None:
    with session_scope(engine) as s:
        before = dashboards.data_version(s)
    attempt_id = put(engine, people.learner, exercise_of(bank, Kind.explain_reasoning), 50.0)
    with session_scope(engine) as s:
        graded_once = dashboards.data_version(s)
        attempts.record_override(s, people.instructor, attempt_id, 60.0, "x")
    with session_scope(engine) as s:
        overridden = dashboards.data_version(s)
        assignments.assign(s, people.instructor, people.cohort_id, ["anything"])
    with session_scope(engine) as s:
        assigned = dashboards.data_version(s)
        join_cohort(s, people.outsider, "SPRING01")
    with session_scope(engine) as s:
        joined = dashboards.data_version(s)
    assert len({before, graded_once, overridden, assigned, joined}) == 5


# --- the demo generator ---------------------------------------------------------------------------


def test_the_bulk_demo_is_plausible(engine, bank) -> None:
    cohort_id = seed_demo(engine, bank, learners=60, attempts=24, cohort_size=25, learner_history=10)
    with session_scope(engine) as s:
        cohorts = s.exec(select(Cohort).order_by(col(Cohort.id))).all()
        assert cohorts[0].join_code == DEMO_COHORT_CODE
        assert len(cohorts) == 3
        assert s.exec(select(func.count()).select_from(Attempt)).one() == 60 * 24 + 10
        several = s.exec(select(Membership.user_id).group_by(col(Membership.user_id)).having(func.count() > 1)).all()
        assert several  # some learners attend two cohorts
        expected = expected_effective(s)
        for attempt in s.exec(select(Attempt)):
            assert (attempt.grade_id, attempt.score) == expected[attempt.id]
        rows = s.exec(select(Attempt.user_id, Attempt.kind, Attempt.score).order_by(col(Attempt.submitted_at))).all()
        instructor = s.exec(select(User).where(User.external_id == "demo-instructor")).one()
        dash = dashboards.cohort_dashboard(s, instructor, cohort_id)
    per_learner: dict[int, list[float]] = {}
    per_kind: dict[int, dict[str, list[float]]] = {}
    for user_id, kind, score in rows:
        per_learner.setdefault(user_id, []).append(score)
        per_kind.setdefault(user_id, {}).setdefault(kind, []).append(score)
    early = statistics.fmean(statistics.fmean(v[:6]) for v in per_learner.values() if len(v) >= 12)
    late = statistics.fmean(statistics.fmean(v[-6:]) for v in per_learner.values() if len(v) >= 12)
    assert late > early + 2  # learners improve with practice
    gaps = [
        max(statistics.fmean(v) for v in kinds.values()) - min(statistics.fmean(v) for v in kinds.values())
        for kinds in per_kind.values()
        if len(kinds) == 4
    ]
    assert sum(g > 15 for g in gaps) >= 5  # some learners struggle with one kind
    assert dash.summary.learners >= 25
    assert dash.summary.waiting_review > 0
    assert 0 < (dash.summary.completion or 0) <= 1
    assert len({round(p.mean_total or 0) for p in dash.learners}) > 10
    # bulk inserts used explicit ids: the next ordinary insert still gets a fresh one
    ex = exercise_of(bank, Kind.explain_reasoning)
    with session_scope(engine) as s:
        newcomer = get_or_create_user(s, "newcomer", "New Comer")
    assert put(engine, newcomer, ex, 50.0) > max(expected)
    assert math.isfinite(dash.summary.attempts)


def test_a_fresh_demo_has_open_due_soon_and_overdue_assignments(engine, bank) -> None:
    """Issue #19: on a fresh `make run` every demo assignment was already overdue."""
    seed_demo(engine, bank, learners=5, attempts=4)
    at = now()
    with session_scope(engine) as s:
        learner = s.exec(select(User).where(User.external_id == DEMO_LEARNER)).one()
        mine = assignments.learner_assignments(s, learner, learner.id)
    days = sorted(
        ((a.due.replace(tzinfo=UTC) if a.due.tzinfo is None else a.due) - at).total_seconds() / 86400 for a in mine
    )
    assert len(mine) == 8
    assert sum(d > 3 for d in days) >= 1  # open, with time to spare
    assert sum(0 < d <= 3 for d in days) == 1  # one due soon
    assert any(a.overdue(at) for a in mine)  # and one past its date

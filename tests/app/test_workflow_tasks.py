"""Design and find-failures end to end in the app: strong, weak and empty answers, the practice
simulation, and the before/after simulation of a learner's fixes."""

from __future__ import annotations

import pytest
from sqlmodel import select

from exercises import load_bank
from exercises.model import Kind
from exercises.submission import DesignSubmission, FindFailuresSubmission
from store.db import make_engine, session_scope
from store.models import CriterionRow
from tests.app.test_practice import answer_with, first, stored_attempts

BANK = load_bank()


def criterion_scores(db_url: str, grade_id: int) -> dict[str, float]:
    engine = make_engine(db_url)
    with session_scope(engine) as s:
        rows = s.exec(select(CriterionRow).where(CriterionRow.grade_id == grade_id)).all()
    engine.dispose()
    return {r.criterion_id: r.score for r in rows}


def naive(exercise):
    return next(c for c in exercise.golden if c.max_score <= 30).answer


@pytest.mark.parametrize("kind", [Kind.design_workflow, Kind.find_failures])
@pytest.mark.parametrize("quality", ["strong", "weak", "empty"])
def test_workflow_tasks_grade_strong_weak_and_empty(open_app, app_db, kind, quality) -> None:
    exercise = first(kind)
    empty = DesignSubmission() if kind == Kind.design_workflow else FindFailuresSubmission()
    answer = {"strong": exercise.reference, "weak": naive(exercise), "empty": empty}[quality]
    at = open_app(exercise.id)
    if quality != "empty":
        answer_with(at, exercise, answer)
    at.button(key="submit").click().run()
    assert not at.exception
    ((_, grade_row, _),) = stored_attempts(app_db)
    scores = criterion_scores(app_db, grade_row.id)
    key = "controls" if kind == Kind.design_workflow else "detection"
    if quality == "strong":
        assert grade_row.total >= 90
        assert scores[key] == 1.0
    elif quality == "weak":
        assert grade_row.total <= 30
        assert scores[key] < 0.5
        shown = " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)
        assert any(phrase in shown for phrase in ("Missed", "Problems", "not in the design", "point at no real fault"))
    else:
        assert grade_row.total <= 10
        assert max(scores.values()) == 0.0


def test_practice_simulation_of_a_draft_design(open_app, app_db) -> None:
    exercise = first(Kind.design_workflow)
    at = open_app(exercise.id)
    answer_with(at, exercise, exercise.reference)
    at.button(key=f"design:{exercise.id}:simulate").click().run()
    assert not at.exception
    labels = {m.label: m.value for m in at.metric}
    assert set(labels) >= {"Items with an uncaught error", "Cost per item", "Mean turnaround"}
    assert labels["Cost per item"].startswith("$")
    assert any("Worked out exactly" in c.value for c in at.caption)

    # The figures the learner tried are the ones the grade rests on, and the Sankey is drawn.
    at.button(key="submit").click().run()
    assert not at.exception
    ((_, grade_row, _),) = stored_attempts(app_db)
    simulation = grade_row.details["simulation"]
    assert simulation["exact"] is True
    assert labels["Items with an uncaught error"] == f"{simulation['error_rate']:.1%}"
    assert at.get("plotly_chart"), "the Sankey of where errors go is shown with the grade"


def test_the_fixes_are_simulated_before_and_after(open_app) -> None:
    exercise = first(Kind.find_failures)
    at = open_app(exercise.id)
    answer_with(at, exercise, exercise.reference)
    at.button(key="submit").click().run()
    assert not at.exception
    error_metric = next(m for m in at.metric if m.label == "Items with an uncaught error")
    assert error_metric.proto.delta.startswith("-")  # fixing the faults lowers the error rate

"""Design and find-failures end to end in the app: strong, weak and empty answers, the practice
simulation, and the before/after simulation of a learner's fixes."""

from __future__ import annotations

import pytest
from sqlmodel import select

from exercises import load_bank
from exercises.model import Kind
from exercises.submission import DesignSubmission, FindFailuresSubmission
from exercises.workflow import TOOL_KIND_LABELS
from store.db import make_engine, session_scope
from store.models import CriterionRow
from tests.app.test_practice import answer_with, first, stored_attempts
from ui.text import escape_markdown
from ui.tool_catalogue import money, seconds

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


def reads_from_options(at, step: int) -> list[str]:
    """The labels offered in "Reads from" on the builder's card number `step` (from 0)."""
    boxes = [m for m in at.multiselect if m.key and m.key.endswith(":inputs")]
    return list(boxes[step].options)


def source_labels(exercise) -> list[str]:
    return [f"{s.name} (source)" for s in exercise.sources]


def test_reads_from_offers_a_step_as_soon_as_it_is_added(open_app, app_db) -> None:
    """Issue #19 bug 4: a new step was not offered in "Reads from" until the page was reloaded,
    and typing its id there picked a similarly named source instead."""
    exercise = first(Kind.design_workflow)
    at = open_app(exercise.id)
    key = f"design:{exercise.id}:steps"
    at.button(key=f"{key}:add").click().run()
    (step_id,) = (t for t in at.text_input if t.key and t.key.endswith(":id"))
    step_id.set_value("first_pass").run()
    at.button(key=f"{key}:add").click().run()
    assert not at.exception
    sources = source_labels(exercise)
    assert reads_from_options(at, 0) == [*sources, "Step (step2)"]  # never itself
    assert reads_from_options(at, 1) == [*sources, "Step (first_pass)"]
    assert [m.value for m in at.multiselect if m.key.endswith(":inputs")][1] == ["first_pass"]
    # no free typing: an id that is no step is never turned into a similar source
    assert all(not m.proto.accept_new_options for m in at.multiselect if m.key.endswith(":inputs"))
    # an id made from the name counts too
    name = [t for t in at.text_input if t.key.endswith(":name")][1]
    at.text_input(key=name.key.removesuffix(":name") + ":id").set_value("").run()
    at.text_input(key=name.key).set_value("Second look").run()
    assert "Second look (second_look)" in reads_from_options(at, 0)


def test_the_tool_catalogue_is_shown_while_designing(open_app, app_db) -> None:
    exercise = first(Kind.design_workflow)
    at = open_app(exercise.id)
    names = [escape_markdown(BANK.tools[t].name) for t in exercise.tools]
    (listing,) = [m.value for m in at.markdown if all(name in m.value for name in names)]
    for tool_id in exercise.tools:  # every tool's cost, time and clearance, as written (escaped, so `$` is no formula)
        tool = BANK.tools[tool_id]
        assert escape_markdown(f"{money(tool.cost_per_item)} per item · {seconds(tool.latency_s)}") in listing
    assert listing.count("may receive") == len(exercise.tools)
    for tool_id in exercise.tools:  # the kind in words a learner reads ("AI model", not "Ai")
        assert TOOL_KIND_LABELS[BANK.tools[tool_id].kind] in listing


def test_each_card_button_names_its_step(open_app, app_db) -> None:
    """Screen readers list buttons by name: "Move up" three times says nothing of which step."""
    exercise = first(Kind.design_workflow)
    at = open_app(exercise.id)
    for _ in range(3):
        at.button(key=next(b.key for b in at.button if b.key.endswith(":add"))).click().run()
    names = [t for t in at.text_input if t.key.endswith(":name")]
    at.text_input(key=names[2].key).set_value("Draft letter *to* the customer, with the refund figure").run()
    labels = [b.label for b in at.button if b.key.endswith((":up", ":down", ":remove"))]
    assert labels[6:] == [
        "Move step 3 up",
        "Move step 3 down",
        "Remove step 3: Draft letter \\*to\\* the…",  # shortened at a word, escaped
    ]
    assert labels[:3] == ["Move step 1 up", "Move step 1 down", "Remove step 1: step1"]  # no name yet: its id
    assert len(set(labels)) == len(labels)


@pytest.mark.parametrize("kind", [Kind.design_workflow, Kind.find_failures])
def test_a_blank_answer_gets_no_encouraging_feedback(open_app, app_db, kind) -> None:
    """Issue #19 item 8: "Your fixes fit" was shown on a blank answer scored 0 %."""
    exercise = first(kind)
    at = open_app(exercise.id)
    at.button(key="submit").click().run()
    assert not at.exception
    assert any("Nothing was handed in" in i.value for i in at.info)
    shown = " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)
    ((_, grade_row, _),) = stored_attempts(app_db)
    engine = make_engine(app_db)
    with session_scope(engine) as s:
        feedback = [r.feedback for r in s.exec(select(CriterionRow).where(CriterionRow.grade_id == grade_row.id))]
    engine.dispose()
    assert not [f for f in feedback if f and f in shown]  # not one criterion's sentence on an empty answer


def test_the_builder_moves_removes_and_keeps_the_draft_over_a_reload(open_app, app_db) -> None:
    exercise = first(Kind.design_workflow)
    at = open_app(exercise.id)
    answer_with(at, exercise, exercise.reference)
    key = f"design:{exercise.id}:steps"
    reference = [s.id for s in exercise.reference.steps]

    def card_ids(app) -> list[str]:
        return [t.value for t in app.text_input if t.key.startswith(key) and t.key.endswith(":id")]

    assert card_ids(at) == reference
    uids = [r["uid"] for r in at.session_state[key]]
    at.button(key=f"{key}:{uids[1]}:up").click().run()
    assert card_ids(at) == [reference[1], reference[0], *reference[2:]]
    at.button(key=f"{key}:{uids[-1]}:remove").click().run()
    assert not at.exception
    assert card_ids(at) == [reference[1], reference[0], *reference[2:-1]]
    # the draft is stored as the learner changes it, so a new session (a reload) shows it
    again = open_app(exercise.id)
    assert card_ids(again) == [reference[1], reference[0], *reference[2:-1]]
    assert [m.value for m in again.multiselect if m.key.endswith(":inputs")] == [
        s.inputs for s in (exercise.reference.steps[1], exercise.reference.steps[0], *exercise.reference.steps[2:-1])
    ]

"""Practice as a demo learner in the real app (AppTest): open, answer, submit, see the stored grade."""

from __future__ import annotations

import pytest
from sqlmodel import select

from exercises import load_bank
from exercises.model import Kind
from grading import grade
from store.db import make_engine, session_scope
from store.demo import DEMO_LEARNER
from store.models import Attempt, GradeRow, SubmissionRow, User

BANK = load_bank()


def first(kind: Kind):
    return next(e for e in sorted(BANK.exercises.values(), key=lambda e: e.id) if e.kind == kind)


def answer_with(at, exercise, submission, scope: str = "") -> None:
    """Fill the exercise's form with a submission, the way the widgets receive it."""
    data = submission.model_dump(mode="json")
    if exercise.kind == Kind.explain_reasoning:
        at.text_area(key=f"{scope}explain:{exercise.id}:text").set_value(data["text"])
    elif exercise.kind == Kind.design_workflow:
        at.session_state[f"{scope}design:{exercise.id}:steps"] = data["steps"]  # the step builder's rows
        at.text_area(key=f"{scope}design:{exercise.id}:rationale").set_value(data["rationale"])
    elif exercise.kind == Kind.find_failures:
        at.session_state[f"{scope}failures:{exercise.id}:flags"] = {
            "edited_rows": {},
            "added_rows": data["flags"],
            "deleted_rows": [],
        }
    else:
        for m in data["marks"]:
            at.selectbox(key=f"{scope}validate:{exercise.id}:verdict:{m['claim']}").set_value(m["error_type"])
            at.text_input(key=f"{scope}validate:{exercise.id}:correction:{m['claim']}").set_value(m["correction"])
        at.text_area(key=f"{scope}validate:{exercise.id}:omissions").set_value("\n".join(data["omissions"]))
    at.run()
    assert not at.exception, at.exception


def stored_attempts(db_url: str) -> list[tuple[Attempt, GradeRow, SubmissionRow]]:
    engine = make_engine(db_url)
    with session_scope(engine) as s:
        rows = s.exec(
            select(Attempt, GradeRow, SubmissionRow)
            .join(GradeRow, GradeRow.attempt_id == Attempt.id)
            .join(SubmissionRow, SubmissionRow.attempt_id == Attempt.id)
            .join(User, User.id == Attempt.user_id)
            .where(User.external_id == DEMO_LEARNER)
        ).all()
    engine.dispose()
    return list(rows)


@pytest.mark.parametrize("kind", list(Kind))
def test_learner_submits_the_reference_and_sees_the_stored_grade(open_app, app_db, kind) -> None:
    exercise = first(kind)
    at = open_app(exercise.id)
    assert at.title[0].value == exercise.title
    answer_with(at, exercise, exercise.reference)
    at.button(key="submit").click().run()
    assert not at.exception, at.exception
    expected = grade(exercise, exercise.reference, tools=BANK.tools)
    assert at.metric[0].value == f"{expected.total:.0f} / 100"
    ((attempt, grade_row, submission),) = stored_attempts(app_db)
    assert attempt.exercise_id == exercise.id
    assert grade_row.total == expected.total >= 90
    assert submission.payload["kind"] == kind.value
    feedback = [m.value for m in at.markdown]
    assert any(c.title in v for c in expected.criteria for v in feedback)


def test_a_weak_design_gets_named_criterion_feedback(open_app, app_db) -> None:
    exercise = first(Kind.design_workflow)
    naive = next(c for c in exercise.golden if c.max_score <= 30)
    at = open_app(exercise.id)
    answer_with(at, exercise, naive.answer)
    at.button(key="submit").click().run()
    ((_, grade_row, _),) = stored_attempts(app_db)
    assert grade_row.total <= 30
    text = " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)
    assert "stages covered" in text


def test_an_invalid_answer_is_refused_with_reasons_and_the_draft_is_kept(open_app, app_db) -> None:
    exercise = first(Kind.design_workflow)
    at = open_app(exercise.id)
    bad_step = {"id": "Extract Totals!", "name": "Extract", "tool": None, "inputs": [], "share": 1.0}
    at.session_state[f"design:{exercise.id}:steps"] = [bad_step]
    at.run()
    at.button(key="submit").click().run()
    assert not at.exception
    (error,) = at.error
    assert "not ready to grade" in error.proto.body or "steps row 1" in error.value
    assert "steps row 1" in error.value
    assert stored_attempts(app_db) == []
    reopened = open_app(exercise.id)
    assert reopened.session_state["draft_base"][exercise.id]["steps"][0]["name"] == "Extract"


def test_the_draft_survives_a_reload(open_app) -> None:
    exercise = first(Kind.explain_reasoning)
    at = open_app(exercise.id)
    at.text_area(key=f"explain:{exercise.id}:text").set_value("Bottom line: we keep the doctor's sign-off.").run()
    again = open_app(exercise.id)
    assert again.text_area(key=f"explain:{exercise.id}:text").value == "Bottom line: we keep the doctor's sign-off."


def test_the_list_filters_by_sector_and_kind(open_app) -> None:
    at = open_app()
    at.pills(key="f_kind").set_value([Kind.explain_reasoning]).run()
    opened = {b.key.removeprefix("open:") for b in at.button if b.key and b.key.startswith("open:")}
    assert opened == {e.id for e in BANK.exercises.values() if e.kind == Kind.explain_reasoning}
    sector = first(Kind.explain_reasoning).sector
    at.pills(key="f_sector").set_value([sector]).run()
    opened = {b.key.removeprefix("open:") for b in at.button if b.key and b.key.startswith("open:")}
    assert opened == {e.id for e in BANK.exercises.values() if e.kind == Kind.explain_reasoning and e.sector == sector}


def test_the_list_shows_a_page_of_cards_at_a_time(open_app) -> None:
    at = open_app()
    every = BANK.filter()
    shown = [b.key.removeprefix("open:") for b in at.button if b.key and b.key.startswith("open:")]
    assert shown == [e.id for e in every[:12]]
    at.button(key="list_more").click().run()
    shown = [b.key.removeprefix("open:") for b in at.button if b.key and b.key.startswith("open:")]
    assert shown == [e.id for e in every[:24]]
    while any(b.key == "list_more" for b in at.button):
        at.button(key="list_more").click().run()
    shown = [b.key.removeprefix("open:") for b in at.button if b.key and b.key.startswith("open:")]
    assert shown == [e.id for e in every]


def test_progress_shows_the_attempt_and_learner_text_as_typed(open_app) -> None:
    exercise = first(Kind.explain_reasoning)
    at = open_app(exercise.id)
    typed = "**Not bold** <b>not html</b> [not a link](http://x)"
    at.text_area(key=f"explain:{exercise.id}:text").set_value(typed).run()
    at.button(key="submit").click().run()
    at.switch_page("pages/progress.py").run()
    assert not at.exception
    at.session_state["progress_tab"] = "Attempts"
    at.run()
    table = at.dataframe[0].value
    assert list(table["Exercise"]) == [exercise.title]
    assert not [m for m in at.markdown if "not html" in m.value]  # no attempt open until one is chosen
    picker = at.selectbox(key="progress_attempt")
    picker.select(picker.options[0]).run()
    answer = [m.value for m in at.markdown if "not html" in m.value]
    assert answer
    assert all("**Not" not in a and "<b>" not in a for a in answer)  # escaped, shown as typed


def test_the_cohort_page_is_for_instructors_only(open_app) -> None:
    learner = open_app()
    with pytest.raises(ValueError, match="not"):
        learner.switch_page("pages/cohort.py").run()
    instructor = open_app(role="instructor")
    instructor.switch_page("pages/cohort.py").run()
    assert not instructor.exception
    assert instructor.metric[0].value == "13"  # the demo learner and twelve generated learners
    names = list(instructor.dataframe[0].value["Learner"])
    assert "Alex Rivera (demo learner)" in names


def test_a_correction_on_a_claim_left_supported_is_not_dropped_silently(open_app, app_db) -> None:
    """Issue #19 bug 5: the correction vanished from the answer without a word."""
    exercise = next(e for e in sorted(BANK.exercises.values(), key=lambda e: e.id) if e.kind == Kind.validate_output)
    supported = next(n for n, c in enumerate(exercise.claims, start=1) if c.error is None)
    claim = exercise.claims[supported - 1]
    at = open_app(exercise.id)
    at.text_input(key=f"validate:{exercise.id}:correction:{claim.id}").set_value("The source says 12, not 14.").run()
    assert any(f"Claim {supported}" in w.value and "not graded" in w.value for w in at.warning)
    at.button(key="submit").click().run()
    assert any(f"Claim {supported}" in e.value for e in at.error)  # named again, and nothing is graded
    assert not at.exception


def shown_ids(at) -> list[str]:
    return [b.key.removeprefix("open:") for b in at.button if b.key and b.key.startswith("open:")]


def test_the_practice_list_searches_filters_clears_and_marks_progress(open_app, app_db) -> None:
    exercise = sorted(BANK.exercises.values(), key=lambda e: e.id)[0]
    at = open_app()
    everything = int(next(c.value for c in at.caption if "exercise(s)" in c.value).split()[0])
    assert at.button(key="clear_filters").disabled
    word = exercise.title.split()[-1]
    at.text_input(key="f_search").set_value(word).run()
    found = shown_ids(at)
    assert exercise.id in found
    assert len(found) < everything
    for b in at.button:  # each Open control is named by its exercise, for a screen reader
        if b.key and b.key.startswith("open:"):
            assert BANK.get(b.key.removeprefix("open:")).title in b.label
    at.pills(key="f_kind").set_value([Kind(exercise.kind)]).run()
    at.switch_page("pages/progress.py").run()  # filters persist across a visit elsewhere
    at.switch_page("pages/practice.py").run()
    assert at.text_input(key="f_search").value == word
    assert at.pills(key="f_kind").value == [Kind(exercise.kind)]
    at.button(key="clear_filters").click().run()
    assert at.text_input(key="f_search").value == ""
    assert int(next(c.value for c in at.caption if "exercise(s)" in c.value).split()[0]) == everything


def test_a_card_shows_done_with_the_best_score(open_app, app_db) -> None:
    exercise = next(e for e in sorted(BANK.exercises.values(), key=lambda e: e.id) if e.kind == Kind.explain_reasoning)
    at = open_app(exercise.id)
    answer_with(at, exercise, exercise.reference)
    at.button(key="submit").click().run()
    at.button(key="back").click().run()
    at.text_input(key="f_search").set_value(exercise.title).run()
    at.pills(key="f_status").set_value(["done"]).run()
    assert exercise.id in shown_ids(at)
    assert any("Done · best" in m.value for m in at.markdown)

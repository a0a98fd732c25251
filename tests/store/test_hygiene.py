"""Input hygiene at the model boundary: control characters never reach the database, so a NUL
byte cannot make PostgreSQL refuse one task's grade and drop it from the mean (issue 18, 3)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import col, select

from exercises.model import Kind
from exercises.plain_text import clean_text
from exercises.submission import ExplainSubmission, ValidateSubmission
from grading import grade
from store import attempts
from store.db import session_scope
from store.models import CriterionRow, GradeRow, User
from store.users import create_cohort, get_or_create_user

CONTROLS = "".join(chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, *range(0x80, 0xA0)])


@given(st.text())
def test_cleaned_text_holds_no_control_character_but_tab_and_newline(raw: str) -> None:
    cleaned = clean_text(raw)
    assert not any(ch in CONTROLS or "\ud800" <= ch <= "\udfff" for ch in cleaned)
    assert cleaned.count("\t") == raw.count("\t")
    assert clean_text(cleaned) == cleaned


def test_windows_line_ends_become_newlines() -> None:
    assert clean_text("a\r\nb\rc") == "a\nb\nc"


def test_submissions_are_cleaned_at_the_model_boundary() -> None:
    explain = ExplainSubmission(text='The cost rose "\x00 by 40 %"\x07.\tNext.\n')
    assert explain.text == 'The cost rose " by 40 %".\tNext.\n'
    marks = ValidateSubmission.model_validate(
        {"marks": [{"claim": "c1", "correction": "fix\x00ed"}], "omissions": ["gap\x1b"]}
    )
    assert marks.marks[0].correction == "fixed"
    assert marks.omissions == ["gap"]
    assert ExplainSubmission.salvage({"text": "a\x00b"}).text == "ab"


def test_a_nul_in_quoted_evidence_stores_every_criterion(engine, bank, people) -> None:
    """Before: PostgreSQL refused the criterion row quoting the NUL, and the task went missing."""
    exercise = next(e for e in sorted(bank.exercises.values(), key=lambda e: e.id) if e.kind == Kind.explain_reasoning)
    text = exercise.reference.text.replace(". ", '. "\x00" ', 1)  # type: ignore[attr-defined]
    submission = ExplainSubmission(text=text)
    result = grade(exercise, submission, tools=bank.tools)
    attempt_id = attempts.submit(engine, people.learner.id, exercise, submission, result, "nul-1")
    with session_scope(engine) as s:
        grade_row = s.exec(select(GradeRow).where(GradeRow.attempt_id == attempt_id)).one()
        stored = s.exec(select(CriterionRow).where(col(CriterionRow.grade_id) == grade_row.id)).all()
        assert {c.criterion_id for c in stored} == {c.id for c in result.criteria}
        assert all("\x00" not in c.evidence for c in stored)


def test_drafts_and_names_are_cleaned_too(engine, bank, people) -> None:
    exercise = next(iter(bank.exercises.values()))
    with session_scope(engine) as s:
        attempts.save_draft(s, people.learner.id, exercise, {"text": "dr\x00aft", "rows": [{"note": "x\x00"}]})
        user = get_or_create_user(s, "nul\x00user", "Eve\x00 \x1b[31mRed", "eve\x00@example.com")
        cohort = create_cohort(s, people.instructor, "Coh\x00ort")
    with session_scope(engine) as s:
        assert attempts.load_draft(s, people.learner.id, exercise.id) == {"text": "draft", "rows": [{"note": "x"}]}
        stored = s.get(User, user.id)
        assert stored is not None
        assert (stored.external_id, stored.name, stored.email) == ("nuluser", "Eve [31mRed", "eve@example.com")
        assert cohort.name == "Cohort"

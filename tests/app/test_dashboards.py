"""My progress and Cohort in the real app (AppTest, demo mode): who sees what, overrides as the
instructor makes them and the learner reads them, the review queue, cohorts and assignments,
and the CSV export against the database."""

from __future__ import annotations

import csv
import io
import uuid

from sqlmodel import col, select
from streamlit.runtime.media_file_manager import MediaFileManager

from exercises import load_bank
from exercises.kinds import KINDS
from exercises.model import Kind
from store import attempts
from store.db import make_engine, session_scope
from store.demo import DEMO_COHORT_CODE, DEMO_INSTRUCTOR, DEMO_LEARNER
from store.models import Assignment, Attempt, Cohort, CriterionRow, GradeRow, Membership, Role, User
from store.users import create_cohort, get_or_create_user, join_cohort
from tests.store.test_dashboards import graded
from ui.text import escape_markdown

BANK = load_bank()
EXERCISES = sorted(BANK.exercises.values(), key=lambda e: e.id)
VIEWS = [
    ":material/dashboard: Overview",
    ":material/person_search: Learners",
    ":material/quiz: Exercises",
    ":material/rate_review: Review queue",
    ":material/group: Members and assignments",
]


def first(kind: Kind, n: int = 0):
    return [e for e in EXERCISES if e.kind == kind][n]


def put(db_url: str, external_id: str, exercise, total: float, **kw) -> int:
    engine = make_engine(db_url)
    with session_scope(engine) as s:
        user = s.exec(select(User).where(User.external_id == external_id)).one()
    attempt_id = attempts.submit(
        engine, user.id, exercise, exercise.reference, graded(exercise, total, **kw), uuid.uuid4().hex
    )
    engine.dispose()
    return attempt_id


def query(db_url: str, statement):
    engine = make_engine(db_url)
    with session_scope(engine) as s:
        rows = list(s.exec(statement))
    engine.dispose()
    return rows


def page_text(at) -> str:
    """Everything a user can read on the page: text, tables, widget options, chart data."""
    parts = [
        e.value for kind in ("markdown", "caption", "title", "subheader", "info", "success") for e in getattr(at, kind)
    ]
    parts += [m.label + str(m.value) for m in at.metric]
    parts += [df.value.to_csv() for df in at.dataframe]
    parts += [str(o) for sb in at.selectbox for o in sb.options]
    parts += [c.proto.spec for c in at.get("plotly_chart")]
    return "\n".join(str(p) for p in parts)


def open_tab(at, label: str) -> None:
    """Select a tab of My progress (its tabs rerun the page and draw only the open one)."""
    at.session_state["progress_tab"] = label
    at.run()
    assert not at.exception


def learners_table(at) -> dict[str, dict]:
    frame = at.dataframe[0].value
    return {row["Learner"]: row for row in frame.to_dict(orient="records")}


def test_a_learner_sees_only_their_own_work(open_app, app_db) -> None:
    open_app()  # the first run seeds the demo cohort
    mine = [
        put(app_db, DEMO_LEARNER, first(Kind.explain_reasoning), 64.0),
        put(app_db, DEMO_LEARNER, first(Kind.validate_output), 41.0),
    ]
    at = open_app()
    at.switch_page("pages/progress.py").run()
    assert not at.exception
    shown = page_text(at)
    assert "median learner in Demo cohort" in shown  # the cohort appears only as its median
    assert not at.dataframe  # only the open tab (Competency) is drawn
    open_tab(at, "Attempts")
    assert not at.get("plotly_chart")
    history = at.dataframe[0].value
    assert list(history["Exercise"]) == [first(Kind.validate_output).title, first(Kind.explain_reasoning).title]
    assert list(history["Score"]) == [41.0, 64.0]
    assert len(at.selectbox(key="progress_attempt").options) == len(mine)
    others = list(
        query(
            app_db,
            select(User.name)
            .join(Membership, col(Membership.user_id) == col(User.id))
            .where(User.external_id != DEMO_LEARNER),
        )
    )
    assert len(others) >= 12
    assert not [name for name in others if name in shown + page_text(at)]
    # the recommendation takes the learner straight to the exercise
    at.button(key="progress_start").click().run()
    assert not at.exception
    assert at.query_params["exercise"]
    assert at.title[0].value == BANK.exercises[at.query_params["exercise"]].title


def test_an_instructor_sees_only_the_cohorts_they_teach(open_app, app_db) -> None:
    open_app(role="instructor")
    engine = make_engine(app_db)
    with session_scope(engine) as s:
        uma = get_or_create_user(s, "uma", "Uma Teacher", role=Role.instructor)
        create_cohort(s, uma, "Uma's cohort", join_code="UMA00001")
        zed = get_or_create_user(s, "zed", "Zed Stranger")
        join_cohort(s, zed, "UMA00001")
    engine.dispose()
    put(app_db, "zed", first(Kind.explain_reasoning), 77.0, flags=["needs_review"])
    at = open_app(role="instructor")
    at.switch_page("pages/cohort.py").run()
    assert not at.exception
    (demo_id,) = query(app_db, select(Cohort.id).where(Cohort.join_code == DEMO_COHORT_CODE))
    assert at.selectbox(key="cohort_pick").options == ["Demo cohort · Autumn 2026"]
    assert at.selectbox(key="cohort_pick").value == demo_id
    for view in VIEWS:
        at.session_state["cohort_view"] = view
        at.run()
        assert not at.exception, view
        assert "Zed Stranger" not in page_text(at), view
    # a new cohort of their own joins the list, with its join code
    at.session_state["cohort_view"] = VIEWS[0]
    at.text_input(key="new_cohort_name").set_value("Spring 2027")
    at.button(key="create_cohort").click().run()
    assert not at.exception
    assert at.selectbox(key="cohort_pick").options == ["Demo cohort · Autumn 2026", "Spring 2027"]
    (code,) = query(app_db, select(Cohort.join_code).where(Cohort.name == "Spring 2027"))
    assert code in at.success[0].value
    assert at.metric[0].value == "0"  # nobody has joined yet


def test_an_override_changes_the_dashboard_keeps_history_and_reaches_the_learner(open_app, app_db) -> None:
    open_app(role="instructor")
    exercise = first(Kind.explain_reasoning)
    attempt_id = put(app_db, DEMO_LEARNER, exercise, 30.0)
    at = open_app(role="instructor")
    at.switch_page("pages/cohort.py").run()
    alex = learners_table(at)["Alex Rivera (demo learner)"]
    assert (alex["Attempts"], alex["Mean"]) == (1, 30.0)
    (alex_id,) = query(app_db, select(User.id).where(User.external_id == DEMO_LEARNER))
    at.session_state["cohort_view"] = VIEWS[1]
    at.run()
    at.selectbox(key="cohort_learner").set_value(alex_id).run()
    assert at.selectbox(key="cohort_attempt").value == attempt_id
    next(n for n in at.number_input if n.label == "New total").set_value(80.0)
    next(t for t in at.text_area if t.label.startswith("Reason")).set_value(
        "Your risk section *was* right: <b>full marks</b> there."
    )
    next(b for b in at.button if b.label == "Save override").click().run()
    assert not at.exception
    # nothing is saved until the instructor confirms what the learner will see
    assert query(app_db, select(GradeRow.source).where(GradeRow.attempt_id == attempt_id)) == ["auto"]
    (ask,) = (w for w in at.warning if w.proto.title == "Save this override?")
    assert "**30.0** to **80.0**" in ask.value
    assert any("full marks" in m.value for m in at.markdown)
    next(b for b in at.button if b.label == "Confirm and save").click().run()
    assert not at.exception
    assert "80.0" in at.success[0].value
    grades = query(app_db, select(GradeRow).where(GradeRow.attempt_id == attempt_id).order_by(col(GradeRow.id)))
    assert [(g.source, g.total) for g in grades] == [("auto", 30.0), ("override", 80.0)]
    assert not [w for w in at.warning if w.proto.title == "Save this override?"]  # asked once, not again
    at.session_state["cohort_view"] = VIEWS[0]
    at.run()
    assert learners_table(at)["Alex Rivera (demo learner)"]["Mean"] == 80.0
    # the learner reads the new grade, who set it and why, exactly as typed
    learner = open_app()
    learner.switch_page("pages/progress.py").run()
    open_tab(learner, "Attempts")
    assert learner.dataframe[0].value["Score"].tolist() == [80.0]
    learner.selectbox(key="progress_attempt").select(attempt_id).run()
    note = next(i for i in learner.info if "full marks" in i.value)
    assert note.proto.title == "Grade set by Sam Okafor (demo instructor)"
    assert "<b>" not in note.value  # shown as typed, never as HTML
    assert "\\<b\\>" in note.value
    assert "Earlier grades: 30" in " ".join(c.value for c in learner.caption)


def test_the_review_queue_shows_flagged_work_beside_its_grade(open_app, app_db) -> None:
    open_app(role="instructor")
    exercise = first(Kind.explain_reasoning)
    flagged = put(
        app_db,
        DEMO_LEARNER,
        exercise,
        35.0,
        flags=["possible_injection", "needs_review"],
        details={"deterministic_total": 35.0},
    )
    at = open_app(role="instructor")
    at.switch_page("pages/cohort.py").run()
    at.session_state["cohort_view"] = VIEWS[3]
    at.run()
    assert not at.exception
    assert [m.label for m in at.metric] == ["Score"]  # only the open tab runs: no overview figures here
    before = next(c.value for c in at.caption if "wait for a person" in c.value)
    at.selectbox(key="review_pick").set_value(flagged).run()
    assert at.selectbox(key="review_pick").value == flagged
    opening = escape_markdown(exercise.reference.text.split(". ")[0])
    assert any(m.value.startswith(opening) for m in at.markdown)  # the submission, as typed
    assert any("addressed to the grader" in w.value for w in at.warning)  # beside the grade and its flags
    at.button(key="review_override_confirm").click().run()
    assert not at.exception
    assert "confirmed" in at.success[0].value
    after = next((c.value for c in at.caption if "wait for a person" in c.value), "0")  # none left: no count
    assert int(after.split()[0]) == int(before.split()[0]) - 1
    grades = query(app_db, select(GradeRow).where(GradeRow.attempt_id == flagged).order_by(col(GradeRow.id)))
    assert [(g.source, g.total) for g in grades] == [("auto", 35.0), ("override", 35.0)]


def test_instructors_assign_exercises_and_learners_join_and_see_them(open_app, app_db) -> None:
    at = open_app(role="instructor")
    at.switch_page("pages/cohort.py").run()
    at.text_input(key="new_cohort_name").set_value("Evening group")
    at.button(key="create_cohort").click().run()
    ((cohort_id, code),) = query(app_db, select(Cohort.id, Cohort.join_code).where(Cohort.name == "Evening group"))
    exercise = first(Kind.find_failures)
    at.session_state["cohort_view"] = VIEWS[4]
    at.run()
    at.multiselect(key="assign_exercises").set_value([exercise.id])
    next(b for b in at.button if b.label == "Assign").click().run()
    assert not at.exception
    assert [a.exercise_id for a in query(app_db, select(Assignment).where(Assignment.cohort_id == cohort_id))] == [
        exercise.id
    ]
    learner = open_app()
    learner.switch_page("pages/progress.py").run()
    learner.text_input(key="progress_join_code").set_value(code.lower())
    learner.button(key="progress_join").click().run()
    assert not learner.exception
    assert set(learner.selectbox(key="progress_cohort").options) == {"Demo cohort · Autumn 2026", "Evening group"}
    assert any("9 to do" in e.label for e in learner.expander)  # the demo cohort's eight and this one
    links = learner.table[0].value["Exercise"].tolist()  # each linked to the exercise
    assert f"[{escape_markdown(exercise.title)}](/?exercise={exercise.id})" in links
    learner.text_input(key="progress_join_code").set_value("NOSUCH99")
    learner.button(key="progress_join").click().run()
    assert "No cohort has that code" in learner.error[0].value


def test_the_csv_export_matches_the_database(open_app, app_db, monkeypatch) -> None:
    downloads = {}
    original = MediaFileManager.add_deferred

    def spy(self, data_callable, mimetype, coordinates, file_name=None, **kw):
        downloads[file_name] = data_callable
        return original(self, data_callable, mimetype, coordinates, file_name, **kw)

    monkeypatch.setattr(MediaFileManager, "add_deferred", spy)
    open_app(role="instructor")
    overridden = put(app_db, DEMO_LEARNER, first(Kind.explain_reasoning), 45.0)
    engine = make_engine(app_db)
    with session_scope(engine) as s:
        sam = s.exec(select(User).where(User.external_id == DEMO_INSTRUCTOR)).one()
        attempts.record_override(s, sam, overridden, 58.0, "Reconsidered")
    engine.dispose()
    at = open_app(role="instructor")
    at.switch_page("pages/cohort.py").run()
    (demo_id,) = query(app_db, select(Cohort.id).where(Cohort.join_code == DEMO_COHORT_CODE))
    body = downloads[f"baton-cohort-{demo_id}-attempts.csv"]()
    rows = list(csv.DictReader(io.StringIO(body)))
    expected = query(
        app_db,
        select(Attempt, User)
        .join(Membership, col(Membership.user_id) == col(Attempt.user_id))
        .join(User, col(User.id) == col(Attempt.user_id))
        .where(Membership.cohort_id == demo_id, Membership.role == Role.learner, col(Attempt.score).is_not(None))
        .order_by(col(Attempt.id)),
    )
    criteria = {
        (c.grade_id, c.criterion_id): c.score
        for c in query(
            app_db, select(CriterionRow).where(col(CriterionRow.grade_id).in_([a.grade_id for a, _ in expected]))
        )
    }
    assert len(rows) == len(expected) == 12 * 8 + 1
    for row, (attempt, user) in zip(rows, expected, strict=True):
        assert int(row["attempt_id"]) == attempt.id
        assert row["learner"] == user.name
        assert (row["exercise_id"], row["kind"], row["sector"]) == (attempt.exercise_id, attempt.kind, attempt.sector)
        assert float(row["score"]) == attempt.score
        assert row["graded_by"] == (attempt.grade_source or "auto")
        assert row["flags"] == (attempt.grade_flags or "")
        for criterion_id in KINDS[attempt.kind].criteria:
            assert float(row[f"{attempt.kind}.{criterion_id}"]) == criteria[(attempt.grade_id, criterion_id)]
    mine = next(r for r in rows if int(r["attempt_id"]) == overridden)
    assert (mine["score"], mine["auto_score"], mine["override_reason"]) == ("58.0", "45.0", "Reconsidered")


def test_the_review_queue_resets_the_form_for_each_grade_and_steps_through_it(open_app, app_db) -> None:
    """Issue #19 bug 2: "New total" kept the previous grade's value on moving to the next item."""
    open_app(role="instructor")
    exercise = first(Kind.explain_reasoning)
    low = put(app_db, DEMO_LEARNER, exercise, 35.0, flags=["needs_review"], details={"deterministic_total": 35.0})
    high = put(app_db, DEMO_LEARNER, exercise, 81.0, flags=["needs_review"], details={"deterministic_total": 81.0})
    at = open_app(role="instructor")
    at.switch_page("pages/cohort.py").run()
    at.session_state["cohort_view"] = VIEWS[3]
    at.run()
    order = list(at.selectbox(key="review_pick").options)
    at.selectbox(key="review_pick").set_value(low).run()
    total = next(n for n in at.number_input if n.label == "New total")
    assert total.value == 35.0
    total.set_value(50.0).run()  # typed, then the instructor moves on without saving
    at.button(key="review_next").click().run()
    assert not at.exception
    assert at.selectbox(key="review_pick").value == high
    assert next(n for n in at.number_input if n.label == "New total").value == 81.0
    at.button(key="review_prev").click().run()
    assert at.selectbox(key="review_pick").value == low
    assert len(order) >= 2


def test_a_submission_under_review_is_shown_in_words(open_app, app_db) -> None:
    open_app(role="instructor")
    exercise = first(Kind.validate_output)
    flagged = put(app_db, DEMO_LEARNER, exercise, 40.0, flags=["needs_review"], details={"deterministic_total": 40.0})
    at = open_app(role="instructor")
    at.switch_page("pages/cohort.py").run()
    at.session_state["cohort_view"] = VIEWS[3]
    at.run()
    at.selectbox(key="review_pick").set_value(flagged).run()
    shown = next(df.value for df in at.dataframe if "Verdict" in df.value.columns)
    mark = exercise.reference.marks[0]
    claim = next(c for c in exercise.claims if c.id == mark.claim)
    assert any(claim.text in cell for cell in shown["Claim"])
    assert mark.error_type.value not in set(shown["Verdict"])  # a label, not the raw code
    assert mark.claim not in set(shown["Claim"])


def test_my_progress_marks_overdue_work_and_tells_of_an_instructors_grade(open_app, app_db) -> None:
    from datetime import UTC, datetime, timedelta

    at = open_app()  # the demo cohort and its learner
    (cohort_id,) = query(app_db, select(Cohort.id).where(Cohort.join_code == DEMO_COHORT_CODE))
    late, graded_one = first(Kind.find_failures, 1), first(Kind.explain_reasoning)
    engine = make_engine(app_db)
    with session_scope(engine) as s:
        s.add(Assignment(cohort_id=cohort_id, exercise_id=late.id, due=datetime.now(UTC) - timedelta(days=2)))
    engine.dispose()
    attempt_id = put(app_db, DEMO_LEARNER, graded_one, 30.0)
    teacher = open_app(role="instructor")
    engine = make_engine(app_db)
    with session_scope(engine) as s:
        instructor = s.exec(select(User).where(User.external_id == DEMO_INSTRUCTOR)).one()
        attempts.record_override(s, instructor, attempt_id, 75.0, "The risk is stated after all.")
    engine.dispose()
    assert not teacher.exception
    at.switch_page("pages/progress.py").run()
    rows = at.table[0].value.to_dict(orient="records")
    mine = next(r for r in rows if r["Exercise"].endswith(f"(/?exercise={late.id})"))
    assert mine["Status"] == ":red[**Overdue**]"
    statuses = [r["Status"] == ":red[**Overdue**]" for r in rows]
    assert statuses == sorted(statuses, reverse=True)  # overdue first
    assert any("overdue" in e.label for e in at.expander)
    notice = next(i.value for i in at.info if "instructor reviewed" in i.value)
    assert escape_markdown(graded_one.title) in notice
    assert "now 75" in notice
    open_tab(at, "Attempts")
    assert at.dataframe[0].value["Score"].dtype.kind == "f"  # numbers, shown as numbers


def test_a_cancelled_override_saves_nothing(open_app, app_db) -> None:
    """Issue #19: the review queue asks before an override is saved; cancel leaves the grade alone."""
    open_app(role="instructor")
    exercise = first(Kind.explain_reasoning)
    flagged = put(app_db, DEMO_LEARNER, exercise, 42.0, flags=["needs_review"], details={"deterministic_total": 42.0})
    at = open_app(role="instructor")
    at.switch_page("pages/cohort.py").run()
    at.session_state["cohort_view"] = VIEWS[3]
    at.run()
    at.selectbox(key="review_pick").set_value(flagged).run()
    criterion = exercise.rubric[0]
    editor = next(df for df in at.dataframe if df.proto.editing_mode)
    at.session_state[editor.key] = {"edited_rows": {0: {"Score %": 100}}, "added_rows": [], "deleted_rows": []}
    next(t for t in at.text_area if t.label.startswith("Reason")).set_value("The first point is made.")
    next(b for b in at.button if b.label == "Save override").click().run()
    assert not at.exception
    (ask,) = (w for w in at.warning if w.proto.title == "Save this override?")
    assert "**42.0** to **" in ask.value
    assert "**42.0** to **42.0**" not in ask.value  # the total the changed criterion leads to
    assert any(criterion.title in m.value and "100%" in m.value for m in at.markdown)
    next(b for b in at.button if b.label == "Cancel").click().run()
    assert not at.exception
    assert any("nothing was saved" in i.value for i in at.info)
    assert not [w for w in at.warning if w.proto.title == "Save this override?"]
    assert query(app_db, select(GradeRow.source).where(GradeRow.attempt_id == flagged)) == ["auto"]

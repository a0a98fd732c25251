"""The grader-reliability page: agreement from the instructor's own overrides, and a regrade of
the cohort that runs on the server and survives a reload."""

from __future__ import annotations

import time

from sqlmodel import select

from store import attempts
from store.db import make_engine, session_scope
from store.demo import DEMO_INSTRUCTOR
from store.job_models import Job, JobStatus
from store.models import Attempt, User


def test_an_override_appears_in_the_agreement_table(open_app, app_db) -> None:
    def reviews_of_totals() -> int:
        at = open_app(role="instructor")
        at.switch_page("pages/reliability.py").run()
        assert not at.exception, at.exception
        if not at.dataframe:
            return 0
        assert at.get("download_button")
        table = at.dataframe[0].value
        return int(table[table["Criterion"] == "Total"]["Reviews"].sum())

    open_app()  # creates the demo cohort (whose generated history may hold reviews of its own)
    before = reviews_of_totals()
    engine = make_engine(app_db)
    with session_scope(engine) as s:
        teacher = s.exec(select(User).where(User.external_id == DEMO_INSTRUCTOR)).one()
        attempt = s.exec(select(Attempt).order_by(Attempt.id)).first()
        attempts.record_override(s, teacher, attempt.id, 12.0, "Misses the irreversible step.")
    engine.dispose()
    assert reviews_of_totals() == before + 1


def test_a_regrade_runs_in_the_background_and_shows_progress(open_app, app_db) -> None:
    at = open_app(role="instructor")
    at.switch_page("pages/reliability.py").run()
    at.button(key="regrade_start").click().run()
    assert not at.exception, at.exception
    engine = make_engine(app_db)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with session_scope(engine) as s:
            job = s.exec(select(Job)).one()
            if job.status == JobStatus.done:
                break
        time.sleep(0.2)
    engine.dispose()
    assert job.status == JobStatus.done
    assert job.done == job.total > 0
    reloaded = open_app(role="instructor")  # a new session: the job's state comes from the database
    reloaded.switch_page("pages/reliability.py").run()
    assert any("done" in (p.proto.text or "") for p in reloaded.get("progress"))

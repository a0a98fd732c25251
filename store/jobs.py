"""Bulk regrading that runs outside the page that started it.

A job lists its scope (a cohort, optionally one exercise); a worker thread grades every graded
attempt in scope with the current grader and adds a grade row for each. The database is the
only state: a reload shows progress, a restarted server resumes the job, and each attempt is
graded once per job because its item row and its new grade are written in one transaction under
a unique (job, attempt) key."""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from datetime import timedelta
from functools import partial
from typing import Any

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from exercises.loader import Bank
from exercises.submission import SUBMISSION_ADAPTER
from grading.llm_judge import map_bounded
from grading.model import Grade, Scorer
from store.access import AccessDenied, require_teaches
from store.attempts import _add_grade, machine_source
from store.db import session_scope
from store.job_models import Job, JobItem, JobStatus
from store.models import Attempt, AttemptStatus, Membership, Role, SubmissionRow, User, now

log = logging.getLogger(__name__)
STALE_AFTER = timedelta(seconds=60)  # a running job with no heartbeat for this long is resumed
BATCH = 20
_running: dict[int, threading.Thread] = {}  # per process: which jobs have a live worker here
_lock = threading.Lock()


def _scope(job: Job) -> Any:
    learners = select(Membership.user_id).where(Membership.cohort_id == job.cohort_id, Membership.role == Role.learner)
    query = select(Attempt.id).where(
        col(Attempt.user_id).in_(learners),
        Attempt.status == AttemptStatus.graded,
        col(Attempt.cohort_id).is_(None) | (col(Attempt.cohort_id) == job.cohort_id),  # not other cohorts' exams
    )
    if job.exercise_id:
        query = query.where(Attempt.exercise_id == job.exercise_id)
    return query


def create_regrade(session: Session, viewer: User, cohort_id: int, exercise_id: str | None = None) -> Job:
    require_teaches(session, viewer, cohort_id)
    job = Job(kind="regrade", cohort_id=cohort_id, exercise_id=exercise_id or None, created_by=viewer.id)
    job.total = int(session.exec(select(func.count()).select_from(_scope(job).subquery())).one())
    session.add(job)
    session.flush()
    return job


def job_for(session: Session, viewer: User, job_id: int) -> Job:
    job = session.get(Job, job_id)
    if job is None or job.cohort_id is None:
        raise AccessDenied(f"no job {job_id}")
    require_teaches(session, viewer, job.cohort_id)
    return job


def cohort_jobs(session: Session, viewer: User, cohort_id: int, limit: int = 5) -> list[Job]:
    require_teaches(session, viewer, cohort_id)
    return list(session.exec(select(Job).where(Job.cohort_id == cohort_id).order_by(col(Job.id).desc()).limit(limit)))


def _claim(engine: Engine, job_id: int) -> bool:
    """Become the job's only worker: it is queued, or running with a stale heartbeat."""
    cutoff = now() - STALE_AFTER
    with session_scope(engine) as session:
        claimed = session.execute(
            update(Job)
            .where(
                col(Job.id) == job_id,
                (col(Job.status) == JobStatus.queued)
                | ((col(Job.status) == JobStatus.running) & (col(Job.heartbeat_at) < cutoff)),
            )
            .values(status=JobStatus.running, heartbeat_at=now())
        )
        return bool(claimed.rowcount)  # type: ignore[attr-defined]


def _grade_item(
    attempt_id: int, payloads: Mapping[int | None, tuple[str, int, Mapping[str, Any]]], bank: Bank, score: Scorer
) -> tuple[int, Grade | None, str | None]:
    exercise_id, seed, payload = payloads.get(attempt_id, (None, 0, None))
    exercise = bank.variant(exercise_id, seed) if exercise_id else None  # the variant it answered
    if exercise is None or payload is None:
        return attempt_id, None, "exercise or submission no longer available"
    try:
        return attempt_id, score(exercise, SUBMISSION_ADAPTER.validate_python(payload)), None
    except Exception as exc:  # one bad item must not stop the job
        log.warning("regrade of attempt %s failed: %s", attempt_id, type(exc).__name__)  # no learner text
        return attempt_id, None, f"{type(exc).__name__}: {exc}"[:300]


def run_regrade(engine: Engine, job_id: int, bank: Bank, score: Scorer, workers: int = 4) -> None:
    """Grade every pending attempt of the job; safe to call again after a crash."""
    if not _claim(engine, job_id):
        return
    try:
        while True:
            with session_scope(engine) as session:
                job = session.get(Job, job_id)
                assert job is not None
                done = select(JobItem.attempt_id).where(JobItem.job_id == job_id)
                pending = list(
                    session.exec(_scope(job).where(col(Attempt.id).not_in(done)).order_by(col(Attempt.id)).limit(BATCH))
                )
                rows = session.exec(
                    select(Attempt.id, Attempt.exercise_id, Attempt.variant_seed, SubmissionRow.payload)
                    .join(SubmissionRow, col(SubmissionRow.attempt_id) == col(Attempt.id))
                    .where(col(Attempt.id).in_(pending))
                ).all()
            if not pending:
                break
            payloads = {attempt_id: (exercise_id, seed, payload) for attempt_id, exercise_id, seed, payload in rows}

            grade_one = partial(_grade_item, payloads=payloads, bank=bank, score=score)
            for attempt_id, result, error in map_bounded(grade_one, pending, workers):
                try:
                    with session_scope(engine) as session:
                        item = JobItem(job_id=job_id, attempt_id=attempt_id, error=error)
                        session.add(item)
                        session.flush()  # the unique (job, attempt) key: a second worker stops here
                        if result is not None:
                            item.grade_id = _add_grade(session, attempt_id, result, machine_source(result)).id
                except IntegrityError:
                    continue
            with session_scope(engine) as session:
                counts = session.exec(
                    select(func.count(), func.count(col(JobItem.error))).where(JobItem.job_id == job_id)
                ).one()
                session.execute(
                    update(Job)
                    .where(col(Job.id) == job_id)
                    .values(done=int(counts[0]) - int(counts[1]), failed=int(counts[1]), heartbeat_at=now())
                )
        with session_scope(engine) as session:
            session.execute(update(Job).where(col(Job.id) == job_id).values(status=JobStatus.done, heartbeat_at=now()))
    except Exception as exc:
        log.error("regrade job %s failed: %s", job_id, type(exc).__name__)  # a traceback could quote answers
        with session_scope(engine) as session:
            session.execute(
                update(Job).where(col(Job.id) == job_id).values(status=JobStatus.failed, message=str(exc)[:500])
            )


def start_in_background(engine: Engine, job_id: int, bank: Bank, score: Scorer) -> bool:
    """Start (or resume) the job on a worker thread of this server process; False if one runs here."""
    with _lock:
        thread = _running.get(job_id)
        if thread is not None and thread.is_alive():
            return False
        thread = threading.Thread(
            target=run_regrade, args=(engine, job_id, bank, score), name=f"regrade-{job_id}", daemon=True
        )
        _running[job_id] = thread
        thread.start()
        return True

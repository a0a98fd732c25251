"""Timed mock assessments: assigning them, sitting them against the server's clock, and
grading a sitting only when it is submitted (or its time runs out).

The clock is a parameter (`now`), so the time limit is tested without sleeping."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select
from sqlmodel.sql.expression import SelectOfScalar

from exercises.assessment import draw, unseen_seed
from exercises.kinds import KINDS, task_kind
from exercises.loader import Bank
from exercises.model import AnyExercise
from exercises.plain_text import clean_payload, clean_text
from exercises.submission import AnySubmission, is_blank
from grading.model import CriterionScore, Flag, Grade, Scorer
from store import attempts, integrity
from store.access import AccessDenied, require_teaches
from store.assessment_models import Assessment, ExtraSitting, Sitting, SittingAnswer, SittingStatus
from store.db import session_scope
from store.models import AttemptMode, Membership, Role, User
from store.models import now as wall_clock

log = logging.getLogger(__name__)
IDLE_S = 120.0  # a pause between two saves of a task counts at most this much towards time on task


class AssessmentClosed(RuntimeError):
    """The assessment cannot be started now: outside its window, or no sittings left."""


@dataclass(frozen=True)
class Offer:
    assessment: Assessment
    used: int
    allowed: int
    is_open: bool

    @property
    def can_start(self) -> bool:
        return self.is_open and self.used < self.allowed


@dataclass(frozen=True)
class SittingRow:
    user_id: int
    name: str
    status: str  # not_started, in_progress, submitted, timed_out
    started_at: datetime | None
    total: float | None


def _aware(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; they are UTC."""
    from datetime import UTC

    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def _is_open(assessment: Assessment, now: datetime) -> bool:
    opens, closes = _aware(assessment.opens_at), _aware(assessment.closes_at)
    return (opens is None or opens <= now) and (closes is None or now < closes)


def create_assessment(
    session: Session,
    author: User,
    title: str,
    exercise_ids: list[str],
    time_limit_s: int,
    cohort_id: int | None = None,
    sector: str | None = None,
    level: int = 2,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
) -> Assessment:
    if cohort_id is not None:
        require_teaches(session, author, cohort_id)
    if time_limit_s < 60:
        raise ValueError("a time limit is at least a minute")
    if opens_at and closes_at and closes_at <= opens_at:
        raise ValueError("the window must close after it opens")
    assessment = Assessment(
        title=clean_text(title).strip()[:200] or "Mock assessment",
        cohort_id=cohort_id,
        sector=sector,
        level=level,
        exercise_ids=list(exercise_ids),
        time_limit_s=time_limit_s,
        opens_at=opens_at,
        closes_at=closes_at,
        created_by=author.id,
    )
    session.add(assessment)
    session.flush()
    return assessment


def _may_sit(session: Session, user: User, assessment: Assessment) -> bool:
    if assessment.cohort_id is None:
        return assessment.created_by == user.id
    member = session.exec(
        select(Membership.id).where(
            Membership.cohort_id == assessment.cohort_id, Membership.user_id == user.id, Membership.role == Role.learner
        )
    ).first()
    return member is not None


def _used_and_allowed(session: Session, user_id: int, assessment_id: int) -> tuple[int, int]:
    used = session.exec(
        select(func.count())
        .select_from(Sitting)
        .where(Sitting.assessment_id == assessment_id, Sitting.user_id == user_id)
    ).one()
    extra = session.exec(
        select(func.count())
        .select_from(ExtraSitting)
        .where(ExtraSitting.assessment_id == assessment_id, ExtraSitting.user_id == user_id)
    ).one()
    return int(used), 1 + int(extra)


def offers(session: Session, user: User, now: datetime) -> list[Offer]:
    """Assessments this learner may see: assigned to their cohorts, or set by themselves."""
    cohorts = select(Membership.cohort_id).where(Membership.user_id == user.id, Membership.role == Role.learner)
    found = session.exec(
        select(Assessment)
        .where(
            col(Assessment.cohort_id).in_(cohorts)
            | (col(Assessment.created_by) == user.id) & col(Assessment.cohort_id).is_(None)
        )
        .order_by(col(Assessment.id).desc())
    ).all()
    result = []
    for a in found:
        assert a.id is not None
        assert user.id is not None
        used, allowed = _used_and_allowed(session, user.id, a.id)
        result.append(Offer(a, used, allowed, _is_open(a, now)))
    return result


def active_sitting(session: Session, user: User) -> Sitting | None:
    return session.exec(
        select(Sitting).where(Sitting.user_id == user.id, Sitting.status == SittingStatus.in_progress)
    ).first()


def start(session: Session, user: User, assessment_id: int, now: datetime, bank: Bank | None = None) -> Sitting:
    """Open a sitting. For a cohort's assessment (with the bank given) the sitting draws its own
    exercises, one per kind at the assessment's sector and level, from what this learner has not
    practised where the bank allows, with a fresh random seed kept on the sitting: cohort-mates
    cannot share a predictable paper.
    Each parameterised task is a variant this learner has not seen (in practice or in an
    earlier sitting)."""
    assessment = session.get(Assessment, assessment_id)
    if assessment is None or not _may_sit(session, user, assessment):
        raise AccessDenied(f"no assessment {assessment_id} for this user")
    if active_sitting(session, user) is not None:
        raise AssessmentClosed("finish the assessment you are sitting first")
    if not _is_open(assessment, now):
        raise AssessmentClosed("this assessment is not open now")
    assert user.id is not None
    used, allowed = _used_and_allowed(session, user.id, assessment_id)
    if used >= allowed:
        raise AssessmentClosed("you have already sat this assessment; your instructor can allow another attempt")
    deadline = now + timedelta(seconds=assessment.time_limit_s)
    closes = _aware(assessment.closes_at)
    if closes is not None:
        deadline = min(deadline, closes)
    sitting = Sitting(
        assessment_id=assessment_id, user_id=user.id, number=used + 1, started_at=now, deadline_at=deadline
    )
    if bank is not None and assessment.cohort_id is not None:
        sitting.draw_seed = secrets.randbits(62)
        avoid = integrity.practised(session, user.id)
        picked = draw(bank, assessment.sector, assessment.level, seed=sitting.draw_seed, avoid=avoid)
        sitting.exercise_ids = [e.id for e in picked]
    if bank is not None:
        tasks = sitting.tasks(assessment)
        seen = attempts.seen_variants(session, user.id, tasks)
        sitting.variant_seeds = {eid: unseen_seed(bank, eid, seen[eid]) or 0 for eid in tasks}
    session.add(sitting)
    session.flush()
    return sitting


def sitting_for(session: Session, viewer: User, sitting_id: int) -> tuple[Sitting, Assessment]:
    sitting = session.get(Sitting, sitting_id)
    if sitting is None:
        raise AccessDenied(f"no sitting {sitting_id}")
    assessment = session.get(Assessment, sitting.assessment_id)
    assert assessment is not None
    if sitting.user_id != viewer.id and viewer.role != Role.admin:
        if assessment.cohort_id is None or viewer.role != Role.instructor:
            raise AccessDenied(f"sitting {sitting_id} is not yours")
        require_teaches(session, viewer, assessment.cohort_id)
    return sitting, assessment


def closes(assessment: Assessment) -> datetime | None:
    """When the assessment's window closes (UTC), if it has one."""
    return _aware(assessment.closes_at)


def sitting_exercises(bank: Bank, sitting: Sitting, assessment: Assessment) -> dict[str, AnyExercise | None]:
    """The tasks as this sitting asks them (its own draw, its variants), in order."""
    seeds = sitting.variant_seeds or {}
    return {eid: bank.variant(eid, int(seeds.get(eid, 0))) for eid in sitting.tasks(assessment)}


def deadline(sitting: Sitting) -> datetime:
    value = _aware(sitting.deadline_at)
    assert value is not None
    return value


def drafts(session: Session, sitting_id: int) -> dict[str, dict]:
    rows = session.exec(select(SittingAnswer).where(SittingAnswer.sitting_id == sitting_id)).all()
    return {r.exercise_id: r.draft or {} for r in rows}


def save_draft(session: Session, user: User, sitting_id: int, exercise_id: str, payload: dict, now: datetime) -> bool:
    """Keep a draft; False when the sitting is over (the clock ran out or it was submitted)."""
    sitting, assessment = sitting_for(session, user, sitting_id)
    if sitting.user_id != user.id or exercise_id not in sitting.tasks(assessment):
        raise AccessDenied("not your sitting or not its exercise")
    if sitting.status != SittingStatus.in_progress or now >= deadline(sitting):
        return False
    row = session.exec(
        select(SittingAnswer).where(SittingAnswer.sitting_id == sitting_id, SittingAnswer.exercise_id == exercise_id)
    ).first()
    row = row or SittingAnswer(sitting_id=sitting_id, exercise_id=exercise_id)
    if row.first_saved_at is None:  # the clock on a task starts with its first real edit
        if not _blank_draft(payload):
            row.first_saved_at = now
    else:
        pause = (now - (_aware(row.updated_at) or now)).total_seconds()
        row.active_s = (row.active_s or 0.0) + min(IDLE_S, max(0.0, pause))
    row.draft = clean_payload(payload)
    row.updated_at = now
    session.add(row)
    session.flush()
    return True


def _blank_draft(payload: dict) -> bool:
    kind = payload.get("kind")
    return isinstance(kind, str) and kind in KINDS and is_blank(task_kind(kind).submission.salvage(payload))


def _flagged(exercise: AnyExercise, exc: Exception) -> Grade:
    """What a task gets when its grader fails: a stored zero an instructor is asked to review,
    never a missing grade (which would drop the task from the mean)."""
    log.warning("grading %s in a sitting failed: %s", exercise.id, type(exc).__name__)
    return Grade(
        total=0.0,
        criteria=[
            CriterionScore(
                id=c.id,
                title=c.title,
                weight=c.weight,
                score=0.0,
                evidence="The grader failed on this answer.",
                feedback="Your instructor will grade this task by hand.",
            )
            for c in exercise.rubric
        ],
        flags=[Flag.grader_error, Flag.needs_review],
    )


def _grade_sitting(engine: Engine, sitting_id: int, bank: Bank, score: Scorer) -> None:
    """Grade every task of a finished sitting and store all the grades in one transaction, with
    the sitting's `graded_at`. Safe to run twice or at once: attempts are keyed by (sitting,
    exercise), so a second run stores nothing new, and one that loses the race rolls back."""
    with session_scope(engine) as session:
        sitting = session.get(Sitting, sitting_id)
        assert sitting is not None
        if sitting.graded_at is not None or sitting.status == SittingStatus.in_progress:
            return
        assessment = session.get(Assessment, sitting.assessment_id)
        assert assessment is not None
        written = drafts(session, sitting_id)
        started = {
            r.exercise_id: _aware(r.first_saved_at)
            for r in session.exec(select(SittingAnswer).where(SittingAnswer.sitting_id == sitting_id))
        }
    graded: list[tuple[AnyExercise, AnySubmission, Grade]] = []
    for exercise_id, exercise in sitting_exercises(bank, sitting, assessment).items():
        if exercise is None:
            continue
        submission = task_kind(exercise.kind).submission.salvage(written.get(exercise_id))
        if is_blank(submission):
            continue  # not attempted: no grade, no attempt in the learner's record
        try:
            result = score(exercise, submission)
        except Exception as exc:  # one failing grader must not cost the learner the task
            result = _flagged(exercise, exc)
        graded.append((exercise, submission, result))
    try:
        with session_scope(engine) as session:
            for exercise, submission, result in graded:
                attempt_id = attempts.store_attempt(
                    session,
                    sitting.user_id,
                    exercise,
                    submission,
                    result,
                    f"sitting-{sitting_id}-{exercise.id}",
                    mode=AttemptMode.assessment,
                    cohort_id=assessment.cohort_id,
                    started_at=started.get(exercise.id) or _aware(sitting.started_at),
                )
                row = session.exec(
                    select(SittingAnswer).where(
                        SittingAnswer.sitting_id == sitting_id, SittingAnswer.exercise_id == exercise.id
                    )
                ).first() or SittingAnswer(sitting_id=sitting_id, exercise_id=exercise.id)
                row.attempt_id = attempt_id
                session.add(row)
            session.execute(
                update(Sitting)
                .where(col(Sitting.id) == sitting_id, col(Sitting.graded_at).is_(None))
                .values(graded_at=wall_clock())
            )
    except IntegrityError:
        pass  # another process stored this sitting's grades a moment ago


def finish(engine: Engine, user: User, sitting_id: int, bank: Bank, score: Scorer, now: datetime) -> Sitting:
    """Submit the whole sitting: grade each task from its last saved draft. Timed out when the
    clock has passed the deadline. Idempotent: a second call (a double click, the timer and the
    button at once) changes nothing and stores no second grade; a call after an interrupted
    finish completes the grading."""
    with session_scope(engine) as session:
        sitting, _ = sitting_for(session, user, sitting_id)
        if sitting.user_id != user.id:
            raise AccessDenied("only the learner submits their sitting")
    _claim(engine, sitting_id, now)
    _grade_sitting(engine, sitting_id, bank, score)
    with session_scope(engine) as session:
        done = session.get(Sitting, sitting_id)
        assert done is not None
        return done


def _claim(engine: Engine, sitting_id: int, now: datetime) -> None:
    """Mark an open sitting submitted (or timed out, after its deadline); only one caller wins."""
    with session_scope(engine) as session:
        sitting = session.get(Sitting, sitting_id)
        assert sitting is not None
        if sitting.status != SittingStatus.in_progress:
            return
        status = SittingStatus.timed_out if now >= deadline(sitting) else SittingStatus.submitted
        session.execute(
            update(Sitting)
            .where(col(Sitting.id) == sitting_id, col(Sitting.status) == SittingStatus.in_progress)
            .values(status=status, finished_at=min(now, deadline(sitting)))
        )


def settle(
    engine: Engine,
    bank: Bank,
    score: Scorer,
    now: datetime,
    user_id: int | None = None,
    assessment_id: int | None = None,
    limit: int = 50,
) -> int:
    """Finish on the server what the browser left behind: sittings past their deadline whose
    learner never came back are closed as timed out and graded from their saved drafts, and
    sittings claimed but not fully graded (a process killed mid-finish) are completed. Narrowed
    to one learner or one assessment when given; returns how many sittings it graded."""
    with session_scope(engine) as session:
        query = select(Sitting.id, Sitting.status, Sitting.deadline_at).where(
            (col(Sitting.status) == SittingStatus.in_progress) | col(Sitting.graded_at).is_(None)
        )
        if user_id is not None:
            query = query.where(Sitting.user_id == user_id)
        if assessment_id is not None:
            query = query.where(Sitting.assessment_id == assessment_id)
        rows = session.exec(query.order_by(col(Sitting.id)).limit(limit)).all()
    graded = 0
    for sitting_id, status, deadline_at in rows:
        assert sitting_id is not None
        if status == SittingStatus.in_progress:
            if now < (_aware(deadline_at) or now):
                continue  # still being sat
            _claim(engine, sitting_id, now)
        _grade_sitting(engine, sitting_id, bank, score)
        graded += 1
    return graded


def results(session: Session, viewer: User, sitting_id: int) -> dict[str, int]:
    """Exercise id -> attempt id of a finished sitting; nothing while it is in progress."""
    sitting, _ = sitting_for(session, viewer, sitting_id)
    if sitting.status == SittingStatus.in_progress or sitting.graded_at is None:
        raise AccessDenied("feedback comes when the whole assessment is submitted and graded")
    rows = session.exec(select(SittingAnswer).where(SittingAnswer.sitting_id == sitting_id)).all()
    return {r.exercise_id: r.attempt_id for r in rows if r.attempt_id is not None}


def task_times(session: Session, viewer: User, sitting_id: int) -> dict[str, float]:
    """Exercise id -> seconds spent on it: from its first edit, each pause between saves counted
    up to IDLE_S. A task never edited is absent."""
    sitting_for(session, viewer, sitting_id)
    rows = session.exec(select(SittingAnswer).where(SittingAnswer.sitting_id == sitting_id)).all()
    return {r.exercise_id: float(r.active_s or 0.0) for r in rows if r.first_saved_at is not None}


def assessment_attempts(assessment_id: int) -> SelectOfScalar[int | None]:
    """The attempt ids graded in this assessment's sittings, as a subquery for item analysis."""
    return (
        select(col(SittingAnswer.attempt_id))
        .join(Sitting, col(Sitting.id) == col(SittingAnswer.sitting_id))
        .where(Sitting.assessment_id == assessment_id, col(SittingAnswer.attempt_id).is_not(None))
    )


def finished_sittings(session: Session, user: User) -> list[tuple[Sitting, Assessment]]:
    rows = session.exec(
        select(Sitting, Assessment)
        .join(Assessment, col(Assessment.id) == col(Sitting.assessment_id))
        .where(Sitting.user_id == user.id, Sitting.status != SittingStatus.in_progress)
        .order_by(col(Sitting.id).desc())
    ).all()
    return [(s, a) for s, a in rows]


def cohort_assessments(session: Session, viewer: User, cohort_id: int) -> list[Assessment]:
    require_teaches(session, viewer, cohort_id)
    return list(
        session.exec(select(Assessment).where(Assessment.cohort_id == cohort_id).order_by(col(Assessment.id).desc()))
    )


def sitting_status(session: Session, viewer: User, assessment_id: int) -> list[SittingRow]:
    """Each cohort learner's latest sitting: not started, in progress, submitted or timed out."""
    assessment = session.get(Assessment, assessment_id)
    if assessment is None or assessment.cohort_id is None:
        raise AccessDenied(f"no cohort assessment {assessment_id}")
    require_teaches(session, viewer, assessment.cohort_id)
    learners = session.exec(
        select(User.id, User.name)
        .join(Membership, col(Membership.user_id) == col(User.id))
        .where(Membership.cohort_id == assessment.cohort_id, Membership.role == Role.learner)
        .order_by(col(User.name))
    ).all()
    latest: dict[int, Sitting] = {}
    for s in session.exec(select(Sitting).where(Sitting.assessment_id == assessment_id).order_by(col(Sitting.number))):
        latest[s.user_id] = s
    totals: dict[int, float] = {}
    ids = [s.id for s in latest.values() if s.graded_at is not None]  # a partly graded mean would mislead
    if ids:
        answers = session.exec(select(SittingAnswer).where(col(SittingAnswer.sitting_id).in_(ids))).all()
        by_sitting: dict[int, list[int]] = {}
        for a in answers:
            if a.attempt_id is not None:
                by_sitting.setdefault(a.sitting_id, []).append(a.attempt_id)
        for user_id, s in latest.items():
            if s.status == SittingStatus.in_progress:
                continue
            found = [attempts.effective_total(session, a) for a in by_sitting.get(s.id or 0, [])]
            scores = [x for x in found if x is not None]
            # a task not attempted scores 0 in the sitting's total, as it would on paper
            totals[user_id] = round(sum(scores) / max(1, len(assessment.exercise_ids)), 1)
    return [
        SittingRow(
            uid,
            name,
            latest[uid].status if uid in latest else "not_started",
            latest[uid].started_at if uid in latest else None,
            totals.get(uid),
        )
        for uid, name in learners
        if uid is not None
    ]


def grant_extra_sitting(session: Session, instructor: User, assessment_id: int, user_id: int) -> None:
    assessment = session.get(Assessment, assessment_id)
    if assessment is None or assessment.cohort_id is None:
        raise AccessDenied(f"no cohort assessment {assessment_id}")
    require_teaches(session, instructor, assessment.cohort_id)
    session.add(ExtraSitting(assessment_id=assessment_id, user_id=user_id, granted_by=instructor.id))
    session.flush()

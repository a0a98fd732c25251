"""A cohort's attempts and grades as CSV: one row per graded attempt with its effective grade,
the automatic score it replaced if an instructor overrode it, and one column per rubric
criterion (`<kind>.<criterion>`, 0-1; empty where the kind has no such criterion)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import case, select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from exercises.kinds import KINDS
from store.access import require_teaches
from store.attempts import latest_grader_grade
from store.cohort_scope import graded
from store.models import Attempt, CriterionRow, GradeRow, GradeSource, User

BASE_COLUMNS = [
    "attempt_id",
    "learner_id",
    "learner",
    "email",
    "exercise_id",
    "exercise_version",
    "variant",
    "kind",
    "sector",
    "mode",
    "started_at",
    "submitted_at",
    "score",
    "graded_by",
    "grade_id",
    "grader_version",
    "flags",
    "judge_gap",
    "override_by",
    "override_reason",
    "auto_score",
]
CRITERION_COLUMNS = [f"{kind}.{criterion}" for kind, k in KINDS.items() for criterion in k.criteria]
COLUMNS = BASE_COLUMNS + CRITERION_COLUMNS
BATCH = 2_000
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    """Plain values; text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def cohort_rows(session: Session, viewer: User, cohort_id: int) -> Iterator[dict[str, Any]]:
    """The export's rows, in attempt order, a batch of attempts at a time."""
    require_teaches(session, viewer, cohort_id)
    author = aliased(User)
    auto_score = latest_grader_grade("total")
    query = (
        graded(
            cohort_id,
            col(Attempt.id),
            col(Attempt.user_id),
            col(User.name),
            col(User.email),
            col(Attempt.exercise_id),
            col(Attempt.exercise_version),
            col(Attempt.variant_seed),
            col(Attempt.kind),
            col(Attempt.sector),
            col(Attempt.mode),
            col(Attempt.started_at),
            col(Attempt.submitted_at),
            col(Attempt.score),
            col(Attempt.grade_source),
            col(Attempt.grade_id),
            col(GradeRow.grader_version),
            col(Attempt.grade_flags),
            col(Attempt.judge_gap),
            col(author.name),
            col(GradeRow.reason),
            case((col(Attempt.grade_source) == GradeSource.override, auto_score)),
        )
        .join(User, col(User.id) == col(Attempt.user_id))
        .join(GradeRow, col(GradeRow.id) == col(Attempt.grade_id))
        .outerjoin(author, col(author.id) == col(GradeRow.author_id))
        .order_by(col(Attempt.id))
    )
    rows = session.exec(query).yield_per(BATCH)  # type: ignore[call-overload]
    for batch in rows.partitions():
        records = [dict(zip(BASE_COLUMNS, row, strict=True)) for row in batch]
        scores = session.exec(  # type: ignore[call-overload]
            select(col(CriterionRow.grade_id), col(CriterionRow.criterion_id), col(CriterionRow.score)).where(
                col(CriterionRow.grade_id).in_([r["grade_id"] for r in records])
            )
        )
        by_grade: dict[int, dict[str, float]] = {}
        for grade_id, criterion_id, score in scores:
            by_grade.setdefault(grade_id, {})[criterion_id] = score
        for record in records:
            record["graded_by"] = record["graded_by"] or "auto"
            for criterion_id, score in by_grade.get(record["grade_id"], {}).items():
                record[f"{record['kind']}.{criterion_id}"] = score
            yield record


def cohort_csv(session: Session, viewer: User, cohort_id: int) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, restval="", extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for record in cohort_rows(session, viewer, cohort_id):
        writer.writerow({k: _cell(v) for k, v in record.items()})
    return out.getvalue()

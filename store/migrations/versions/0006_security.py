"""exam integrity, recoverable finishing, cohort-scoped attempts, assignment rules

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None
SCORE_COLUMNS = ["user_id", "kind", "exercise_id", "sector", "score", "submitted_at", "grade_id"]


def upgrade() -> None:
    with op.batch_alter_table("assessment_sittings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("exercise_ids", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("draw_seed", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("graded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
    with op.batch_alter_table("attempts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cohort_id", sa.Integer(), nullable=True))
        batch_op.create_index("ix_attempts_cohort_id", ["cohort_id"], unique=False)
        # The dashboards' covering index gains the column every cohort query now filters on.
        batch_op.drop_index("ix_attempts_user_scores")
        batch_op.create_index("ix_attempts_user_scores", [*SCORE_COLUMNS, "cohort_id"], unique=False)
    with op.batch_alter_table("cohort_assignments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("max_attempts", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("hide_reference", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    # Sittings finished before this version were graded as they finished.
    op.execute("UPDATE assessment_sittings SET graded_at = finished_at WHERE status <> 'in_progress'")
    # An assessment attempt belongs to the cohort that set the assessment (none for self-set mocks).
    op.execute(
        "UPDATE attempts SET cohort_id = ("
        " SELECT assessments.cohort_id FROM assessment_answers"
        " JOIN assessment_sittings ON assessment_sittings.id = assessment_answers.sitting_id"
        " JOIN assessments ON assessments.id = assessment_sittings.assessment_id"
        " WHERE assessment_answers.attempt_id = attempts.id)"
        " WHERE mode = 'assessment'"
    )


def downgrade() -> None:
    with op.batch_alter_table("cohort_assignments", schema=None) as batch_op:
        batch_op.drop_column("hide_reference")
        batch_op.drop_column("max_attempts")
    with op.batch_alter_table("attempts", schema=None) as batch_op:
        batch_op.drop_index("ix_attempts_user_scores")
        batch_op.create_index("ix_attempts_user_scores", SCORE_COLUMNS, unique=False)
        batch_op.drop_index("ix_attempts_cohort_id")
        batch_op.drop_column("cohort_id")
    with op.batch_alter_table("assessment_sittings", schema=None) as batch_op:
        batch_op.drop_column("graded_at")
        batch_op.drop_column("draw_seed")
        batch_op.drop_column("exercise_ids")

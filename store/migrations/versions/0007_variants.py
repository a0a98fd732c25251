"""variants: an attempt records the variant (seed) it answered, a sitting the variants it asks

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN (no batch copy on SQLite): the grade triggers on `attempts` stay, and
    # existing attempts answered the authored exercise, which is variant 0.
    op.add_column("attempts", sa.Column("variant_seed", sa.Integer(), nullable=False, server_default="0"))
    op.create_index("ix_attempts_exercise_variant", "attempts", ["exercise_id", "variant_seed"])
    op.add_column("assessment_sittings", sa.Column("variant_seeds", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("assessment_sittings") as batch_op:
        batch_op.drop_column("variant_seeds")
    op.drop_index("ix_attempts_exercise_variant", table_name="attempts")
    with op.batch_alter_table("attempts") as batch_op:
        batch_op.drop_column("variant_seed")

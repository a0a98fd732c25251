"""time on task: when each assessment task was first edited, and how long it was worked on

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("assessment_answers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("first_saved_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("active_s", sa.Float(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("assessment_answers", schema=None) as batch_op:
        batch_op.drop_column("active_s")
        batch_op.drop_column("first_saved_at")

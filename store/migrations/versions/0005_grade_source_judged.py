"""grade source: a grade the LLM judge took part in is recorded as `judged`

Until now live grades were stored as `auto` even when the judge had scored them, and regrades
as `llm`. Both become `judged`; the copy of the effective grade's source on each attempt
follows.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    judged = (
        "(details -> 'judge') IS NOT NULL"
        if op.get_bind().dialect.name == 'postgresql'
        else "json_extract(details, '$.judge') IS NOT NULL"
    )
    op.execute(f"UPDATE grades SET source = 'judged' WHERE source = 'llm' OR (source = 'auto' AND {judged})")
    op.execute(
        "UPDATE attempts SET grade_source = (SELECT g.source FROM grades g WHERE g.id = attempts.grade_id) "
        "WHERE grade_id IS NOT NULL"
    )


def downgrade() -> None:
    op.execute("UPDATE grades SET source = 'llm' WHERE source = 'judged'")
    op.execute("UPDATE attempts SET grade_source = 'llm' WHERE grade_source = 'judged'")

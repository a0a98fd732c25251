"""dashboards: effective grade on each attempt, covering indexes, cohort assignments

Each attempt carries a copy of its effective grade (latest override, else latest grade), kept by
an AFTER INSERT trigger on `grades`, so dashboard aggregates read one indexed row per attempt
instead of ranking the grade history. Grades are never updated or deleted, so an insert trigger
is the whole story. Existing attempts are backfilled here.

If a later migration recreates `grades` or `attempts` on SQLite (batch "move and copy"), check
that the trigger survived, and create it again there if not.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

# The effective-grade rule, defined here once (store.attempts reads it through attempts.grade_id):
# an override beats any other grade, and among equals the latest (highest id) wins.
_WINS = """
    WHERE id = NEW.attempt_id
      AND (grade_id IS NULL OR grade_id < NEW.id)
      AND (NEW.source = 'override' OR grade_source IS NULL OR grade_source <> 'override')
"""

SQLITE_TRIGGER = f"""
CREATE TRIGGER grades_effective_grade AFTER INSERT ON grades
BEGIN
    UPDATE attempts SET
        grade_id = NEW.id,
        score = NEW.total,
        grade_source = NEW.source,
        grade_flags = (SELECT group_concat(value, ',') FROM json_each(NEW.flags)),
        judge_gap = abs(NEW.total - json_extract(NEW.details, '$.deterministic_total'))
    {_WINS};
END
"""

POSTGRES_FUNCTION = f"""
CREATE OR REPLACE FUNCTION attempts_effective_grade() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE attempts SET
        grade_id = NEW.id,
        score = NEW.total,
        grade_source = NEW.source,
        grade_flags = (
            SELECT string_agg(f.v, ',' ORDER BY f.i) FROM json_array_elements_text(NEW.flags) WITH ORDINALITY AS f(v, i)
        ),
        judge_gap = abs(NEW.total - (NEW.details ->> 'deterministic_total')::double precision)
    {_WINS};
    RETURN NULL;
END
$$
"""

POSTGRES_TRIGGER = """
CREATE TRIGGER grades_effective_grade AFTER INSERT ON grades
FOR EACH ROW EXECUTE FUNCTION attempts_effective_grade()
"""

_PICK = """
UPDATE attempts SET grade_id = (
    SELECT g.id FROM grades g WHERE g.attempt_id = attempts.id
    ORDER BY CASE WHEN g.source = 'override' THEN 1 ELSE 0 END DESC, g.id DESC
    LIMIT 1
)
"""

SQLITE_BACKFILL = """
UPDATE attempts SET
    score = g.total,
    grade_source = g.source,
    grade_flags = (SELECT group_concat(value, ',') FROM json_each(g.flags)),
    judge_gap = abs(g.total - json_extract(g.details, '$.deterministic_total'))
FROM grades g WHERE g.id = attempts.grade_id
"""

POSTGRES_BACKFILL = """
UPDATE attempts SET
    score = g.total,
    grade_source = g.source,
    grade_flags = (
        SELECT string_agg(f.v, ',' ORDER BY f.i) FROM json_array_elements_text(g.flags) WITH ORDINALITY AS f(v, i)
    ),
    judge_gap = abs(g.total - (g.details ->> 'deterministic_total')::double precision)
FROM grades g WHERE g.id = attempts.grade_id
"""


def upgrade() -> None:
    op.create_table('cohort_assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('exercise_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('assigned_by', sa.Integer(), nullable=True),
    sa.Column('assigned_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('due', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['assigned_by'], ['users.id'], ),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('cohort_id', 'exercise_id', name='uq_assignment')
    )
    with op.batch_alter_table('cohort_assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cohort_assignments_cohort_id'), ['cohort_id'], unique=False)

    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('grade_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('score', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('grade_source', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True))
        batch_op.add_column(sa.Column('grade_flags', sqlmodel.sql.sqltypes.AutoString(length=400), nullable=True))
        batch_op.add_column(sa.Column('judge_gap', sa.Float(), nullable=True))

    postgres = op.get_bind().dialect.name == 'postgresql'
    op.execute(_PICK)
    op.execute(POSTGRES_BACKFILL if postgres else SQLITE_BACKFILL)
    if postgres:
        op.execute(POSTGRES_FUNCTION)
        op.execute(POSTGRES_TRIGGER)
    else:
        op.execute(SQLITE_TRIGGER)

    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.create_index(
            'ix_attempts_user_scores',
            ['user_id', 'kind', 'exercise_id', 'sector', 'score', 'submitted_at', 'grade_id'],
            unique=False,
        )
    with op.batch_alter_table('criterion_grades', schema=None) as batch_op:
        batch_op.create_index('ix_criterion_grades_grade_scores', ['grade_id', 'criterion_id', 'score'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('criterion_grades', schema=None) as batch_op:
        batch_op.drop_index('ix_criterion_grades_grade_scores')
    op.execute('DROP TRIGGER IF EXISTS grades_effective_grade' + (' ON grades' if op.get_bind().dialect.name == 'postgresql' else ''))
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP FUNCTION IF EXISTS attempts_effective_grade()')
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.drop_index('ix_attempts_user_scores')
        batch_op.drop_column('judge_gap')
        batch_op.drop_column('grade_flags')
        batch_op.drop_column('grade_source')
        batch_op.drop_column('score')
        batch_op.drop_column('grade_id')
    with op.batch_alter_table('cohort_assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cohort_assignments_cohort_id'))
    op.drop_table('cohort_assignments')

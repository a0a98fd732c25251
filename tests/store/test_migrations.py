"""Upgrading a database made by an older version keeps every row."""

from __future__ import annotations

from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from store.db import make_engine
from store.migrate import alembic_config, upgrade

FIRST = "0001"
ROWS = {
    "users": "INSERT INTO users (id, external_id, email, name, role, created_at) VALUES "
    "(1, 'old-ada', 'ada@example.com', 'Ada', 'learner', '2026-01-05 09:00:00'),"
    "(2, 'old-tess', 'tess@example.com', 'Tess', 'instructor', '2026-01-05 09:00:00')",
    "cohorts": "INSERT INTO cohorts (id, name, join_code, created_by, created_at) VALUES "
    "(1, 'Winter', 'WINTER01', 2, '2026-01-05 09:00:00')",
    "memberships": "INSERT INTO memberships (id, cohort_id, user_id, role, joined_at) VALUES "
    "(1, 1, 2, 'instructor', '2026-01-05 09:00:00'), (2, 1, 1, 'learner', '2026-01-05 09:00:00')",
    "attempts": "INSERT INTO attempts (id, user_id, exercise_id, exercise_version, content_hash, kind, sector, mode, "
    "status, draft, idempotency_key, started_at, updated_at, submitted_at) VALUES "
    "(1, 1, 'fin-explain-invoice-redesign', 1, 'abc123', 'explain_reasoning', 'finance', 'practice', 'graded', "
    "NULL, 'key-1', '2026-01-06 10:00:00', '2026-01-06 10:20:00', '2026-01-06 10:20:00')",
    "submissions": "INSERT INTO submissions (id, attempt_id, payload, created_at) VALUES "
    '(1, 1, \'{"kind": "explain_reasoning", "text": "Old answer"}\', \'2026-01-06 10:20:00\')',
    "grades": "INSERT INTO grades (id, attempt_id, total, flags, grader_version, source, author_id, reason, details, "
    "created_at) VALUES (1, 1, 61.5, '[\"needs_review\"]', 'old', 'auto', NULL, NULL, NULL, '2026-01-06 10:20:00'),"
    "(2, 1, 70.0, '[]', 'old', 'override', 2, 'Fair point', NULL, '2026-01-07 08:00:00')",
    "criterion_grades": "INSERT INTO criterion_grades (id, grade_id, criterion_id, title, weight, score, evidence, "
    "feedback) VALUES (1, 1, 'key_points', 'Key points', 40, 0.5, 'e', 'f')",
    "llm_cache": "INSERT INTO llm_cache (key, model, prompt_version, response, created_at) VALUES "
    "('k', 'm', 'p', '{\"criteria\": []}', '2026-01-06 10:20:00')",
}


def test_every_revision_chains_from_the_first() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    revisions = list(script.walk_revisions())
    assert revisions[-1].revision == FIRST
    assert len(script.get_heads()) == 1


def test_upgrading_an_old_database_keeps_every_row(db_url) -> None:
    engine = make_engine(db_url)
    upgrade(engine, FIRST)
    with engine.begin() as conn:
        for statement in ROWS.values():
            conn.execute(text(statement))
        before = {table: conn.execute(text(f"SELECT * FROM {table} ORDER BY 1")).all() for table in ROWS}
    upgrade(engine)
    with engine.begin() as conn:
        version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        script = ScriptDirectory.from_config(alembic_config())
        assert version == script.get_current_head()
        for table, rows in before.items():
            columns = [c["name"] for c in inspect(conn).get_columns(table)]
            after = conn.execute(text(f"SELECT * FROM {table} ORDER BY 1")).all()
            assert len(after) == len(rows), table
            for old, new in zip(rows, after, strict=True):
                kept = dict(zip(columns, new, strict=True))
                for key, value in old._mapping.items():
                    assert kept[key] == value, (table, key)
    engine.dispose()


def test_grades_the_judge_took_part_in_become_judged(db_url) -> None:
    engine = make_engine(db_url)
    upgrade(engine, "0004")
    details = '{"judge": [], "deterministic_total": 50.0}'
    with engine.begin() as conn:
        for table in ("users", "attempts"):
            conn.execute(text(ROWS[table]))
        conn.execute(
            text(
                "INSERT INTO grades (id, attempt_id, total, flags, grader_version, source, details, created_at) VALUES "
                "(1, 1, 50.0, '[]', 'old', 'auto', NULL, '2026-01-06 10:20:00'),"
                "(2, 1, 55.0, '[]', 'old', 'auto', :details, '2026-01-06 10:21:00'),"
                "(3, 1, 58.0, '[]', 'old', 'llm', :details, '2026-01-06 10:22:00')"
            ),
            {"details": details},
        )
    upgrade(engine)
    with engine.begin() as conn:
        sources = conn.execute(text("SELECT source FROM grades ORDER BY id")).scalars().all()
        copied = conn.execute(text("SELECT grade_source FROM attempts WHERE id = 1")).scalar()
    assert sources == ["auto", "judged", "judged"]
    assert copied == "judged"  # the attempt's copy of its effective grade follows
    engine.dispose()

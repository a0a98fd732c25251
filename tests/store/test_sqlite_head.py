"""A new SQLite database is built from store/migrations/sqlite_head.sql and stamped at head: the
same schema as running every migration, all or nothing, and never from a file for another head."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect
from sqlalchemy.engine import Engine

from store import migrate
from store.db import make_engine

ROOT = Path(__file__).resolve().parents[2]


def sqlite_engine(folder: Path, name: str) -> Engine:
    return make_engine(f"sqlite:///{folder / name}")


def clauses(sql: str) -> list[str]:
    """A statement's lines, in an order of their own: Alembic's batch mode recreates a table with
    its foreign keys in no fixed order, which means nothing to SQLite (the columns' order is
    compared through PRAGMA table_xinfo)."""
    return sorted(line.strip().rstrip(",").strip() for line in sql.splitlines())


def schema(engine: Engine) -> dict[str, Any]:
    """Everything SQLite records about a schema: each object's SQL in creation order, every
    column in order (type, default, nullability, key), index, foreign key and constraint, and
    the revision Alembic reads."""
    with engine.connect() as connection:
        master = connection.exec_driver_sql(
            "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY rowid"
        ).all()
        tables = sorted(name for kind, name, _, _ in master if kind == "table")
        pragmas = {
            table: {
                "columns": connection.exec_driver_sql(f'PRAGMA table_xinfo("{table}")').all(),
                "indexes": sorted(connection.exec_driver_sql(f'PRAGMA index_list("{table}")').all()),
                # (table, from, to, on update, on delete, match), without the list's own numbering
                "foreign_keys": sorted(
                    tuple(row[2:]) for row in connection.exec_driver_sql(f'PRAGMA foreign_key_list("{table}")')
                ),
            }
            for table in tables
        }
        indexes = {
            name: connection.exec_driver_sql(f'PRAGMA index_xinfo("{name}")').all()
            for kind, name, _, _ in master
            if kind == "index"
        }
        found = inspect(connection)
        constraints = {
            table: (
                found.get_pk_constraint(table),
                sorted(found.get_unique_constraints(table), key=str),
                sorted(found.get_check_constraints(table), key=str),
            )
            for table in tables
        }
    return {
        "master": [(kind, name, table, clauses(sql or "")) for kind, name, table, sql in master],
        "pragmas": pragmas,
        "indexes": indexes,
        "constraints": constraints,
        "revisions": migrate.current_revisions(engine),
    }


def test_the_file_is_the_schema_the_migrations_give(tmp_path: Path) -> None:
    migrated = sqlite_engine(tmp_path, "migrated.db")
    migrate.alembic_upgrade(migrated)
    written = migrate.SQLITE_HEAD.read_text(encoding="utf-8")
    assert [clauses(s) for s in migrate.sqlite_statements(migrate.sqlite_head_script(migrated))] == [
        clauses(s) for s in migrate.sqlite_statements(written)
    ], "store/migrations/sqlite_head.sql is out of date: run `python -m store sqlite-head` after adding a migration"


def test_a_new_database_built_from_the_file_is_the_migrated_one(tmp_path: Path, alembic_calls: list[str]) -> None:
    migrated = sqlite_engine(tmp_path, "migrated.db")
    migrate.alembic_upgrade(migrated)
    built = sqlite_engine(tmp_path, "built.db")
    migrate.upgrade(built)
    assert alembic_calls == ["head"]  # only the migrated one's: the new database needed no migration
    expected, got = schema(migrated), schema(built)
    assert got["revisions"] == {migrate.head_revision()}
    assert any(kind == "trigger" for kind, *_ in got["master"])  # the effective-grade trigger is there too
    for part in expected:
        assert got[part] == expected[part], part


def test_a_first_start_on_a_new_database_does_not_import_alembic(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'baton.db'}"
    script = textwrap.dedent(f"""
        import sys
        from store.db import make_engine
        from store.migrate import current_revisions, head_revision, upgrade
        engine = make_engine({url!r})
        upgrade(engine)
        print("alembic" in sys.modules, current_revisions(engine) == {{head_revision()}})
    """)
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True"]


def test_a_process_stopped_midway_leaves_an_empty_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'baton.db'}"
    script = textwrap.dedent(f"""
        import os
        from store import migrate
        from store.db import make_engine
        whole = migrate.sqlite_statements

        def dying(text):  # the process dies with half the schema written, inside the transaction
            statements = whole(text)
            yield from statements[: len(statements) // 2]
            os._exit(3)

        migrate.sqlite_statements = dying
        migrate.upgrade(make_engine({url!r}))
    """)
    died = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True)
    assert died.returncode == 3, died.stderr
    engine = make_engine(url)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar() == 0
    migrate.upgrade(engine)  # the next start builds it whole
    assert migrate.current_revisions(engine) == {migrate.head_revision()}


def test_a_failing_statement_leaves_nothing_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = tmp_path / "sqlite_head.sql"
    text = migrate.SQLITE_HEAD.read_text(encoding="utf-8")
    broken.write_text(text.replace("CREATE INDEX", "CREATE INDEX nonsense (", 1), encoding="utf-8")
    monkeypatch.setattr(migrate, "SQLITE_HEAD", broken)
    engine = sqlite_engine(tmp_path, "baton.db")
    with pytest.raises(Exception, match="syntax error"):
        migrate.upgrade(engine)
    assert inspect(engine).get_table_names() == []
    assert migrate.current_revisions(engine) == set()


def test_a_file_for_another_head_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, alembic_calls: list[str]
) -> None:
    old = tmp_path / "sqlite_head.sql"
    text = migrate.SQLITE_HEAD.read_text(encoding="utf-8")
    head = migrate.head_revision()
    old.write_text(text.replace(f"VALUES ('{head}')", "VALUES ('0007')"), encoding="utf-8")
    monkeypatch.setattr(migrate, "SQLITE_HEAD", old)
    engine = sqlite_engine(tmp_path, "baton.db")
    migrate.upgrade(engine)
    assert alembic_calls == ["head"]
    assert migrate.current_revisions(engine) == {head}


def test_a_database_with_tables_is_never_built_over(tmp_path: Path, alembic_calls: list[str]) -> None:
    engine = sqlite_engine(tmp_path, "baton.db")
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE notes (id INTEGER PRIMARY KEY)")
    assert migrate.build_new_sqlite(engine, str(migrate.head_revision())) is False
    assert inspect(engine).get_table_names() == ["notes"]


def test_statements_are_split_whole() -> None:
    trigger = "CREATE TRIGGER t AFTER INSERT ON a\nBEGIN\n    UPDATE b SET x = 1;\n\n    UPDATE c SET y = 2;\nEND;\n"
    assert migrate.sqlite_statements(f"-- a comment\n\nCREATE TABLE a (id INTEGER);\n\n{trigger}") == [
        "CREATE TABLE a (id INTEGER);",
        trigger.strip(),
    ]
    with pytest.raises(ValueError, match="ends inside a statement"):
        migrate.sqlite_statements("CREATE TABLE a (id INTEGER")

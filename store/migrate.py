"""Schema upgrades through Alembic, run by the app on start and by the tests.

A database already at the head revision is left alone without loading Alembic: importing it
and its scripts was 0.4 to 0.7 s of every start, for nothing to do.

A new SQLite database is built at the head revision from SQLITE_HEAD, the schema a database has
after every migration (SQLite's own record of it, `sqlite_master`, dumped by `python -m store
sqlite-head`), and stamped there, in one transaction: the pattern Alembic documents for a new
database (build the schema, stamp it at head) without importing Alembic or running eight
migrations on the first start. tests/store/test_sqlite_head.py checks that the result is the one
the migrations give. A file written for an older head is never used: Alembic migrates instead.
PostgreSQL is always migrated by Alembic."""

from __future__ import annotations

import ast
import sqlite3
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
VERSIONS = MIGRATIONS / "versions"
VERSION_TABLE = "alembic_version"  # Alembic's default, which env.py keeps
SQLITE_HEAD = MIGRATIONS / "sqlite_head.sql"


def alembic_config(url: str | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if url:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def _declared(script: Path, name: str) -> object:
    """The literal a migration script assigns to `name` at its top level (None when it does not)."""
    for node in ast.parse(script.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == name for t in targets) and node.value is not None:
                return ast.literal_eval(node.value)
    return None


@cache
def head_revision() -> str | None:
    """The one revision no other script revises, read from the scripts' own `revision` and
    `down_revision` lines (what Alembic reads); None when there is not exactly one, so Alembic
    decides (and says what is wrong)."""
    revisions: set[str] = set()
    revised: set[str] = set()
    for script in VERSIONS.glob("*.py"):
        revision = _declared(script, "revision")
        if isinstance(revision, str):
            revisions.add(revision)
        down = _declared(script, "down_revision")
        revised.update([down] if isinstance(down, str) else down if isinstance(down, tuple | list) else [])
    heads = revisions - revised
    return heads.pop() if len(heads) == 1 else None


def current_revisions(engine: Engine) -> set[str]:
    """The revisions the database records (none for a new database)."""
    with engine.connect() as connection:
        if not inspect(connection).has_table(VERSION_TABLE):
            return set()
        return {str(row[0]) for row in connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}"))}


def upgrade(engine: Engine, revision: str = "head") -> None:
    head = head_revision() if revision == "head" else None
    if head is not None and (current_revisions(engine) == {head} or build_new_sqlite(engine, head)):
        return
    alembic_upgrade(engine, revision)


def alembic_upgrade(engine: Engine, revision: str = "head") -> None:
    """Run the migrations up to `revision`, whatever the database holds."""
    from alembic import command

    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def sqlite_statements(script: str) -> list[str]:
    """The statements of an SQL script, whole (a trigger's body holds semicolons of its own)."""
    statements: list[str] = []
    pending = ""
    for line in script.splitlines(keepends=True):
        if not pending and (not line.strip() or line.startswith("--")):
            continue
        pending += line
        if sqlite3.complete_statement(pending):
            statements.append(pending.strip())
            pending = ""
    if pending.strip():
        raise ValueError(f"{SQLITE_HEAD.name} ends inside a statement: {pending[:80]!r}")
    return statements


def sqlite_head_script(engine: Engine) -> str:
    """The schema of an SQLite database, as SQLITE_HEAD holds it: every table, index and trigger
    in the order SQLite created them, then the version Alembic recorded."""
    with engine.connect() as connection:
        rows = connection.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY rowid"
        ).all()
        versions = connection.exec_driver_sql(f"SELECT version_num FROM {VERSION_TABLE}").scalars().all()
    lines = [
        "-- The schema of a new SQLite database at the head revision, as the migrations leave it. Written by\n"
        "-- `python -m store sqlite-head`; tests/store/test_sqlite_head.py fails when it is out of date.\n"
    ]
    lines += [f"{sql};\n" for (sql,) in rows]
    lines += [f"INSERT INTO {VERSION_TABLE} (version_num) VALUES ('{version}');\n" for version in versions]
    return "\n".join(lines)


def build_new_sqlite(engine: Engine, head: str) -> bool:
    """Build a new, empty SQLite database at `head` from SQLITE_HEAD, all in one transaction, so
    a process stopped midway leaves the database empty, not half built. False (nothing done)
    when the database is not SQLite, not empty, or the file was written for another head."""
    if engine.dialect.name != "sqlite" or not SQLITE_HEAD.exists():
        return False
    script = SQLITE_HEAD.read_text(encoding="utf-8")
    if f"INSERT INTO {VERSION_TABLE} (version_num) VALUES ('{head}');" not in script:
        return False  # written for an older head: Alembic knows the way from there
    raw = engine.raw_connection()
    try:
        connection = raw.driver_connection
        assert isinstance(connection, sqlite3.Connection)
        connection.execute("BEGIN IMMEDIATE")  # the write lock first: a second process waits, then sees tables
        try:
            if connection.execute("SELECT count(*) FROM sqlite_master").fetchone() != (0,):
                connection.rollback()
                return False
            for statement in sqlite_statements(script):
                connection.execute(statement)
        except BaseException:
            connection.rollback()
            raise
        connection.commit()
        return True
    finally:
        raw.close()


def write_sqlite_head(folder: Path) -> Path:
    """Migrate a new SQLite database in `folder` through Alembic and write its schema to SQLITE_HEAD."""
    from store.db import make_engine

    engine = make_engine(f"sqlite:///{folder / 'head.db'}")
    try:
        alembic_upgrade(engine)
        SQLITE_HEAD.write_text(sqlite_head_script(engine), encoding="utf-8")
    finally:
        engine.dispose()
    return SQLITE_HEAD

"""Schema upgrades through Alembic, run by the app on start and by the tests.

A database already at the head revision is left alone without loading Alembic: importing it
and its scripts was 0.4 to 0.7 s of every start, for nothing to do."""

from __future__ import annotations

import ast
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
    if revision == "head" and (head := head_revision()) is not None and current_revisions(engine) == {head}:
        return
    from alembic import command

    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)

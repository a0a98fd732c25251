"""A database at the head revision starts without Alembic; any other is migrated by it."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from store import migrate
from store.db import make_engine

ROOT = Path(__file__).resolve().parents[2]


def test_the_head_is_alembics_head() -> None:
    assert migrate.head_revision() == ScriptDirectory.from_config(migrate.alembic_config()).get_current_head()


def test_alembic_runs_only_when_the_database_is_not_at_head(db_url: str, alembic_calls: list[str]) -> None:
    engine = make_engine(db_url)
    migrate.upgrade(engine, "0001")
    alembic_calls.clear()  # the set-up's own upgrade to 0001
    migrate.upgrade(engine)
    assert alembic_calls == ["head"]
    assert migrate.current_revisions(engine) == {migrate.head_revision()}
    migrate.upgrade(engine)  # at head now: nothing to run
    assert alembic_calls == ["head"]
    migrate.upgrade(engine, "0001")  # an explicit revision always goes to Alembic
    assert alembic_calls == ["head", "0001"]


def test_a_new_database_has_no_revision_and_is_migrated(db_url: str) -> None:
    engine = make_engine(db_url)
    assert migrate.current_revisions(engine) == set()
    migrate.upgrade(engine)
    assert migrate.current_revisions(engine) == {migrate.head_revision()}


def test_a_start_at_head_does_not_import_alembic(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'baton.db'}"
    migrate.upgrade(make_engine(url))
    script = textwrap.dedent(f"""
        import sys
        from store.db import make_engine
        from store.migrate import upgrade
        upgrade(make_engine({url!r}))
        print("alembic" in sys.modules)
    """)
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_no_single_head_leaves_the_decision_to_alembic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, revision, down in (("a.py", "a", None), ("b.py", "b", "a"), ("c.py", "c", "a")):
        (tmp_path / name).write_text(f"revision = {revision!r}\ndown_revision = {down!r}\n")
    monkeypatch.setattr(migrate, "VERSIONS", tmp_path)
    migrate.head_revision.cache_clear()
    try:
        assert migrate.head_revision() is None
        (tmp_path / "d.py").write_text('revision: str = "d"\ndown_revision = ("b", "c")\n')  # a merge revision
        migrate.head_revision.cache_clear()
        assert migrate.head_revision() == "d"
    finally:
        migrate.head_revision.cache_clear()

"""Store tests' shared fixtures."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.config import Config


@pytest.fixture
def alembic_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The revisions Alembic is asked to upgrade to, in order (it still runs them)."""
    calls: list[str] = []
    real = command.upgrade

    def counted(config: Config, revision: str) -> None:
        calls.append(revision)
        real(config, revision)

    monkeypatch.setattr(command, "upgrade", counted)
    return calls

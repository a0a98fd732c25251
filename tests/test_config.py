"""The README's Configuration table lists exactly the settings the app reads."""

from __future__ import annotations

import re
from pathlib import Path

from baton_config import Settings

README = Path(__file__).resolve().parent.parent / "README.md"


def documented_settings(readme: str) -> set[str]:
    section = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    return {name for row in rows for name in re.findall(r"`([A-Z][A-Z0-9_]*)`", row.split("|")[1])}


def test_the_readme_table_lists_exactly_the_settings() -> None:
    documented = documented_settings(README.read_text(encoding="utf-8"))
    assert documented == {name.upper() for name in Settings.model_fields}


def test_a_setting_missing_from_the_table_is_noticed() -> None:
    table = "## Configuration\n\n| variable | default | meaning |\n|---|---|---|\n| `DATABASE_URL` | x | y |\n"
    assert documented_settings(table) == {"DATABASE_URL"}

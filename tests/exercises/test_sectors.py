"""Sectors are open: a pack's new sector is listed after the shipped six, by the name the pack
gives it (or its slug, tidied); the shipped six keep theirs."""

from __future__ import annotations

from pathlib import Path

import yaml

from exercises.loader import load_bank
from exercises.sectors import SECTOR_LABELS, Sector, sector_label, sector_order


def test_shipped_sectors_come_first_in_their_order_then_the_rest_alphabetically() -> None:
    assert sector_order(["zoology", "hr", "finance", "legal", "marketing"]) == [
        "marketing",
        "finance",
        "hr",
        "legal",
        "zoology",
    ]


def test_a_sector_without_a_name_shows_its_slug_tidied() -> None:
    assert sector_label("public_sector") == "Public sector"
    assert all(sector_label(s) == SECTOR_LABELS[s] for s in Sector)


def test_the_bank_lists_the_sectors_it_holds_with_their_names(bank, tmp_path: Path) -> None:
    exercise = next(e for e in sorted(bank.exercises.values(), key=lambda e: e.id) if e.kind == "explain_reasoning")
    for slug, name, file in (("legal", "Legal services", "a.yaml"), ("public_sector", None, "b.yaml")):
        data = exercise.model_dump(mode="json") | {"id": f"x-{slug}", "sector": slug, "sector_name": name}
        (tmp_path / file).write_text(yaml.safe_dump(data), encoding="utf-8")
    loaded = load_bank(tmp_path)
    assert loaded.problems == []
    assert loaded.sectors == {"legal": "Legal services", "public_sector": "Public sector"}
    assert loaded.sector_name("legal") == "Legal services"
    assert [e.id for e in loaded.filter(sectors=["legal"])] == ["x-legal"]
    assert set(bank.sectors) == set(Sector)  # the shipped bank: the six, by their names
    assert bank.sectors == {s: SECTOR_LABELS[s] for s in sector_order(Sector)}

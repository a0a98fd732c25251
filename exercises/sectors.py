"""Sectors are open: any slug an author writes is a sector. The six shipped ones keep their
names and their order; a pack names its own with `sector_name` (or gets its slug, tidied)."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

SECTOR_PATTERN = r"^[a-z][a-z0-9_]{0,31}$"  # 32 characters: the store's column
SECTOR_RULE = "1 to 32 characters: lower-case letters, digits and '_', starting with a letter"


class Sector(StrEnum):
    """The shipped sectors (a pack may add others)."""

    marketing = "marketing"
    finance = "finance"
    operations = "operations"
    healthcare = "healthcare"
    customer_support = "customer_support"
    hr = "hr"


SECTOR_LABELS: dict[str, str] = {
    Sector.marketing: "Marketing",
    Sector.finance: "Finance",
    Sector.operations: "Operations and logistics",
    Sector.healthcare: "Healthcare",
    Sector.customer_support: "Customer support",
    Sector.hr: "HR and people",
}


def sector_label(slug: str) -> str:
    """A sector's display name when no pack names it: the shipped name, else the slug tidied."""
    return SECTOR_LABELS.get(slug) or slug.replace("_", " ").capitalize()


def sector_order(slugs: Iterable[str]) -> list[str]:
    """The shipped sectors first in their usual order, then the others alphabetically."""
    shipped = list(Sector)
    return sorted(set(slugs), key=lambda s: (0, shipped.index(Sector(s)), s) if s in SECTOR_LABELS else (1, 0, s))

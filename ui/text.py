"""Showing text safely: learner text is never rendered as HTML and shows exactly as typed."""

from __future__ import annotations

import re

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def escape_markdown(text: str) -> str:
    """Escape every character markdown could act on, so `**x**` or `<b>` shows as typed."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", text).replace("\n", "  \n")


def label(value: object) -> str:
    """snake_case enum values as readable labels (table cells hand them over untyped)."""
    return str(value).replace("_", " ").capitalize()


def shorten(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word and ending in an ellipsis when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(" :,") + "…"

"""Text as it may be stored and shown: no control characters but tab and newline.

Learner answers, names and titles pass through here at the model boundary. A NUL byte is the
sharp case (PostgreSQL refuses it in any text column, so one quoted in a grade's evidence would
drop that task's grade), but escape sequences and other controls have no place in an answer
either, on any database."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BeforeValidator

# C0 controls but tab and newline, DEL, C1 controls, and lone surrogates (not encodable as UTF-8).
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def clean_text(text: str) -> str:
    """The text with line ends made `\\n` and every other control character removed."""
    return _CONTROLS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def clean_payload(value: Any) -> Any:
    """A JSON-like draft with every string (keys too) cleaned."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_payload(k): clean_payload(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clean_payload(v) for v in value]
    return value


def _clean_if_text(value: Any) -> Any:
    return clean_text(value) if isinstance(value, str) else value


# Put after a length constraint in an Annotated type: it runs first, so the cleaned text is measured.
CLEANED = BeforeValidator(_clean_if_text)

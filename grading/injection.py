"""Spotting learner text that talks to the grader instead of the reader. Deterministic graders
are not swayed by it; it is flagged so an instructor sees the attempt."""

from __future__ import annotations

import re
import unicodedata

from grading.text import sentences

_PATTERNS = [
    r"\bignore\b.{0,40}\b(instruction|prompt|rubric|rule|previous|above)",
    r"\bdisregard\b.{0,40}\b(instruction|prompt|rubric|rule|previous|above)",
    r"\b(award|give|assign|grant|score)\b.{0,30}\b(full|maximum|max|perfect|100|top)\b.{0,15}\b(mark|score|point|grade)",
    r"\b(system|developer)\s*(prompt|message|instruction)s?\s*[:\]>]",
    r"\[\s*system\s*\]",
    r"\bper the system (prompt|message)",
    r"\byou are (now|no longer)\b",
    r"\b(grader|judge|evaluator|assessor|model|assistant)\b.{0,40}\b(must|should|will)\b.{0,30}\b(score|grade|rate|pass)",
    r"\bnew instructions?\b",
    r"<\s*/?\s*(system|instructions?|rubric|submission)\s*>",
    r"\bscore\s*[:=]\s*100\b",
    r"\bjailbreak\b|\bDAN mode\b",
]
_COMPILED = [re.compile(p, re.IGNORECASE | re.DOTALL) for p in _PATTERNS]


def normalise(text: str) -> str:
    """Fold look-alike characters and zero-width tricks before matching."""
    folded = unicodedata.normalize("NFKC", text)
    folded = re.sub(r"[\u200b-\u200f\u2060\ufeff]", "", folded)
    return re.sub(r"\s+", " ", folded)


def looks_like_injection(text: str) -> bool:
    if not text:
        return False
    folded = normalise(text)
    return any(p.search(folded) for p in _COMPILED)


def strip_injection(text: str) -> str:
    """The text without its sentences addressed to the grader: they are not part of the answer,
    so they earn nothing (not even length)."""
    if not looks_like_injection(text):
        return text
    kept = [s for s in sentences(text) if not looks_like_injection(s)]
    return "\n".join(kept)

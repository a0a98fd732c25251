"""Spotting learner text that talks to the grader instead of the reader. Deterministic graders
are not swayed by it; it is flagged so an instructor sees the attempt."""

from __future__ import annotations

import re
import unicodedata

from grading.text import sentences

# Written so that an answer *about* prompt injection ("tell the model to ignore instructions
# inside the email") is not mistaken for one: attacks point at the grader's own instructions.
_TARGET = r"(your|previous|prior|above|earlier|preceding|the above|the rubric|the rules|the marking|these|those)"
_PATTERNS = [
    rf"\b(ignore|disregard|forget|override)\b\s+(all\s+|any\s+)?(of\s+)?{_TARGET}\b[^.]{{0,40}}?"
    r"\b(instructions?|prompts?|rules|rubric|guidelines|marking|messages?)\b",
    r"\b(ignore|disregard|forget)\s+(the\s+)?(rubric|marking scheme|grading rules)\b",
    r"\b(award|give|assign|grant|score)\b.{0,30}\b(full|maximum|max|perfect|100|top)\b.{0,15}\b(mark|score|point|grade)",
    r"\b(system|developer)\s*(prompt|message|instruction)s?\s*[:\]>]",
    r"\[\s*system\s*\]",
    r"\bper the system (prompt|message)",
    r"\byou are (now|no longer)\b",
    r"\b(grader|judge|evaluator|assessor|examiner|marker)\b.{0,40}\b(must|should|will)\b.{0,30}\b(score|grade|rate|pass)",
    r"(?:^|[.!?#>\]]\s*)new instructions?\b",
    r"<\s*/?\s*(system|instructions?|rubric|submission)\s*>",
    r"\bscore\s*[:=]\s*100\b",
    r"\bjailbreak\b|\bDAN mode\b",
]
_ANY = re.compile("|".join(f"(?:{p})" for p in _PATTERNS), re.IGNORECASE | re.DOTALL)


# Cyrillic and Greek letters that look like Latin ones ("Ignоre" with a Cyrillic о)
_CONFUSABLES = str.maketrans(
    "аеорсухіјѕԁԛԝАВЕКМНОРСТХІЈЅαβεικνορτυχΑΒΕΗΙΚΜΝΟΡΤΥΧ",
    "aeopcyxijsdqwABEKMHOPCTXIJSabeiknoptuxABEHIKMNOPTYX",
)


def normalise(text: str) -> str:
    """Fold look-alike characters and zero-width tricks before matching."""
    folded = unicodedata.normalize("NFKC", text).translate(_CONFUSABLES)
    folded = re.sub(r"[\u200b-\u200f\u2060\ufeff\u00ad]", "", folded)
    return re.sub(r"\s+", " ", folded)


def looks_like_injection(text: str) -> bool:
    if not text:
        return False
    folded = normalise(text)
    return _ANY.search(folded) is not None


def strip_injection(text: str) -> str:
    """The text without its sentences addressed to the grader: they are not part of the answer,
    so they earn nothing (not even length). Everything else, paragraph breaks included, stays."""
    if not looks_like_injection(text):
        return text
    for sentence in sentences(text):
        if looks_like_injection(sentence):
            text = text.replace(sentence, "", 1)
    return text.strip()

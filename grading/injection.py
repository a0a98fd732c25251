"""Spotting learner text that talks to the grader instead of the reader. Deterministic graders
are not swayed by it; it is flagged so an instructor sees the attempt."""

from __future__ import annotations

import re
import unicodedata

from grading.text import sentences

# Written so that an answer *about* prompt injection ("tell the model to ignore instructions
# inside the email") is not mistaken for one: attacks point at the grader's own instructions.
_TARGET = r"(your|previous|prior|above|earlier|preceding|the above|the rubric|the rules|the marking|these|those)"
# Each pattern with the words it cannot match without (every group must have one of its words in
# the lower-cased text): a substring test is far cheaper than a case-blind regex scan, and most
# answers contain none of them, so most patterns are never run.
_GATED: list[tuple[tuple[tuple[str, ...], ...], str]] = [
    (
        (("ignore", "disregard", "forget", "override"),),
        rf"\b(ignore|disregard|forget|override)\b\s+(all\s+|any\s+)?(of\s+)?{_TARGET}\b[^.]{{0,40}}?"
        r"\b(instructions?|prompts?|rules|rubric|guidelines|marking|messages?)\b",
    ),
    (
        (("ignore", "disregard", "forget"), ("rubric", "marking scheme", "grading rules")),
        r"\b(ignore|disregard|forget)\s+(the\s+)?(rubric|marking scheme|grading rules)\b",
    ),
    (
        (
            ("award", "give", "assign", "grant", "score"),
            ("full", "max", "perfect", "100", "top"),
            ("mark", "score", "point", "grade"),
        ),
        r"\b(award|give|assign|grant|score)\b.{0,30}\b(full|maximum|max|perfect|100|top)\b.{0,15}\b(mark|score|point|grade)",
    ),
    (
        (("system", "developer"), ("prompt", "message", "instruction")),
        r"\b(system|developer)\s*(prompt|message|instruction)s?\s*[:\]>]",
    ),
    ((("[",), ("system",)), r"\[\s*system\s*\]"),
    ((("per the system",),), r"\bper the system (prompt|message)"),
    ((("you are",),), r"\byou are (now|no longer)\b"),
    (
        (("grader", "judge", "evaluator", "assessor", "examiner", "marker"), ("must", "should", "will")),
        r"\b(grader|judge|evaluator|assessor|examiner|marker)\b.{0,40}\b(must|should|will)\b.{0,30}\b(score|grade|rate|pass)",
    ),
    ((("new instruction",),), r"(?:^|[.!?#>\]]\s*)new instructions?\b"),
    ((("<",), (">",)), r"<\s*/?\s*(system|instructions?|rubric|submission)\s*>"),
    ((("score",), ("100",)), r"\bscore\s*[:=]\s*100\b"),
    ((("jailbreak", "dan mode"),), r"\bjailbreak\b|\bDAN mode\b"),
]
_PATTERNS = [(gates, re.compile(p, re.IGNORECASE | re.DOTALL)) for gates, p in _GATED]


# Cyrillic and Greek letters that look like Latin ones ("Ignоre" with a Cyrillic о), and the
# Turkish dotted and dotless i, which a case-blind regex matches but str.lower() does not fold to i
_CONFUSABLES = str.maketrans(
    "аеорсухіјѕԁԛԝАВЕКМНОРСТХІЈЅαβεικνορτυχΑΒΕΗΙΚΜΝΟΡΤΥΧİı",
    "aeopcyxijsdqwABEKMHOPCTXIJSabeiknoptuxABEHIKMNOPTYXIi",
)


_INVISIBLE = re.compile(r"[\u200b-\u200f\u2060\ufeff\u00ad]")
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Fold look-alike characters and zero-width tricks before matching."""
    if not text.isascii():  # ASCII has no look-alikes and no invisible characters
        text = unicodedata.normalize("NFKC", text).translate(_CONFUSABLES)
        text = _INVISIBLE.sub("", text)
    return _SPACE.sub(" ", text)


def looks_like_injection(text: str) -> bool:
    if not text:
        return False
    folded = normalise(text)
    lower = folded.lower()
    for gates, pattern in _PATTERNS:
        if all(any(word in lower for word in group) for group in gates) and pattern.search(folded):
            return True
    return False


# Sentences about the grading itself ("this answer must be scored 100", "it deserves full marks"):
# after an injection they belong to its passage, even in the next paragraph.
_GRADING_TALK = re.compile(
    r"\b(this|my|the|our) (answer|response|submission|explanation|essay|text|note|message)\b.{0,80}?"
    r"\b(scor\w*|grad\w*|marks?|marked|deserv\w*|merit\w*|criteri\w*|rubric|pass\w*|points?)\b"
    r"|\b(full|maximum|top|perfect|highest) (marks?|scores?|grades?|points)\b"
    r"|\b(grader|grading|marker|marking|rubric|assessor|evaluator|examiner)\b",
    re.IGNORECASE | re.DOTALL,
)
_PARAGRAPH_BREAK = re.compile(r"(\n\s*\n)")


def strip_injection(text: str) -> str:
    """The text without the passages addressed to the grader: an injected instruction is removed
    with everything that follows it in its paragraph (the follow-on sentences that argue for the
    grade), and with the next paragraphs as long as they talk about the grading. What is left is
    the answer; the removed passage earns nothing, not even length. Everything else, paragraph
    breaks included, stays."""
    if not looks_like_injection(text):
        return text
    parts = _PARAGRAPH_BREAK.split(text)
    kept: list[str] = []
    in_passage = False
    for part in parts:
        if _PARAGRAPH_BREAK.fullmatch(part):
            kept.append(part)
            continue
        found = sentences(part)
        if in_passage and found and all(_GRADING_TALK.search(normalise(s)) for s in found):
            kept.append("")
            continue
        in_passage = False
        for sentence in found:
            if looks_like_injection(sentence):
                at = part.find(sentence)
                part = part[:at] if at >= 0 else part.replace(sentence, "", 1)
                in_passage = True
                break
        kept.append(part.rstrip() if in_passage else part)
    return _PARAGRAPH_BREAK.sub("\n\n", "".join(kept).strip())

"""Text metrics for free-text answers: sentences, light stemming, cue matching, readability,
numbers. Deliberately small and deterministic: the same text always gets the same reading."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?(?:[.,][0-9]+)*", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(“])|\n\s*\n|\n(?=\s*(?:[-*•]|\d+[.)])\s)")
_NUMBER = re.compile(
    r"(?<![\w.])[-−]?\$?£?€?\d[\d,]*(?:\.\d+)?\s*(?:%|k\b|m\b|bn\b|million\b|billion\b)?", re.IGNORECASE
)

# Function words mark real prose: a keyword list has almost none.
FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "to",
        "of",
        "in",
        "on",
        "for",
        "and",
        "or",
        "but",
        "so",
        "that",
        "this",
        "these",
        "those",
        "it",
        "its",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "will",
        "would",
        "can",
        "could",
        "should",
        "must",
        "may",
        "we",
        "you",
        "they",
        "he",
        "she",
        "i",
        "our",
        "your",
        "their",
        "my",
        "his",
        "her",
        "with",
        "by",
        "from",
        "at",
        "as",
        "if",
        "then",
        "than",
        "because",
        "which",
        "who",
        "what",
        "when",
        "where",
        "why",
        "how",
        "not",
        "no",
        "do",
        "does",
        "did",
        "has",
        "have",
        "had",
        "there",
        "here",
        "also",
        "just",
        "only",
        "into",
        "about",
        "before",
        "after",
        "until",
    ]
)

_SUFFIXES = (
    "ational",
    "ization",
    "fulness",
    "ousness",
    "iveness",
    "ations",
    "nesses",
    "ments",
    "ation",
    "ising",
    "izing",
    "ities",
    "ement",
    "ness",
    "ment",
    "ings",
    "ably",
    "ibly",
    "ised",
    "ized",
    "ises",
    "izes",
    "ing",
    "ies",
    "ied",
    "ity",
    "ers",
    "est",
    "ful",
    "ous",
    "ive",
    "ise",
    "ize",
    "ed",
    "er",
    "es",
    "ly",
    "al",
    "s",
    "e",
)


@lru_cache(maxsize=65_536)
def stem(word: str) -> str:
    """Strip one common English suffix, keeping at least a three-letter stem.

    Not linguistics, but enough that review/reviews/reviewed/reviewer/reviewing agree.
    """
    word = word.lower().replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) <= 3 or word.isdigit():
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
        word = word[:-1]  # stopped -> stopp -> stop
    return word


def words(text: str) -> list[str]:
    return [m.group(0).lower() for m in _WORD.finditer(text)]


def stems(text: str) -> list[str]:
    return [stem(w) for w in words(text)]


def sentences(text: str) -> list[str]:
    parts = _SENTENCE_END.split(text.strip())
    return [p.strip() for p in parts if p and p.strip()]


@dataclass(frozen=True)
class Sentence:
    text: str
    stems: tuple[str, ...]
    word_count: int
    is_prose: bool


def analyse(text: str) -> list[Sentence]:
    """Sentences with their stems, and whether each reads as prose rather than a keyword list."""
    result = []
    for raw in sentences(text):
        ws = words(raw)
        function_share = sum(w in FUNCTION_WORDS for w in ws) / len(ws) if ws else 0.0
        prose = len(ws) >= 5 and function_share >= 0.15
        result.append(Sentence(raw, tuple(stem(w) for w in ws), len(ws), prose))
    return result


@lru_cache(maxsize=16_384)
def _phrase_stems(phrase: str) -> tuple[str, ...]:
    return tuple(stems(phrase))


def contains_phrase(haystack: Sequence[str], needle: Sequence[str]) -> bool:
    """Whether the token sequence holds the phrase's tokens, contiguous and in order."""
    n = len(needle)
    if n == 0:
        return False
    if n == 1:
        return needle[0] in haystack
    first = needle[0]
    return any(
        haystack[i] == first and tuple(haystack[i : i + n]) == tuple(needle) for i in range(len(haystack) - n + 1)
    )


def cue_found(tokens: Sequence[str], alternatives: Iterable[str]) -> bool:
    return any(contains_phrase(tokens, _phrase_stems(alt)) for alt in alternatives)


def concept_found(tokens: Sequence[str], cues: Sequence[Sequence[str]]) -> bool:
    """All cue groups found in the same token sequence (one sentence or one line)."""
    return bool(cues) and all(cue_found(tokens, alts) for alts in cues)


def cue_share(tokens: Sequence[str], cues: Sequence[Sequence[str]]) -> float:
    if not cues:
        return 0.0
    return sum(cue_found(tokens, alts) for alts in cues) / len(cues)


def syllables(word: str) -> int:
    word = word.lower()
    if word.isdigit():
        return max(1, len(word) // 2)
    groups = re.findall(r"[aeiouy]+", word)
    count = len(groups)
    if word.endswith("e") and not word.endswith(("le", "ee")) and count > 1:
        count -= 1
    return max(1, count)


def reading_grade(text: str) -> float:
    """Flesch-Kincaid grade level; 0 for empty text."""
    sents = [s for s in sentences(text) if words(s)]
    ws = words(text)
    if not sents or not ws:
        return 0.0
    syl = sum(syllables(w) for w in ws)
    return 0.39 * len(ws) / len(sents) + 11.8 * syl / len(ws) - 15.59


def word_count(text: str) -> int:
    return len(words(text))


def parse_number(token: str) -> float | None:
    cleaned = token.lower().replace("−", "-").strip()
    multiplier = 1.0
    for suffix, factor in (("billion", 1e9), ("bn", 1e9), ("million", 1e6), ("m", 1e6), ("k", 1e3)):
        if cleaned.endswith(suffix):
            multiplier, cleaned = factor, cleaned[: -len(suffix)].strip()
            break
    cleaned = cleaned.rstrip("%").lstrip("$£€").replace(",", "")
    try:
        return float(cleaned) * multiplier
    except ValueError:
        return None


def numbers(text: str) -> list[float]:
    found = (parse_number(m.group(0)) for m in _NUMBER.finditer(text))
    return [n for n in found if n is not None]


def number_matches(found: Iterable[float], gold: float, tolerance: float) -> bool:
    scale = max(abs(gold), 1e-9)
    return any(abs(value - gold) / scale <= tolerance for value in found)

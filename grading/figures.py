"""Whether a figure is attached to the claim the case gives it. A true number can carry a false
statement: "all 37 turned out wrong" where the case says 37 were checked and 5 turned out wrong,
or "the 50 % saving" where the case promised 50 % and delivers a 45 % saving.

A figure's head is the first content word within a few words after it ("37 were *checked*", "45 %
*saving*"), the noun or verb it counts. A learner's figure is misattached when its head is the head
the case gives a different figure in the same sentence, never its own, and that other figure is not
stated beside it (then the sentence compares the two). Paraphrases are safe: a head the case gives
to no rival figure ("37 *reviewed*") is not a misattachment. The base of a ratio ("2 in *100*")
counts nothing, so has no head."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from exercises.model import ExplainReasoningExercise
from grading.text import FUNCTION_WORDS, analyse, parse_number, stem

HEAD_REACH = 3  # words after a figure in which its head is looked for
_BASES = frozenset(["in", "per", "every", "of"])  # "2 in 100", "out of 1,000": a ratio's base counts nothing
# a day of the month ("1 April", "March 2") is a date: it counts nothing, so has no head
_MONTHS = frozenset(
    stem(m)
    for m in [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ]
)


def _figure(token: str) -> float | None:
    return parse_number(token) if token[:1].isdigit() else None


def heads(tokens: Sequence[str]) -> list[tuple[float, str]]:
    """(figure, head) for each figure in a sentence's lemmas that has a head: the first content
    word within HEAD_REACH words after it, before any other figure."""
    return [(value, words[0]) for value, words in _followers(tokens)]


def _followers(tokens: Sequence[str]) -> list[tuple[float, list[str]]]:
    """(figure, its content words within HEAD_REACH after it, before any other figure): the head
    first, then what may be its noun ("120 *small claims*")."""
    found = []
    for i, token in enumerate(tokens):
        value = _figure(token)
        if value is None or (i and tokens[i - 1] in _BASES | _MONTHS):
            continue
        if i + 1 < len(tokens) and tokens[i + 1] in _MONTHS:
            continue
        words = []
        for follower in tokens[i + 1 : i + 1 + HEAD_REACH]:
            if _figure(follower) is not None:
                break
            if follower not in FUNCTION_WORDS and len(follower) > 2:
                words.append(follower)
        if words:
            found.append((value, words))
    return found


@dataclass(frozen=True)
class Attachments:
    own: dict[float, frozenset[str]]  # figure -> the heads the case gives it
    rival: dict[float, frozenset[str]]  # figure -> heads of other figures in a sentence with it


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(b))


_CASES: dict[tuple[str, ...], Attachments] = {}


def case_attachments(exercise: ExplainReasoningExercise) -> Attachments:
    """Which heads the case gives each of its figures, and which it gives the figures beside them."""
    source = [exercise.situation, exercise.reference.text, *(p.text for p in exercise.key_points)]
    key = (exercise.id, str(exercise.version), *source)
    if key not in _CASES:
        own: dict[float, set[str]] = {}
        rival: dict[float, set[str]] = {}
        for text in source:
            for sentence in analyse(text):
                found = heads(sentence.stems)
                for value, head in found:
                    own.setdefault(value, set()).add(head)
                for value, _ in found:
                    rival.setdefault(value, set()).update(h for v, h in found if not _same(v, value))
        if len(_CASES) > 4096:
            _CASES.clear()
        _CASES[key] = Attachments(
            {v: frozenset(h) for v, h in own.items()}, {v: frozenset(h) for v, h in rival.items()}
        )
    return _CASES[key]


def misattached(exercise: ExplainReasoningExercise, tokens: Sequence[str]) -> list[tuple[float, str, float]]:
    """(figure, head, the figure the case attaches that head to) for each figure in a sentence
    stated about another figure's claim."""
    case = case_attachments(exercise)
    stated = [v for v in map(_figure, tokens) if v is not None]
    result = []
    for value, words in _followers(tokens):
        head = words[0]
        own = next((h for v, h in case.own.items() if _same(value, v)), None)
        rival = next((h for v, h in case.rival.items() if _same(value, v)), frozenset())
        # a word after the head that the case gives this figure is its noun ("120 small claims"): its own claim
        if own and head not in own and head in rival and not own.intersection(words[1:]):
            owner = next(v for v, hs in case.own.items() if head in hs and not _same(v, value))
            if not any(_same(v, owner) for v in stated):  # both figures given: a comparison, not a swap
                result.append((value, head, owner))
    return result

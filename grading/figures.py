"""Whether a figure is attached to the claim the case gives it. A true number can carry a false
statement: "all 37 turned out wrong" where the case says 37 were checked and 5 turned out wrong,
or "the 50 % saving" where the case promised 50 % and delivers a 45 % saving.

A figure's heads are the content words that follow it ("37 were *checked*", "120 small *claims* a
month"), up to HEAD_REACH of them, within its own clause: the search stops at another figure and
at a word that opens a new clause ("£180,000, *which* pays ..."). A learner's figure is misattached
when its first head is one the case gives a different figure first in the same sentence and never
gives this figure, no later head is the noun the case counts with this figure ("120 *small*
claims"), and that other figure is not stated beside it (then the sentence compares the two).
Paraphrases are safe: a head the case gives to no rival figure ("37 *reviewed*") is not a
misattachment. Some figures count nothing, so have no head: the base of a
ratio ("2 in *100*"), "one of" a group ("one of our specialists"), a date ("1 April") and a year
("since 2023")."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from exercises.model import ExplainReasoningExercise
from grading.text import FUNCTION_WORDS, analyse, parse_number, stems

HEAD_REACH = 3  # content words after a figure in which its heads are looked for
_BASES = frozenset(["in", "per", "every", "of"])  # "2 in 100", "out of 1,000": a ratio's base counts nothing
_ONE_OF = ("1", "of")  # "one of our specialists": one member of a group, not a count of its own
# words that open a new clause, in the form sentences' tokens take
_CLAUSE_OPENERS = frozenset(stems("which who that where when while because and but or so than"))
_YEARS = range(1900, 2100)
# a day of the month ("1 April", "March 2") is a date: it counts nothing, so has no head
_MONTHS = frozenset(stems("january february march april may june july august september october november december"))
_MONTH_AFTER = frozenset((m,) for m in _MONTHS)


def _figure(token: str) -> float | None:
    return parse_number(token) if token[:1].isdigit() else None


def _is_year(token: str) -> bool:
    return token.isdigit() and len(token) == 4 and int(token) in _YEARS


def heads(tokens: Sequence[str]) -> list[tuple[float, tuple[str, ...]]]:
    """(figure, its heads) for each figure in a sentence's lemmas that has any: the content words
    after it, up to HEAD_REACH, before any other figure or a word that opens a new clause."""
    found = []
    for i, token in enumerate(tokens):
        value = _figure(token)
        if value is None or _is_year(token) or (i and tokens[i - 1] in _BASES | _MONTHS):
            continue
        if tuple(tokens[i : i + 2]) == _ONE_OF or tuple(tokens[i + 1 : i + 2]) in _MONTH_AFTER:
            continue
        words: list[str] = []
        for follower in tokens[i + 1 :]:
            if _figure(follower) is not None or follower in _CLAUSE_OPENERS or len(words) == HEAD_REACH:
                break
            if follower not in FUNCTION_WORDS and len(follower) > 2:
                words.append(follower)
        if words:
            found.append((value, tuple(words)))
    return found


@dataclass(frozen=True)
class Attachments:
    own: dict[float, frozenset[str]]  # figure -> the heads the case gives it
    lead: dict[float, frozenset[str]]  # figure -> the first heads the case gives it (what it counts)
    rival: dict[float, frozenset[str]]  # figure -> first heads of other figures in a sentence with it


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(b))


_CASES: dict[tuple[str, ...], Attachments] = {}


def case_attachments(exercise: ExplainReasoningExercise) -> Attachments:
    """Which heads the case gives each of its figures, and which it gives the figures beside them."""
    source = [exercise.situation, exercise.reference.text, *(p.text for p in exercise.key_points)]
    key = (exercise.id, str(exercise.version), *source)
    if key not in _CASES:
        own: dict[float, set[str]] = {}
        lead: dict[float, set[str]] = {}
        rival: dict[float, set[str]] = {}
        for text in source:
            for sentence in analyse(text):
                found = heads(sentence.stems)
                for value, words in found:
                    own.setdefault(value, set()).update(words)
                    lead.setdefault(value, set()).add(words[0])
                for value, _ in found:
                    rival.setdefault(value, set()).update(w[0] for v, w in found if not _same(v, value))
        if len(_CASES) > 4096:
            _CASES.clear()
        _CASES[key] = Attachments(*({v: frozenset(h) for v, h in d.items()} for d in (own, lead, rival)))
    return _CASES[key]


def misattached(exercise: ExplainReasoningExercise, tokens: Sequence[str]) -> list[tuple[float, str, float]]:
    """(figure, head, the figure the case attaches that head to) for each figure in a sentence
    stated about another figure's claim."""
    case = case_attachments(exercise)
    stated = [v for v in map(_figure, tokens) if v is not None]
    result = []
    for value, words in heads(tokens):
        head = words[0]
        own = next((h for v, h in case.own.items() if _same(value, v)), None)
        rival = next((h for v, h in case.rival.items() if _same(value, v)), frozenset())
        lead = next((h for v, h in case.lead.items() if _same(value, v)), frozenset())
        # a later word the case leads this figure with is its noun ("120 small claims"): its own claim
        if own and head not in own and head in rival and lead.isdisjoint(words[1:]):
            owner = next(v for v, hs in case.own.items() if head in hs and not _same(v, value))
            if not any(_same(v, owner) for v in stated):  # both figures given: a comparison, not a swap
                result.append((value, head, owner))
    return result

"""Whether a figure is attached to the claim the case gives it. A true number can carry a false
statement: "all 37 turned out wrong" where the case says 37 were checked and 5 turned out wrong,
or "the 50 % saving" where the case promised 50 % and delivers a 45 % saving.

A figure's heads are the content words that follow it ("37 were *checked*", "120 small *claims* a
month"), up to HEAD_REACH of them, within its own clause: the search stops at another figure and
at a word that opens a new clause ("£180,000, *which* pays ..."). A learner's figure is misattached
when its first head is one the case gives a different figure first in the same sentence and never
gives this figure, no later head is the noun the case counts with this figure ("120 *small*
claims"), and that other figure is not stated beside it (then the sentence compares the two).
The tie must be to what the other figure counts: a unit of time ("for about two *months*") measures
many of the case's figures and names none of them, and an auxiliary ("would *have* paid") is no head.
Paraphrases are safe: a head the case gives to no rival figure ("37 *reviewed*") is not a
misattachment. Some figures count nothing, so have no head: the base of a
ratio ("2 in *100*"), "one of" a group ("one of our specialists"), a date ("1 April") and a year
("since 2023")."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from exercises.model import ExplainReasoningExercise
from grading.text import FUNCTION_STEMS, FUNCTION_WORDS, MONTH_NAMES, analyse, parse_number, stems

HEAD_REACH = 3  # content words after a figure in which its heads are looked for
_BASES = frozenset(["in", "per", "every", "of"])  # "2 in 100", "out of 1,000": a ratio's base counts nothing
_ONE_OF = ("1", "of")  # "one of our specialists": one member of a group, not a count of its own
# words that open a new clause, in the form sentences' tokens take
_CLAUSE_OPENERS = frozenset(stems("which who that where when while because and but or so than"))
_YEARS = range(1900, 2100)
_PER_UNIT = frozenset(["a", "an", "per"])  # "£300 a case": the unit a price or rate is given per
# a day of the month ("1 April", "March 2") is a date: it counts nothing, so has no head
_MONTHS = frozenset(stems(" ".join(MONTH_NAMES)))
_MONTH_AFTER = frozenset((m,) for m in _MONTHS)
# units of time: "2 months", "45 days" measure a span; a shared unit ties a figure to no other's claim
_TIME_UNITS = frozenset(stems("minute hour day week month quarter year"))


def _figure(token: str) -> float | None:
    return parse_number(token) if token[:1].isdigit() else None


def _is_year(token: str) -> bool:
    return token.isdigit() and len(token) == 4 and int(token) in _YEARS


def heads(tokens: Sequence[str], reach: int | None = HEAD_REACH) -> list[tuple[float, tuple[str, ...]]]:
    """(figure, its heads) for each figure in a sentence's lemmas that has any: the content words
    after it, up to `reach` (None: its whole clause), before any other figure or a word that opens
    a new clause. A price per item ("£300 a case", "€2.30 per claim") counts no item."""
    found = []
    for i, token in enumerate(tokens):
        value = _figure(token)
        if value is None or _is_year(token) or (i and tokens[i - 1] in _BASES | _MONTHS):
            continue
        if tuple(tokens[i : i + 2]) == _ONE_OF or tuple(tokens[i + 1 : i + 2]) in _MONTH_AFTER:
            continue
        after = tuple(tokens[i + 1 : i + 3])
        if len(after) == 2 and after[0] in _PER_UNIT and after[1] not in _TIME_UNITS:
            continue  # a price per item; an amount per period keeps its period ("£180,000 a year")
        words: list[str] = []
        for follower in tokens[i + 1 :]:
            if _figure(follower) is not None or follower in _CLAUSE_OPENERS or len(words) == reach:
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
                # the case ties a figure to every word of its clause, however far ("£25,000 a year
                # could still be overpaid on the small claims")
                for value, words in heads(sentence.stems, reach=None):
                    own.setdefault(value, set()).update(words)
                for value, words in found:
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
        if not _counts_directly(tokens, value, words[0]):
            continue
        head = words[0]
        own = next((h for v, h in case.own.items() if _same(value, v)), None)
        rival = next((h for v, h in case.rival.items() if _same(value, v)), frozenset())
        lead = next((h for v, h in case.lead.items() if _same(value, v)), frozenset())
        # a later word the case leads this figure with is its noun ("120 small claims"): its own claim
        if own and head not in own | _TIME_UNITS | FUNCTION_STEMS and head in rival and lead.isdisjoint(words[1:]):
            # the figure whose claim it is: one the case leads with that word (what it counts)
            owner = next((v for v, hs in case.lead.items() if head in hs and not _same(v, value)), None)
            if owner is not None and not any(_same(v, owner) for v in stated):  # both given: a comparison
                result.append((value, head, owner))
    return result


# a word after one of these is what a figure relates to, not what it counts ("£25k *on* the small ones")
_PREPOSITIONS = frozenset(stems("of on for in at from to with by about over under per across among"))


def _counts_directly(tokens: Sequence[str], value: float, head: str) -> bool:
    """Whether a learner's figure reaches its first head with no preposition between: "120 small
    errors" counts errors; "£25k on the small ones" and "3.4 % of claims" (a share's base) do not
    count what follows."""
    i = next(k for k, t in enumerate(tokens) if _figure(t) is not None and _same(_figure(t) or 0.0, value))
    j = next((k for k in range(i + 1, len(tokens)) if tokens[k] == head), len(tokens))
    return _PREPOSITIONS.isdisjoint(tokens[i + 1 : j])


def case_texts(exercise: ExplainReasoningExercise) -> list[str]:
    """Everything the case states: brief, situation, reference, key points and the reader's concerns."""
    return [
        exercise.brief,
        exercise.situation,
        exercise.reference.text,
        *(p.text for p in exercise.key_points),
        *(c.text for c in exercise.stakeholder.concerns),
    ]


# --- a share of a part stated as a share of the whole -----------------------------------------------
# "55 % of all claims" where the case gives 55 % of the claims owed money (and 35 % of all claims):
# the share is true, the group it is a share of is not, and the reader takes it as the whole.

_WHOLE = frozenset(stems("all every total entire whole overall"))
_NOT = frozenset(stems("not never no"))
WHOLE_REACH = 2  # words after "of" in which "all", "every", "total" make the base the whole


def _shares_of(tokens: Sequence[str]) -> list[tuple[float, bool]]:
    """(share, whether its base is the whole) for each percentage followed by "of", leaving out a
    share said not to be of the whole ("not 55 % of all claims": the misreading named, not made)."""
    found = []
    for i, token in enumerate(tokens):
        if token.endswith("%") and token[:1].isdigit() and tuple(tokens[i + 1 : i + 2]) == ("of",):
            value = parse_number(token[:-1])
            whole = not _WHOLE.isdisjoint(tokens[i + 2 : i + 2 + WHOLE_REACH])
            denied = any(t in _NOT or t.endswith("n't") for t in tokens[max(0, i - 3) : i])
            if value is not None and not (whole and denied):
                found.append((value, whole))
    return found


_PARTS: dict[tuple[str, ...], tuple[frozenset[float], frozenset[float]]] = {}


def _case_shares(exercise: ExplainReasoningExercise) -> tuple[frozenset[float], frozenset[float]]:
    """The shares the case gives of a part (its base not the whole) and those it gives of the whole."""
    source = case_texts(exercise)
    key = (exercise.id, str(exercise.version), *source)
    if key not in _PARTS:
        shares = [s for text in source for sentence in analyse(text) for s in _shares_of(sentence.stems)]
        if len(_PARTS) > 4096:
            _PARTS.clear()
        _PARTS[key] = (frozenset(v for v, whole in shares if not whole), frozenset(v for v, whole in shares if whole))
    return _PARTS[key]


def widened_shares(exercise: ExplainReasoningExercise, tokens: Sequence[str]) -> list[float]:
    """Shares a sentence states of the whole ("55 % of all claims") that the case gives only of a
    part of it ("55 % of the claims owed money"), unless the sentence denies it ("not 55 % of
    all claims"). A share said of a base that names no whole ("55 % of claims") is left alone."""
    part, whole = _case_shares(exercise)
    return [
        v
        for v, said_whole in _shares_of(tokens)
        if said_whole and any(_same(v, p) for p in part) and not any(_same(v, w) for w in whole)
    ]


# --- figures the case does not give -------------------------------------------------------------------

ABOUT = 0.1  # "about": a figure within a tenth of one the case gives or derives is that figure, rounded
SMALL_COUNT = 10  # whole numbers up to this are incidental counts ("two merchants", "4 handlers"), not key figures
# how many of each period make a year: a figure per one period may be restated per another
_PER_YEAR = {"day": 365.0, "week": 52.0, "month": 12.0, "quarter": 4.0, "year": 1.0}


def _derivations(sentences: Sequence[Sequence[tuple[float, str]]]) -> frozenset[float]:
    """The case's figures and what a writer may fairly compute from them: from two figures of one
    sentence a sum, a difference, a ratio, a percentage of or as a share; from a rate "1 in N",
    "N in 1,000" and its complement; from a figure over a period, the same over another period
    (a month's saving as a year's). Only related figures combine, so a figure the case does not
    support is rarely matched by chance."""
    out: set[float] = set()
    for figures in sentences:
        for a, kind in figures:
            out.add(a)
            if a < 100:  # in other units: cents as pounds, a percentage as a fraction, and back
                out |= {a / 100} | ({100 * a} if not a.is_integer() else set())
            if kind == "rate":
                out |= {100 / a, 10 * a, 100 - a}
            elif kind in _PER_YEAR:  # a figure per period, per another period
                out |= {a * _PER_YEAR[kind] / n for n in _PER_YEAR.values()}
        for a, _ in figures:
            for b, _ in figures:
                if a != b:
                    out |= {a + b, abs(a - b), a / b, a * b / 100, 100 * a / b}
    return frozenset(v for v in out if v)


@dataclass(frozen=True)
class CaseFigures:
    founded: frozenset[float]  # the case's figures and their derivations
    counts: frozenset[float]  # the figures it gives as counts or per period (not as rates)
    rates: frozenset[float]  # figures the case gives only as rates ("0.7 %", the 7 of "7 in 1,000")


_FOUNDED: dict[tuple[str, ...], CaseFigures] = {}
_PERIOD_WORDS = {stems(p)[0]: p for p in _PER_YEAR}  # a period's lemma -> the period
_PER = frozenset(stems("a an per each every"))


def _ratio_base(tokens: Sequence[str], i: int) -> tuple[float, int] | None:
    """The base of a ratio whose first figure is at i ("7 in 1,000", "23 of the 600", "7
    households in 1,000") and where it stands, if the figure is one."""
    for j in range(i + 1, min(i + 4, len(tokens) - 1)):
        if _figure(tokens[j]) is not None:
            return None
        if tokens[j] in _BASES:
            k = j + 2 if tokens[j + 1] == "the" and j + 2 < len(tokens) else j + 1
            base = _figure(tokens[k])
            return (base, k) if base else None
    return None


_SCALES = {"k": 1e3, "m": 1e6, "million": 1e6, "bn": 1e9, "billion": 1e9}


def _value(tokens: Sequence[str], i: int) -> float | None:
    """The figure at i with the scale the lemmas split off it ("£3.2m" reads as 3.2, m)."""
    value = _figure(tokens[i])
    if value is not None and i + 1 < len(tokens) and tokens[i + 1] in _SCALES:
        return value * _SCALES[tokens[i + 1]]
    return value


def _kinds(tokens: Sequence[str]) -> list[tuple[float, str]]:
    """A sentence's figures, each a "rate" (a percentage or a ratio's first figure), the period
    it is given per ("month": a figure per month) or a "count"; a ratio's base counts nothing."""
    result: list[tuple[float, str]] = []
    bases: set[int] = set()
    for i, token in enumerate(tokens):
        value = _value(tokens, i)
        if value is None or not value or i in bases or _is_year(token):
            continue
        ratio = _ratio_base(tokens, i)
        if ratio:
            bases.add(ratio[1])
        kind = "rate" if token.endswith("%") or ratio else _period(tokens, i) or "count"
        result.append((value, kind))
    return result


def case_figures(exercise: ExplainReasoningExercise) -> CaseFigures:
    """Every figure the case gives (brief, situation, reference, key points, concerns), which of
    them it gives only as rates, and their simple derivations."""
    source = case_texts(exercise)
    key = (exercise.id, str(exercise.version), *source)
    if key not in _FOUNDED:
        found = [_kinds(sentence.stems) for text in source for sentence in analyse(text)]
        rates = {v for figures in found for v, kind in figures if kind == "rate"}
        counts = [[(v, kind) for v, kind in figures if kind != "rate"] for figures in found]
        if len(_FOUNDED) > 4096:
            _FOUNDED.clear()
        _FOUNDED[key] = CaseFigures(_derivations(found), frozenset(v for c in counts for v, _ in c), frozenset(rates))
    return _FOUNDED[key]


def _near(value: float, figures: frozenset[float]) -> bool:
    return any(abs(value - f) <= ABOUT * abs(f) for f in figures)


def _period(tokens: Sequence[str], i: int) -> str | None:
    """The period the figure at i is stated per ("7 a *year*", "120 each *month*"), if any; not
    a duration ("30 days")."""
    for j in range(i + 1, min(i + 1 + HEAD_REACH, len(tokens))):
        if _figure(tokens[j]) is not None or tokens[j] in _CLAUSE_OPENERS:
            return None
        if tokens[j] in _PERIOD_WORDS and tokens[j - 1] in _PER:
            return _PERIOD_WORDS[tokens[j]]
    return None


@lru_cache(maxsize=8192)
def stated(text: str) -> tuple[float, ...]:
    """The figures a text states, leaving out what counts nothing (a ratio's base, a year)."""
    return tuple(v for sentence in analyse(text) for v, _ in _kinds(sentence.stems))


@lru_cache(maxsize=8192)
def rates(text: str) -> tuple[tuple[float, float, bool], ...]:
    """(figure, the percentage it states, whether it is a ratio's first figure) for each rate in a
    text: a percentage states itself, a ratio's first figure the share it is of its base ("1 in
    30": 3.3 %, "6 in 1,000": 0.6 %, "23 of the 600": 3.8 %). A writer may give a rate either way."""
    found = []
    for sentence in analyse(text):
        tokens = sentence.stems
        for i, token in enumerate(tokens):
            value = _value(tokens, i)
            if value is None:
                continue
            ratio = _ratio_base(tokens, i)
            if ratio:
                found.append((value, 100 * value / ratio[0], True))
            elif token.endswith("%"):
                found.append((value, value, False))
    return tuple(found)


def unfounded(exercise: ExplainReasoningExercise, tokens: Sequence[str]) -> list[float]:
    """Figures in a sentence's lemmas that the case neither gives nor lets a writer derive (see
    CaseFigures), within ABOUT: an invented key figure. A rate stated as a count over a period
    ("about 7 a year" where the case gives 7 in 1,000) is one too. Years, dates, small whole
    counts and "one of" count nothing; a ratio ("1 in 26") is judged as the rate it states."""
    case = case_figures(exercise)
    result = []
    skip = -1
    for i, token in enumerate(tokens):
        value = _value(tokens, i)
        if value is None or i <= skip or _is_year(token) or (i and tokens[i - 1] in _MONTHS):
            continue
        if tuple(tokens[i : i + 2]) == _ONE_OF or tuple(tokens[i + 1 : i + 2]) in _MONTH_AFTER:
            continue
        ratio = _ratio_base(tokens, i)
        if ratio:  # "a in b": the rate it states, or both figures as the case gives them
            base, skip = ratio
            if not (
                _near(100 * value / base, case.founded) or (_near(value, case.founded) and _near(base, case.founded))
            ):
                result.append(value)
        elif not token.endswith("%") and _period(tokens, i) and value in case.rates and value not in case.counts:
            result.append(value)  # a rate the case gives, stated as a count
        elif not (value.is_integer() and 0 <= value <= SMALL_COUNT) and not _near(value, case.founded):
            result.append(value)
    return result


# --- the whole of a group the case gives only part of ----------------------------------------------
# "found all 11" where the case says 10 of the 11 were found: a count turned into a whole.

_WHOLE = frozenset(["all", "ever", "every"])  # "every" stems to "ever"
_SKIPPED = frozenset(["of", "the", "these", "those", "1", "them", "they"])  # "every one of the 11"


def _count(token: str) -> float | None:
    value = _figure(token)
    return value if value is not None and value.is_integer() and value > 1 else None


def parts_of(tokens: Sequence[str]) -> list[tuple[float, float]]:
    """(part, whole) for each "M of the N" or "M out of N" in a sentence's lemmas, M and N counts."""
    found = []
    for i, token in enumerate(tokens):
        part = _count(token)
        if part is None:
            continue
        rest = [t for t in tokens[i + 1 : i + 5] if t not in ("the", "out")]
        if len(rest) >= 2 and rest[0] == "of" and (whole := _count(rest[1])) is not None and part <= whole:
            found.append((part, whole))
    return found


def wholes_claimed(tokens: Sequence[str]) -> set[float]:
    """The groups a sentence says all of: "all 11", "all of the 11", "every one of the 11", "11 of 11"."""
    claimed = {whole for part, whole in parts_of(tokens) if part == whole}
    for i, token in enumerate(tokens):
        if token in _WHOLE:
            for follower in tokens[i + 1 : i + 5]:
                if follower in _SKIPPED:
                    continue
                if (value := _count(follower)) is not None:
                    claimed.add(value)
                break
    return claimed

"""Text metrics for free-text answers: sentences, light stemming, cue matching, readability,
numbers. Deliberately small and deterministic: the same text always gets the same reading."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import simplemma

# a percentage stays one word ("34 %" and "34%" both read "34%"), so a cue "1%" is not any "1"
_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?(?:[.,][0-9]+)*(?:(?<=\d)\s?%)?", re.IGNORECASE)
# a sentence ends at . ! or ? followed by anything but a lower-case letter (so "e.g. this" stays
# whole, while "<system>" or a full-width letter after a full stop starts a new sentence)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[^a-z\s])|\n\s*\n|\n(?=\s*(?:[-*•]|\d+[.)])\s)")
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
        "around",
        "some",
        "any",
        "each",
        "every",
        "per",
        "via",
        "over",
        "under",
        "more",
        "less",
        "most",
        "all",
        "both",
        "either",
        "neither",
        "whether",
        "while",
        "since",
        "through",
        "during",
        "within",
        "without",
        "against",
        "between",
        "among",
        "across",
        "up",
        "down",
        "out",
        "off",
        "still",
        "yet",
        "very",
        "too",
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
def lemma(word: str) -> str:
    """The dictionary form (simplemma's English data, shipped in its wheel, so offline): "leaves"
    and "leaf" both read "leave", "children" reads "child", "was" reads "be". A noun in -f whose
    plural is -ves takes the -ve form, so the singular and the plural agree."""
    found = str(simplemma.lemmatize(word, lang="en")).lower()
    if found.endswith(("f", "fe")) and not found.endswith("ff"):
        plural = found.removesuffix("e").removesuffix("f") + "ves"
        if simplemma.is_known(plural, lang="en"):
            return plural[:-1]
    return found


@lru_cache(maxsize=65_536)
def stem(word: str) -> str:
    """The word's lemma, then one common English suffix stripped, keeping at least a three-letter
    stem, so review/reviews/reviewed/reviewer/reviewing and approve/approval agree.

    Measured on the explain calibration answers (tuned split): the lemma before the suffix rule
    brings the grader closer to the raters than the suffix rule alone or the Snowball stemmer."""
    word = word.lower().replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) <= 3 or not word.isalpha():
        return word
    word = lemma(word)
    if len(word) <= 3:
        return word
    if word.endswith(("ies", "ied")) and len(word) > 4:
        word = word[:-3] + "y"  # policies, policied -> policy; then strip as a -y word
    if word.endswith("y") and len(word) > 4:
        return word[:-1]  # policy -> polic, matching policies
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
        word = word[:-1]  # stopped -> stopp -> stop
    return word


# function words as stems() gives them ("have" -> "hav", "some" -> "som"), beside the words themselves
FUNCTION_STEMS = FUNCTION_WORDS | frozenset(stem(w) for w in FUNCTION_WORDS)


def words(text: str) -> list[str]:
    return list(_words(text))


@lru_cache(maxsize=16_384)
def _words(text: str) -> tuple[str, ...]:
    return tuple(m.group(0).lower().replace(" ", "") for m in _WORD.finditer(text))


_UNITS = {
    w: i
    for i, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
        ]
    )
}
_TENS = {
    w: 10 * (i + 2)
    for i, w in enumerate(["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"])
}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000}


_NUMBER_WORDS = frozenset([*_UNITS, *_TENS, *_SCALES, "percent", "cent"])


def numberize(tokens: list[str]) -> list[str]:
    """Number words as digits, so "thirty-six hours" matches a cue written "36 hours", "a hundred
    dollars" one written "100" and "thirty-eight and a half thousand" one written "38500"."""
    if not _NUMBER_WORDS.intersection(tokens):
        return tokens
    out: list[str] = []
    i = 0
    while i < len(tokens):
        word = tokens[i]
        starts = word in _UNITS or word in _TENS
        if not starts and word == "a" and i + 1 < len(tokens) and tokens[i + 1] in _SCALES:
            starts = True  # "a hundred", "a thousand"
        if not starts:
            out.append(word)
            i += 1
            continue
        total, current = 0.0, 0.0
        while i < len(tokens):
            word = tokens[i]
            after = tokens[i + 1] if i + 1 < len(tokens) else ""
            if word in _UNITS and (not current or (current % 100 >= 20 and current % 10 == 0 and _UNITS[word] < 10)):
                current += _UNITS[word]  # "thirty six", never "twelve thirty"
            elif word in _UNITS and current % 100 == 0:
                current += _UNITS[word]  # "two hundred and five"
            elif word in _TENS and current % 100 == 0:
                current += _TENS[word]
            elif word == "a" and after in _SCALES and not current:
                current = 1
            elif word in _SCALES and (current or total):
                if _SCALES[word] == 100:
                    current *= 100
                else:
                    total += current * _SCALES[word]
                    current = 0
            elif word == "and" and (after in _UNITS or after in _TENS):
                pass
            elif word == "and" and after == "a" and i + 2 < len(tokens) and tokens[i + 2] == "half" and current:
                current += 0.5
                i += 2
            else:
                break
            i += 1
        value = total + current
        out.append(str(int(value)) if value == int(value) else f"{value:g}")
    return _percent(out)


def _percent(tokens: list[str]) -> list[str]:
    """ "34 percent" and "34 per cent" as "34%", the way a figure is written."""
    if "percent" not in tokens and "cent" not in tokens:
        return tokens
    out: list[str] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token[:1].isdigit() and not token.endswith("%"):
            if tokens[i + 1 : i + 2] == ["percent"]:
                out.append(token + "%")
                i += 2
                continue
            if tokens[i + 1 : i + 3] == ["per", "cent"]:
                out.append(token + "%")
                i += 3
                continue
        out.append(token)
        i += 1
    return out


# Note-taking shorthand, read as the words it stands for: a terse note ("refunds >$100 wait ~15 min,
# 36 hrs/wk") states the same facts as the sentence it abbreviates.
MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
# a month cut short ("Mar", "Sept") -> its name; "May" is never cut
_MONTHS_IN_FULL = {
    **{name[:3].lower(): name for name in MONTH_NAMES if name != "May"},
    "sept": "September",
}
_MONTH_CUTS = "|".join(sorted(_MONTHS_IN_FULL, key=len, reverse=True))


def _whole_month(m: re.Match[str]) -> str:
    first, second = m.group(1), m.group(2)
    if first.isdigit():
        return f"{first} {_MONTHS_IN_FULL[second.lower()]}"
    return f"{_MONTHS_IN_FULL[first.lower()]} {second}"


def _slash_ratio(m: re.Match[str]) -> str:
    part, whole = int(m.group(1)), int(m.group(2).replace(",", ""))
    return f"{m.group(1)} in {m.group(2)}" if whole >= 20 and part < whole else m.group(0)


_SHORTHAND_SIGNS = (
    (re.compile(r"(?<![\w>])>=?\s*(?=[$£€]?\d)"), " over "),
    (re.compile(r"(?<![\w<])<=?\s*(?=[$£€]?\d)"), " under "),
    (re.compile(r"[~≈]\s*(?=[$£€]?\d)"), " about "),
    (re.compile(r"(?<![\w])\+\s*(?=[$£€]?\d)"), " more "),
    (re.compile(r"(?<=\d)c\b"), " cents"),
    (re.compile(r"\bw/o\b", re.IGNORECASE), "without"),
    (re.compile(r"\bw/(?=\s)", re.IGNORECASE), "with"),
    (
        re.compile(r"(?<=[a-z0-9])/(?=(?:day|week|wk|month|mth|year|yr|hour|hr|claim|email|order|request|ticket)s?\b)"),
        " per ",
    ),
    (re.compile(r"&"), " and "),
    # a month cut short beside a day: "from 1 Mar", "by Sept 30" (never "mar" on its own)
    (re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(" + _MONTH_CUTS + r")\b\.?", re.IGNORECASE), _whole_month),
    (re.compile(r"\b(" + _MONTH_CUTS + r")\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b", re.IGNORECASE), _whole_month),
    # a ratio written with a slash ("3/1000 wrong", "5/79 missed"): a share, not a date ("1/12") or "24/7"
    (re.compile(r"(?<![\d/.,])(\d{1,4})/(\d{1,3}(?:,\d{3})*|\d{2,7})(?![\d/])(?=\s|$|[,.;:)])"), _slash_ratio),
    (re.compile(r"\bauto-(?=[a-z])", re.IGNORECASE), "automatic "),
)
_SHORTHAND_WORDS = {
    "hr": "hour",
    "hrs": "hours",
    "wk": "week",
    "wks": "weeks",
    "min": "minutes",
    "mins": "minutes",
    "mth": "month",
    "mths": "months",
    "yr": "year",
    "yrs": "years",
    "approx": "about",
    "rec": "recommend",
    "recs": "recommend",
    "vs": "versus",
    "v": "versus",
    "govt": "government",
    "dept": "department",
    "mgmt": "management",
    "ppl": "people",
    "info": "information",
}


@lru_cache(maxsize=16_384)
def expand_shorthand(text: str) -> str:
    """The text with note shorthand written out (signs before figures, "hrs", "wks", "vs", "23c"),
    for matching only: counts of words and reading grades use the text as written."""
    for pattern, words_for in _SHORTHAND_SIGNS:
        text = pattern.sub(words_for, text)
    return _SHORTHAND_WORD.sub(lambda m: _SHORTHAND_WORDS[m.group(0).lower()], text)


_SHORTHAND_WORD = re.compile(
    r"\b(?:" + "|".join(sorted(_SHORTHAND_WORDS, key=len, reverse=True)) + r")\b", re.IGNORECASE
)


def stems(text: str) -> list[str]:
    return list(_stems(text))


@lru_cache(maxsize=16_384)
def _stems(text: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in numberize(words(expand_shorthand(text))))


def sentences(text: str) -> list[str]:
    parts = _SENTENCE_END.split(text.strip())
    return [p.strip() for p in parts if p and p.strip()]


@dataclass(frozen=True)
class Sentence:
    text: str
    stems: tuple[str, ...]
    word_count: int
    is_prose: bool


# Word order that English prose does not produce: an article or possessive followed by a small
# word ("the of", "our will") or "a"/"an" by a plural ("a minutes"), a preposition followed by an
# auxiliary or a conjunction ("for is", "with and"), two auxiliaries, two conjunctions or two
# figures in a row, a sentence ending on an article, a preposition or a conjunction ("...for.").
# Real sentences almost never have one; words shuffled into sentence shape have one every few words.
_DETERMINERS = frozenset(["a", "an", "the", "our", "your", "their", "my"])
_AFTER_DETERMINER = frozenset(["most", "more", "less", "only", "very", "same", "all", "other", "few"])
_PREPOSITIONS = frozenset(["of", "in", "on", "for", "with", "by", "from", "at", "into", "via", "per"])
_AUXILIARIES = frozenset(["is", "are", "was", "were", "will", "would", "can", "could", "should", "must"])
_CONJUNCTIONS = frozenset(["and", "or", "but", "nor"])
_AFTER_AUXILIARY = frozenset(["be", "been", "being", "have", "not", "also", "still", "only", "just", "now", "then"])
# "it goes in." is English; "...of the.", "...rather than." and "...who meet every." are not
_NO_END = _DETERMINERS | _CONJUNCTIONS | frozenset(["of", "than", "every", "per", "via", "into", "from"])
_MODALS = frozenset(["will", "would", "can", "could", "should", "must"])
_BEFORE_NO_VERB = frozenset(["to", "about", "within", "without", "against", "between"])
_SUBJECT_PRONOUNS = frozenset(["i", "we", "they", "he", "she"])
_NOT_AFTER_SUBJECT = _DETERMINERS | frozenset(
    ["until", "unless", "because", "although", "whereas", "than", "of", "from", "into", "via", "per"]
)
# a full stop followed by a small letter inside one sentence: two fragments run together ("sent. least 80 %")
_RUN_ON = re.compile(r"(?<![.\w])(\w{3,}|\d[\d,.]*%?|\))[.!?]\s+[a-z]")
_ABBREVIATED = frozenset(["etc", "approx", "incl", "excl", "min", "mins", "max", "est", "dept", "govt", "ref", "nos"])
_FIGURES_IN_A_ROW = re.compile(r"(?<![\d:.,])\$?\d[\d,.]*%?\s+\$?\d")
_ORDER_WORD = re.compile(r"[a-z0-9]+(?:['’-][a-z0-9]+)*(?:[.,][0-9]+)*", re.IGNORECASE)


def _plural(word: str) -> bool:
    return len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "ics", "ews", "'s", "’s"))


@lru_cache(maxsize=16_384)
def word_order_breaks(text: str) -> int:
    """How many places in a sentence break English word order (see above). Hyphenated words
    stay whole, so "the in-house team" is one article and one word."""
    found = list(_ORDER_WORD.finditer(text))
    ws = [m.group(0).lower() for m in found]
    # a small word capitalised inside a sentence ("costs The"), unless a colon, quote or bracket
    # starts a new phrase before it
    breaks = sum(
        m.group(0)[0].isupper()
        and ws[i] in FUNCTION_WORDS
        and ws[i] not in ("i", "may")  # "May" the month
        and text[: m.start()].rstrip()[-1:] not in (":", '"', "“", "(", "-", "—", "*", "")
        for i, m in enumerate(found)
        if i > 1  # the second word may follow a salutation: "Dana, We ..."
    )
    for i, (a, b) in enumerate(itertools.pairwise(ws)):
        if a in _DETERMINERS:
            # "a claims" breaks the order, "a claims handler" is a compound noun
            after = ws[i + 2] if i + 2 < len(ws) else ""
            compound = bool(after) and after not in FUNCTION_WORDS and not _plural(after)
            breaks += (b in FUNCTION_WORDS and b not in _AFTER_DETERMINER) or (
                a in ("a", "an") and _plural(b) and not compound
            )
        elif a in _PREPOSITIONS:
            breaks += b in _AUXILIARIES or b in _CONJUNCTIONS or b in _PREPOSITIONS
        elif a in _AUXILIARIES:
            breaks += (b in _AUXILIARIES or b in _CONJUNCTIONS) and b not in _AFTER_AUXILIARY
        elif a in _CONJUNCTIONS:
            breaks += b in _CONJUNCTIONS
        if a in _SUBJECT_PRONOUNS and b in _NOT_AFTER_SUBJECT:
            breaks += 1  # "so we until a budget holder", "I the": a subject with no verb after it
        if a in _BEFORE_NO_VERB and b in _AUXILIARIES:
            breaks += 1  # "is to will wait", "about will no longer": a verb where none can stand
        if a in _MODALS and i > 0 and b in _DETERMINERS and not text.rstrip().endswith("?"):
            breaks += 1  # "candidates will a gap": a modal's verb is missing ("What will the board do?" asks)
    run_on = [m for m in _RUN_ON.finditer(text) if m.group(1).lower() not in _ABBREVIATED]
    breaks += len(_FIGURES_IN_A_ROW.findall(text)) + len(run_on)
    return breaks + (bool(ws) and ws[-1] in _NO_END and text.rstrip().endswith("."))


def coherent(text: str) -> bool:
    """Whether the words run in an order English prose uses: at most one slip in a long sentence."""
    breaks = word_order_breaks(text)
    return breaks == 0 or (breaks == 1 and len(words(text)) >= 15)


_SEPARATOR = re.compile(r",(?!\d)|;|\n")  # a comma inside a figure ("41,900") separates nothing


def _is_prose(raw: str, ws: list[str]) -> bool:
    """A coherent sentence with the small words prose has. A short one counts when it ends like a
    sentence ("Refunds wait for a team lead."), so a terse answer is not taken for a keyword line."""
    if len(ws) < 3 or not coherent(raw):
        return False
    small = sum(w in FUNCTION_WORDS for w in ws)
    # a comma- or "and"-separated run of terms is a list, however many small words it contains
    separators = len(_SEPARATOR.findall(raw))
    if separators + sum(w in ("and", "or") for w in ws) >= 0.25 * len(ws) and len(ws) >= 8:
        return False
    if separators >= 0.25 * len(ws):
        return False
    if len(ws) >= 6:
        return small / len(ws) >= 0.15
    return small >= 1 and raw.rstrip().endswith((".", "!", "?"))


def analyse(text: str) -> list[Sentence]:
    """Sentences with their stems, and whether each reads as prose rather than a keyword list."""
    result = []
    for raw in sentences(text):
        ws = words(raw)
        result.append(Sentence(raw, _stems(raw), len(ws), _is_prose(raw, ws)))
    return result


@lru_cache(maxsize=16_384)
def phrase_stems(phrase: str) -> tuple[str, ...]:
    return tuple(stems(phrase))


def contains_phrase(haystack: Sequence[str], needle: Sequence[str]) -> bool:
    """Whether the token sequence holds the phrase's tokens, contiguous and in order."""
    n = len(needle)
    if n == 0:
        return False
    if n == 1:
        return needle[0] in haystack
    if needle[0] not in haystack:
        return False
    return f" {' '.join(needle)} " in _joined(tuple(haystack))


@lru_cache(maxsize=16_384)
def _joined(tokens: tuple[str, ...]) -> str:
    return f" {' '.join(tokens)} "


def cue_found(tokens: Sequence[str], alternatives: Iterable[str]) -> bool:
    plain = _ungrouped(tuple(tokens))
    if any(contains_phrase(plain, _ungrouped(phrase_stems(alt))) for alt in alternatives):
        return True
    return not _solid_keys(tuple(tokens)).isdisjoint(_solid_group(tuple(alternatives)))


_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?%?")


@lru_cache(maxsize=16_384)
def _ungrouped(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """Figures without their thousands commas, for matching only: a cue "1,000" is the "1000" a
    writer types (the commas stay elsewhere: "1,900" is a count, "1900" may be a year)."""
    return tuple(t.replace(",", "") if _GROUPED.fullmatch(t) else t for t in tokens)


@lru_cache(maxsize=16_384)
def _solid_group(alternatives: tuple[str, ...]) -> frozenset[str]:
    return frozenset(_solid(phrase_stems(alt)) for alt in alternatives) - {""}


_DOUBLED = re.compile(r"(.)\1+")


@lru_cache(maxsize=16_384)
def _solid(tokens: tuple[str, ...]) -> str:
    """A word or a two-word phrase written solid, doubled letters single: "its self" and "itself",
    "work load" and "workload", "sign-off" and "signoff" read the same."""
    if not 1 <= len(tokens) <= 2 or not all(t.isalpha() for t in tokens):
        return ""
    return _DOUBLED.sub(r"\1", "".join(tokens))


@lru_cache(maxsize=16_384)
def _solid_keys(tokens: tuple[str, ...]) -> frozenset[str]:
    pairs = [(a, b) for a, b in itertools.pairwise(tokens) if len(a) > 1 and len(b) > 1]
    return (frozenset(_solid((t,)) for t in tokens) | frozenset(_solid(p) for p in pairs)) - {""}


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
    """Flesch-Kincaid grade level, never below 0 (very short sentences of short words would
    otherwise read as a negative school grade); 0 for empty text."""
    sents = [s for s in sentences(text) if words(s)]
    ws = words(text)
    if not sents or not ws:
        return 0.0
    syl = sum(syllables(w) for w in ws)
    return max(0.0, 0.39 * len(ws) / len(sents) + 11.8 * syl / len(ws) - 15.59)


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
    return list(_numbers(text))


@lru_cache(maxsize=16_384)
def _numbers(text: str) -> tuple[float, ...]:
    found = (parse_number(m.group(0)) for m in _NUMBER.finditer(text))
    return tuple(n for n in found if n is not None)


def number_matches(found: Iterable[float], gold: float, tolerance: float) -> bool:
    scale = max(abs(gold), 1e-9)
    return any(abs(value - gold) / scale <= tolerance for value in found)

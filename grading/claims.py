"""What a sentence claims, beyond the words it uses: whether it asserts a key point or argues
against it (polarity), judged against how the exercise's own reference makes that point.

Polarity has two parts. The stance: a sentence that recommends against something, asks the reader
not to approve it, or says "we should not". The negated claim: a verb negation ("not", "never",
"won't") right before a word that makes the point ("refunds are not checked", "customers will not
wait"). A learner's sentence makes a point only with a stance and negations the reference (or the
point's own text) also uses for it, so "no refund is paid until it is checked" still makes the
point "every refund is checked before it is paid", while "every refund is not checked" does not."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from exercises.model import ExplainReasoningExercise, KeyPoint
from grading.text import analyse, concept_found, phrase_stems, stem

# verb negations only: "no", "without", "until", "stop" usually state a rule the point itself
# makes ("no refund is paid until it is checked"), so they are not read as denying it
_NEGATORS = frozenset(stem(w) for w in ["not", "never", "cannot"])
# words that may stand between the negation and the word it denies ("not yet fully checked")
_BETWEEN = frozenset(
    stem(w)
    for w in [
        "be",
        "been",
        "being",
        "is",
        "are",
        "was",
        "were",
        "have",
        "has",
        "had",
        "yet",
        "always",
        "ever",
        "even",
        "also",
        "fully",
        "all",
        "get",
        "got",
    ]
)


def _negator(token: str) -> bool:
    return token in _NEGATORS or token.endswith("n't")


def negated_groups(tokens: Sequence[str], cues: Sequence[Sequence[str]]) -> frozenset[int]:
    """The cue groups of a point whose word in the sentence is directly negated."""
    found = set()
    for g, alternatives in enumerate(cues):
        for alt in alternatives:
            needle = phrase_stems(alt)
            if not needle or needle[0] not in tokens:
                continue
            for i, token in enumerate(tokens):
                if token != needle[0] or tuple(tokens[i : i + len(needle)]) != needle:
                    continue
                j = i - 1
                while j >= 0 and tokens[j] in _BETWEEN:
                    j -= 1
                if j >= 0 and _negator(tokens[j]):
                    found.add(g)
    return frozenset(found)


STANCE_ROLES = ("decision", "ask")  # the points a message recommends or requests, so can argue against
_SUBJECT = r"\b(?:i|we)\b(?:\s+\w+){0,2}?\s+"
_AGAINST = re.compile(
    _SUBJECT + r"(?:do not|don't|would not|wouldn't|cannot|can't|could not|couldn't|did not|didn't|will not|won't)\s+"
    r"(?:recommend|propose|suggest|support|advise|agree|think|believe|endorse|back|want|approve|see)\b"
    r"|\b(?:recommend|propose|suggest|advise|argue|vote)\w*\s+(?:against|not)\b"
    r"|\b(?:do not|don't|please do not|please don't)\s+(?:approve|agree|sign|confirm|accept|go ahead|support|back)\b"
    r"|\b(?:recommendation|proposal|advice|suggestion|view)\b[^.]{0,20}?\b(?:should not|shouldn't|not to)\b"
    r"|" + _SUBJECT + r"(?:do not need to|don't need to|need not|needn't)\b"
    r"|\b(?:i|we)\s+(?:oppose|reject|decline)\b"
    r"|\b(?:would be|is) (?:a mistake|a bad idea)\b"
    r"|\b(?:it is|it's) (?:not true|false|wrong) (?:that|to say)\b",
    re.IGNORECASE,
)


def argues_against(text: str) -> bool:
    """Whether the sentence takes a stance against something (recommends against it, asks the
    reader not to approve it, says we should not)."""
    return bool(_AGAINST.search(text.replace("’", "'")))


@dataclass(frozen=True)
class Polarity:
    """How the reference states a point: with a stance against something or not, and which of
    the point's cue groups it negates directly."""

    against: frozenset[bool]
    negated: frozenset[int]


_EXPECTED: dict[tuple[str, int, str], dict[str, Polarity]] = {}


def expected_polarities(exercise: ExplainReasoningExercise) -> dict[str, Polarity]:
    """Key point id -> the stances and negations with which the reference makes it (in every
    sentence, or pair of sentences, that makes it) or the point's own text states it."""
    key = (exercise.id, exercise.version, exercise.reference.text)
    if key not in _EXPECTED:
        reference = [s for s in analyse(exercise.reference.text) if s.word_count]
        singles = [(s.text, s.stems) for s in reference]
        pairs = [(a.text + " " + b.text, a.stems + b.stems) for a, b in itertools.pairwise(reference)]
        expected = {}
        for point in exercise.key_points:
            own = tuple(t for s in analyse(point.text) for t in s.stems)
            # a pair of sentences only where no single one makes the point: a neighbour's stance is not the point's
            stated = [(text, tokens) for text, tokens in singles if concept_found(tokens, point.cues)]
            stated = stated or [(text, tokens) for text, tokens in pairs if concept_found(tokens, point.cues)]
            stated.append((point.text, own))
            expected[point.id] = Polarity(
                frozenset(argues_against(text) for text, _ in stated),
                frozenset(g for _, tokens in stated for g in negated_groups(tokens, point.cues)),
            )
        if len(_EXPECTED) > 4096:
            _EXPECTED.clear()
        _EXPECTED[key] = expected
    return _EXPECTED[key]


def contradicts(point: KeyPoint, expected: Polarity, text: str, tokens: Sequence[str]) -> bool:
    """Whether a sentence that carries a point's words says the opposite of it: a stance against,
    or a negated word, that the reference never uses for that point."""
    if point.role in STANCE_ROLES and argues_against(text) not in expected.against:
        return True
    return bool(negated_groups(tokens, point.cues) - expected.negated)

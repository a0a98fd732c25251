"""A decision misstated: the note says the machine does what the decision leaves to a person, or
stops doing what the decision keeps it doing.

Two claims a decision often makes, read from its key points' own text:
- a person reserved for an act ("no claim is ever refused without a handler deciding"): a note
  in which the machine does that act ("the software will also turn down claims that are not
  owed") misstates it;
- the machine kept at its work ("the AI still reads and sorts every report"): a note in which it
  stops ("the AI will no longer handle these reports", "we are switching the AI off") misstates
  it, unless the note only ends its acting alone ("no longer files them without a check").
Either is the decision misstated, not argued against: the note may well recommend it. Neither
counts where the exercise's own reference says the same."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from exercises.model import ExplainReasoningExercise, KeyPoint
from grading.claims import AUTOMATIC, CLAUSE, HUMAN_CONTROL
from grading.text import analyse, stems

# what acts on its own in these cases; "it" as a subject is the machine far more often than a person
MACHINE = frozenset(stems("software system ai computer machine model tool algorithm automation bot it"))
# words that may stand between the machine and its act: "the software will also turn down"
_BETWEEN = frozenset(stems("will would can could may might also then now simply just should automatically itself"))
_NEGATED = re.compile(r"\b(?:not|never|no|cannot|\w+n['’]t)\b", re.IGNORECASE)
_RESERVED = re.compile(r"\b(?:no|never|not)\b.*\bwithout\b", re.IGNORECASE)
_KEPT_AT = re.compile(r"\b(?:still|continues? to|keeps?)\b", re.IGNORECASE)
_STOPS = re.compile(
    r"\b(?:no longer|not any more|will not|won't|does not|doesn't|stops?|will stop)\s+(\w+(?:\s+\w+)?)"
    r"|\b(?:switch|turn)\w*\s+(?:off\s+)?(?:the\s+)?(\w+)(?:\s+off)?\b",
    re.IGNORECASE,
)
# doing work at all, whatever the work: "no longer handles them"
_ANY_WORK = frozenset(stems("handle handles process deal touch work use run do see look read"))


@dataclass(frozen=True)
class Misstatement:
    point: KeyPoint
    sentence: str
    what: str  # what the note gets wrong, in words


def _reserved_acts(point: KeyPoint) -> tuple[list[tuple[str, ...]], frozenset[str]]:
    """The acts a point reserves for a person ("no claim is refused without a handler"), as the
    alternatives of its cue groups that name no person, and the people it names (a cue group
    with a person in it), or nothing."""
    if not point.roles & {"decision", "mitigation"} or not _RESERVED.search(point.text):
        return [], frozenset()
    people = [g for g in point.cues if any(HUMAN_CONTROL & set(stems(a)) for a in g)]
    if not people:
        return [], frozenset()
    acts = [g for g in point.cues if g not in people]
    named = frozenset(t for g in people for a in g for t in stems(a)) | HUMAN_CONTROL
    return [tuple(stems(a)) for g in acts for a in g if stems(a)], named


def _machine_does(clause: str, acts: Sequence[tuple[str, ...]], people: frozenset[str]) -> bool:
    """Whether the machine is the subject of one of the acts, unnegated, with no person in the clause."""
    tokens = stems(clause)
    if people & set(tokens):
        return False
    for i, token in enumerate(tokens):
        if token not in MACHINE:
            continue
        j = i + 1
        while j < len(tokens) and tokens[j] in _BETWEEN:
            j += 1
        if any(tuple(tokens[j : j + len(a)]) == a for a in acts):
            return not _NEGATED.search(" ".join(tokens[i:j]))
    return False


def _kept_work(point: KeyPoint) -> tuple[frozenset[str], frozenset[str]]:
    """The machine a decision keeps at work and that work's words ("the AI still reads and sorts
    every report": {ai}, {read, sort, report}), or nothing."""
    if "decision" not in point.roles:
        return frozenset(), frozenset()
    for clause in re.split(r"[;:]|,\s+(?:and|but)\b", point.text):
        if _KEPT_AT.search(clause):
            tokens = set(stems(clause))
            # the machine as the decision names it: "the system" may be another one (the old system)
            named = (MACHINE - {"it"}) & tokens
            if named:
                return frozenset(named), frozenset(t for t in tokens if t not in MACHINE and len(t) > 3)
    return frozenset(), frozenset()


def _machine_stops(clause: str, machine: frozenset[str], work: frozenset[str]) -> bool:
    text = clause.replace("’", "'")
    tokens = stems(text)
    if not machine & set(tokens) or AUTOMATIC.search(text) or re.search(r"\balone\b", text, re.IGNORECASE):
        return False  # its acting alone ended is the decision itself
    for found in _STOPS.finditer(text):
        if found.group(1) is not None:  # the verb, or the one after an auxiliary ("be used")
            if any(t in work or t in _ANY_WORK for t in stems(found.group(1))):
                return True
        elif found.group(2) is not None and stems(found.group(2))[:1] and stems(found.group(2))[0] in machine:
            return "off" in found.group(0).lower()
    return False


def _misstated(point: KeyPoint, sentence: str) -> str | None:
    acts, people = _reserved_acts(point)
    machine, work = _kept_work(point)
    for clause in CLAUSE.split(sentence):
        if acts and _machine_does(clause, acts, people):
            return "the machine does what the decision leaves to a person"
        if machine and _machine_stops(clause, machine, work):
            return "the machine stops work the decision keeps it doing"
    return None


_REFERENCE: dict[tuple[str, int, str], frozenset[str]] = {}


def _reference_misstates(exercise: ExplainReasoningExercise) -> frozenset[str]:
    """The points the exercise's own reference "misstates" so: the rule does not hold for them."""
    key = (exercise.id, exercise.version, exercise.reference.text)
    if key not in _REFERENCE:
        if len(_REFERENCE) > 1024:
            _REFERENCE.clear()
        _REFERENCE[key] = frozenset(
            p.id for p in exercise.key_points for s in analyse(exercise.reference.text) if _misstated(p, s.text)
        )
    return _REFERENCE[key]


def misstated_decision(exercise: ExplainReasoningExercise, sentences: Sequence[str]) -> list[Misstatement]:
    """The decision's claims the note misstates (see above), at most one per key point."""
    found = []
    skip = _reference_misstates(exercise)
    for point in exercise.key_points:
        if point.id in skip:
            continue
        for sentence in sentences:
            what = _misstated(point, sentence)
            if what:
                found.append(Misstatement(point, sentence, what))
                break
    return found

"""What a sentence claims, beyond the words it uses: whether it asserts a key point or argues
against it (polarity), judged against how the exercise's own reference makes that point.

Polarity has two parts. The stance: a sentence that recommends against something, asks the reader
not to approve it, or says "we do not need to". The denial: a verb negation ("not", "never",
"won't") in the clause that carries the point's words ("refunds are not checked", "customers will
not wait"), unless the clause states a rule with it ("not paid until it is checked", "not sent
without a signature"). A learner's sentence makes a point only with a stance and a denial the
reference (or the point's own text) also uses for it, so "no refund is paid until it is checked"
still makes the point "every refund is checked before it is paid", while "every refund is not
checked" does not. Known limit: "not paid before it is approved" reads as a denial, since only
the order of the words tells it from "not approved before it is paid".

A decision can also be undone without a negation: by keeping the machine acting alone where the
decision adds a person ("payments stay fully automatic"), or by narrowing the new control to a
part ("only the flagged accounts go to a specialist"). Either reverses the decision, unless the
reference itself says so. And a claim of certainty where the case names a remaining risk denies
that risk."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from exercises.model import ExplainReasoningExercise, KeyPoint
from grading.figures import case_figures, wholes_claimed
from grading.own_recommendation import decision_kinds, departs
from grading.text import FUNCTION_STEMS, analyse, concept_found, contains_phrase, cue_found, stems

_NEGATION = re.compile(r"\b(?:not|never|cannot|\w+n['’]t)\b", re.IGNORECASE)
# after a negation these make a rule, not a denial: "not paid until approved", "never sent without"
_RULE = re.compile(
    r"\b(?:until|unless|without|except|till|only (?:when|if|after|once|until|where|with))\b",
    re.IGNORECASE,
)
CLAUSE = re.compile(  # a comma inside a figure ("£15,000") ends no clause
    r"[;:()—–]|,(?!\d{3}\b)|\s-\s|\b(?:but|because|so|while|whereas|although|though|which|and)\b", re.IGNORECASE
)

_CLAUSE_KEPT = re.compile(f"({CLAUSE.pattern})", re.IGNORECASE)
# a negation ends at its sentence's end too, where two sentences are read together (a pair window)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"“‘'(])")
# a clause that opens with its own subject, or its own auxiliary ("...is not perfect and can miss"),
# is a new statement, not one more verb under the last one's negation
_OWN_SUBJECT = re.compile(
    r"\s*(?:i|we|you|they|he|she|it|there|this|that|these|those|the|a|an|our|their|its|every|each|all|some|no"
    r"|any|most|many|\d|can|could|will|would|may|might|must|should|shall|is|are|was|were|be|has|have|had|do|does"
    r"|did)\b",
    re.IGNORECASE,
)


# "it will not pay any refund on its own": a rule about who acts, unless acting alone is what the
# point itself is about ("we have stopped refusing claims on the mark alone")
_ALONE = (("on", "its", "own"), ("on", "their", "own"), ("by", "itselv"), ("by", "themselv"), ("alon",))


def _alone(tokens: Sequence[str]) -> bool:
    return any(contains_phrase(tokens, phrase) for phrase in _ALONE)


def denies(point: KeyPoint, text: str) -> bool:
    """Whether a negated clause carries the point (see above): the words of two of its cue groups
    (of its only group if it has one), so a negation elsewhere in a long sentence is not a denial."""
    needed = min(2, len(point.cues))
    rule_alone = not _alone(stems(point.text))
    return any(
        sum(cue_found(tokens, group) for group in point.cues) >= needed and not (rule_alone and _alone(tokens))
        for tokens in _negated_clauses(text)
    )


@lru_cache(maxsize=16_384)
def _negated_clauses(text: str) -> tuple[tuple[str, ...], ...]:
    """The negated clauses, each with the clauses it governs: a negated verb's coordinated verbs
    ("we will not phone and visit every home, and repair leaks free") are denied with it, up to a
    clause with a subject of its own or another kind of link ("but", "because")."""
    if not _NEGATION.search(text):
        return ()
    found = []
    for sentence in _SENTENCE_END.split(text):  # a negation never reaches past its own sentence
        pieces = _CLAUSE_KEPT.split(sentence)  # clause, link, clause, link, ...
        scope: list[str] | None = None
        for i in range(0, len(pieces), 2):
            clause, link = pieces[i], (pieces[i - 1] if i else "")
            if scope is not None and link.strip().lower() in {",", "and"} and not _OWN_SUBJECT.match(clause):
                scope.append(clause)
                continue
            if scope is not None:
                found.append(tuple(stems(" ".join(scope))))
                scope = None
            negation = _NEGATION.search(clause)
            if negation is not None and not _RULE.search(clause, negation.end()):
                scope = [clause]
        if scope is not None:
            found.append(tuple(stems(" ".join(scope))))
    return tuple(found)


STANCE_ROLES = frozenset(["decision", "ask"])  # the points a message recommends or requests, so can argue against
_SUBJECT = r"\b(?:i|we)\b(?:\s+\w+){0,2}?\s+"
# what a verdict on the decision names: a word pointing back to it, or the decision by name
_REFERENT = (
    r"(?:it|this|that|(?:this|that|the)\s+(?:decision|plan|proposal|change|approach|move|step|policy|recommendation))"
)
_VERDICT = (
    r"(?:the wrong (?:call|decision|choice|move|approach|way|thing)|a (?:big |serious )?mistake|an error"
    r"|a bad (?:idea|call|decision)|misguided|unwise|ill-advised|premature|a step backwards?)"
    # "it would be a mistake to pay now" judges what follows it, not the decision
    r"(?!\s+(?:to|if|unless|before|until|for)\b)"
)
# the decision rejected by name or by a word that points back to it ("I think that is the wrong
# call", "I disagree with this decision", "we should not do it"): a contrarian's own verdict
_VERDICT_ON_IT = (
    r"\b(?:i|we)(?:\s+\w+){0,2}?\s+(?:disagree|do not agree|don't agree)(?:\s+with\s+" + _REFERENT + r"|\s*[.!]|\s*$)"
    r"|\b(?:i|we)(?:\s+\w+){0,2}?\s+(?:am|'m|are|'re)\s+(?:against|opposed to)\s+"
    + _REFERENT
    + r"|\b"
    + _REFERENT
    + r"\s+(?:is|was|would be|'s|seems|looks)\s+(?:like\s+)?"
    + _VERDICT
    + r"|\b(?:we|you|they)\s+(?:should|must|ought to)\s+not\s+(?:do|go ahead with|proceed with|approve|adopt|accept"
    r"|support|back|implement)\s+" + _REFERENT + r"\s*(?:[.!;,]|$|now\b|yet\b|at all\b)"
    r"|\b(?:i|we)\s+(?:would not|wouldn't|will not|won't)\s+(?:go ahead|proceed)\b"
    r"|\b(?:i|we)\s+(?:cannot|can't|could not|couldn't|will not|won't|do not|don't)\s+(?:support|back|endorse|approve"
    r"|accept)\s+" + _REFERENT + r"\b"
    r"|\b(?:are|is|am)\s+making\s+a\s+(?:big\s+|serious\s+)?mistake\b"
)
_REJECTS_IT = re.compile(_VERDICT_ON_IT, re.IGNORECASE)
# a view the writer reports ("some say it is too cautious; I disagree"): a verdict beside it is on that view
_REPORTED = re.compile(
    r"\b(?:some(?:one|\s+people)?|others|critics|colleagues|people|staff|members|they|the union|customers)\s+"
    r"(?:say|said|says|argue|argued|argues|think|thought|feel|felt|suggest|suggested|claim|claimed|may say|might say"
    r"|have said|will say|worry|worried)\b"
    r"|\byou (?:may|might|will) (?:hear|be told|read)\b",
    re.IGNORECASE,
)
_AGAINST = re.compile(
    _SUBJECT + r"(?:do not|don't|would not|wouldn't|cannot|can't|could not|couldn't|did not|didn't|will not|won't)\s+"
    r"(?:recommend|propose|suggest|support|advise|agree|think|believe|endorse|back|want|approve|see)\b"
    r"|\b(?:recommend|propose|suggest|advise|argue|vote)\w*\s+(?:against|not)\b"
    r"|\b(?:do not|don't|please do not|please don't)\s+(?:approve|agree|sign|confirm|accept|go ahead|support|back)\b"
    r"|\b(?:recommendation|proposal|advice|suggestion|view)\b[^.]{0,20}?\b(?:should not|shouldn't|not to)\b"
    r"|" + _SUBJECT + r"(?:do not need to|don't need to|need not|needn't)\b"
    r"|\b(?:i|we)\s+(?:oppose|reject|decline)\b"
    r"|\b(?:would be|is) (?:a mistake|a bad idea)\b",
    re.IGNORECASE,
)
# "it is not true that ...": against what follows, which may be the point or a misreading of it
# ("it is not true that a computer decides" agrees with "a person, not a computer, decides")
_REBUTS = re.compile(r"\b(?:it is|it's) (?:not true|false|wrong) (?:that|to say)\b([^.!?]*)", re.IGNORECASE)


@lru_cache(maxsize=16_384)
def argues_against(text: str) -> bool:
    """Whether the sentence takes a stance against something (recommends against it, asks the
    reader not to approve it, says we should not)."""
    text = text.replace("’", "'")
    return bool(_AGAINST.search(text) or _REBUTS.search(text) or rejects_it(text))


@lru_cache(maxsize=16_384)
def rejects_it(text: str) -> bool:
    """Whether the sentence gives the writer's own verdict against what it points back to ("I think
    that is the wrong call", "we should not do it"), not against a view it reports."""
    text = text.replace("’", "'")
    return bool(_REJECTS_IT.search(text)) and not _REPORTED.search(text)


def _rebuts_only_other_claims(point: KeyPoint, text: str) -> bool:
    """Whether a text's only stance is "it is not true that ..." about what the point itself
    denies ("it is not true that a computer decides", where a person, not a computer, decides):
    what it rebuts shares words with the point's own negated clause and carries fewer than two of
    the point's cue groups (see denies). A rebuttal of anything else stands against the point."""
    text = text.replace("’", "'")
    if _AGAINST.search(text) or rejects_it(text):
        return False
    denied = {t for clause in _negated_clauses(point.text) for t in clause} - FUNCTION_STEMS - {"not"}
    needed = min(2, len(point.cues))
    for m in _REBUTS.finditer(text):
        rebutted = stems(m.group(1))
        if not denied & set(rebutted) or sum(cue_found(rebutted, group) for group in point.cues) >= needed:
            return False
    return True


@dataclass(frozen=True)
class Polarity:
    """How the reference states a point: with a stance against something or not, denied or not."""

    against: frozenset[bool]
    denied: frozenset[bool]
    keeps_old: bool = False  # the reference itself keeps the machine acting alone somewhere (see keeps_old_state)
    narrows: bool = False  # the reference itself puts the point's person over only part of it (see narrows_scope)
    # the departures (later, a trial first, fewer, reopened) the decision itself takes (see grading.own_recommendation)
    own_kinds: frozenset[str] = frozenset()

    @property
    def plain(self) -> bool:
        """Whether a plain statement (no stance against, no denial) makes the point."""
        return False in self.against and False in self.denied


_EXPECTED: dict[tuple[str, int, str, tuple[tuple[str, str], ...]], dict[str, Polarity]] = {}


def expected_polarities(exercise: ExplainReasoningExercise) -> dict[str, Polarity]:
    """Key point id -> the stances and denials with which the reference makes it (in every
    sentence that makes it, or pair of sentences where no single one does) and the point's own
    text states it."""
    key = (exercise.id, exercise.version, exercise.reference.text, tuple((p.id, p.text) for p in exercise.key_points))
    if key not in _EXPECTED:
        reference = [s for s in analyse(exercise.reference.text) if s.word_count]
        singles = [(s.text, s.stems) for s in reference]
        pairs = [(a.text + " " + b.text, a.stems + b.stems) for a, b in itertools.pairwise(reference)]
        expected = {}
        for point in exercise.key_points:
            # a pair of sentences only where no single one makes the point: a neighbour's stance is not the point's
            stated = [text for text, tokens in singles if concept_found(tokens, point.cues)]
            stated = stated or [text for text, tokens in pairs if concept_found(tokens, point.cues)]
            stated.append(point.text)
            expected[point.id] = Polarity(
                frozenset(argues_against(text) for text in stated),
                frozenset(denies(point, text) for text in stated),
                any(keeps_old_state(point, text) for text, _ in singles),
                any(narrows_scope(point, text) for text, _ in singles),
                decision_kinds(point.text, [text for text, _ in singles]),
            )
        if len(_EXPECTED) > 4096:
            _EXPECTED.clear()
        _EXPECTED[key] = expected
    return _EXPECTED[key]


@lru_cache(maxsize=16_384)
def may_contradict(text: str) -> bool:
    """A cheap first look: only a text with a negation or a stance against can contradict a point,
    unless the reference itself states the point with one (then its absence contradicts)."""
    return bool(_NEGATION.search(text)) or argues_against(text)


def reverses_change(point: KeyPoint, expected: Polarity, text: str) -> bool:
    """Whether a sentence undoes the change a decision makes, where the reference never does:
    it keeps the old state (see keeps_old_state), narrows the new control (see narrows_scope), or
    recommends something other than the decision (later, a trial first, fewer, reopened: see
    grading.own_recommendation)."""
    if "decision" not in point.roles:
        return False
    return (
        (not expected.keeps_old and keeps_old_state(point, text))
        or (not expected.narrows and narrows_scope(point, text))
        or bool(departs(text, expected.own_kinds))
    )


def contradicts(point: KeyPoint, expected: Polarity, text: str, tokens: Sequence[str]) -> bool:
    """Whether a sentence that carries a point's words says the opposite of it: a stance against,
    or a denial, that the reference never uses for that point."""
    del tokens  # the clauses are read from the text, where the punctuation is
    if point.roles & STANCE_ROLES and argues_against(text) not in expected.against:
        return not _rebuts_only_other_claims(point, text)
    return denies(point, text) not in expected.denied


# --- the old state kept ---------------------------------------------------------------------------
# Most decisions Baton asks learners to explain put a person or a check where the machine acted
# alone. A sentence that keeps the machine acting alone ("payments stay fully automatic", "we
# should go ahead with automatic payment") asserts the opposite of that change, whatever words
# of the decision it shares.

HUMAN_CONTROL = frozenset(
    stems(
        "person human people handler clerk officer manager lead approve review check sign manual specialist expert"
        " reviewer adviser advisor caseworker underwriter lawyer solicitor clinician assessor supervisor"
    )
)
AUTOMATIC = re.compile(
    r"\b(?:automatic\w*|automated|automation|unattended|unchecked|unreviewed|straight[- ]through|on its own"
    r"|by itself|without (?:a |any )?(?:check|review|person|human|handler|approval)\w*)\b",
    re.IGNORECASE,
)
_KEPT = re.compile(
    r"\b(?:stay|stays|stayed|remain|remains|remained|continue|continues|unchanged"
    r"|as (?:now|today|before|usual|it is))\b"
    r"|\bcarr(?:y|ies) on\b|\bno change\b",
    re.IGNORECASE,
)
_SUPPORTS = re.compile(
    r"\b(?:i|we)\b(?:\s+\w+){0,2}?\s+(?:recommend|propose|suggest|advise|should|must)\b"
    r"|\bgo ahead with\b|\b(?:switch|turn)(?:es|ed|s)? on\b|\blet(?:'s| us) (?:go|switch|turn|move|start)\b",
    re.IGNORECASE,
)
_ANY_DENIAL = re.compile(
    r"\b(?:not|never|no|nor|\w+n't|instead of|rather than|against|avoid)\b"
    # a verb of stopping, not a noun: "but stop it paying", "we should delay it", "payments paused",
    # never "delay claims" (a clause is checked on its own, so a verb may open it)
    r"|(?:^\W*|\b(?:to|should|must|could|would|will|we|i|and|or|please|it|they)\s+)(?:stop|end|halt|pause|postpone"
    r"|defer|delay|suspend|drop|hold (?:back|off))\b"
    r"|\b(?:stops|halts|pauses|postpones|defers|suspends|holds (?:back|off))\b"
    r"|\b(?:stopp|halt|paus|postpon|deferr|delay|suspend|dropp)(?:ed|ing)\b|\b(?:ended|ending|holding (?:back|off))\b",
    re.IGNORECASE,
)


def adds_human_control(point: KeyPoint) -> bool:
    """Whether the point puts a person or a check into the process."""
    return bool(HUMAN_CONTROL & set(stems(point.text)))


def keeps_old_state(point: KeyPoint, text: str) -> bool:
    """Whether a clause keeps the machine acting alone over the point's subject, with a stance for
    it ("we should go ahead with...") or a claim that it stays so ("...stay fully automatic"), and
    no denial in the clause. The subject is a cue group of the point that names neither a control
    nor automation (the payments, the refunds), so automation of something else does not count."""
    text = text.replace("’", "'")
    if not adds_human_control(point):
        return False
    subjects = [g for g in point.cues if not any(AUTOMATIC.search(a) or _NEGATION.search(a) for a in g)]
    subjects = [g for g in subjects if not HUMAN_CONTROL & {t for a in g for t in stems(a)}] or subjects
    named = _named(point.text)
    stance = bool(_SUPPORTS.search(text))
    for clause in CLAUSE.split(text):
        if not AUTOMATIC.search(clause) or _ANY_DENIAL.search(clause):
            continue
        tokens = stems(clause)
        if any(cue_found(tokens, group) for group in subjects) and (stance or _KEPT.search(clause)):
            return True
        # urging the machine to act alone on what the decision names ("let claims under €50 pay automatically")
        if stance and named & set(tokens):
            return True
    return False


def _named(text: str) -> frozenset[str]:
    """What a point puts under control, beyond the controls themselves ("claims", "payment"):
    the words of its clauses that leave nothing automatic (what it keeps automatic is not it)."""
    return frozenset(
        t
        for clause in CLAUSE.split(text)
        if not AUTOMATIC.search(clause)
        for t in stems(clause)
        if len(t) > 3 and t.isalpha() and t not in HUMAN_CONTROL and t not in FUNCTION_STEMS
    )


# --- a control narrowed to part of what it covers -------------------------------------------------

_UNIVERSAL = re.compile(r"\b(not\s+)?(?:every|each|all)\s+(?:(?:of\s+)?(?:the|our)\s+)?(\w+)", re.IGNORECASE)
# "only the flagged accounts", or a share picked out by a condition ("the 31 % of accounts where it finds signs")
_PART = re.compile(
    r"\b(?:only|just)\b[^.,;:]{0,50}"
    r"|\b(?!100\b)\d+(?:\.\d+)?\s?%\s+of\s+(?:the\s+|our\s+)?(?:\w+\s+)?\w+\s+(?:where|which|that|it|they)\b",
    re.IGNORECASE,
)


def narrows_scope(point: KeyPoint, text: str) -> bool:
    """Whether a sentence puts the point's person over only part of what the point puts under
    them ("a specialist reviews the 31 % of accounts the software flags", "only the flagged
    accounts go to a specialist, not every account") where the point says every one: the
    control the decision adds, narrowed. A sentence that also says every one is not."""
    text = text.replace("’", "'")
    people = HUMAN_CONTROL & set(stems(point.text))
    covered = {t for m in _UNIVERSAL.finditer(point.text) if not m.group(1) for t in stems(m.group(2))[:1]}
    if not covered or not people & set(stems(text)):
        return False
    for noun in covered:
        said = [m for m in _UNIVERSAL.finditer(text) if stems(m.group(2))[:1] == [noun]]
        if said and all(m.group(1) for m in said):
            return True  # "..., not every account"
    for clause in CLAUSE.split(text):
        if not people & set(stems(clause)):
            continue  # the part of the sentence about the person
        for noun in covered:
            said = [m for m in _UNIVERSAL.finditer(clause) if stems(m.group(2))[:1] == [noun]]
            if any(not m.group(1) for m in said):
                continue  # "every account" said, not denied
            parts = [stems(m.group(0)) for m in _PART.finditer(clause)]
            # "only a specialist decides" restricts who, not what: the person right after "only"
            parts = [p for p in parts if not people & set(p[1:3])]
            if said or any(noun in p for p in parts):
                return True
    return False


# --- certainty the facts do not give ---------------------------------------------------------------

_ABSOLUTE = re.compile(
    r"\b(?:cannot|can't|could not|will not|won't|no longer|never) (?:happen|recur|occur|go wrong|slip through"
    r"|get through|get past|go through)\b(?![^.,;]{0,12}\b(?:without|until|unless|before|till)\b)"
    r"|\beliminat\w*"
    # "no risk left" is the claim itself; "no error left unchecked" is a rule about checking
    r"|\b(?:zero|no) (?:risks?|errors?|mistakes?)\b(?! (?:is |are )?(?:left|remains?|remaining) un\w+)"
    r"|\bguarantee\w*"
    r"|\b100 ?% (?:safe|accurate|reliable|correct)"
    r"|\b(?:stopped|caught|catches|catch|stops|prevents?|prevented|found|finds|spotted|detected|picked up)"
    r" (?:every|all)\b(?! but)"
    r"|\bremoves? (?:all|every|any) (?:risk|errors?|mistakes?)\b"
    r"|\brisk-free\b"
    r"|\bnothing (?:wrong|incorrect|bad|harmful) (?:goes|gets|will go|will get|can go|can get|is sent|is paid)\b"
    r"|\b(?:closes?|closing|closed) the gap (?:completely|entirely|fully)\b"
    # "nobody vulnerable can slip through": no one at all, not a rule about how ("without ...")
    r"|\b(?:nobody|no one|no-one|nothing|no \w+)\b[^.,;]{0,40}\b(?:can|could|will|would)"
    r" (?:slip|get|go|fall) through\b(?![^.,;]{0,12}\b(?:without|until|unless|before|till)\b)"
    # "the risk of a wrongful fitting is effectively removed"
    r"|\brisks?\b[^.,;]{0,60}\b(?:is|are|will be|has been|have been) (?:now )?(?:effectively |completely |"
    r"fully |entirely )?(?:removed|gone|eliminated|ended|solved)\b",
    re.IGNORECASE,
)


def overclaims(exercise: ExplainReasoningExercise, text: str) -> str | None:
    """A claim of certainty ("cannot happen again", "eliminated", "stopped every wrong date") where
    the case names a risk that remains (a key point in the risk role) and the reference makes no
    such claim: it contradicts the remaining risk. A certainty word the case itself uses as a name
    ("our customer guarantee pays compensation") names that thing, claims nothing (see
    names_case_term). Returns the words used."""
    if not any("risk" in p.roles for p in exercise.key_points) or _ABSOLUTE.search(exercise.reference.text):
        return None
    text = text.replace("’", "'")
    names = case_names(exercise)
    counts = case_figures(exercise).counts
    claims = (m for m in _ABSOLUTE.finditer(text) if not counts_cases(m, text, counts))
    found = next((m for m in claims if not names_case_term(m, text, names)), None)
    return found.group(0) if found else None


def counts_cases(match: re.Match[str], text: str, counts: frozenset[float]) -> bool:
    """Whether "caught all" counts a group the case gives ("our staff caught all 5", where the case
    says 5 were missed and every one was caught before payment): a count, true or not, is checked
    against the case's figures (see grading.figures.wholes_claimed), not read as certainty. "All 9"
    where the case gives no 9 still claims more than the case does."""
    if not match.group(0).lower().endswith(("all", "every")):
        return False
    claimed = wholes_claimed(stems(match.group(0).split()[-1] + text[match.end() : match.end() + 40]))
    return bool(claimed & counts)


# a word before a noun that makes it a name: "our guarantee", "the guarantee", "their zero-errors target"
_DETERMINERS = frozenset(["a", "an", "the", "our", "their", "its", "your", "his", "her", "this", "that", "my"])
_WORD = re.compile(r"[\w'-]+")


def _neighbours(match: re.Match[str], text: str) -> tuple[list[str], list[str]]:
    """The lemmas of the two words before a match and of the word after it."""
    before = [stems(w)[0] for w in _WORD.findall(text[: match.start()])[-2:] if stems(w)]
    after = [stems(w)[0] for w in _WORD.findall(text[match.end() :])[:1] if stems(w)]
    return before, after


_NAMES: dict[tuple[str, ...], dict[str, frozenset[str]]] = {}


def case_names(exercise: ExplainReasoningExercise) -> dict[str, frozenset[str]]:
    """The certainty words the case itself uses as names of things (a determiner in the two words
    before: "our customer guarantee"), each with the words beside it there ("customer", "pays")."""
    source = [exercise.brief, exercise.situation, *(p.text for p in exercise.key_points)]
    source += [c.text for c in exercise.stakeholder.concerns]
    key = (exercise.id, str(exercise.version), *source)
    if key not in _NAMES:
        names: dict[str, set[str]] = {}
        for text in source:
            text = text.replace("’", "'")
            for m in _ABSOLUTE.finditer(text):
                before, after = _neighbours(m, text)
                if _DETERMINERS & set(before):
                    names.setdefault(" ".join(stems(m.group(0))), set()).update({*before, *after} - _DETERMINERS)
        if len(_NAMES) > 4096:
            _NAMES.clear()
        _NAMES[key] = {k: frozenset(v) for k, v in names.items()}
    return _NAMES[key]


def names_case_term(match: re.Match[str], text: str, names: dict[str, frozenset[str]]) -> bool:
    """Whether a certainty word in a text is the name the case gives a thing (see case_names):
    the same words, after a determiner or beside a word the case sets beside them ("our guarantee
    pays", "guarantee pays if we miss it"), so "we guarantee it" is still a claim."""
    beside = names.get(" ".join(stems(match.group(0))))
    if beside is None:
        return False
    before, after = _neighbours(match, text)
    return bool(_DETERMINERS & set(before[-1:]) or beside & {*before[-1:], *after})

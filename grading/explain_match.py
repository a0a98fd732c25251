"""Finding the ideas of an explanation in a learner's text: which key points it makes, where,
and how well (in full sentences, in terse fragments, or with a figure that is wrong).

A text is read as units: prose sentences, and short fragment lines (a bullet such as
"Cost: ~23c/email (vs $4.10 agent)") that state a fact without a sentence around it. Long
keyword lists are neither, so they earn nothing."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from exercises.model import Concern, ExplainReasoningExercise, KeyPoint
from grading.claims import (
    STANCE_ROLES,
    Polarity,
    argues_against,
    contradicts,
    expected_polarities,
    may_contradict,
    rejects_it,
    reverses_change,
)
from grading.figures import ABOUT, SMALL_COUNT, heads, rates, stated
from grading.per_exercise import per_exercise
from grading.text import (
    FUNCTION_WORDS,
    Sentence,
    analyse,
    coherent,
    concept_found,
    cue_found,
    cue_share,
    number_matches,
    numbers,
    stems,
    words,
)

MAX_POINTS_PER_UNIT = 2
FRAGMENT_CREDIT = 0.5  # a fragment informs, but cannot be forwarded as it is: half the credit for style
# a note that states the point (its subject, its figure, the decision) makes the claim: a bullet
# is a legitimate form for a stakeholder note, so it loses only a little against a full sentence
NOTE_CLAIM_CREDIT = 0.85
PARTLY_MADE = 0.5  # all but one of a point's ideas (of three or more): half the point
PARTLY_NOTE = "partly made"
# a point's figures are the facts it rests on ("35 % of all claims, about 4,000 a month"): made with
# none of them it is half made, and each figure stated adds its share of the other half, so a note
# that gives one figure of three does not earn what one giving all three does
FIGURELESS_CREDIT = 0.5
SLIP_CREDIT = 0.25  # a point made with a wrong figure misinforms the reader
PLACED_CREDIT = 0.75  # a point made this fully (not just partly) places it in the text for its order
PERIODS = ("day", "week", "month", "quarter", "year")


@dataclass(frozen=True)
class Unit:
    sentence: Sentence
    prose: bool
    marked: bool = False  # a note set out as one (a bullet, a label, a sign): it states, not lists

    @property
    def claim_credit(self) -> float:
        """The most a key point made in this unit can earn."""
        return 1.0 if self.prose else NOTE_CLAIM_CREDIT if self.marked else FRAGMENT_CREDIT

    @property
    def text(self) -> str:
        return self.sentence.text


@dataclass(frozen=True)
class PointMatch:
    first: int  # unit where the point starts
    last: int  # unit where it is complete (a point may take two sentences)
    credit: float
    note: str = ""
    form: float = 1.0  # the most its form can earn: 1 in a sentence, less in a note
    earliest: int = -1  # first and last unit where the text makes the point at all (for its order)
    latest: int = -1

    @property
    def reach(self) -> float:
        """How fully the claim is made, whatever its form: what makes a text about the case."""
        return self.credit / self.form


SALAD_SHARE = 0.1  # a text with this share of its sentences out of English word order (two at least) is word salad


def units(text: str, cue_vocabulary: frozenset[str] = frozenset()) -> list[Unit]:
    """Prose sentences and short fragment lines (a note on a line of its own). A short line made
    only of cue words (a keyword typed on its own line) is neither: it states nothing. A text
    whose sentences are largely out of English word order is word salad and yields nothing."""
    analysed = analyse(text)
    lines = {line.strip(" \t-*•") for line in text.splitlines()}
    bullets = {line.strip(" \t-*•") for line in text.splitlines() if _BULLET.match(line)}
    long_enough = [s for s in analysed if s.word_count >= 5 and any(w in FUNCTION_WORDS for w in s.stems)]
    broken = [s for s in long_enough if not coherent(s.text)]
    if len(broken) >= 2 and len(broken) >= SALAD_SHARE * len(long_enough):
        return []
    framed = _keyword_frames(analysed, cue_vocabulary)
    found = []
    for n, s in enumerate(analysed):
        if n in framed:
            continue  # one sentence frame filled with keyword after keyword states none of them
        if s.word_count <= 4 and _COURTESY.match(s.text):
            continue  # "Dear Councillor Hendry," opens the letter, not its bottom line
        if s.is_prose:
            found.append(Unit(s, True))
        elif 3 <= s.word_count <= 15 and _note(s.text, lines) and coherent(s.text):
            content = [t for t in s.stems if t not in FUNCTION_WORDS]
            marked = s.text.strip(" \t-*•") in bullets or bool(_NOTE_MARKS.search(s.text))
            if not marked and s.word_count <= 6 and all(t in cue_vocabulary for t in content):
                continue  # a keyword typed on a line of its own; a bullet or a label makes it a note
            found.append(Unit(s, False, marked))
    return found


FRAME_REPEATS = 3  # a sentence frame this many sentences fill with different keywords is stuffing


def _keyword_frames(analysed: Sequence[Sentence], cue_vocabulary: frozenset[str]) -> set[int]:
    """The sentences that share one frame around FRAME_REPEATS or more different keywords ("This
    note covers refunds.", "This note covers 270.", ...): what is left of each once its cue words
    and figures are taken out is the same, so none of them says anything of its own."""
    frames: dict[tuple[str, ...], dict[tuple[str, ...], list[int]]] = {}
    for n, s in enumerate(analysed):
        keyword = tuple(t for t in s.stems if t in cue_vocabulary or t[:1].isdigit())
        frame = tuple(t for t in s.stems if t not in keyword)
        if frame and keyword:
            frames.setdefault(frame, {}).setdefault(keyword, []).append(n)
    # the same sentence said again is repetition, not stuffing: the keywords must differ
    return {n for filled in frames.values() if len(filled) >= FRAME_REPEATS for ns in filled.values() for n in ns}


# a greeting or a sign-off on a line of its own: courtesy, not content
_COURTESY = re.compile(
    r"^\W*(?:(?:dear|hi|hello|good (?:morning|afternoon|evening))\b[^.!?\n]{0,40}"
    r"|(?:thanks|thank you|many thanks|best|regards|kind regards|best wishes|yours sincerely|cheers)\b[^.!?\n]{0,30})"
    r"[,.!]?\s*$",
    re.IGNORECASE,
)
_BULLET = re.compile(r"\s*(?:[-*•]|\d+[.)])\s")
_NOTE_MARKS = re.compile(r"[:;=()/~<>+]| - | v ")


def _note(text: str, lines: set[str]) -> bool:
    """A fragment reads as a note when it is a line of its own or is marked up like one ("Cost:
    23c/email (vs $4.10)"); a run of bare words inside a paragraph is a bag of words."""
    return text.strip(" \t-*•") in lines or bool(_NOTE_MARKS.search(text))


@per_exercise
def cue_vocabulary(exercise: ExplainReasoningExercise) -> frozenset[str]:
    cues = [alt for p in exercise.key_points for group in p.cues for alt in group]
    cues += [alt for c in exercise.stakeholder.concerns for group in c.cues for alt in group]
    return frozenset(t for alt in cues for t in stems(alt))


def _significant(value: float) -> str:
    return f"{abs(value):.6g}".replace(".", "").replace("-", "").strip("0") or "0"


PERIOD_REACH = 4  # words after a figure in which its period is looked for ("3.6 million litres a day")
# the words that name a period, so "weekend" is no week and "£140k/yr" is a year
_PERIOD_FORMS = {
    **{form: p for p in PERIODS for form in (p, f"{p}s", f"{p}ly")},
    **dict.fromkeys(("daily",), "day"),
    **dict.fromkeys(("wk", "wks"), "week"),
    **dict.fromkeys(("mth", "mths", "mo"), "month"),
    **dict.fromkeys(("yr", "yrs", "annual", "annually", "annum"), "year"),
}


def _periods_after(tokens: list[str], value: float) -> set[str]:
    """The period word ("week", "month") after each mention of a figure, within PERIOD_REACH words:
    a text may give one figure twice ("3.6 Ml/d, that is 3.6 million litres every day")."""
    found = set()
    for i, token in enumerate(tokens):
        figure = numbers(token)[:1] + numbers(" ".join(tokens[i : i + 2]))[:1]  # "11", or "11 million" as one
        if figure and any(abs(f - value) <= 1e-9 * max(1.0, abs(value)) for f in figure):
            for follower in tokens[i + 1 : i + 1 + PERIOD_REACH]:
                if numbers(follower):
                    break  # a period after the next figure belongs to that figure
                period = _PERIOD_FORMS.get(follower)
                if period:
                    found.add(period)
                    break
    return found


_THRESHOLD = re.compile(r"\b(?:over|above|below|under|more than|less than|up to|at least)\s+[$£€]?\d", re.IGNORECASE)
_ANY_SIZE = re.compile(
    r"\bwhatever (?:the|its) (?:amount|size|value|sum)\b|\bregardless of (?:the |its )?(?:amount|size|value|sum)\b"
    r"|\bno matter (?:how (?:much|small|large|big)|the (?:amount|size|value))\b|\bof any (?:size|amount|value)\b"
    r"|\bhowever (?:small|large|big)\b",
    re.IGNORECASE,
)


GIVEN_WITHIN = 0.005  # a figure this close to one the case gives or derives is that figure


def wrong_figure(point: KeyPoint, text: str, given: frozenset[float] = frozenset()) -> str | None:
    """A figure of the point given wrongly: shifted (2.3 for 23), transposed (72 for 27), over
    the wrong period (36 hours a month for 36 a week), or a threshold the point sets ("above
    $100") said not to apply ("whatever the amount"). Returns what was said. `given` is the
    case's own figures and their derivations (see grading.figures.case_figures): a figure among
    them is the case's, not a slip of another ("19 overpaid" beside "£190,000" where both are given)."""
    gold = numbers(point.text)
    if not gold:
        return None
    threshold = _THRESHOLD.search(point.text)
    scope = _ANY_SIZE.search(text)
    if threshold and scope:
        return f"“{scope.group(0)}” (the facts say {threshold.group(0)}…)"
    said = numbers(text)
    # a share is the same share of a day's items as of a week's: only amounts and counts have a period
    shares = [n for t in stems(point.text) if t.endswith("%") for n in numbers(t)]
    for g in gold:
        if number_matches(said, g, 0.05) and not number_matches(shares, g, 0.0):
            period_gold = _periods_after(words(point.text), g)
            period_said = _periods_after(words(text), g)
            if period_gold and period_said and period_gold.isdisjoint(period_said):
                return f"{g:g} a {min(period_said)} (the facts say a {min(period_gold)})"
    if not said or any(number_matches([s], g, 0.05) for s in said for g in gold):
        return None
    for s in said:
        if any(abs(s - f) <= GIVEN_WITHIN * abs(f) for f in given):
            continue
        for g in gold:
            digits = _significant(g)
            if len(digits) < 2:
                continue  # 1 against 100 is no slip; 2.3 against 23 is
            shifted = _significant(s) == digits
            transposed = sorted(_significant(s)) == sorted(digits)
            if shifted or transposed:
                return f"{s:g} (the facts say {g:g})"
    return None


TOPIC_CREDIT = 0.75  # a point's words without its claim: its topic is named, the claim not made


def figure_support(point: KeyPoint, found: Sequence[Unit]) -> float:
    """The share of a point's figures the text states anywhere (1 for a point that gives none):
    a claim made with some of its figures ("4,000 a month" without "35 % of all claims") is made
    that far; "most", "a lot" or "very few" give the reader none of them to weigh."""
    figures = stated(point.text)
    if not figures:
        return 1.0
    return sum(any(_states_figure(point.text, u.text, g) for u in found) for g in figures) / len(figures)


def supported(credit: float, support: float) -> float:
    """A point's credit, as far as the text states the figures it rests on (see figure_support)."""
    return credit * (FIGURELESS_CREDIT + (1 - FIGURELESS_CREDIT) * support)


def with_bare_figures(tokens: Sequence[str]) -> tuple[str, ...]:
    """A sentence's lemmas, with each percentage also as its bare figure: a cue written "3.8"
    names the figure however the writer sets it out ("3.8%", "3.8 per cent")."""
    bare = tuple(t[:-1] for t in tokens if t[:1].isdigit() and t.endswith("%"))
    return (*tokens, *bare) if bare else tuple(tokens)


def _windows(found: Sequence[Unit]) -> list[tuple[int, int, tuple[str, ...], str, bool]]:
    """(first, last, stems, text, prose) for each unit, and for each pair of prose sentences."""
    result = [(i, i, with_bare_figures(u.sentence.stems), u.text, u.prose) for i, u in enumerate(found)]
    for i in range(len(found) - 1):
        a, b = found[i], found[i + 1]
        if a.prose and b.prose:
            tokens = with_bare_figures(a.sentence.stems + b.sentence.stems)
            result.append((i, i + 1, tokens, a.text + " " + b.text, True))
    return result


Expected = Mapping[str, Polarity]


def _opposed(point: KeyPoint, polarity: Polarity | None, raw: str, tokens: Sequence[str]) -> bool:
    if polarity is None or (polarity.plain and not may_contradict(raw)):
        return False  # a plain statement of a plainly made point opposes nothing
    return contradicts(point, polarity, raw, tokens)


Statements = Mapping[str, Sequence[frozenset[str]]]
PARAPHRASE_SHARE = 0.5  # share of a statement's content words a sentence in other words must share
OWN_WORDS_CREDIT = 0.75  # a claim made in other words than the cues': made, though the grader is less sure
PARAPHRASE_WORDS = 2  # ...and at least this many, one more where no figure anchors the claim


@per_exercise
def point_statements(exercise: ExplainReasoningExercise) -> Statements:
    """Each key point's claim as the case states it: the content words of the point's own text and
    of the reference sentence(s) where the reference makes it. A learner who makes the claim in
    other words shares a good part of one of them, whatever words the cues happen to list."""
    reference = units(exercise.reference.text, cue_vocabulary(exercise))
    located = match_points(exercise.key_points, reference, expected_polarities(exercise), case_words(exercise))
    result = {}
    for p in exercise.key_points:
        where = located.get(p.id)
        made_in = " ".join(u.text for u in reference[where.first : where.last + 1]) if where else ""
        result[p.id] = tuple(s for s in (claim_words(p.text), claim_words(made_in)) if s)
    return result


@lru_cache(maxsize=4096)
def claim_words(text: str) -> frozenset[str]:
    """The words that carry a statement's claim: its lemmas but function words and figures, short
    ones included ("pay", "day", "late"), since a short claim is made of short words."""
    return frozenset(w for w in stems(text) if len(w) > 2 and w not in FUNCTION_WORDS and not w[:1].isdigit())


def restated(point: KeyPoint, statements: Sequence[frozenset[str]], tokens: Sequence[str], raw: str) -> float:
    """Whether a sentence makes the point's claim in its own words (1 or 0): it shares at least half
    the content words of the point's text or, where the point gives figures, of the reference
    sentence that makes it, and states one of those figures (what the claim rests on; how many of
    them the text gives is weighed for every point alike, see figure_support). The point's words
    without a figure, or a figure among other words, are not the claim."""
    figures = stated(point.text)
    if figures and not any(_states_figure(point.text, raw, g) for g in figures):
        return 0.0
    own = set(tokens)
    # with no figure to anchor it, only the point's own statement: a reference sentence may make
    # two points, and half its words can be the other one's ("terms are 30 days, so no supplier
    # is paid late" is not "urgent payments still go the same day")
    candidates = statements if figures else [claim_words(point.text)]
    least = PARAPHRASE_WORDS + (not figures)
    if not any(len(s & own) >= max(least, PARAPHRASE_SHARE * len(s)) for s in candidates):
        return 0.0
    return 1.0


FIGURES_TO_ANCHOR = 2  # a point with this many figures of its own is recognised by them together


def by_figures(point: KeyPoint, raw: str) -> bool:
    """Whether a sentence (or a pair) states every figure of a point that gives at least two, none
    a small count another point also gives ("about 1 in 26 ... roughly 1 in 140" for "fall from
    3.8 % to about 0.7 %"): a paraphrase that keeps the figures and changes every word of the
    claim still makes it, since the figures together belong to that claim alone."""
    figures = [g for g in stated(point.text) if not (g.is_integer() and g <= SMALL_COUNT)]
    return len(figures) >= FIGURES_TO_ANCHOR and all(_states_figure(point.text, raw, g) for g in figures)


def anchored(point: KeyPoint, statements: Sequence[frozenset[str]], tokens: Sequence[str], raw: str) -> bool:
    """Whether a sentence with a point's cues carries its claim: it states one of the point's
    figures, or shares half the content words of one of its statements (see restated). The cue
    words alone ("complaints", "still", "visit") name the topic; the claim says what about it."""
    if any(_states_figure(point.text, raw, g) for g in stated(point.text)):
        return True
    own = set(tokens)
    return any(len(s & own) >= max(PARAPHRASE_WORDS, PARAPHRASE_SHARE * len(s)) for s in statements)


def _states_figure(statement: str, raw: str, figure: float) -> bool:
    """Whether a sentence states one of a point's figures. A rate may be stated either way ("1 in
    30" for 3.4 %, "0.7 %" for 7 in 1,000), but a ratio's first figure is no rate of its own ("1 in
    300" does not state 1 %). A small whole count ("two merchants") is that figure only where it
    counts the same thing ("2 working days"), or where either leaves unsaid what it counts: such
    counts are too common to carry a claim on their value alone."""
    said = rates(raw)
    rate = next((r for f, r, _ in rates(statement) if f == figure), None)
    if rate is not None and number_matches([r for _, r, _ in said], rate, ABOUT):
        return True
    firsts = {f for f, _, ratio in said if ratio} if rate is not None else set()
    given = [v for v in stated(raw) if v not in firsts]
    if not number_matches(given, figure, ABOUT):
        return False
    if not (figure.is_integer() and 0 <= figure <= SMALL_COUNT):
        return True
    counted = set().union(*_counts(stems(statement), figure))
    counts = _counts(stems(raw), figure)
    return not counted or not counts or any(counted & hs for hs in counts)


def _counts(tokens: Sequence[str], figure: float) -> list[set[str]]:
    """What each mention of a figure counts (its heads, see grading.figures), read from the figure
    on, so "in 2 working days" counts days though "in" before a figure usually opens a ratio."""
    found = []
    for i, token in enumerate(tokens):
        if token[:1].isdigit() and number_matches(numbers(token), figure, 0.0):
            found += [set(hs) for v, hs in heads(tokens[i:])[:1] if v == figure]
    return found


def match_points(
    points: Sequence[KeyPoint],
    found: Sequence[Unit],
    expected: Expected | None = None,
    case: frozenset[str] = frozenset(),
    statements: Statements | None = None,
    given: frozenset[float] = frozenset(),
) -> dict[str, PointMatch]:
    """Key point id -> where and how well it is made. A unit carries at most two points, so one
    sentence stuffed with every keyword earns little. A sentence that carries a point's words but
    says its opposite (see grading.claims) does not make it. `case` is the case's own words
    (see case_words): a decision stated as a plan counts only in a sentence mostly made of them.
    `given` is the case's figures (see wrong_figure)."""
    windows = _windows(found)
    options: dict[str, list[PointMatch]] = {}
    for point in points:
        matches = []
        for first, last, tokens, raw, prose in windows:
            base = found[first].claim_credit if first == last else 1.0
            # a bare run of words on a line states the point less surely than a marked note does
            form = 1.0 if base == FRAGMENT_CREDIT else base
            polarity = expected.get(point.id) if expected else None
            own_words = 0.0
            # a decision or an ask is a stance, not a fact: made in own words only as one (see recommends)
            fact = not point.roles & STANCE_ROLES
            if statements and first == last and fact and not concept_found(tokens, point.cues):
                own_words = restated(point, statements.get(point.id, ()), tokens, raw)
            if own_words:
                if _opposed(point, polarity, raw, tokens):
                    continue
                slip = wrong_figure(point, raw, given)  # "36 hours a month" for 36 a week: its figure, misstated
                if slip:
                    matches.append(PointMatch(first, last, min(base, SLIP_CREDIT), f"states {slip}", form))
                else:
                    credit = own_words * OWN_WORDS_CREDIT * base
                    matches.append(PointMatch(first, last, credit, "made in other words", form))
            elif concept_found(tokens, point.cues):
                if _opposed(point, polarity, raw, tokens) or ("decision" in point.roles and announces(raw)):
                    continue
                slip = wrong_figure(point, raw, given)
                if slip:
                    matches.append(PointMatch(first, last, min(base, SLIP_CREDIT), f"states {slip}", form))
                elif stated(point.text) and not any(t[:1].isdigit() for t in tokens):
                    # made without its figures: figure_support weighs that, for every point alike
                    matches.append(PointMatch(first, last, base, "made without its figures", form))
                elif statements and fact and not anchored(point, statements.get(point.id, ()), tokens, raw):
                    # its words without its claim: the topic named, the claim not made
                    matches.append(PointMatch(first, last, TOPIC_CREDIT * base, "its topic, not its claim", form))
                else:
                    matches.append(PointMatch(first, last, base, "", form))
            elif (
                prose
                and first == last
                and "decision" in point.roles
                and not announces(raw)
                and (
                    recommends(point, raw, tokens, statements.get(point.id, ()) if statements else (), case)
                    or states_plan(point, raw, tokens, case)
                )
                and not _opposed(point, polarity, raw, tokens)
            ):
                matches.append(PointMatch(first, last, RECOMMENDATION_CREDIT, "recommended in own words"))
            elif (
                base > FRAGMENT_CREDIT
                and len(point.cues) >= 3
                and cue_share(tokens, point.cues) >= 1 - 1 / len(point.cues) - 1e-9
            ) and not _opposed(point, polarity, raw, tokens):
                matches.append(PointMatch(first, last, PARTLY_MADE * base, PARTLY_NOTE, form))
            elif fact and by_figures(point, raw) and not _opposed(point, polarity, raw, tokens):
                matches.append(PointMatch(first, last, OWN_WORDS_CREDIT * base, "made by its figures", form))
        if "ask" in point.roles:  # an ask is made where the text asks: a sentence on its subject asks nothing
            matches = [m for m in matches if requests(" ".join(u.text for u in found[m.first : m.last + 1]))]
        options[point.id] = sorted(matches, key=lambda m: (-m.credit, m.last))
    load = [0] * len(found)
    made: dict[str, PointMatch] = {}
    for point in sorted(points, key=lambda p: (len(options[p.id]), -p.weight)):
        for option in options[point.id]:
            if all(load[i] < MAX_POINTS_PER_UNIT for i in range(option.first, option.last + 1)):
                # where the reader first meets the point, and last, whichever match earns the credit
                places = [o.last for o in options[point.id] if o.credit >= PLACED_CREDIT] or [option.last]
                credit = supported(option.credit, figure_support(point, found))
                made[point.id] = replace(option, credit=credit, earliest=min(places), latest=max(places))
                for i in range(option.first, option.last + 1):
                    load[i] += 1
                break
    return made


_ANNOUNCES = re.compile(
    r"^\W*(?:purpose|subject|re)\s*:"
    r"|\bthis (?:note|email|memo|message|letter|paper|update|briefing)\b[^.]{0,30}?\b(?:summari[sz]es|sets out"
    r"|explains|describes|outlines|is about|asks|seeks|covers)\b"
    r"|\b(?:i am|i'm|we are|we're) writing (?:to|about)\b"
    r"|^\W*(?:to seek|seeking) your (?:approval|agreement|support|decision)\b"
    r"|\b(?:asked|asks|wondered|wonders) (?:about|whether|if|what|how|why)\b",  # a question reported, not answered
    re.IGNORECASE,
)


def announces(raw: str) -> bool:
    """Whether a sentence only announces what the message is for ("Purpose: to seek your approval
    for the new workflow", "This note summarises the proposal") or reports a question ("the paper
    has asked about computers deciding"): it names the decision without making it, so it is not
    the bottom line. A sentence that also recommends does make it."""
    text = raw.replace("’", "'")
    for part in (text, text.split(":", 1)[-1]):
        if _ANNOUNCES.search(part):
            return not _RECOMMENDS.search(text)
    return False


_REQUEST_VERBS = (
    r"approve|agree|confirm|sign(?: it)? off|authori[sz]e|endorse|decide|tell|brief|accept"
    r"|fund|lend|book|present|explain|raise|choose"
)
_REQUESTS = re.compile(
    r"\bplease\b|\bkindly\b|\blet (?:me|us) know\b|\b(?:could|can|would|will) you\b|\b(?:i|we)(?: would|'d)? like you\b"
    r"|\b(?:i|we)(?: (?:would|'d|must|also|now|just|therefore|only|respectfully)){0,3} (?:need|ask|am asking"
    r"|are asking|request|want|invite|urge) (?:you|your|two|three|the|a|an|one)\b"
    # a question to the body the reader sits on or chairs ("Could the committee approve the 1 March start?")
    r"|\b(?:could|can|would|will) (?:the|your) (?:committee|board|panel|council|cabinet|trustees|forum|members"
    r"|team|group|meeting)(?: please)? (?:" + _REQUEST_VERBS + r"|note|consider|give)\b"
    r"|\bfrom you\b|\bwhat (?:i|we) need\b|\b(?:my|the) ask\b|\bdecision (?:i|we) need\b"
    r"|^\W*(?:ask|asks|needs?|request|decision (?:needed|required)|action(?: needed| required)?|next steps?)\s*:"
    r"|\byour (?:approval|agreement|sign-?off|support|decision|ok|okay|go-ahead|backing|yes|confirmation|help)\b"
    r"|\b(?:recommend|propose|suggest|advise)\b|\b(?:recommendation|suggestion)\s*:"
    r"|^\W*(?:[A-Z][\w.' -]{0,40},\s*)?(?:" + _REQUEST_VERBS + r")\b",
    re.IGNORECASE | re.MULTILINE,
)


def requests(raw: str) -> bool:
    """Whether a sentence asks the reader for something: "please", "could you", "I need your
    approval", "what I need from you", "My ask:", a recommendation, or an imperative ("Approve
    the two posts", "Fiona, confirm 2 March"). A statement on the ask's subject ("a surveyor will
    check 20 a month", "the insurer asks to hear of changes") asks the reader nothing, and nor
    does a courtesy that closes a letter ("Please let me know if you need anything else")."""
    text = raw.replace("’", "'")
    return bool(_REQUESTS.search(_COURTESY_OFFER.sub(" ", text)))


# an offer of more, closing a letter: it asks the reader for nothing
_COURTESY_OFFER = re.compile(
    r"\b(?:please\s+)?(?:do\s+)?(?:let (?:me|us) know|get in touch|contact (?:me|us)"
    r"|feel free to (?:ask|contact me|get in touch))\s+(?:if|should|whether)\s+(?:you\s+)?"
    r"(?:need|have|want|would like|require)\s+(?:anything|any|more|further|other)\b[^.!?,;]*"
    r"|\b(?:i am|i'm|we are|we're)\s+(?:happy|glad|available)\s+to\s+(?:discuss|talk|answer|help|explain)\b[^.!?,;]*",
    re.IGNORECASE,
)


RECOMMENDATION_CREDIT = 0.75  # the decision recommended in the writer's own words: made, if less exactly
_RECOMMENDS = re.compile(
    r"\b(?:i|we)\b[^.]{0,15}?\b(?:recommend|propose|suggest|advise)\b|\bmy (?:advice|recommendation|proposal)\b"
    r"|\b(?:i|we)(?: would|'d) like (?:to|us to|you to)\b|\blet(?:'s| us)\b|\bthe short answer is\b"
    # "we should" opening the sentence, after a name or a label ("In short: we should switch ...")
    r"|^\W*(?:\w+,\s*|(?:\w+\s+){0,2}\w+:\s*)?(?:i think )?we should\b(?!\s+(?:have|not|never)\b)",
    re.IGNORECASE,
)


def recommends(
    point: KeyPoint,
    raw: str,
    tokens: Sequence[str],
    statements: Sequence[frozenset[str]] = (),
    case: frozenset[str] = frozenset(),
) -> bool:
    """A sentence that recommends, in so many words, what the decision point says: a stance
    ("I recommend", "my advice is", "let us") with no stance against, sharing two of the point's
    own content words ("a three-month trial of the new way of entering court deadlines" for
    "approve a three-month pilot in which software reads court orders..."), or two of the case's
    words (`case`, see case_words) with a statement of the point (`statements`: the reference
    sentence "cabinet approves the new process on 12 June" for "cabinet approves the new way of
    answering requests on 12 June"); the stance and the reader's name are no part of the claim."""
    text = raw.replace("’", "'")
    if not _RECOMMENDS.search(text) or argues_against(text):
        return False
    said = set(tokens)
    return len(_content(point.text) & said) >= 2 or any(len(words & said & case) >= 2 for words in statements)


_PLAN = re.compile(
    r"\b(?:will|(?:is|are|am) going to|(?:i|we) (?:want|plan|intend|aim) to|now (?:has|have|needs?) to"
    r"|from now on)\b(?!\s+not\b)",
    re.IGNORECASE,
)


# a cue group naming the writer's stance ("I recommend"), not what the decision changes; "approve"
# is left out: it is as often the new control itself ("a handler approves every payment")
_STANCE_CUES = frozenset(["recommend", "propose", "suggest", "advise"])


PLAN_ON_CASE = 0.5  # share of a plan sentence's content words that must be the case's own


def states_plan(point: KeyPoint, raw: str, tokens: Sequence[str], case: frozenset[str]) -> bool:
    """A sentence that states the decision as what will now happen, leaving out the stance word
    ("every claim will be checked by a handler", "we want to use software to read court orders"):
    a plan (will, going to, want to, now has to) with no stance against, every cue group of the
    point but its stance ("recommend", "propose"), two of the point's own content words, and
    mostly the case's words (a sentence about a party that names a handler is not the decision).
    A short note often makes its decision so. A point with no stance group is not made this way."""
    text = raw.replace("’", "'")
    stance = [alts for alts in point.cues if _STANCE_CUES.intersection(alts)]
    if not stance or len(stance) == len(point.cues) or not _PLAN.search(text) or argues_against(text):
        return False
    own = _content(raw)
    if not own or len(own & case) < PLAN_ON_CASE * len(own):
        return False
    if not all(cue_found(tokens, alts) for alts in point.cues if alts not in stance):
        return False
    return len(_content(point.text) & set(tokens)) >= 2


def argued_against(
    points: Sequence[KeyPoint], found: Sequence[Unit], expected: Expected, made: Mapping[str, PointMatch]
) -> list[tuple[KeyPoint, Unit]]:
    """Points the text argues against: a sentence with the point's words and a stance against it
    ("I do not recommend..."), even if another sentence describes it; or only negated statements
    of it ("refunds are not checked") and no sentence that makes it with all its ideas (one that
    has only some of them, "partly made", or a pair of sentences where they only meet, does not
    outweigh a sentence that denies them)."""
    result = []
    windows = _windows(found)
    for point in points:
        if point.id not in expected:
            continue
        reversed_in = next((u for u in found if reverses_change(point, expected[point.id], u.text)), None)
        if reversed_in is not None:
            result.append((point, reversed_in))
            continue
        verdict = _verdict_after(point, found, made.get(point.id))
        if verdict is not None:
            result.append((point, verdict))
            continue
        for first, last, tokens, raw, _ in windows:
            if expected[point.id].plain and not may_contradict(raw):
                continue  # neither a stance nor a negation: cannot oppose a plainly stated point
            if not concept_found(tokens, point.cues) or not contradicts(point, expected[point.id], raw, tokens):
                continue
            stance = bool(point.roles & STANCE_ROLES) and argues_against(raw) not in expected[point.id].against
            # a sentence with all of the point's ideas, denied, outweighs one with only some of them,
            # and one where they only meet across two sentences
            match = made.get(point.id)
            across = match is not None and first == last and match.last > match.first
            if match is None or stance or match.note == PARTLY_NOTE or across:
                result.append((point, found[first]))
                break
    return result


def _verdict_after(point: KeyPoint, found: Sequence[Unit], match: PointMatch | None) -> Unit | None:
    """The sentence that gives the writer's verdict against a recommendation or an ask right where
    it is made, or in the next sentence ("... approve the new process. I think that is the wrong
    call."): a word pointing back to it needs none of its words, so a stance made in the writer's
    own words is rejected the same way (see grading.claims.rejects_it)."""
    if match is None or not point.roles & STANCE_ROLES:
        return None
    return next((u for u in found[match.last : match.last + 2] if rejects_it(u.text)), None)


def slips_anywhere(
    points: Sequence[KeyPoint], found: Sequence[Unit], given: frozenset[float] = frozenset()
) -> list[tuple[KeyPoint, str]]:
    """Wrong figures anywhere in the text, even where the point itself was not recognised;
    `given` is the case's figures (see wrong_figure)."""
    result = []
    for point in points:
        # a figure of this point alone: one another point also gives ties the sentence to neither
        own = [
            g
            for g in numbers(point.text)
            if g > SMALL_COUNT and not any(number_matches(numbers(q.text), g, 0.0) for q in points if q is not point)
        ]
        for u in found:
            # a figure in a sentence about something else is not this point's, unless it is the
            # point's own figure: "the saving is £75,000 a year" is the £75,000 a month point
            if len(_content(point.text) & set(u.sentence.stems)) < 2 and not any(
                number_matches(numbers(u.text), g, 0.0) for g in own
            ):
                continue
            slip = wrong_figure(point, u.text, given)
            if slip:
                result.append((point, slip))
                break
    return result


@lru_cache(maxsize=4096)
def _content(text: str) -> frozenset[str]:
    return frozenset(w for w in stems(text) if len(w) > 3 and w not in FUNCTION_WORDS and not w.isdigit())


def concern_credit(concern: Concern, found: Sequence[Unit]) -> float:
    best = 0.0
    for first, last, tokens, _, _ in _windows(found):
        if concept_found(tokens, concern.cues):
            best = max(best, found[first].claim_credit if first == last else 1.0)
    return best


def case_words(exercise: ExplainReasoningExercise) -> frozenset[str]:
    """The case's own content words: its situation, key points and the reader's concerns."""
    source = [
        exercise.situation,
        *(p.text for p in exercise.key_points),
        *(c.text for c in exercise.stakeholder.concerns),
    ]
    return _content(" ".join(source))


def topical_relevance(exercise: ExplainReasoningExercise, text: str) -> float:
    """How much of the situation's own vocabulary the text uses: an off-topic text, however
    fluent, shares little of it; a paraphrase of the right content shares a lot."""
    topic = case_words(exercise)
    used = {w for w in stems(text) if w in topic}
    return max(0.0, min(1.0, (len(used) - 3) / 12))

"""Scoring an explanation for a non-technical stakeholder: substance first (key points made in
real sentences, the reader's concerns), then whether a manager could follow it (reading
grade, unexplained jargon, bottom line first, a clear ask), then length.

Plain language and length count only in proportion to how much the text is about the situation,
so a fluent text about something else, or a keyword list, cannot collect them."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace

from exercises.model import ExplainReasoningExercise, KeyPoint
from exercises.plain_text import clean_text
from exercises.submission import ExplainSubmission
from exercises.workflow import Tool
from grading.bands import PROFICIENT
from grading.claims import expected_polarities, overclaims, reverses_change
from grading.explain_match import (
    FRAGMENT_CREDIT,
    SLIP_CREDIT,
    PointMatch,
    Unit,
    argued_against,
    case_words,
    concern_credit,
    cue_vocabulary,
    match_points,
    point_statements,
    slips_anywhere,
    topical_relevance,
    units,
)
from grading.figures import (
    ABOUT,
    case_figures,
    heads,
    misattached,
    parts_of,
    stated,
    unfounded,
    wholes_claimed,
    widened_shares,
)
from grading.injection import strip_injection
from grading.misstated_decision import misstated_decision
from grading.model import Flag
from grading.rubric import Scored, Scoring, join
from grading.text import (
    FUNCTION_STEMS,
    Sentence,
    concept_found,
    contains_phrase,
    number_matches,
    numbers,
    reading_grade,
    stems,
    word_count,
)

RELEVANT_FROM, RELEVANT_AT = 0.15, 0.55  # share of the key points' weight made: none of it, all of it
# how steeply the manner of a note (plain words, order, the reader's concerns, length) follows its
# substance: assessors mark a clear, well-ordered note that makes half its points as a weak note,
# not as a good one with gaps. Rated totals track the weighted criteria times the square root of
# the key-point score (tuned split), so the manner counts in that proportion.
SUBSTANCE_POWER = 0.5
WRONG_FIGURE_CAP = PROFICIENT - 1.0  # a message that misstates a key figure cannot be proficient
# claiming certainty where the case names a remaining risk hides the one fact the reader must weigh
# (and may repeat in public): worse than a slipped figure, so below the middle of the scale
OVERCLAIM_CAP = 44.0
MISSTATED_CONCERN_CREDIT = 0.5  # a concern answered by a text that misstates the case is half answered
ARGUED_AGAINST_CAP = 40.0  # a message that argues against the decision it should explain fails its purpose
# a message that misstates what the decision does (see grading.misstated_decision) tells the reader a
# different decision: as bad as a certainty the facts do not give
MISSTATED_DECISION_CAP = OVERCLAIM_CAP
# a share of a part stated as a share of the whole ("55 % of all claims" for 55 % of those owed
# money) misreads which group the figure counts: the reader is told a different scale of the case,
# not a slipped digit, so it weighs as a misstated decision does
WIDENED_SHARE_CAP = MISSTATED_DECISION_CAP
LONG_SENTENCE_WORDS = 30
LATE_SHARE = 0.5  # a bottom line first met past this share of the note is read as a conclusion, not a lead
MIXED_HIGH, MIXED_LOW = 0.75, 0.1  # points made and plain words this far apart: the grader's two readings disagree
SHORT_PROSE = 6  # this few sentences carry too little evidence to grade without a second look
JARGON_COST = 0.2  # each unexplained term: the reader is not technical, so a term they cannot follow costs a fifth
EXPLAINERS = ("(", " which means", " meaning ", " i.e.", " that is,", " in other words", " — ", " - ", ": ")


def _quote(sentence: Sentence, limit: int = 160) -> str:
    text = sentence.text.replace("\n", " ")
    return "“" + (text if len(text) <= limit else text[: limit - 1] + "…") + "”"


def score_explanation(
    exercise: ExplainReasoningExercise, submission: ExplainSubmission, catalogue: Mapping[str, Tool]
) -> Scoring:
    """The criteria, flagged for review when the evidence is too thin to trust them without a person."""
    text = submission.text
    found = units(text, cue_vocabulary(exercise))
    prose = [u.sentence for u in found if u.prose]
    points = exercise.key_points
    expected = expected_polarities(exercise)
    made, certain = points_made(exercise, found)
    invented, unsupported = invented_figures(exercise, found)
    widened = widened_share_figures(exercise, found)
    slips = slips_anywhere(points, found, case_figures(exercise).founded) + misattached_figures(exercise, found)
    slips += [
        (p, f"all {whole:g} (the facts say {part:g} of the {whole:g})")
        for p, part, whole in wholes_for_parts(exercise, found)
        if all(p.id != q.id for q, _ in slips)
    ]
    slips += [(p, slip) for p, slip in [*widened, *invented] if all(p.id != q.id for q, _ in slips)]
    # a point made with an invented figure in place of its own misinforms, as a wrong figure does
    made |= {p.id: replace(made[p.id], credit=min(made[p.id].credit, SLIP_CREDIT)) for p, _ in invented if p.id in made}
    misstated = misstated_decision(exercise, [u.text for u in found])
    made = {k: m for k, m in made.items() if all(k != x.point.id for x in misstated)}  # a point misstated is not made
    opposed = argued_against(points, found, expected, made)
    against_decision = [p for p, _ in opposed if "decision" in p.roles]
    total_w = sum(p.weight for p in points)
    # a point stated with a wrong figure anywhere in the text misinforms the reader, wherever else the
    # text makes it: it earns what a point made with a wrong figure earns (where it stands is unchanged)
    slipped = {p.id for p, _ in slips}
    credit = {k: min(m.credit, SLIP_CREDIT) if k in slipped else m.credit for k, m in made.items()}
    coverage = sum(p.weight * credit[p.id] for p in points if p.id in made) / total_w
    topical = topical_relevance(exercise, " ".join(u.text for u in found))
    relevance = case_relevance(sum(p.weight * made[p.id].reach for p in points if p.id in made) / total_w)
    manner = relevance * substance(coverage)
    if certain:
        slips = [*slips, *((p, f"“{certain}”, but a risk remains") for p in points if "risk" in p.roles)][:3]

    missed = [p for p in points if p.id not in made]
    if not found:
        kp_evidence = "No sentences found: key points have to be made in sentences, not listed as keywords."
    else:
        shown = [f"{p.id} in {_quote(found[made[p.id].first].sentence, 90)}" for p in points if p.id in made][:3]
        kp_evidence = (
            f"Makes {len(made)} of {len(points)} key points" + (": " + "; ".join(shown) if shown else "") + "."
        )
        if any(not u.prose for u in found):
            kp_evidence += " Points made only in notes earn less than in sentences, bare fragments half."
        if slips:
            kp_evidence += " Wrong figure: " + "; ".join(f"{p.id} states {slip}" for p, slip in slips) + "."
    if opposed:
        against = [f"{p.id} in {_quote(u.sentence, 90)}" for p, u in opposed[:2]]
        kp_evidence += " Argued the other way: " + "; ".join(against) + "."
    if misstated:
        said = misstated[0].sentence.replace("\n", " ")
        said = said if len(said) <= 90 else said[:89] + "…"
        kp_evidence += f" Misstates the decision ({misstated[0].what}): “{said}”."
    if against_decision:
        kp_feedback = (
            f"Your message argues against the decision itself ({against_decision[0].text}). "
            f"{exercise.stakeholder.name} needs the case for it; a message that argues the other way is "
            f"capped at {ARGUED_AGAINST_CAP:g}."
        )
    elif misstated:
        kp_feedback = (
            f"Your message misstates the decision ({misstated[0].point.text}): {misstated[0].what}. "
            f"A message that tells {exercise.stakeholder.name} a different decision is capped at "
            f"{MISSTATED_DECISION_CAP:g}."
        )
    elif certain:
        kp_feedback = (
            f"You write “{certain}”, but a risk remains: {exercise.stakeholder.name} may repeat it and needs "
            f"the risk to weigh it. A message that hides it is capped at {OVERCLAIM_CAP:g}."
        )
    elif widened:
        kp_feedback = (
            f"Check which group your share is of: you state {widened[0][1]}. That tells "
            f"{exercise.stakeholder.name} the case is several times larger or smaller than it is, as a "
            f"misstated decision does: capped at {WIDENED_SHARE_CAP:g}."
        )
    elif slips:
        kp_feedback = (
            f"Check your figures: you state {slips[0][1]}. A reader acts on the number you give, so a wrong "
            f"figure caps this answer at {WRONG_FIGURE_CAP:g}."
        )
    elif missed:
        kp_feedback = "Also say: " + " ".join(p.text for p in sorted(missed, key=lambda p: -p.weight)[:2])
    else:
        kp_feedback = "All the key points are there."
    caps = [ARGUED_AGAINST_CAP] * bool(against_decision) + [OVERCLAIM_CAP] * bool(certain)
    caps += [WRONG_FIGURE_CAP] * bool(slips) + [MISSTATED_DECISION_CAP] * bool(misstated)
    caps += [WIDENED_SHARE_CAP] * bool(widened)
    cap = min(caps, default=None)
    # arguing against the decision is stated outright, not inferred: a cap raters do not split on
    scored = [Scored("key_points", coverage, kp_evidence, kp_feedback, cap=cap, firm=bool(against_decision))]
    scored.append(_plain_language(exercise, text, found, manner))
    scored.append(_structure(points, found, made, substance(coverage)))
    scored.append(_audience(exercise, found, manner, misstated=bool(slips or against_decision or misstated)))
    scored.append(_length(exercise, text, manner))
    found_share = sum(p.weight for p in points if p.id in made) / total_w
    doubt = doubts(exercise, text, len(prose), len(found) - len(prose), topical, found_share, scored[1].score)
    if unsupported:  # raters mark an invented key figure as a wrong one; the grader may not see the point
        doubt = doubt or f"a figure the case does not give ({unsupported[0]:g}) in a sentence on a key point"
    return Scoring(scored, [Flag.needs_review] if doubt else [])


def doubts(
    exercise: ExplainReasoningExercise,
    text: str,
    prose: int,
    notes: int,
    topical: float,
    coverage: float,
    plain: float,
) -> str | None:
    """Where the grader is likely wrong, in words, or None: the signs its evidence is thin or
    pulls two ways, so a person should look. `coverage` is the share of the key points' weight
    found, however well made: a point found with a wrong figure is not a paraphrase missed."""
    if prose >= 4 and topical >= 0.8 and coverage <= 0.5:
        return "on topic and substantial, yet the points are not found: likely a paraphrase the cues miss"
    if (coverage >= MIXED_HIGH and plain <= MIXED_LOW) or (plain >= MIXED_HIGH and coverage <= MIXED_LOW):
        return "the points are there but the words are not (or the reverse): raters weigh the two apart"
    if topical >= 0.9 and word_count(text) < exercise.word_min and notes < prose <= SHORT_PROSE:
        # notes state their facts outright; a few sentences are where a paraphrase goes unseen
        return "short yet on topic: a few sentences decide the grade, so one missed paraphrase moves it far"
    return None


def misattached_figures(exercise: ExplainReasoningExercise, found: list[Unit]) -> list[tuple[KeyPoint, str]]:
    """Key figures stated about another figure's claim (see grading.figures), as wrong figures of
    the key point that gives either figure."""
    result: list[tuple[KeyPoint, str]] = []
    for u in found:
        for value, _, owner in misattached(exercise, u.sentence.stems):
            point = next((p for p in exercise.key_points if {value, owner} & set(numbers(p.text))), None)
            if point is not None and all(p.id != point.id for p, _ in result):
                result.append((point, f"{value:g} where the facts give that to {owner:g}"))
    return result


def wholes_for_parts(exercise: ExplainReasoningExercise, found: list[Unit]) -> list[tuple[KeyPoint, float, float]]:
    """(point, part, whole) for each key point's part of a group ("10 of the 11") the text states
    as the whole of it ("all 11")."""
    result: list[tuple[KeyPoint, float, float]] = []
    for point in exercise.key_points:
        tokens = stems(point.text)
        parts = [(part, whole) for part, whole in parts_of(tokens) if part < whole]
        for u in found:
            said = wholes_claimed(u.sentence.stems)
            hit = next(
                (
                    (part, whole)
                    for part, whole in parts
                    if whole in said
                    and not number_matches(numbers(u.text), part, 0.0)
                    and _said_of(tokens, whole) & _said_of(u.sentence.stems, whole)
                ),
                None,
            )
            if hit is not None:
                result.append((point, *hit))
                break
    return result


COUNTED_REACH = 2  # the words after a figure that name what it counts ("9 serious cases"), not what is said of it


def _said_of(tokens: Sequence[str], whole: float) -> set[str]:
    """What a sentence says of a group, without the group itself: its content words but the
    figures and the words they count. "All 870 were checked" says nothing of the 5 of the 870
    that "should have been urgent"; "found all 9 serious cases" does of "caught 8 of the 9"."""
    counted = {w for value, words in heads(tokens, COUNTED_REACH) if value == whole for w in words}
    return {t for t in tokens if len(t) > 2 and not t[:1].isdigit() and t not in FUNCTION_STEMS} - counted


def widened_share_figures(exercise: ExplainReasoningExercise, found: list[Unit]) -> list[tuple[KeyPoint, str]]:
    """A key point's share of a part stated as a share of the whole (see grading.figures)."""
    result: list[tuple[KeyPoint, str]] = []
    for u in found:
        for value in widened_shares(exercise, u.sentence.stems):
            point = next((p for p in exercise.key_points if value in numbers(p.text)), None)
            if point is not None and all(p.id != point.id for p, _ in result):
                result.append((point, f"{value:g} % of all (the facts give it of a part only)"))
    return result


def invented_figures(
    exercise: ExplainReasoningExercise, found: list[Unit]
) -> tuple[list[tuple[KeyPoint, str]], list[float]]:
    """Figures the case does not give (see grading.figures.unfounded) in sentences on a key point:
    where the sentence makes a point whose own figures it leaves out, the invented figure stands in
    for them (a wrong figure of that point); anywhere else on a key point it is doubt."""
    slips: list[tuple[KeyPoint, str]] = []
    doubtful: list[float] = []
    for u in found:
        invented = unfounded(exercise, u.sentence.stems)
        if not invented:
            continue
        given = stated(u.text)
        replaced = [
            p
            for p in exercise.key_points
            if stated(p.text)
            and concept_found(u.sentence.stems, p.cues)
            and not any(number_matches(given, g, ABOUT) for g in stated(p.text))
        ]
        for p in replaced:
            if all(p.id != q.id for q, _ in slips):
                slips.append((p, f"{invented[0]:g}, a figure the facts do not give"))
        if not replaced and any(concept_found(u.sentence.stems, p.cues) for p in exercise.key_points):
            doubtful += invented
    return slips, doubtful


def points_made(exercise: ExplainReasoningExercise, found: list[Unit]) -> tuple[dict[str, PointMatch], str | None]:
    """The key points the text asserts, and the words of any certainty it claims where the case
    names a remaining risk (then the risk points are not made: the text denies them)."""
    expected = expected_polarities(exercise)
    made = match_points(
        exercise.key_points,
        found,
        expected,
        case_words(exercise),
        point_statements(exercise),
        case_figures(exercise).founded,
    )
    # a text that undoes the change the decision makes has not made it, wherever else it names it
    reversed_ids = {
        p.id
        for p in exercise.key_points
        if p.id in expected and any(reverses_change(p, expected[p.id], u.text) for u in found)
    }
    made = {k: m for k, m in made.items() if k not in reversed_ids}
    certain = overclaims(exercise, " ".join(u.text for u in found))
    if certain is None and any("risk" in p.roles for p in exercise.key_points):
        # "found all 9" where the case says 8 of the 9: the one missed is the risk that remains
        certain = next((f"all {whole:g}" for _, _, whole in wholes_for_parts(exercise, found)), None)
    if certain:
        risks = {p.id for p in exercise.key_points if "risk" in p.roles}
        made = {k: m for k, m in made.items() if k not in risks}
    return made, certain


_ABBREVIATION = re.compile(r"\b[A-Z][A-Z0-9&]*[A-Z](?:s\b)?")
EVERYDAY_ABBREVIATIONS = frozenset(["AI", "OK", "UK", "US", "USA", "EU", "AM", "PM", "CEO", "HR", "IT", "TV", "PC"])


def unexplained_abbreviations(exercise: ExplainReasoningExercise, prose: list[Sentence]) -> list[tuple[str, Sentence]]:
    """Abbreviations the reader's own brief never uses ("HITL", "KPIs", "FOS"), left unexplained:
    for a non-specialist they are jargon whether or not the exercise lists them."""
    known = " ".join(
        [
            exercise.brief,
            exercise.situation,
            exercise.stakeholder.role,
            *(c.text for c in exercise.stakeholder.concerns),
        ]
    )
    found: list[tuple[str, Sentence]] = []
    for s in prose:
        for match in _ABBREVIATION.finditer(s.text):
            short = match.group(0).removesuffix("s")
            if short in EVERYDAY_ABBREVIATIONS or short in known or any(short == a for a, _ in found):
                continue
            if s.text[match.end() : match.end() + 2].lstrip().startswith("("):
                continue  # explained in brackets right after
            found.append((short, s))
    return found


# Technical and management words a non-technical reader stumbles on whatever the sector: jargon
# unless the reader's own brief uses them or the sentence explains them.
GENERAL_JARGON = (
    "pipeline",
    "deterministic",
    "human-in-the-loop",
    "back-test",
    "backtest",
    "ingest",
    "orchestration",
    "architecture",
    "latency",
    "throughput",
    "endpoint",
    "inference",
    "retrieval",
    "hallucinate",
    "hallucination",
    "prompt injection",
    "false positive",
    "false negative",
    "edge case",
    "use case",
    "unit economics",
    "remediation",
    "validation layer",
    "system of record",
    "materiality",
    "efficiency gain",
    "leverage",
    "synergy",
    "scalable",
    "ai-enabled",
    "ai-powered",
    "ml model",
    "algorithm",
    "deploy",
    "deployment",
)


def unexplained_general_jargon(exercise: ExplainReasoningExercise, prose: list[Sentence]) -> list[tuple[str, Sentence]]:
    """Words from GENERAL_JARGON the reader's brief never uses, left unexplained."""
    known = set(
        stems(" ".join([exercise.brief, exercise.stakeholder.role, *(c.text for c in exercise.stakeholder.concerns)]))
    )
    found: list[tuple[str, Sentence]] = []
    for term in GENERAL_JARGON:
        term_stems = stems(term)
        if set(term_stems) <= known:
            continue
        for s in prose:
            if contains_phrase(s.stems, term_stems):
                lowered = s.text.lower()
                if not any(e in lowered for e in EXPLAINERS):
                    found.append((term, s))
                break
    return found


def substance(coverage: float) -> float:
    """How far the manner of a note counts, given the share of its key points' weight made
    (see SUBSTANCE_POWER): all of it for a note that makes them all, about 70 % at half."""
    return max(0.0, coverage) ** SUBSTANCE_POWER


def case_relevance(coverage: float) -> float:
    """How far the text is about this case, judged by the claims it makes (the key points), not by
    the domain's vocabulary: a fluent text that makes none of them is not about the case, however
    many of its words it shares. Style and length count only in this proportion."""
    return max(0.0, min(1.0, (coverage - RELEVANT_FROM) / (RELEVANT_AT - RELEVANT_FROM)))


def reading_level(text: str) -> float:
    """The reading grade of an explanation, the one figure the learner sees while typing and in
    the grade: Flesch-Kincaid over the text's prose sentences (over the whole text if it has none),
    leaving out any passage addressed to the grader; never below 0."""
    text = strip_injection(clean_text(text))  # the text as stored and graded: control characters gone
    return _reading_level(text, units(text))


def _reading_level(text: str, found: list[Unit]) -> float:
    prose = [u.text for u in found if u.prose]
    return reading_grade(" ".join(prose) if prose else text)


def _plain_language(exercise: ExplainReasoningExercise, text: str, found: list[Unit], relevance: float) -> Scored:
    prose = [u.sentence for u in found if u.prose]
    grade = _reading_level(text, found)
    if not prose:
        if found:
            return Scored(
                "plain_language",
                FRAGMENT_CREDIT * relevance,
                f"Reading grade {grade:.1f}, but written as fragments, not sentences.",
                "Fragments are quick to scan but hard to forward: write the points as short sentences.",
            )
        return Scored(
            "plain_language",
            0.0,
            f"Reading grade {grade:.1f}, but no sentences to read.",
            "Write in full, short sentences.",
        )
    target = exercise.target_grade
    grade_score = 1.0 if grade <= target + 1 else max(0.0, 1 - (grade - target - 1) / 5)
    unexplained: list[tuple[str, Sentence]] = []
    for term in exercise.jargon:
        term_stems = stems(term.term)
        plain_stems = {w for w in stems(term.plain) if len(w) > 3}
        for s in prose:
            if not contains_phrase(s.stems, term_stems):  # whole words: "API" is not in "rapid"
                continue
            lowered = s.text.lower()
            explained = any(e in lowered for e in EXPLAINERS) or bool(plain_stems & set(s.stems))
            if not explained:
                unexplained.append((term.term, s))
            break
    listed = {t for t, _ in unexplained}
    unexplained += [(a, s) for a, s in unexplained_abbreviations(exercise, prose) if a not in listed]
    listed |= {t for t, _ in unexplained}
    unexplained += [(t, s) for t, s in unexplained_general_jargon(exercise, prose) if t not in listed]
    long_share = sum(s.word_count > LONG_SENTENCE_WORDS for s in prose) / len(prose)
    penalty = min(0.6, JARGON_COST * len(unexplained)) + 0.3 * long_share
    # fragments are quick to scan but cannot be forwarded as they are: they earn half
    prose_share = sum(s.word_count for s in prose) / max(1, sum(u.sentence.word_count for u in found))
    score = max(0.0, grade_score - penalty) * relevance * (FRAGMENT_CREDIT + (1 - FRAGMENT_CREDIT) * prose_share)
    evidence = f"Reading grade {grade:.1f} against a target of {target:g}"
    if unexplained:
        evidence += "; unexplained jargon: " + join([f"'{t}'" for t, _ in unexplained], 4)
    if long_share:
        evidence += f"; {long_share:.0%} of sentences run over {LONG_SENTENCE_WORDS} words"
    evidence += "."
    if unexplained:
        first, sentence = unexplained[0]
        plain = next((j.plain for j in exercise.jargon if j.term == first), None)
        feedback = f"{exercise.stakeholder.name} may not know '{first}' ({_quote(sentence, 100)}): " + (
            f"say “{plain}” instead." if plain else "spell it out in everyday words."
        )
    elif grade_score < 1:
        feedback = "Shorter sentences and everyday words would make this easier to act on."
    elif relevance < 1:
        feedback = "Readable, but plain language only counts as far as the text makes the points that matter."
    else:
        feedback = "Plain and readable for this audience."
    return Scored("plain_language", score, evidence, feedback)


def _structure(points: list[KeyPoint], found: list[Unit], made: dict[str, PointMatch], counts: float) -> Scored:
    if not found:
        return Scored("structure", 0.0, "No sentences.", "Lead with the decision, then the risks, then your ask.")
    prose = [u.sentence for u in found]
    by_role: dict[str, list[int]] = {}
    for p in points:
        if p.id in made and made[p.id].credit >= FRAGMENT_CREDIT:
            for role in p.roles:  # a point may play several roles (a risk and its mitigation)
                # the bottom line counts where the reader first meets it; the ask where they last do
                by_role.setdefault(role, []).append(made[p.id].latest if role == "ask" else made[p.id].earliest)
    has_mitigation_points = any("mitigation" in p.roles for p in points)
    score, notes = 0.0, []
    decision_at = min(by_role.get("decision", [len(prose)]))
    if "decision" in by_role and decision_at <= 1:
        score += 0.4
    elif "decision" in by_role and decision_at < len(prose) * LATE_SHARE:
        score += 0.15
        notes.append("the bottom line comes late, in sentence " + str(decision_at + 1))
    elif "decision" in by_role:
        notes.append(f"the bottom line comes late, past the middle: sentence {decision_at + 1} of {len(prose)}")
    else:
        notes.append("the decision itself is never stated")
    if "risk" in by_role:
        score += 0.15 if has_mitigation_points else 0.3
    else:
        notes.append("no risk is named")
    if has_mitigation_points:
        if "mitigation" in by_role:
            score += 0.15
        else:
            notes.append("no risk is paired with how it is contained")
    ask_positions = by_role.get("ask", [])
    if ask_positions and max(ask_positions) >= len(prose) - 3:
        score += 0.3
    elif ask_positions:  # the reader looks for what is asked in the last lines: one met earlier is missed
        notes.append("the ask is buried in the middle")
    else:
        notes.append("there is no clear ask or next step")
    evidence = "Opens with " + _quote(prose[0], 120) + ("; " + "; ".join(notes) if notes else "") + "."
    feedback = (
        "Bottom line first, risks with their safeguards, and a clear ask: easy to act on."
        if not notes
        else "Busy readers act on the first and last lines: " + notes[0] + "."
    )
    if counts < 1:
        evidence += f" Order counts as far as the key points are made ({counts:.0%})."
    return Scored("structure", score * counts, evidence, feedback)


def _audience(exercise: ExplainReasoningExercise, found: list[Unit], relevance: float, misstated: bool) -> Scored:
    concerns = exercise.stakeholder.concerns
    credit = {c.id: concern_credit(c, found) for c in concerns}
    addressed = [c for c in concerns if credit[c.id] > 0]
    missing = [c for c in concerns if c not in addressed]
    # the reader's concerns are answered by what the text says about this case, not by its vocabulary
    # and a reader told something false about the case (a wrong figure, a certainty the facts do not
    # give, the decision argued against) has their concerns answered with it: half answered
    trust = MISSTATED_CONCERN_CREDIT if misstated else 1.0
    score = sum(credit.values()) / len(concerns) * relevance * trust
    evidence = f"Addresses {len(addressed)} of {len(concerns)} of {exercise.stakeholder.name}'s concerns"
    evidence += ", but with a misstatement of the case, so half answered." if misstated else "."
    if missing:
        feedback = f"{exercise.stakeholder.name} ({exercise.stakeholder.role}) will ask: {missing[0].text}"
    elif misstated:
        feedback = f"{exercise.stakeholder.name} will act on what you say: correct the misstatement above first."
    else:
        feedback = f"Speaks to what {exercise.stakeholder.name} cares about."
    return Scored("audience", score, evidence, feedback)


def _length(exercise: ExplainReasoningExercise, text: str, relevance: float) -> Scored:
    n = word_count(text)
    lo, hi = exercise.word_min, exercise.word_max
    if n < lo:
        raw = max(0.0, 2 * n / lo - 1)  # half the minimum loses it all, as 30 % over the limit does
        feedback = f"Too short to carry the points: aim for {lo}–{hi} words."
    elif n > hi:
        raw = max(0.0, 1 - (n - hi) / (0.3 * hi))  # 30 % over the limit loses it all
        feedback = f"Too long for a busy reader: cut to at most {hi} words."
    else:
        raw = 1.0
        feedback = "A length this reader will read."
    evidence = f"{n} words, against a range of {lo}–{hi}."
    if raw and relevance < 1:
        evidence += f" Length counts as far as the key points are made ({relevance:.0%})."
    return Scored("length", raw * relevance, evidence, feedback)

"""Scoring an explanation for a non-technical stakeholder: substance first (key points made in
real sentences, the reader's concerns), then whether a manager could follow it (reading
grade, unexplained jargon, bottom line first, a clear ask), then length.

Plain language and length count only in proportion to the substance, so a fluent text about
something else, or a keyword list, cannot collect them."""

from __future__ import annotations

from exercises.model import ExplainReasoningExercise, KeyPoint
from exercises.submission import ExplainSubmission
from grading.rubric import Scored, join
from grading.text import Sentence, analyse, concept_found, contains_phrase, reading_grade, stems, word_count

MAX_POINTS_PER_SENTENCE = 2
LONG_SENTENCE_WORDS = 30
EXPLAINERS = ("(", " which means", " meaning ", " i.e.", " that is,", " in other words", " — ", " - ", ": ")


def _assign(points: list[KeyPoint], prose: list[Sentence]) -> dict[str, int]:
    """Key point id -> index of the sentence that makes it; one sentence makes at most two."""
    candidates = {p.id: [i for i, s in enumerate(prose) if concept_found(s.stems, p.cues)] for p in points}
    load = [0] * len(prose)
    made: dict[str, int] = {}
    for point in sorted(points, key=lambda p: len(candidates[p.id])):
        for i in candidates[point.id]:
            if load[i] < MAX_POINTS_PER_SENTENCE:
                made[point.id] = i
                load[i] += 1
                break
    return made


def _quote(sentence: Sentence, limit: int = 160) -> str:
    text = sentence.text.replace("\n", " ")
    return "“" + (text if len(text) <= limit else text[: limit - 1] + "…") + "”"


def score_explanation(exercise: ExplainReasoningExercise, submission: ExplainSubmission) -> list[Scored]:
    text = submission.text
    sents = analyse(text)
    prose = [s for s in sents if s.is_prose]
    points = exercise.key_points
    made = _assign(points, prose)
    total_w = sum(p.weight for p in points)
    coverage = sum(p.weight for p in points if p.id in made) / total_w
    relevance = min(1.0, coverage / 0.5)

    missed = [p for p in points if p.id not in made]
    if not prose:
        kp_evidence = "No full sentences found: key points have to be made in sentences, not listed as keywords."
    else:
        shown = [f"{p.id} in {_quote(prose[made[p.id]], 90)}" for p in points if p.id in made][:3]
        kp_evidence = (
            f"Makes {len(made)} of {len(points)} key points" + (": " + "; ".join(shown) if shown else "") + "."
        )
    kp_feedback = (
        "All the key points are there."
        if not missed
        else "Also say: " + " ".join(p.text for p in sorted(missed, key=lambda p: -p.weight)[:2])
    )
    scored = [Scored("key_points", coverage, kp_evidence, kp_feedback)]
    scored.append(_plain_language(exercise, prose, relevance))
    scored.append(_structure(points, prose, made))
    scored.append(_audience(exercise, prose))
    scored.append(_length(exercise, text, relevance))
    return scored


def _plain_language(exercise: ExplainReasoningExercise, prose: list[Sentence], relevance: float) -> Scored:
    if not prose:
        return Scored("plain_language", 0.0, "No sentences to read.", "Write in full, short sentences.")
    body = " ".join(s.text for s in prose)
    grade = reading_grade(body)
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
    long_share = sum(s.word_count > LONG_SENTENCE_WORDS for s in prose) / len(prose)
    penalty = min(0.6, 0.15 * len(unexplained)) + 0.3 * long_share
    score = max(0.0, grade_score - penalty) * relevance
    evidence = f"Reading grade {grade:.1f} against a target of {target:g}"
    if unexplained:
        evidence += "; unexplained jargon: " + join([f"'{t}'" for t, _ in unexplained], 4)
    if long_share:
        evidence += f"; {long_share:.0%} of sentences run over {LONG_SENTENCE_WORDS} words"
    evidence += "."
    if unexplained:
        first, sentence = unexplained[0]
        plain = next(j.plain for j in exercise.jargon if j.term == first)
        feedback = (
            f"{exercise.stakeholder.name} may not know '{first}' ({_quote(sentence, 100)}): say “{plain}” instead."
        )
    elif grade_score < 1:
        feedback = "Shorter sentences and everyday words would make this easier to act on."
    elif relevance < 1:
        feedback = "Readable, but plain language only counts as far as the text makes the points that matter."
    else:
        feedback = "Plain and readable for this audience."
    return Scored("plain_language", score, evidence, feedback)


def _structure(points: list[KeyPoint], prose: list[Sentence], made: dict[str, int]) -> Scored:
    if not prose:
        return Scored("structure", 0.0, "No sentences.", "Lead with the decision, then the risks, then your ask.")
    by_role: dict[str, list[int]] = {}
    for p in points:
        if p.id in made:
            by_role.setdefault(p.role, []).append(made[p.id])
    has_mitigation_points = any(p.role == "mitigation" for p in points)
    score, notes = 0.0, []
    decision_at = min(by_role.get("decision", [len(prose)]))
    if "decision" in by_role and decision_at <= 1:
        score += 0.4
    elif "decision" in by_role:
        score += 0.15
        notes.append("the bottom line comes late, in sentence " + str(decision_at + 1))
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
    elif ask_positions:
        score += 0.15
        notes.append("the ask is buried in the middle")
    else:
        notes.append("there is no clear ask or next step")
    evidence = "Opens with " + _quote(prose[0], 120) + ("; " + "; ".join(notes) if notes else "") + "."
    feedback = (
        "Bottom line first, risks with their safeguards, and a clear ask: easy to act on."
        if not notes
        else "Busy readers act on the first and last lines: " + notes[0] + "."
    )
    return Scored("structure", score, evidence, feedback)


def _audience(exercise: ExplainReasoningExercise, prose: list[Sentence]) -> Scored:
    concerns = exercise.stakeholder.concerns
    addressed = [c for c in concerns if any(concept_found(s.stems, c.cues) for s in prose)]
    missing = [c for c in concerns if c not in addressed]
    score = len(addressed) / len(concerns)
    evidence = f"Addresses {len(addressed)} of {len(concerns)} of {exercise.stakeholder.name}'s concerns."
    feedback = (
        f"Speaks to what {exercise.stakeholder.name} cares about."
        if not missing
        else f"{exercise.stakeholder.name} ({exercise.stakeholder.role}) will ask: {missing[0].text}"
    )
    return Scored("audience", score, evidence, feedback)


def _length(exercise: ExplainReasoningExercise, text: str, relevance: float) -> Scored:
    n = word_count(text)
    lo, hi = exercise.word_min, exercise.word_max
    if n < lo:
        raw = n / lo
        feedback = f"Too short to carry the points: aim for {lo}–{hi} words."
    elif n > hi:
        raw = max(0.0, 1 - (n - hi) / hi)
        feedback = f"Too long for a busy reader: cut to at most {hi} words."
    else:
        raw = 1.0
        feedback = "A length this reader will read."
    return Scored("length", raw * relevance, f"{n} words, against a range of {lo}–{hi}.", feedback)

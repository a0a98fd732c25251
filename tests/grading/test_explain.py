"""The explain grader rewards substance in real sentences: it is not fooled by fluent text on
another topic, gibberish or a list of the right keywords, it keeps a faithful paraphrase near the
reference, and it marks down jargon left unexplained and a bottom line buried in the middle.

The walk over every shipped explain exercise runs first; hand-built cases pin single rules."""

from __future__ import annotations

import re

import pytest

from exercises.model import ExplainReasoningExercise
from grading import grade
from grading.text import analyse, concept_found, word_count

from .conftest import (
    EXPLAIN_REFERENCE,
    GIBBERISH,
    OFF_TOPIC,
    explain_exercise,
    explanation,
    ids,
    keyword_stuffing,
    paraphrase,
    rounded,
    shipped,
)

EXPLAIN = [*shipped("explain_reasoning"), explain_exercise()]

# Known bugs, by exercise id.
STUFFING_BUGS: dict[str, str] = {}  # none known


LATE_BOTTOM_LINE_BUGS: dict[str, str] = {}  # none known


def _params(marked: dict[str, str]) -> list:
    return [
        pytest.param(e, id=e.id, marks=pytest.mark.xfail(strict=True, reason=marked[e.id])) if e.id in marked else e
        for e in EXPLAIN
    ]


@pytest.mark.parametrize("exercise", EXPLAIN, ids=ids(EXPLAIN))
def test_the_reference_scores_at_least_90(exercise: ExplainReasoningExercise) -> None:
    assert grade(exercise, exercise.reference).total >= 90


@pytest.mark.parametrize("exercise", EXPLAIN, ids=ids(EXPLAIN))
@pytest.mark.parametrize("text", [OFF_TOPIC, GIBBERISH], ids=["off-topic", "gibberish"])
def test_off_topic_prose_and_gibberish_score_at_most_10(exercise: ExplainReasoningExercise, text: str) -> None:
    assert grade(exercise, explanation(text)).total <= 10


@pytest.mark.parametrize("exercise", _params(STUFFING_BUGS))
@pytest.mark.parametrize("separator", [", ", "\n"], ids=["commas", "newlines"])
def test_keyword_stuffing_scores_at_most_30(exercise: ExplainReasoningExercise, separator: str) -> None:
    assert grade(exercise, explanation(keyword_stuffing(exercise, separator))).total <= 30


@pytest.mark.parametrize("exercise", EXPLAIN, ids=ids(EXPLAIN))
def test_a_faithful_paraphrase_scores_near_the_reference(exercise: ExplainReasoningExercise) -> None:
    text, changed = paraphrase(exercise.reference.text)
    if changed < 2:
        pytest.skip(f"{exercise.id}: the generic paraphrase changes only {changed} sentence(s); write one by hand")
    reference = grade(exercise, exercise.reference).total
    rewritten = grade(exercise, explanation(text))
    assert abs(rewritten.total - reference) <= 10, {c.id: c.score for c in rewritten.criteria}


def _prose_paragraphs(text: str) -> list[str]:
    return [p for p in re.split(r"\n\s*\n", text.strip()) if any(s.is_prose for s in analyse(p))]


def _bottom_line_late(text: str) -> str:
    """The first paragraph of prose (the bottom line) moved to just before the last one."""
    paragraphs = re.split(r"\n\s*\n", text.strip())
    prose = [i for i, p in enumerate(paragraphs) if any(s.is_prose for s in analyse(p))]
    first, last = prose[0], prose[-1]
    opening = paragraphs.pop(first)
    paragraphs.insert(last - 1, opening)
    return "\n\n".join(paragraphs)


@pytest.mark.parametrize("exercise", _params(LATE_BOTTOM_LINE_BUGS))
def test_the_bottom_line_late_lowers_structure(exercise: ExplainReasoningExercise) -> None:
    assert len(_prose_paragraphs(exercise.reference.text)) >= 3
    on_time = grade(exercise, exercise.reference).criterion("structure")
    late = grade(exercise, explanation(_bottom_line_late(exercise.reference.text))).criterion("structure")
    assert late.score < on_time.score
    assert "the bottom line comes late" in late.evidence


def _with_sentence(text: str, sentence: str) -> str:
    """The sentence added as its own paragraph after the first paragraph of prose."""
    paragraphs = re.split(r"\n\s*\n", text.strip())
    first = next(i for i, p in enumerate(paragraphs) if any(s.is_prose for s in analyse(p)))
    return "\n\n".join([*paragraphs[: first + 1], sentence, *paragraphs[first + 1 :]])


WITH_JARGON = [e for e in EXPLAIN if e.jargon]


@pytest.mark.parametrize("exercise", WITH_JARGON, ids=ids(WITH_JARGON))
def test_jargon_without_explanation_lowers_plain_language(exercise: ExplainReasoningExercise) -> None:
    reference_text = exercise.reference.text.lower()
    term = next((j for j in exercise.jargon if j.term.lower() not in reference_text), None)
    if term is None:
        pytest.skip(f"{exercise.id}: the reference already uses every jargon term")
    base = "Back then we leaned on {} for nearly all of it."

    def plain(phrase: str):
        return grade(exercise, explanation(_with_sentence(exercise.reference.text, base.format(phrase))))

    neutral, jargon = plain("a shortcut"), plain(term.term)
    explained = plain(f"{term.term} (that is, {term.plain})")
    assert jargon.criterion("plain_language").score < neutral.criterion("plain_language").score
    assert f"unexplained jargon: '{term.term}'" in jargon.criterion("plain_language").evidence
    assert term.plain in jargon.criterion("plain_language").feedback
    assert explained.criterion("plain_language").score > jargon.criterion("plain_language").score


# --- single rules on the hand-built exercise ----------------------------------------------------------

EXERCISE = explain_exercise()
POINT_WEIGHTS = {p.id: p.weight for p in EXERCISE.key_points}
TOTAL_WEIGHT = sum(POINT_WEIGHTS.values())


def scores(text: str) -> dict[str, float]:
    return {c.id: c.score for c in grade(EXERCISE, explanation(text)).criteria}


def test_the_hand_built_reference_earns_every_criterion() -> None:
    assert all(score == 1 for score in scores(EXPLAIN_REFERENCE).values())


def test_a_keyword_list_earns_nothing() -> None:
    result = grade(EXERCISE, explanation(keyword_stuffing(EXERCISE, ", ")))
    assert result.criterion("key_points").score == 0
    assert result.total <= 10


def test_one_sentence_makes_at_most_two_key_points() -> None:
    crammed = "Please approve the change so that every approval comes before the payment after we lost $41,900."
    three = ["decision", "loss", "ask"]
    tokens = analyse(crammed)[0].stems
    assert all(concept_found(tokens, next(p.cues for p in EXERCISE.key_points if p.id == i)) for i in three)
    pairs = {POINT_WEIGHTS[a] + POINT_WEIGHTS[b] for a in three for b in three if a < b}
    assert round(scores(crammed)["key_points"] * TOTAL_WEIGHT, 3) in {round(w, 3) for w in pairs}
    split = (
        "Please approve the change by Friday. Every approval will come before the payment. "
        "We lost $41,900 in March, and we should not lose it again."
    )
    assert scores(split)["key_points"] == rounded(sum(POINT_WEIGHTS[i] for i in three) / TOTAL_WEIGHT)


def test_a_single_sentence_with_no_decision_gets_no_bottom_line_credit() -> None:
    result = grade(EXERCISE, explanation("The weather in the north of the country was mild for most of the year."))
    assert result.criterion("structure").score == 0
    assert "the decision itself is never stated" in result.criterion("structure").evidence


def test_length_outside_the_range_loses_the_more_the_further_out() -> None:
    # Padding with the reference's own sentences keeps the text on topic and its points made.
    paragraphs = EXPLAIN_REFERENCE.split("\n\n")
    longer = [EXPLAIN_REFERENCE + "\n\n" + "\n\n".join(paragraphs[1:3]) * k for k in (0, 2, 3, 6)]
    counts = [word_count(t) for t in longer]
    assert counts[0] <= EXERCISE.word_max < counts[1] < EXERCISE.word_max * 1.1
    lengths = [scores(t)["length"] for t in longer]
    assert lengths[0] == 1 > lengths[1] > lengths[2] >= lengths[3]
    assert lengths[3] < 0.5  # more than twice the limit
    assert "Too long" in grade(EXERCISE, explanation(longer[1])).criterion("length").feedback
    shorter = [" ".join(EXPLAIN_REFERENCE.split()[:n]) for n in (55, 40, 25)]
    short_lengths = [scores(t)["length"] for t in shorter]
    assert short_lengths == sorted(short_lengths, reverse=True)
    assert short_lengths[0] < 1


def test_plain_language_and_length_count_only_in_proportion_to_substance() -> None:
    one_point = "Please approve it, and thank you for reading this short note about our plans for next year."
    got = scores(one_point)
    assert got["key_points"] == rounded(POINT_WEIGHTS["ask"] / TOTAL_WEIGHT)
    relevance = (POINT_WEIGHTS["ask"] / TOTAL_WEIGHT) / 0.5
    assert got["plain_language"] <= relevance + 1e-4
    assert got["length"] <= relevance * word_count(one_point) / EXERCISE.word_min + 1e-4


def test_the_reader_s_concerns_are_counted() -> None:
    text = EXPLAIN_REFERENCE.replace("so no supplier is paid late, ", "").replace(
        "suppliers are paid one day later", "payments go out one day later"
    )
    got = grade(EXERCISE, explanation(text)).criterion("audience")
    assert got.score == rounded(1 / 2)
    assert got.feedback == "Dana (Finance director) will ask: Are suppliers paid late?"

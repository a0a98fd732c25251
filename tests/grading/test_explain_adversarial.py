"""The adversarial suite, generated from each explanation exercise itself: every shipped one, the
hand-built one, and any under exercises/calibration/packs/ (picked up as soon as the folder exists).

Bounds (issue 17): word salad of the exercise's own vocabulary and figures <= 10, and of the
reference's own phrases <= 10; a fluent note to
the same reader at the same organisation on another topic <= 10; keyword stuffing <= 30; a
faithful paraphrase within 10 of the reference; the reference arguing against its own decision
<= 45; an injected instruction with follow-on sentences never earns more than the answer without it."""

from __future__ import annotations

from pathlib import Path

import pytest

from exercises import load_bank
from exercises.loader import PACKAGE_DIR
from exercises.model import ExplainReasoningExercise
from grading import grade

from .adversarial import (
    INJECTIONS,
    VERDICTS,
    decision_rejected,
    decision_reversed,
    explanation,
    first_paragraphs,
    keyword_frames,
    keyword_sentence,
    keyword_stuffing,
    phrase_salad,
    same_organisation_off_topic,
    with_injection,
    word_salad,
)
from .conftest import explain_exercise, paraphrase, shipped

CALIBRATION_PACKS = PACKAGE_DIR / "calibration" / "packs"


def _calibration_packs(folder: Path = CALIBRATION_PACKS) -> list[ExplainReasoningExercise]:
    if not folder.is_dir():
        return []
    bank = load_bank(folder)
    return sorted((e for e in bank.exercises.values() if isinstance(e, ExplainReasoningExercise)), key=lambda e: e.id)


EXERCISES: list[ExplainReasoningExercise] = [*shipped("explain_reasoning"), explain_exercise()]
_seen = {e.id for e in EXERCISES}
EXERCISES += [e for e in _calibration_packs() if e.id not in _seen]
IDS = [e.id for e in EXERCISES]


def total(exercise: ExplainReasoningExercise, text: str) -> float:
    return grade(exercise, explanation(text)).total


@pytest.mark.parametrize("exercise", EXERCISES, ids=IDS)
@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("small_words", [True, False], ids=["prose-like", "notes-like"])
def test_word_salad_of_its_own_vocabulary_scores_at_most_10(
    exercise: ExplainReasoningExercise, seed: int, small_words: bool
) -> None:
    assert total(exercise, word_salad(exercise, seed, small_words)) <= 10


@pytest.mark.parametrize("exercise", EXERCISES, ids=IDS)
@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("size", [3, 4])
def test_a_salad_of_the_references_own_phrases_scores_at_most_10(
    exercise: ExplainReasoningExercise, seed: int, size: int
) -> None:
    """Runs of a few words keep English order inside them; the sentences they are shuffled into do
    not, and a text made of such sentences is word salad however right its phrases are."""
    assert total(exercise, phrase_salad(exercise, size, seed)) <= 10


@pytest.mark.parametrize("exercise", EXERCISES, ids=IDS)
def test_a_same_organisation_text_on_another_topic_scores_at_most_10(exercise: ExplainReasoningExercise) -> None:
    assert total(exercise, same_organisation_off_topic(exercise)) <= 10


@pytest.mark.parametrize("exercise", EXERCISES, ids=IDS)
@pytest.mark.parametrize("how", ["commas", "lines", "sentence", "frames"])
def test_keyword_stuffing_scores_at_most_30(exercise: ExplainReasoningExercise, how: str) -> None:
    separator = ", " if how == "commas" else "\n"
    if how == "frames":
        text = keyword_frames(exercise)
    else:
        text = keyword_sentence(exercise) if how == "sentence" else keyword_stuffing(exercise, separator)
    assert total(exercise, text) <= 30


@pytest.mark.parametrize("exercise", EXERCISES, ids=IDS)
def test_a_paraphrase_scores_within_10_of_the_reference(exercise: ExplainReasoningExercise) -> None:
    text, changed = paraphrase(exercise.reference.text)
    assert changed >= 1, "the generic paraphrase changed nothing"
    assert abs(total(exercise, text) - grade(exercise, exercise.reference).total) <= 10


# Bounds a held-out exercise breaks, by id: the grader is not changed while looking at a held-out
# exercise, so its failure is recorded here (strict: a fix shows up as a pass to be listed off).
KNOWN_REVERSED = {  # exercise id -> why its reversed reference is known to score above 45
    **dict.fromkeys(
        ["funeral-explain-implant-clearance", "lib-explain-incident-safeguarding"],
        "held out (round 9): its reversed reference scores above 45, as with the grader of the session's start; "
        "not read (#17)",
    ),
}


def _cases(known: dict[str, str]) -> list:  # type: ignore[type-arg]
    """Every exercise as a case, those in `known` as strict expected failures (a fix shows as a pass)."""
    return [
        pytest.param(e, id=e.id, marks=[pytest.mark.xfail(strict=True, reason=known[e.id])])
        if e.id in known
        else pytest.param(e, id=e.id)
        for e in EXERCISES
    ]


REVERSED_CASES = _cases(KNOWN_REVERSED)


@pytest.mark.parametrize("exercise", REVERSED_CASES)
def test_the_reference_arguing_against_its_decision_scores_at_most_45(exercise: ExplainReasoningExercise) -> None:
    reversed_text = decision_reversed(exercise)
    assert reversed_text != exercise.reference.text.strip()
    assert total(exercise, reversed_text) <= 45


# held out (round 9), not read: every verdict fails it, as its reversed reference does (see KNOWN_REVERSED)
KNOWN_REJECTED = {"lib-explain-incident-safeguarding": KNOWN_REVERSED["lib-explain-incident-safeguarding"]}
REJECTED_CASES = _cases(KNOWN_REJECTED)


@pytest.mark.parametrize("exercise", REJECTED_CASES)
@pytest.mark.parametrize("verdict", range(len(VERDICTS)))
def test_the_reference_followed_by_a_verdict_against_it_scores_at_most_45(
    exercise: ExplainReasoningExercise, verdict: int
) -> None:
    """A contrarian who states the decision in the reference's words, then rejects it by a word
    pointing back ("I think that is the wrong call"), argues against it as surely as one who negates it."""
    rejected = decision_rejected(exercise, VERDICTS[verdict])
    assert rejected != exercise.reference.text.strip()
    assert total(exercise, rejected) <= 45


@pytest.mark.parametrize("exercise", EXERCISES, ids=IDS)
@pytest.mark.parametrize("injection", range(len(INJECTIONS)))
@pytest.mark.parametrize("where", ["start", "middle", "end"])
@pytest.mark.parametrize("paragraphs", [1, 2, 99], ids=["one-paragraph", "two-paragraphs", "whole"])
def test_an_injected_passage_earns_nothing(
    exercise: ExplainReasoningExercise, injection: int, where: str, paragraphs: int
) -> None:
    answer = first_paragraphs(exercise.reference.text, paragraphs)
    injected = grade(exercise, explanation(with_injection(answer, INJECTIONS[injection], where)))
    clean = grade(exercise, explanation(answer))
    assert injected.total <= clean.total
    assert all(i.score <= c.score for i, c in zip(injected.criteria, clean.criteria, strict=True))

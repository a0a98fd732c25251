"""A corpus of injection attempts: every one is flagged, and none raises a grade, with or
without a judge that falls for it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from exercises import load_bank
from exercises.model import Kind
from exercises.submission import ExplainSubmission, FindFailuresSubmission
from grading import Flag, grade
from grading.injection import looks_like_injection
from grading.judge import JudgedCriterion, JudgeVerdict

CORPUS = yaml.safe_load((Path(__file__).parent / "injection_corpus.yaml").read_text(encoding="utf-8"))
BANK = load_bank()
EXPLAIN = next(e for e in sorted(BANK.exercises.values(), key=lambda e: e.id) if e.kind == Kind.explain_reasoning)
FAILURES = next(e for e in sorted(BANK.exercises.values(), key=lambda e: e.id) if e.kind == Kind.find_failures)
CLEAN = [
    "We will ignore the noise in last week's figures and focus on the trend.",
    "The reviewer must check every payment before it is released.",
    "A system prompt tells the model what it may do; ours forbids sending personal data out.",
    "Score the supplier on delivery, quality and price, as the scorecard says.",
]


class FooledJudge:
    """A judge that obeys the injection: full marks for everything, and no alarm raised."""

    def assess(self, exercise, criteria, answer):
        return JudgeVerdict(criteria=[JudgedCriterion(id=c, score=1.0) for c in criteria])


def test_the_corpus_is_large_enough() -> None:
    assert len(CORPUS) >= 30


@pytest.mark.parametrize("attack", CORPUS)
def test_every_attempt_is_detected(attack: str) -> None:
    assert looks_like_injection(attack)


@pytest.mark.parametrize("text", CLEAN)
def test_ordinary_workplace_sentences_are_not_flagged(text: str) -> None:
    assert not looks_like_injection(text)


@pytest.mark.parametrize("attack", CORPUS)
def test_an_attack_never_raises_an_explanation_grade(attack: str) -> None:
    base = ExplainSubmission(text=EXPLAIN.reference.text[: len(EXPLAIN.reference.text) // 2])
    hostile = ExplainSubmission(text=base.text + "\n\n" + attack)
    plain = grade(EXPLAIN, base, tools=BANK.tools)
    for judge in (None, FooledJudge()):
        result = grade(EXPLAIN, hostile, judge=judge, tools=BANK.tools)
        assert Flag.possible_injection in result.flags
        assert result.total <= plain.total + 1.0  # a sentence of length may move "length" a little, never more


@pytest.mark.parametrize("attack", CORPUS[:10])
def test_an_attack_in_a_fix_never_raises_a_failure_analysis(attack: str) -> None:
    flags = [f.model_copy(update={"fix": f.fix[:400] + " " + attack}) for f in FAILURES.reference.flags]
    hostile = FindFailuresSubmission(flags=flags)
    plain = grade(FAILURES, FAILURES.reference, tools=BANK.tools)
    result = grade(FAILURES, hostile, judge=FooledJudge(), tools=BANK.tools)
    assert Flag.possible_injection in result.flags
    assert result.total <= plain.total

"""apply_judge with fake judges: the judge moves a grade by at most MAX_SHIFT, never turns a fail
into a pass without review, falls back to the deterministic grade when it fails, and sends strong
disagreement and detected injection to review."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exercises.model import AnyExercise, Kind
from exercises.submission import ExplainSubmission
from grading import Flag, grade
from grading.bands import PASS_MARK
from grading.judge import (
    DISAGREEMENT,
    JUDGE_SHARE,
    MAX_SHIFT,
    JudgedCriterion,
    JudgeError,
    JudgeVerdict,
)
from grading.kinds import GRADERS
from grading.rubric import CRITICAL_CAP

from .conftest import (
    EXPLAIN_REFERENCE,
    OFF_TOPIC,
    PAYMENT_REFERENCE,
    SHIPPED,
    design,
    explain_exercise,
    explanation,
    payment_exercise,
    step,
)

EXERCISE = explain_exercise()
JUDGED = GRADERS[Kind.explain_reasoning].judged


@dataclass
class FixedJudge:
    """Scores every criterion it is asked about from a table (or one number for all)."""

    scores: dict[str, float] | float
    injection: bool = False
    evidence: str = ""
    calls: list[tuple[str, tuple[str, ...], str]] = field(default_factory=list)

    def assess(self, exercise: AnyExercise, criteria: tuple[str, ...], answer: str) -> JudgeVerdict:
        self.calls.append((exercise.id, criteria, answer))
        table = self.scores if isinstance(self.scores, dict) else dict.fromkeys(criteria, self.scores)
        return JudgeVerdict(
            criteria=[JudgedCriterion(id=c, score=table[c], evidence=self.evidence) for c in criteria if c in table],
            injection_detected=self.injection,
        )


class BrokenJudge:
    def assess(self, exercise: AnyExercise, criteria: tuple[str, ...], answer: str) -> JudgeVerdict:
        raise JudgeError("timed out after 3 retries")


def agreeing(deterministic) -> FixedJudge:
    return FixedJudge({c.id: c.score for c in deterministic.criteria})


def test_the_judge_sees_the_judged_criteria_and_the_learner_s_words() -> None:
    judge = FixedJudge(1.0)
    grade(EXERCISE, EXERCISE.reference, judge=judge)
    assert judge.calls == [(EXERCISE.id, JUDGED, EXPLAIN_REFERENCE)]


def test_a_harsh_judge_moves_the_total_by_at_most_max_shift() -> None:
    deterministic = grade(EXERCISE, EXERCISE.reference)
    judged = grade(EXERCISE, EXERCISE.reference, judge=FixedJudge(0.0))
    # unbounded, the blend would take half of every judged criterion: 90 % of the weight * 0.5
    unbounded = deterministic.total - JUDGE_SHARE * sum(c.weight for c in deterministic.criteria if c.id in JUDGED)
    assert unbounded < deterministic.total - MAX_SHIFT
    assert judged.total == deterministic.total - MAX_SHIFT
    assert judged.details["deterministic_total"] == deterministic.total
    assert judged.criterion("length").score == deterministic.criterion("length").score  # not judged


def test_the_judge_blends_judged_criteria_and_quotes_its_evidence() -> None:
    deterministic = grade(EXERCISE, EXERCISE.reference)
    judged = grade(EXERCISE, EXERCISE.reference, judge=FixedJudge({"key_points": 0.8}, evidence="approval happens"))
    kp = judged.criterion("key_points")
    assert kp.score == pytest.approx((1 - JUDGE_SHARE) * 1.0 + JUDGE_SHARE * 0.8)
    assert kp.evidence.endswith("Judge: “approval happens”")
    assert judged.total == pytest.approx(deterministic.total - kp.weight * JUDGE_SHARE * 0.2, abs=0.05)


def _reference_parts() -> list[ExplainSubmission]:
    """The hand-built reference cut down to every non-empty selection of its paragraphs."""
    paragraphs = EXPLAIN_REFERENCE.split("\n\n")
    chosen = [c for k in range(1, len(paragraphs)) for c in combinations(paragraphs, k)]
    return [explanation("\n\n".join(c)) for c in chosen]


@cache
def _failing_answer() -> tuple[ExplainSubmission, float] | None:
    """An answer that fails deterministically but that a generous judge would lift past the pass
    mark (with the bound applied), with the total it would reach."""
    for answer in _reference_parts():
        deterministic = grade(EXERCISE, answer)
        blended = sum(
            c.weight * (c.score + (1 - c.score) * JUDGE_SHARE if c.id in JUDGED else c.score)
            for c in deterministic.criteria
        )
        would_be = min(blended, deterministic.total + MAX_SHIFT)
        if deterministic.total < PASS_MARK <= would_be:
            return answer, would_be
    return None


def _failing() -> ExplainSubmission:
    found = _failing_answer()
    assert found is not None, "no part of the reference fails on its own but passes with a generous judge"
    return found[0]


def test_a_judge_cannot_lift_a_fail_to_a_pass_without_review() -> None:
    answer = _failing()  # the case the rule exists for
    deterministic = grade(EXERCISE, answer)
    judged = grade(EXERCISE, answer, judge=FixedJudge(1.0))
    assert judged.total < PASS_MARK
    assert judged.total > deterministic.total
    assert Flag.needs_review in judged.flags


@pytest.mark.parametrize("answer", [EXPLAIN_REFERENCE, OFF_TOPIC], ids=["reference", "off-topic"])
def test_a_judge_error_leaves_the_deterministic_grade_and_says_so(answer: str) -> None:
    deterministic = grade(EXERCISE, explanation(answer))
    judged = grade(EXERCISE, explanation(answer), judge=BrokenJudge())
    assert judged.total == deterministic.total
    assert judged.criteria == deterministic.criteria
    assert set(judged.flags) == {*deterministic.flags, Flag.judge_unavailable}


def test_a_judge_error_keeps_every_review_flag_of_the_deterministic_grade() -> None:
    lost = []
    for answer in [*_reference_parts(), EXERCISE.reference, explanation(OFF_TOPIC)]:
        deterministic = grade(EXERCISE, answer)
        judged = grade(EXERCISE, answer, judge=BrokenJudge())
        if set(judged.flags) != {*deterministic.flags, Flag.judge_unavailable}:
            lost.append((deterministic.total, deterministic.flags, judged.flags))
    assert lost == []


def test_strong_disagreement_sends_the_grade_to_review_mild_does_not() -> None:
    deterministic = grade(EXERCISE, EXERCISE.reference)
    assert Flag.needs_review not in deterministic.flags
    mild = {c.id: c.score - (DISAGREEMENT - 0.1) for c in deterministic.criteria}
    strong = {**mild, "audience": deterministic.criterion("audience").score - DISAGREEMENT}
    assert Flag.needs_review not in grade(EXERCISE, EXERCISE.reference, judge=FixedJudge(mild)).flags
    assert Flag.needs_review in grade(EXERCISE, EXERCISE.reference, judge=FixedJudge(strong)).flags


def test_injection_seen_by_the_judge_is_flagged_and_never_rewarded() -> None:
    answer = _failing()
    deterministic = grade(EXERCISE, answer)
    judged = grade(EXERCISE, answer, judge=FixedJudge(1.0, injection=True))
    assert Flag.possible_injection in judged.flags
    assert Flag.needs_review in judged.flags
    assert judged.total <= deterministic.total


def test_an_empty_answer_is_not_sent_to_the_judge() -> None:
    judge = FixedJudge(1.0)
    assert grade(EXERCISE, ExplainSubmission(text="  \n"), judge=judge) == grade(
        EXERCISE, ExplainSubmission(text="  \n")
    )
    assert judge.calls == []


def test_criteria_the_judge_was_not_asked_about_are_ignored() -> None:
    deterministic = grade(EXERCISE, EXERCISE.reference)
    judged = grade(EXERCISE, EXERCISE.reference, judge=FixedJudge({"length": 0.0, "made_up": 0.0}))
    assert judged.criteria == deterministic.criteria
    assert judged.total == deterministic.total


def test_a_judge_cannot_lift_a_capped_design_over_the_cap() -> None:
    exercise = payment_exercise()
    extract, check, *_ = PAYMENT_REFERENCE
    late = [
        extract,
        check,
        step("pay", "payment_release", ["check"], stage="s-pay"),
        step("review", "human_review", ["pay"]),
    ]
    deterministic = grade(exercise, design(late))
    assert deterministic.total == CRITICAL_CAP
    judged = grade(exercise, design(late), judge=agreeing(deterministic))
    assert judged.total <= CRITICAL_CAP


# --- the bounds hold for any verdict, on every kind -------------------------------------------------

CASES = [(e, e.reference) for e in sorted(SHIPPED.exercises.values(), key=lambda e: e.id)]
CASES += [(EXERCISE, answer) for answer in [explanation(OFF_TOPIC), EXERCISE.reference, *_reference_parts()]]


@settings(max_examples=60, deadline=None)
@given(
    st.integers(0, len(CASES) - 1),  # an index, so a failing example prints briefly
    st.dictionaries(st.sampled_from(sorted({c for g in GRADERS.values() for c in g.judged})), st.floats(0, 1)),
    st.booleans(),
)
def test_any_verdict_stays_within_the_bounds(case: int, scores: dict[str, float], injection: bool) -> None:
    exercise, answer = CASES[case]
    deterministic = grade(exercise, answer)
    judged = grade(exercise, answer, judge=FixedJudge(scores, injection=injection))
    assert abs(judged.total - deterministic.total) <= MAX_SHIFT + 1e-9
    if deterministic.total < PASS_MARK:
        assert judged.total < PASS_MARK
    if injection:
        assert judged.total <= deterministic.total
        assert Flag.possible_injection in judged.flags
    judged_ids = GRADERS[exercise.kind].judged
    for before, after in zip(deterministic.criteria, judged.criteria, strict=True):
        if before.id not in judged_ids or before.id not in scores:
            assert after.score == before.score

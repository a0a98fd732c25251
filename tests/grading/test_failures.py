"""The find-failures grader: severity-weighted recall with partial credit for the right step under
the wrong category, a price on every false alarm, and more faults found never scoring less.

The hand-built exercise has four faults weighing 4 (critical), 3 (high), 2 (medium) and 1 (low)."""

from __future__ import annotations

import random
from statistics import mean
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from exercises.submission import FaultCategory, FaultFlag, FindFailuresSubmission, FixType, Severity
from grading import grade
from grading.failures import FALSE_ALARM_COST, WRONG_CATEGORY_CREDIT, match_flags

from .conftest import AP_FAULTS, AP_STEPS, failures_exercise, perfect_flag, rounded, shipped

EXERCISE = failures_exercise()
FAULTS = {f.id: f for f in EXERCISE.faults}
TOTAL_WEIGHT = 4 + 3 + 2 + 1


def flags(*items: FaultFlag) -> FindFailuresSubmission:
    return FindFailuresSubmission(flags=list(items))


def scores(submission: FindFailuresSubmission, exercise=EXERCISE) -> dict[str, float]:
    return {c.id: c.score for c in grade(exercise, submission).criteria}


def test_the_reference_earns_every_criterion() -> None:
    result = grade(EXERCISE, EXERCISE.reference)
    assert all(c.score == 1 for c in result.criteria)
    assert result.criterion("detection").feedback == "Every seeded fault found, with no false alarms."


def test_recall_is_weighted_by_severity_and_names_the_worst_miss() -> None:
    only_critical = grade(EXERCISE, flags(perfect_flag(FAULTS["f-late"])))
    only_low = grade(EXERCISE, flags(perfect_flag(FAULTS["f-post"])))
    assert only_critical.criterion("detection").score == rounded(4 / TOTAL_WEIGHT)
    assert only_low.criterion("detection").score == rounded(1 / TOTAL_WEIGHT)
    assert only_critical.total > only_low.total
    assert only_critical.criterion("detection").feedback.startswith("Missed: the fault at 'Extract' (high).")


def test_each_false_alarm_costs_a_fixed_share_of_detection() -> None:
    noise = [FaultFlag(step="intake", category="fabrication"), FaultFlag(step="pay", category="bias")]
    one = grade(EXERCISE, flags(*EXERCISE.reference.flags, noise[0]))
    two = grade(EXERCISE, flags(*EXERCISE.reference.flags, *noise))
    assert one.criterion("detection").score == rounded(1 - FALSE_ALARM_COST)
    assert two.criterion("detection").score == rounded(1 - 2 * FALSE_ALARM_COST)
    assert "1 flag(s) match no real fault: 'Intake' as fabrication" in one.criterion("detection").evidence
    assert {c.id: c.score for c in two.criteria if c.id != "detection"} == {
        "classification": 1,
        "severity": 1,
        "fixes": 1,
    }
    assert two.total < one.total < grade(EXERCISE, EXERCISE.reference).total


def test_false_alarms_cannot_push_detection_below_zero() -> None:
    result = grade(EXERCISE, flags(perfect_flag(FAULTS["f-post"]), FaultFlag(step="intake", category="bias")))
    assert result.criterion("detection").score == 0  # 0.1 recall - 0.15


def test_the_right_step_with_the_wrong_category_earns_partial_credit() -> None:
    right = perfect_flag(FAULTS["f-late"])
    wrong = right.model_copy(update={"category": FaultCategory.fabrication})
    got_right, got_wrong, missed = (grade(EXERCISE, s) for s in (flags(right), flags(wrong), flags()))
    assert got_wrong.criterion("detection").score == rounded(WRONG_CATEGORY_CREDIT * 4 / TOTAL_WEIGHT)
    assert got_wrong.criterion("classification").score == 0
    assert "you named fabrication; the fault is missing_check" in got_wrong.criterion("classification").feedback
    assert missed.total < got_wrong.total < got_right.total


def test_other_defensible_steps_and_categories_count_as_exact() -> None:
    late_on_pay = perfect_flag(FAULTS["f-late"]).model_copy(update={"step": "pay"})
    drift_as_missing_check = perfect_flag(FAULTS["f-drift"]).model_copy(
        update={"step": "match", "category": FaultCategory.missing_check}
    )
    got = scores(flags(late_on_pay, drift_as_missing_check))
    assert got["detection"] == rounded((4 + 3) / TOTAL_WEIGHT)
    assert got["classification"] == rounded((4 + 3) / TOTAL_WEIGHT)


def test_severity_one_level_off_earns_half_two_levels_nothing() -> None:
    late = perfect_flag(FAULTS["f-late"])
    assert scores(flags(late.model_copy(update={"severity": Severity.high})))["severity"] == rounded(0.5 * 0.4)
    assert scores(flags(late.model_copy(update={"severity": Severity.medium})))["severity"] == 0


def _fix_fit(fix_type: str, fix: str) -> float:
    """How well one fix fits the critical fault, read off the fixes criterion (weight 4 of 10)."""
    flag = perfect_flag(FAULTS["f-late"]).model_copy(update={"fix_type": FixType(fix_type), "fix": fix})
    return scores(flags(flag))["fixes"] * TOTAL_WEIGHT / 4


def test_a_fix_fits_by_its_type_and_by_what_it_says() -> None:
    # How type and text are weighed is the grader's choice; each must count, and together they fit.
    said = "Move the approval before the pay run."
    full = _fix_fit("move_check_before_action", said)
    type_only = _fix_fit("move_check_before_action", "")
    text_only = _fix_fit("replace_tool", said)
    partial = _fix_fit("move_check_before_action", "The approval should follow the pay run more closely.")
    neither = _fix_fit("replace_tool", "Use a better model everywhere.")
    assert full == rounded(1)
    assert neither == 0
    assert 0 < type_only < partial < full  # two of three cue groups, outside one sentence, add something
    assert 0 < text_only < full


# --- finding one more fault never lowers the grade -------------------------------------------------

STEP_IDS = [s.id for s in AP_STEPS]
CUE_CHOICES = [[], [["check", "validate"]], [["person", "human"], ["before"]]]
FIX_TEXTS = ["", "Use a better model.", "Add a check before the step.", "A person reviews it before it is used."]


@st.composite
def exercises_on_separate_steps(draw: st.DrawFn):
    """Up to three faults, each on its own steps (step and also_steps never shared), so a flag can
    only ever match the fault on its step. Categories and severities are free to repeat. Faults
    that share a step break the property; the xfail tests below show how."""
    n = draw(st.integers(1, 3))
    steps = draw(st.permutations(STEP_IDS))
    faults: list[dict[str, Any]] = []
    for i in range(n):
        own = steps[2 * i : 2 * i + 2]
        faults.append(
            {
                "id": f"f{i}",
                "step": own[0],
                "also_steps": own[1:] if draw(st.booleans()) else [],
                "category": draw(st.sampled_from(list(FaultCategory))),
                "also_categories": draw(st.lists(st.sampled_from(list(FaultCategory)), max_size=2, unique=True)),
                "severity": draw(st.sampled_from(list(Severity))),
                "fix_types": draw(st.lists(st.sampled_from(list(FixType)), min_size=1, max_size=2, unique=True)),
                "fix_cues": draw(st.sampled_from(CUE_CHOICES)),
                "explanation": "seeded",
            }
        )
    return failures_exercise(faults)


random_flags = st.builds(
    FaultFlag,
    step=st.sampled_from(STEP_IDS),
    category=st.sampled_from(list(FaultCategory)),
    severity=st.sampled_from(list(Severity)),
    fix_type=st.none() | st.sampled_from(list(FixType)),
    fix=st.sampled_from(FIX_TEXTS),
)


@settings(max_examples=80, deadline=None)
@given(exercises_on_separate_steps(), st.data())
def test_one_more_correctly_identified_fault_never_lowers_the_total(exercise, data: st.DataObject) -> None:
    found = data.draw(st.lists(st.sampled_from(exercise.faults), unique_by=lambda f: f.id))
    fix = data.draw(st.sampled_from(FIX_TEXTS))
    base = [perfect_flag(f, fix) for f in found] + data.draw(st.lists(random_flags, max_size=4))
    base = data.draw(st.permutations(base))
    matched = {m.fault.id for m in match_flags(exercise, base)[0]}
    unfound = [f for f in exercise.faults if f.id not in matched]
    assume(unfound)
    new = data.draw(st.sampled_from(unfound))
    before = grade(exercise, flags(*base))
    after = grade(exercise, flags(*base, perfect_flag(new, data.draw(st.sampled_from(FIX_TEXTS)))))
    assert after.total >= before.total
    for criterion in ("detection", "classification", "severity", "fixes"):
        assert after.criterion(criterion).score >= before.criterion(criterion).score
    assert new.id in {m.fault.id for m in match_flags(exercise, [*base, perfect_flag(new)])[0]}


def _two_faults_on_one_step() -> tuple[Any, FaultFlag, FaultFlag]:
    common = {"step": "match", "category": "missing_check", "explanation": "seeded"}
    exercise = failures_exercise(
        [
            common
            | {"id": "f-person", "severity": "critical", "fix_types": ["add_human_review"], "fix_cues": [["person"]]},
            common | {"id": "f-rule", "severity": "low", "fix_types": ["add_validation"], "fix_cues": [["rule"]]},
        ]
    )
    person = FaultFlag(
        step="match",
        category="missing_check",
        severity="critical",
        fix_type="add_human_review",
        fix="A person reviews every match.",
    )
    rule = FaultFlag(
        step="match",
        category="missing_check",
        severity="low",
        fix_type="add_validation",
        fix="A rule checks every match.",
    )
    return exercise, person, rule


def test_the_order_of_the_flags_does_not_change_the_grade() -> None:
    exercise, person, rule = _two_faults_on_one_step()
    assert grade(exercise, flags(person, rule)).total == 100
    assert grade(exercise, flags(rule, person)).total == 100


def _shared_step_cases() -> list:
    steal = failures_exercise(
        [
            {
                "id": "f-low",
                "step": "extract",
                "category": "missing_check",
                "severity": "low",
                "fix_types": ["enforce_schema"],
                "explanation": "x",
            },
            {
                "id": "f-critical",
                "step": "match",
                "also_steps": ["extract"],
                "category": "missing_check",
                "severity": "critical",
                "fix_types": ["add_human_review"],
                "fix_cues": [["person"]],
                "explanation": "x",
            },
        ]
    )
    steal_held = FaultFlag(
        step="match",
        category="fabrication",
        severity="critical",
        fix_type="add_human_review",
        fix="A person checks every match.",
    )
    tie = failures_exercise(
        [
            {
                "id": "f-low",
                "step": "intake",
                "category": "fabrication",
                "severity": "low",
                "fix_types": ["add_validation"],
                "explanation": "x",
            },
            {
                "id": "f-high",
                "step": "intake",
                "category": "personal_data_leak",
                "severity": "high",
                "fix_types": ["add_human_review"],
                "explanation": "x",
            },
        ]
    )
    tie_held = FaultFlag(step="intake", category="fabrication", severity="high", fix="Use a better model.")
    return [
        pytest.param(
            steal,
            steal_held,
            id="also-steps-steal",
        ),
        pytest.param(
            tie,
            tie_held,
            id="tie-on-one-step",
        ),
    ]


@pytest.mark.parametrize(("exercise", "held"), _shared_step_cases())
def test_a_correct_flag_for_a_fault_on_a_shared_step_never_lowers_the_total(exercise, held: FaultFlag) -> None:
    low = next(f for f in exercise.faults if f.severity == Severity.low)
    assert low.id not in {m.fault.id for m in match_flags(exercise, [held])[0]}  # not found before
    before, after = grade(exercise, flags(held)), grade(exercise, flags(held, perfect_flag(low, "")))
    assert after.total >= before.total


# --- shotgun answers -----------------------------------------------------------------------------


def _every_step_random_category(exercise, seed: int) -> FindFailuresSubmission:
    rng = random.Random(seed)
    categories = list(FaultCategory)
    return flags(*(FaultFlag(step=s.id, category=rng.choice(categories)) for s in exercise.workflow.steps))


SHOTGUN_BUGS: dict[str, str] = {}  # none known
SHOTGUN = [
    pytest.param(e, id=e.id, marks=pytest.mark.xfail(strict=True, reason=SHOTGUN_BUGS[e.id]))
    if e.id in SHOTGUN_BUGS
    else e
    for e in [EXERCISE, *shipped("find_failures")]
]


@pytest.mark.parametrize("exercise", SHOTGUN)
def test_flagging_every_step_with_a_random_category_scores_low(exercise) -> None:
    totals = [grade(exercise, _every_step_random_category(exercise, seed)).total for seed in range(30)]
    assert mean(totals) <= 30
    assert max(totals) < grade(exercise, exercise.reference).total - 30


def test_the_hand_built_faults_are_the_ones_declared() -> None:
    # Guard for the arithmetic above: four faults weighing 4, 3, 2 and 1.
    assert [f["severity"] for f in AP_FAULTS] == ["critical", "high", "medium", "low"]

"""The find-failures grader: what was found (severity-weighted, with partial credit for a
neighbouring or wrong category and for the step where a fault shows) and how clean the flags are
are two scores; a false alarm costs the clean share, never what was found; flagging everything
earns nothing; more faults found never score less.

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
from grading.detection import FOUND_SHARE
from grading.failures import (
    DOWNSTREAM_CREDIT,
    NEIGHBOUR_CREDIT,
    NEIGHBOURS,
    WRONG_CATEGORY_CREDIT,
    assess,
    fixed_faults,
    match_flags,
)

from .conftest import AP_FAULTS, AP_STEPS, failures_exercise, ids, perfect_flag, rounded, shipped

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


def test_false_alarms_cost_the_clean_share_never_what_was_found() -> None:
    noise = [FaultFlag(step="intake", category="fabrication"), FaultFlag(step="intake", category="bias")]
    clean, one, two = (grade(EXERCISE, flags(*EXERCISE.reference.flags, *noise[:n])) for n in range(3))
    for result in (one, two):
        assert result.details["detection"]["found"] == clean.details["detection"]["found"] == 1
        # the found credit fades only with the share of steps flagged (5 of 6 here), never to nothing
        assert result.criterion("detection").score >= FOUND_SHARE * (1 - (5 / 6) ** 2)
    assert two.criterion("detection").score < one.criterion("detection").score < 1
    assert "1 of your 5 flags point at no real fault: 'Intake' as fabrication" in one.criterion("detection").evidence
    assert {c.id: c.score for c in two.criteria if c.id != "detection"} == {
        "classification": 1,
        "severity": 1,
        "fixes": 1,
    }
    assert two.total < one.total < clean.total


def test_a_few_real_finds_among_false_alarms_keep_their_credit() -> None:
    # the case: some faults found, as many false flags again; detection keeps most of the finds
    found = flags(
        perfect_flag(FAULTS["f-late"]), perfect_flag(FAULTS["f-drift"]), FaultFlag(step="intake", category="bias")
    )
    result = grade(EXERCISE, found)
    assert result.details["detection"]["found"] == rounded(7 / TOTAL_WEIGHT)
    assert result.criterion("detection").score >= 0.5 * 7 / TOTAL_WEIGHT


def test_the_right_step_with_the_wrong_category_earns_partial_credit() -> None:
    right = perfect_flag(FAULTS["f-late"])
    wrong = right.model_copy(update={"category": FaultCategory.fabrication})
    assert FaultCategory.fabrication not in NEIGHBOURS[FaultCategory.missing_check]
    got_right, got_wrong, missed = (grade(EXERCISE, s) for s in (flags(right), flags(wrong), flags()))
    assert got_wrong.details["detection"]["found"] == rounded(WRONG_CATEGORY_CREDIT * 4 / TOTAL_WEIGHT)
    assert got_wrong.criterion("classification").score == 0
    assert "you named fabrication; the fault is missing check" in got_wrong.criterion("classification").feedback
    assert missed.total < got_wrong.total < got_right.total


NEIGHBOUR_PAIRS = sorted({(a, b) for a, ns in NEIGHBOURS.items() for b in ns})


@pytest.mark.parametrize(("fault_category", "named"), NEIGHBOUR_PAIRS)
def test_a_neighbouring_category_earns_more_than_a_wrong_one_and_less_than_the_right_one(
    fault_category: FaultCategory, named: FaultCategory
) -> None:
    assert fault_category in NEIGHBOURS[named]  # neighbourhoods are symmetric
    unrelated = next(c for c in FaultCategory if c != fault_category and c not in NEIGHBOURS[fault_category])
    exercise = failures_exercise([AP_FAULTS[2] | {"category": fault_category.value, "also_categories": []}])
    fault = exercise.faults[0]

    def found(category: FaultCategory) -> float:
        flag = perfect_flag(fault).model_copy(update={"category": category})
        return grade(exercise, flags(flag)).details["detection"]["found"]

    assert found(unrelated) == rounded(WRONG_CATEGORY_CREDIT)
    assert found(named) == rounded(NEIGHBOUR_CREDIT)
    assert found(fault_category) == 1


@pytest.mark.parametrize("fault", AP_FAULTS, ids=[f["id"] for f in AP_FAULTS])
def test_a_fault_flagged_where_it_shows_earns_partial_credit(fault: dict[str, Any]) -> None:
    exercise = failures_exercise([fault])
    start = exercise.faults[0]
    own = {start.step, *start.also_steps}
    later = [s.id for s in AP_STEPS if s.id not in own and start.step in _upstream_ids(s.id)]
    if not later:
        pytest.skip("the fault starts at the last step")
    flag = perfect_flag(start).model_copy(update={"step": later[0]})
    result = grade(exercise, flags(flag))
    assert result.details["detection"]["found"] == rounded(DOWNSTREAM_CREDIT)
    assert "where they show" in result.criterion("detection").evidence
    unrelated = next(c for c in FaultCategory if c != start.category and c not in NEIGHBOURS[start.category])
    elsewhere = grade(exercise, flags(flag.model_copy(update={"category": unrelated})))
    assert elsewhere.details["detection"]["found"] == 0  # downstream, only a flag that names the fault finds it


_SPREAD = FaultCategory.error_propagation
_NOT_THE_SPREAD = [c for c in FaultCategory if c != _SPREAD and c not in NEIGHBOURS[_SPREAD]]


@pytest.mark.parametrize("fault", AP_FAULTS[:3], ids=[f["id"] for f in AP_FAULTS[:3]])
@pytest.mark.parametrize("category", _NOT_THE_SPREAD)
def test_naming_only_the_spread_where_a_fault_shows_needs_a_fix_aimed_at_it(
    fault: dict[str, Any], category: FaultCategory
) -> None:
    exercise = failures_exercise([{**fault, "category": category, "also_categories": []}])
    start = exercise.faults[0]
    own = {start.step, *start.also_steps}
    later = [s.id for s in AP_STEPS if s.id not in own and start.step in _upstream_ids(s.id)]
    aimed = perfect_flag(start).model_copy(update={"step": later[0], "category": _SPREAD})
    elsewhere = aimed.model_copy(update={"fix": "Add a spell checker to the letters.", "fix_type": None})
    assert grade(exercise, flags(aimed)).details["detection"]["found"] > 0
    # "errors propagate" on a later step, with a fix for something else: thin evidence, no find
    assert grade(exercise, flags(elsewhere)).details["detection"]["found"] == 0


@pytest.mark.parametrize("fault", AP_FAULTS[:3], ids=[f["id"] for f in AP_FAULTS[:3]])
@pytest.mark.parametrize("category", list(FaultCategory))
def test_a_neighbours_name_where_a_fault_only_shows_needs_a_fix_aimed_at_it(
    fault: dict[str, Any], category: FaultCategory
) -> None:
    own_category = next(c for c in FaultCategory if c != category and category in NEIGHBOURS[c])
    exercise = failures_exercise([{**fault, "category": own_category, "also_categories": []}])
    start = exercise.faults[0]
    own = {start.step, *start.also_steps}
    later = [s.id for s in AP_STEPS if s.id not in own and start.step in _upstream_ids(s.id)]
    aimed = perfect_flag(start).model_copy(update={"step": later[0], "category": category})
    elsewhere = aimed.model_copy(update={"fix": "Add a spell checker to the letters.", "fix_type": None})
    assert grade(exercise, flags(aimed)).details["detection"]["found"] > 0
    # two of the three signs miss (not where it starts, not its name, a fix for something else)
    assert grade(exercise, flags(elsewhere)).details["detection"]["found"] == 0
    # at the step where it starts, the neighbour's name alone still finds it
    at_start = elsewhere.model_copy(update={"step": start.step})
    assert grade(exercise, flags(at_start)).details["detection"]["found"] > 0


def _upstream_ids(step_id: str) -> set[str]:
    by_id = {s.id: s for s in AP_STEPS}
    seen: set[str] = set()
    todo = [step_id]
    while todo:
        for i in by_id[todo.pop()].inputs:
            if i in by_id and i not in seen:
                seen.add(i)
                todo.append(i)
    return seen


def test_naming_several_categories_for_one_step_is_a_guess() -> None:
    late = perfect_flag(FAULTS["f-late"])
    guesses = [late.model_copy(update={"category": c}) for c in list(FaultCategory)[:4]]
    one = grade(EXERCISE, flags(late))
    hedged = grade(EXERCISE, flags(*guesses, late))
    assert hedged.criterion("classification").score < one.criterion("classification").score
    assert hedged.total < one.total


def test_other_defensible_steps_and_categories_count_as_exact() -> None:
    late_on_pay = perfect_flag(FAULTS["f-late"]).model_copy(update={"step": "pay"})
    drift_as_missing_check = perfect_flag(FAULTS["f-drift"]).model_copy(
        update={"step": "match", "category": FaultCategory.missing_check}
    )
    got = scores(flags(late_on_pay, drift_as_missing_check))
    assert got["classification"] == rounded((4 + 3) / TOTAL_WEIGHT)
    assert grade(EXERCISE, flags(late_on_pay, drift_as_missing_check)).details["detection"]["found"] == rounded(
        (4 + 3) / TOTAL_WEIGHT
    )


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
    """Up to three faults, each on its own steps (step and also_steps never shared); a flag can
    still find an earlier fault where it shows, downstream. Categories and severities are free
    to repeat."""
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
    assert after.details["detection"]["found"] >= before.details["detection"]["found"]


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


# --- the reference, submitted as a learner's answer (issue 19, bug 3) ----------------------------

FAILURES = shipped("find_failures")
BY_ID = {e.id: e for e in [EXERCISE, *FAILURES]}  # tests take ids, so a failure never prints a whole exercise


def _with_repeats(exercise) -> list[FaultFlag]:
    """The reference's flags plus, for each fault, a copy of its flag on every other step the
    fault may be pinned on (what a learner copying the reference table might add)."""
    reference = list(exercise.reference.flags)
    extra = []
    for fault in exercise.faults:
        flag = next((f for f in reference if f.step == fault.step and f.category == fault.category), None)
        if flag is None:
            continue
        extra += [flag.model_copy(update={"step": s}) for s in fault.also_steps]
    return reference + extra


@pytest.mark.parametrize("exercise_id", ids(FAILURES))
@settings(max_examples=15, deadline=None)
@given(data=st.data())
def test_the_references_own_flags_are_all_matched_and_their_fixes_accepted(
    exercise_id: str, data: st.DataObject
) -> None:
    exercise = BY_ID[exercise_id]
    submitted = data.draw(st.permutations(_with_repeats(exercise)))
    result = assess(exercise, list(submitted))
    assert {m.fault.id for m in result.matches} == {f.id for f in exercise.faults}
    assert all(m.category_right and m.location == 1 for m in result.matches)
    assert result.false_alarms == []
    assert {f.id for f, _ in fixed_faults(exercise, FindFailuresSubmission(flags=list(submitted)))} == {
        f.id for f in exercise.faults
    }
    graded = grade(exercise, FindFailuresSubmission(flags=list(submitted)))
    assert "no real fault" not in graded.criterion("detection").evidence
    assert graded.criterion("fixes").score == 1
    assert graded.total >= 90


@pytest.mark.parametrize("exercise_id", sorted(BY_ID))
@pytest.mark.parametrize("per_step", [2, 3, 4])
def test_naming_several_categories_on_every_step_earns_little(exercise_id: str, per_step: int) -> None:
    exercise = BY_ID[exercise_id]
    categories = list(FaultCategory)
    steps = [s.id for s in exercise.workflow.steps]
    rng = random.Random(per_step)
    totals = []
    for _ in range(10):
        shotgun = [
            FaultFlag(step=s, category=c, severity=rng.choice(list(Severity)))
            for s in steps
            for c in rng.sample(categories, per_step)
        ][:40]
        totals.append(grade(exercise, flags(*shotgun)).total)
    assert mean(totals) <= 30


def test_a_fix_that_says_the_right_thing_is_accepted_without_its_type() -> None:
    flag = perfect_flag(FAULTS["f-late"]).model_copy(update={"fix_type": None})
    assert {f.id for f, _ in fixed_faults(EXERCISE, flags(flag))} == {"f-late"}
    bare = flag.model_copy(update={"fix": ""})
    result = grade(EXERCISE, flags(bare))
    assert "gives no fix" in result.criterion("fixes").feedback

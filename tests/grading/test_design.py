"""The design grader judges controls by their position relative to the irreversible step, traces
data classes through the graph, flags graphs that cannot run, and prices the design by simulation."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exercises.model import Constraints
from exercises.submission import DesignSubmission
from exercises.workflow import DataClass, ErrorType, Step, ToolKind
from grading import Flag, grade
from grading.design import BREACH_CAP, FIT_MIN, UNAUTHORISED_DECISION_CAP, catch_fit
from grading.rubric import CRITICAL_CAP

from .conftest import (
    CATALOGUE,
    PAYMENT_REFERENCE,
    design,
    ids,
    letter_exercise,
    make_tool,
    payment_exercise,
    rounded,
    shipped,
    step,
)

EXTRACT, CHECK, REVIEW, PAY = PAYMENT_REFERENCE


def test_the_reference_design_earns_every_criterion() -> None:
    # Every stage covered, the human review sits between the extractor and the payment, no tool
    # sees data it is not cleared for, and the sum of catalogue costs (2.5652) and latencies
    # (906.1 s) is inside the budget (3.00) and turnaround (1,800 s).
    result = grade(payment_exercise(), design(PAYMENT_REFERENCE))
    assert {c.id: c.score for c in result.criteria if c.score < 1} == {}
    assert result.total == 100
    assert result.details["simulation"]["cost_per_item"] == pytest.approx(0.015 + 0.0002 + 2.5 + 0.05)


# --- controls before the irreversible step -----------------------------------------------------


def test_a_review_after_the_payment_scores_no_controls_and_caps_the_total() -> None:
    late = [
        EXTRACT,
        CHECK,
        step("pay", "payment_release", ["check"], stage="s-pay"),
        step("review", "human_review", ["pay"]),
    ]
    result = grade(payment_exercise(), design(late))
    controls = result.criterion("controls")
    assert controls.score == 0
    assert "comes after it" in controls.evidence
    assert "'Extract'" in controls.evidence
    assert f"caps this design at {CRITICAL_CAP:g}" in controls.feedback
    assert result.total <= CRITICAL_CAP
    assert result.details["capped"]["by"] == "controls"
    assert result.details["capped"]["uncapped_total"] > CRITICAL_CAP  # the cap, not the scores, set the total


def test_moving_the_same_review_before_the_payment_fixes_it() -> None:
    result = grade(payment_exercise(), design([EXTRACT, CHECK, REVIEW, PAY]))
    assert result.criterion("controls").score == 1
    assert "capped" not in result.details
    assert result.total > CRITICAL_CAP


def test_a_rule_check_does_not_stand_in_for_a_required_human_review() -> None:
    result = grade(
        payment_exercise(), design([EXTRACT, CHECK, step("pay", "payment_release", ["check"], stage="s-pay")])
    )
    assert result.criterion("controls").score == 0
    assert "no human review between 'Extract' and 'Release the payment'" in result.criterion("controls").evidence
    assert result.total <= CRITICAL_CAP


def test_a_review_attached_to_the_payment_itself_comes_too_late() -> None:
    on_pay = step("pay", "payment_release", ["check"], stage="s-pay", checks=["human_review"])
    result = grade(payment_exercise(), design([EXTRACT, CHECK, on_pay]))
    assert result.criterion("controls").score == 0
    assert "comes after it" in result.criterion("controls").evidence
    assert result.total <= CRITICAL_CAP


def test_an_unguarded_second_path_to_the_payment_earns_partial_credit_and_still_caps() -> None:
    # Two error-making steps reach the payment; the review guards one path. The grader gives half
    # credit scaled by the guarded share: 0.5 * (1 - 1/2) on the only risky stage.
    note = step("note", "llm_enterprise", ["invoices"])
    pay = step("pay", "payment_release", ["review", "note"], stage="s-pay")
    result = grade(payment_exercise(), design([EXTRACT, CHECK, REVIEW, note, pay]))
    assert result.criterion("controls").score == rounded(0.25)
    assert "'Note'" in result.criterion("controls").evidence
    assert result.total <= CRITICAL_CAP


# --- data rules ---------------------------------------------------------------------------------


def test_personal_data_sent_to_an_uncleared_tool_is_named_and_caps() -> None:
    public = step("extract", "llm_public_api", ["invoices"], stage="s-extract")
    result = grade(payment_exercise(), design([public, CHECK, REVIEW, PAY]))
    data = result.criterion("data_rules")
    assert "'Extract' sends personal data to General LLM, public API (no DPA) (dr-personal)" in data.evidence
    assert data.score == rounded(0.5)  # one breach costs half
    assert result.details["capped"]["by"] == "data_rules"
    assert result.total <= CRITICAL_CAP


def test_health_data_sent_to_an_uncleared_tool_is_named_and_caps() -> None:
    exercise = letter_exercise()
    steps = [
        step("draft", "llm_enterprise", ["record"], stage="s-draft"),  # cleared for personal, not health
        step("sign", "expert_review", ["draft"]),
        step("send", "email_send", ["sign"], stage="s-send"),
    ]
    result = grade(exercise, design(steps))
    assert "'Draft' sends health data to General LLM, enterprise API" in result.criterion("data_rules").evidence
    assert "personal data" not in result.criterion("data_rules").evidence
    assert result.total <= CRITICAL_CAP


def test_a_redactor_upstream_removes_the_breach() -> None:
    exercise = letter_exercise()
    downstream = [step("sign", "expert_review", ["draft"]), step("send", "email_send", ["sign"], stage="s-send")]
    direct = grade(exercise, design([step("draft", "llm_public_api", ["record"], stage="s-draft"), *downstream]))
    assert direct.criterion("data_rules").score == 0  # health and personal: two breaches
    assert direct.total <= CRITICAL_CAP
    redacted = [
        step("redact", "pii_redactor", ["record"]),
        step("draft", "llm_public_api", ["redact"], stage="s-draft"),
        *downstream,
    ]
    result = grade(exercise, design(redacted))
    assert result.criterion("data_rules").score == 1
    assert result.criterion("data_rules").evidence == "No step sends data to a tool that is not cleared for it."
    assert "capped" not in result.details
    assert result.total > CRITICAL_CAP


# --- graphs that cannot run -----------------------------------------------------------------------

SIMULATED = ("controls", "data_rules", "constraints", "reliability")


def test_a_cyclic_graph_is_flagged_and_earns_nothing_that_needs_a_run() -> None:
    loop = [
        step("extract", "doc_extractor", ["invoices", "review"], stage="s-extract"),
        step("review", "human_review", ["extract"]),
        step("pay", "payment_release", ["review"], stage="s-pay"),
    ]
    result = grade(payment_exercise(), design(loop))
    assert Flag.invalid_workflow in result.flags
    assert "cycle" in result.criterion("structure").evidence
    assert result.criterion("structure").score < 1
    assert all(result.criterion(c).score == 0 for c in SIMULATED)
    assert "simulation" not in result.details


def test_an_input_that_names_nothing_is_flagged() -> None:
    ghost = step("pay", "payment_release", ["review", "bank_file"], stage="s-pay")
    result = grade(payment_exercise(), design([EXTRACT, CHECK, REVIEW, ghost]))
    assert Flag.invalid_workflow in result.flags
    assert "'pay' reads 'bank_file', which is no step or source" in result.criterion("structure").evidence


def test_a_dangling_step_is_named_in_structure() -> None:
    unused = step("summary", "llm_enterprise", ["extract"])
    result = grade(payment_exercise(), design([*PAYMENT_REFERENCE, unused]))
    assert Flag.invalid_workflow not in result.flags
    structure = result.criterion("structure")
    assert "'Summary' produces output nothing uses and performs no stage" in structure.evidence
    assert structure.score == rounded(1 - 0.34)


def test_a_catalogue_tool_not_on_offer_is_flagged() -> None:
    result = grade(
        payment_exercise(),
        design([step("extract", "llm_in_tenant", ["invoices"], stage="s-extract"), *PAYMENT_REFERENCE[1:]]),
    )
    assert Flag.invalid_workflow in result.flags
    assert "tools not on offer in this exercise: llm_in_tenant" in result.criterion("structure").evidence


def test_an_empty_design_scores_zero() -> None:
    result = grade(payment_exercise(), DesignSubmission())
    assert result.total == 0
    assert all(c.score == 0 for c in result.criteria)
    assert result.criterion("coverage").evidence == "The design has no steps yet."


# --- constraints --------------------------------------------------------------------------------

COST = 0.015 + 0.0002 + 2.5 + 0.05  # doc_extractor, rule_check, human_review, payment_release: $2.5652
LATENCY = 5 + 0.1 + 900 + 1  # 906.1 s


def constraints_score(budget: float, turnaround: float) -> float:
    limits = Constraints(budget_per_item=budget, max_error_rate=0.02, turnaround_s=turnaround)
    result = grade(payment_exercise(constraints=limits.model_dump()), design(PAYMENT_REFERENCE))
    return result.criterion("constraints").score


def test_a_design_within_budget_and_turnaround_keeps_constraints() -> None:
    assert constraints_score(COST * 1.01, LATENCY * 1.01) == 1


def test_a_budget_overrun_lowers_constraints_the_more_the_further_over() -> None:
    # How the two limits combine is the grader's choice; each overrun must cost, and cost more
    # the further the design is over its limit, and a design at 1.5 times its budget is failing.
    scores = [constraints_score(COST / ratio, LATENCY * 2) for ratio in (1.0, 1.1, 1.3, 1.6)]
    assert scores[0] == 1
    assert scores == sorted(scores, reverse=True)
    assert len(set(scores)) == len(scores)
    assert scores[-1] <= 0.5


def test_a_turnaround_overrun_lowers_constraints_the_more_the_further_over() -> None:
    scores = [constraints_score(COST * 2, LATENCY / ratio) for ratio in (1.0, 1.1, 1.3, 1.6)]
    assert scores[0] == 1
    assert scores == sorted(scores, reverse=True)
    assert len(set(scores)) == len(scores)
    assert scores[-1] <= 0.5


def test_both_overruns_cost_more_than_either() -> None:
    both = constraints_score(COST / 1.2, LATENCY / 1.2)
    assert both < constraints_score(COST / 1.2, LATENCY * 2)
    assert both < constraints_score(COST * 2, LATENCY / 1.2)
    limits = Constraints(budget_per_item=COST / 1.2, max_error_rate=0.02, turnaround_s=LATENCY / 1.2)
    feedback = grade(payment_exercise(constraints=limits.model_dump()), design(PAYMENT_REFERENCE))
    assert "cut cost" in feedback.criterion("constraints").feedback
    assert "cut waiting" in feedback.criterion("constraints").feedback


def test_an_expert_on_every_item_breaks_budget_and_turnaround() -> None:
    expert = step("review", "expert_review", ["check"])
    result = grade(payment_exercise(), design([EXTRACT, CHECK, expert, PAY]))
    assert result.criterion("constraints").score == 0  # $12.07 against $3, 3,606 s against 1,800 s
    assert "$12.065 per item against a budget of $3.000" in result.criterion("constraints").evidence


# --- every shipped design ------------------------------------------------------------------------


def without_checks(steps: list[Step]) -> list[Step]:
    """The same design with every check step and attached check removed, inputs rewired past them."""
    removed = {s.id: s for s in steps if CATALOGUE[s.tool].is_check}

    def resolve(inputs: list[str]) -> list[str]:
        out: list[str] = []
        for i in inputs:
            for j in resolve(removed[i].inputs) if i in removed else [i]:
                if j not in out:
                    out.append(j)
        return out

    return [s.model_copy(update={"inputs": resolve(s.inputs), "checks": []}) for s in steps if s.id not in removed]


IRREVERSIBLE = [e for e in shipped("design_workflow") if any(s.risk == "irreversible" for s in e.stages)]


@pytest.mark.parametrize("exercise", IRREVERSIBLE, ids=ids(IRREVERSIBLE))
def test_a_shipped_reference_stripped_of_its_checks_is_capped(exercise) -> None:
    stripped = exercise.reference.model_copy(update={"steps": without_checks(list(exercise.reference.steps))})
    result = grade(exercise, stripped)
    assert result.criterion("controls").score < 1
    assert result.total <= CRITICAL_CAP


# --- a control must fit what it guards --------------------------------------------------------------

ANY_PAY = [  # the payment exercise with a payment any check may guard
    {"id": "s-extract", "name": "Read the invoice", "capability": "extract", "risk": "medium"},
    {"id": "s-pay", "name": "Release the payment", "capability": "pay", "risk": "irreversible"},
]


def _custom(*extra, stages=ANY_PAY, **overrides):
    tools = {**CATALOGUE, **{t.id: t for t in extra}}
    exercise = payment_exercise(stages=stages, tools=[*payment_exercise().tools, *(t.id for t in extra)], **overrides)
    return exercise, tools


@settings(max_examples=40, deadline=None)
@given(st.dictionaries(st.sampled_from(list(ErrorType)), st.floats(0.05, 1.0), min_size=1))
def test_a_check_guards_a_path_only_if_it_catches_the_errors_made_there(catches) -> None:
    check = make_tool("custom-check", ToolKind.rule, catches=catches)
    exercise, tools = _custom(check)
    steps = [
        EXTRACT,
        step("check", "custom-check", ["extract"]),
        step("pay", "payment_release", ["check"], stage="s-pay"),
    ]
    result = grade(exercise, design(steps), tools=tools)
    fits = catch_fit(check, CATALOGUE["doc_extractor"].error_rates) >= FIT_MIN
    assert (result.criterion("controls").score == 1) == fits
    if not fits:
        assert "cannot catch the errors" in result.criterion("controls").evidence
        assert result.total <= CRITICAL_CAP  # the extractor errs on 6 % of invoices, above the 2 % target


HUMANS = sorted(t for t, tool in CATALOGUE.items() if tool.kind == ToolKind.human and tool.is_check)


@pytest.mark.parametrize("reviewer", HUMANS)
def test_an_expert_stage_needs_a_reviewer_with_the_authority_to_decide(reviewer: str) -> None:
    stages = [ANY_PAY[0], ANY_PAY[1] | {"required_check": "expert"}]
    exercise, tools = _custom(stages=stages)
    steps = [
        EXTRACT,
        CHECK,
        step("review", reviewer, ["check"]),
        step("pay", "payment_release", ["review"], stage="s-pay"),
    ]
    result = grade(exercise, design(steps), tools=tools)
    may_decide = "decide" in CATALOGUE[reviewer].capabilities
    assert (result.criterion("controls").score == 1) == may_decide


@settings(max_examples=40, deadline=None)
@given(st.floats(0.0005, 0.2), st.sampled_from([("irreversible", 1.0), ("high", 0.5)]))
def test_an_unchecked_path_caps_the_design_only_when_its_expected_harm_reaches_the_target(rate: float, risk) -> None:
    # a locked score sheet (a rule tool) feeds the payment directly beside a well-guarded path;
    # expected harm is its error rate times what an error costs at the stage (irreversible 1, high 0.5)
    level, severity = risk
    sheet = make_tool("locked-sheet", ToolKind.rule, errors={ErrorType.wrong_value: rate})
    pay = ANY_PAY[1] | {"required_check": "human", "risk": level}
    exercise, tools = _custom(sheet, stages=[ANY_PAY[0], pay])
    steps = [EXTRACT, CHECK, REVIEW, step("sheet", "locked-sheet", ["invoices"])]
    steps.append(step("pay", "payment_release", ["review", "sheet"], stage="s-pay"))
    result = grade(exercise, design(steps), tools=tools)
    target = exercise.constraints.max_error_rate
    harm = rate * severity
    assert ("cap" in result.details) == (harm >= target)
    if harm < target:
        assert result.criterion("controls").score >= 1 - 0.5 * harm / target - 1e-3
        assert "under the" in result.criterion("controls").evidence


def test_a_persons_decision_must_come_before_the_payment_built_on_it() -> None:
    stages = [*ANY_PAY, {"id": "s-approve", "name": "Approve the invoice", "capability": "approve", "risk": "medium"}]
    exercise, tools = _custom(stages=stages)
    approve_first = [
        EXTRACT,
        CHECK,
        step("approve", "human_review", ["check"], stage="s-approve"),
        step("pay", "payment_release", ["approve"], stage="s-pay"),
    ]
    in_parallel = [
        EXTRACT,
        CHECK,
        step("approve", "human_review", ["check"], stage="s-approve"),
        step("pay", "payment_release", ["check"], stage="s-pay"),
    ]
    first = grade(exercise, design(approve_first), tools=tools).criterion("controls")
    parallel = grade(exercise, design(in_parallel), tools=tools).criterion("controls")
    assert first.score == 1
    assert parallel.score < first.score
    assert "is a person's decision, yet 'Release the payment' does not wait for it" in parallel.evidence


@pytest.mark.parametrize("share", [0.05, 0.3, 0.99])
def test_a_review_of_a_sample_does_not_guard_every_payment(share: float) -> None:
    sampled = REVIEW.model_copy(update={"share": share})
    result = grade(payment_exercise(), design([EXTRACT, CHECK, sampled, PAY]))
    assert result.criterion("controls").score < 1
    assert grade(payment_exercise(), design([EXTRACT, CHECK, REVIEW, PAY])).criterion("controls").score == 1


@settings(max_examples=30, deadline=None)
@given(st.floats(0.02, 0.98), st.floats(0.02, 0.98))
def test_a_decision_taken_on_a_sample_counts_for_that_share(low: float, high: float) -> None:
    """A person who decides only a sample of the items decides for that share: the rest go on
    with no one deciding. The more of the items the decision covers, the more the controls earn;
    a decision on every item earns them all."""
    low, high = sorted((low, high))
    stages = [*ANY_PAY, {"id": "s-approve", "name": "Approve the invoice", "capability": "approve", "risk": "high"}]
    exercise, tools = _custom(stages=stages)

    def controls(share: float) -> tuple[float, str]:
        approve = step("approve", "human_review", ["check"], stage="s-approve", share=share)
        steps = [EXTRACT, CHECK, approve, step("pay", "payment_release", ["approve"], stage="s-pay")]
        scored = grade(exercise, design(steps), tools=tools).criterion("controls")
        return scored.score, scored.evidence

    (every, _), (few, evidence), (more, _) = controls(1.0), controls(low), controls(high)
    assert every == 1
    assert few <= more + 1e-9
    assert more < 1
    assert f"decided for only {low:.0%} of items" in evidence
    assert "on only" in evidence  # the payment waits for the decision on the sample alone


@settings(max_examples=30, deadline=None)
@given(st.floats(0.02, 0.98))
def test_a_decision_taken_on_a_sample_keeps_the_design_below_proficient_whatever_checks_the_rest(
    share: float,
) -> None:
    """A person's decision taken on a sample, with another check on every item besides: nothing is
    unguarded, yet the rest are decided by no one given that decision, so the design is not
    proficient; the same design with the decision on every item may be."""
    stages = [*ANY_PAY, {"id": "s-approve", "name": "Approve the invoice", "capability": "approve", "risk": "high"}]
    exercise, tools = _custom(stages=stages)

    def graded(decided: float):  # type: ignore[no-untyped-def]
        clears = CHECK.model_copy(update={"id": "clear", "inputs": ["check"], "stage": None})  # a check on every item
        approve = step("approve", "human_review", ["clear"], stage="s-approve", share=decided)
        steps = [EXTRACT, CHECK, clears, approve, step("pay", "payment_release", ["approve"], stage="s-pay")]
        return grade(exercise, design(steps), tools=tools)

    sampled, every = graded(share), graded(1.0)
    assert sampled.total <= UNAUTHORISED_DECISION_CAP < every.total
    assert sampled.details["cap"]["by"] == "controls"
    assert f"({UNAUTHORISED_DECISION_CAP:g})" in sampled.criterion("controls").feedback


@pytest.mark.parametrize("risk", ["high", "irreversible"])
def test_a_decision_taken_by_another_person_than_the_case_names_keeps_the_design_below_proficient(risk: str) -> None:
    """The case gives the decision to a named role; an expert who is cheaper and catches more is
    still not the one given it (a contract manager is not the lawyer), so the design cannot be
    proficient; the named role deciding raises no such problem."""
    role = CATALOGUE["human_review"].model_copy(update={"id": "named-role", "name": "Named role", "cost_per_item": 9.0})
    stages = [
        *ANY_PAY,
        {
            "id": "s-approve",
            "name": "Approve the invoice",
            "capability": "approve",
            "risk": risk,
            "preferred_tools": ["named-role"],
        },
    ]
    exercise, tools = _custom(role, stages=stages)

    def graded(decider: str):  # type: ignore[no-untyped-def]
        approve = step("approve", decider, ["check"], stage="s-approve")
        return grade(
            exercise,
            design([EXTRACT, CHECK, approve, step("pay", "payment_release", ["approve"], stage="s-pay")]),
            tools=tools,
        )

    named, other = graded("named-role"), graded("expert_review")
    assert other.total <= UNAUTHORISED_DECISION_CAP
    assert "whom the case gives that decision" in other.criterion("controls").evidence
    assert "whom the case gives that decision" not in named.criterion("controls").evidence


def _breach(clearance: list[str], data_class: str):  # type: ignore[no-untyped-def]
    """The payment design with its extraction done by a tool cleared for `clearance` only, in an
    exercise whose data rule protects `data_class` (a class the invoices carry)."""
    tool = make_tool("in-house-reader").model_copy(
        update={"capabilities": ["extract"], "data_clearance": [DataClass(c) for c in clearance]}
    )
    rule = {"id": "dr-x", "data_class": data_class, "text": f"{data_class.capitalize()} data stays cleared."}
    sources = [{"id": "invoices", "name": "Supplier invoices", "data_classes": ["financial", "personal", data_class]}]
    exercise, tools = _custom(tool, stages=payment_exercise().stages, data_rules=[rule], sources=sources)
    reader = step("extract", "in-house-reader", ["invoices"], stage="s-extract")
    return grade(exercise, design([reader, CHECK, REVIEW, PAY]), tools=tools)


ORDINARY = ["personal", "financial", "confidential"]


@pytest.mark.parametrize(("data_class", "extra"), [(c, e) for c in ORDINARY for e in ORDINARY if c != e])
def test_an_ordinary_class_sent_to_a_tool_trusted_with_other_restricted_data_keeps_the_design_below_proficient(
    data_class: str, extra: str
) -> None:
    """A tool already cleared for some restricted data (under an agreement) that receives one more
    ordinary class breaks a rule that can be put right: the design cannot be proficient until it
    is, but it is not data handed to someone with no agreement (capped lower, as undeployable)."""
    result = _breach(["public", extra], data_class)
    data = result.criterion("data_rules")
    assert f"sends {data_class} data to" in data.evidence
    assert result.details["cap"]["at"] == BREACH_CAP > CRITICAL_CAP
    assert result.total <= BREACH_CAP


@pytest.mark.parametrize(
    ("clearance", "data_class"),
    [
        (["public"], "personal"),  # a tool trusted with no restricted data: the data leaves
        (["public"], "financial"),
        (["public", "personal", "financial", "confidential"], "health"),  # a special class, always severe
        (["public", "personal", "financial", "confidential"], "privileged"),
    ],
)
def test_a_disclosure_or_a_special_class_makes_the_design_undeployable(clearance: list[str], data_class: str) -> None:
    result = _breach(clearance, data_class)
    assert result.total <= CRITICAL_CAP
    assert "caps the grade at" in result.criterion("data_rules").feedback


@settings(max_examples=20, deadline=None)
@given(st.floats(0.02, 0.98))
def test_a_medium_risk_review_may_see_only_the_exceptions(share: float) -> None:
    """Routing only the exceptions to a person is sound where the exercise marks that review as
    medium risk: the payment built on it is not held to wait for a decision on every item."""
    stages = [*ANY_PAY, {"id": "s-review", "name": "Review the exceptions", "capability": "review", "risk": "medium"}]
    exercise, tools = _custom(stages=stages)
    review = step("review", "human_review", ["check"], stage="s-review", share=share)
    steps = [EXTRACT, CHECK, review, step("pay", "payment_release", ["review"], stage="s-pay")]
    assert "on only" not in grade(exercise, design(steps), tools=tools).criterion("controls").evidence

"""The format's newer rules, graded: data rules beyond clearance (a redaction verified before
release, outside input distrusted, classes a stage creates), criteria switched off with a weight
of 0, key points with several roles, and a fix that removes a step."""

from __future__ import annotations

import pytest

from exercises.graph import unchecked_to_action
from exercises.model import KeyPoint
from exercises.submission import FaultFlag, FixType
from exercises.workflow import DataClass, Source
from grading import grade
from grading.fixes import before_and_after

from .conftest import (
    CATALOGUE,
    EXPLAIN_REFERENCE,
    PAYMENT_REFERENCE,
    design,
    explain_exercise,
    explanation,
    failures_exercise,
    payment_exercise,
    step,
    workflow,
)

RECORD = Source(id="src", name="Customer records", data_classes=[DataClass.personal])

# --- the graph rule: what reaches an action without passing a check --------------------------------

REACH_CASES = {
    "redactor straight to the send": (
        [step("redact", "pii_redactor"), step("send", "email_send", ["redact"])],
        ["send"],
    ),
    "a check guards the redactor": (
        [step("redact", "pii_redactor", checks=["rule_check"]), step("send", "email_send", ["redact"])],
        [],
    ),
    "a review step between": (
        [
            step("redact", "pii_redactor"),
            step("review", "human_review", ["redact"]),
            step("send", "email_send", ["review"]),
        ],
        [],
    ),
    "an AI rewrite between is no check": (
        [
            step("redact", "pii_redactor"),
            step("rewrite", "llm_enterprise", ["redact"]),
            step("send", "email_send", ["rewrite"]),
        ],
        ["send"],
    ),
    "a review on one path only": (
        [
            step("redact", "pii_redactor"),
            step("review", "human_review", ["redact"]),
            step("send", "email_send", ["review", "redact"]),
        ],
        ["send"],
    ),
    "a check on the send itself comes too late": (
        [step("redact", "pii_redactor"), step("send", "email_send", ["redact"], checks=["rule_check"])],
        ["send"],
    ),
}


@pytest.mark.parametrize("case", list(REACH_CASES))
def test_unchecked_paths_to_an_action(case: str) -> None:
    steps, expected = REACH_CASES[case]
    assert unchecked_to_action(workflow(*steps, sources=[RECORD]), CATALOGUE, "redact") == expected


# --- the data rules in a graded design --------------------------------------------------------------


def _with_rules(rules: list[dict], **stage_extra: object):
    base = payment_exercise()
    stages = [s.model_dump() for s in base.stages]
    stages[0] |= stage_extra  # the extraction stage
    return payment_exercise(data_rules=rules, stages=stages)


def test_outside_input_must_pass_a_check_before_an_action() -> None:
    rule = {
        "id": "dr-outside",
        "kind": "untrusted_input",
        "sources": ["invoices"],
        "text": "Invoices come from outside.",
    }
    exercise = _with_rules([rule])
    checked = grade(exercise, design(PAYMENT_REFERENCE), tools=CATALOGUE)
    assert checked.criterion("data_rules").score == 1.0
    unchecked = [
        step("extract", "doc_extractor", ["invoices"], stage="s-extract"),
        step("pay", "payment_release", ["extract"], stage="s-pay"),
    ]
    result = grade(exercise, design(unchecked), tools=CATALOGUE)
    assert "dr-outside" in result.criterion("data_rules").evidence
    # the breach caps at 44 on its own; with the unguarded payment it is a second critical flaw
    assert result.details["cap"]["at"] < 44.0
    assert result.total <= result.details["cap"]["at"]


def test_a_created_class_is_traced_like_a_source_class() -> None:
    rule = {"id": "dr-privileged", "data_class": "privileged", "text": "Analyses are privileged."}
    plain = _with_rules([rule])
    creating = _with_rules([rule], creates=["privileged"])
    answer = design(PAYMENT_REFERENCE)  # the payment tool is not cleared for privileged material
    assert grade(plain, answer, tools=CATALOGUE).criterion("data_rules").score == 1.0
    breached = grade(creating, answer, tools=CATALOGUE).criterion("data_rules")
    assert breached.score < 1.0
    assert "privileged" in breached.evidence


def test_a_redaction_is_verified_before_release() -> None:
    rule = {"id": "dr-verify", "kind": "verified_before_release", "data_class": "personal", "text": "Verify redaction."}
    exercise = _with_rules([rule])
    verified = [
        step("redact", "pii_redactor", ["invoices"]),
        step("extract", "doc_extractor", ["redact"], stage="s-extract"),
        step("check", "rule_check", ["extract"], stage="s-check"),
        step("review", "human_review", ["check"]),
        step("pay", "payment_release", ["review"], stage="s-pay"),
    ]
    assert grade(exercise, design(verified), tools=CATALOGUE).criterion("data_rules").score == 1.0
    released = [*verified[:-1], step("pay", "payment_release", ["review", "redact"], stage="s-pay")]
    assert "dr-verify" in grade(exercise, design(released), tools=CATALOGUE).criterion("data_rules").evidence


# --- a weight of 0 switches a criterion off ----------------------------------------------------------

BREACH = [
    step("extract", "llm_public_api", ["invoices"], stage="s-extract"),  # personal data to a public API
    *PAYMENT_REFERENCE[1:],
]


def test_a_zero_weight_criterion_is_neither_shown_nor_capping() -> None:
    weighted = payment_exercise()
    rubric = [c.model_dump() for c in weighted.rubric]
    for c in rubric:
        c["weight"] = {"data_rules": 0, "coverage": c["weight"] + 10}.get(c["id"], c["weight"])
    off = payment_exercise(rubric=rubric)
    capped = grade(weighted, design(BREACH), tools=CATALOGUE)
    assert capped.details["cap"]["by"] == "data_rules"
    free = grade(off, design(BREACH), tools=CATALOGUE)
    assert "data_rules" not in {c.id for c in free.criteria}
    assert free.details.get("cap", {}).get("by") != "data_rules"
    assert sum(c.weight for c in free.criteria) == 100


# --- key points with several roles --------------------------------------------------------------------


def test_a_point_may_carry_several_roles() -> None:
    assert KeyPoint(id="p", text="t", cues=[["x"]], role=["risk", "mitigation"]).roles == {"risk", "mitigation"}
    assert KeyPoint(id="p", text="t", cues=[["x"]], role="ask").roles == {"ask"}
    with pytest.raises(ValueError, match="at least one role"):
        KeyPoint(id="p", text="t", cues=[["x"]], role=[])


def test_a_risk_that_carries_its_own_mitigation_earns_the_pairing() -> None:
    base = explain_exercise()
    points = [p.model_dump() for p in base.key_points if p.id != "urgent"]
    for p in points:
        if p["id"] == "delay":
            p["role"] = ["risk", "mitigation"]
    merged = explain_exercise(key_points=points)
    without_urgent = EXPLAIN_REFERENCE.replace(", and urgent payments can still go the same day", "")
    split = grade(base, explanation(without_urgent)).criterion("structure")
    together = grade(merged, explanation(without_urgent)).criterion("structure")
    assert "no risk is paired" in split.evidence
    assert "no risk is paired" not in together.evidence
    assert together.score > split.score


# --- a fix that removes a step ----------------------------------------------------------------------------


def test_removing_a_step_takes_it_out_of_the_after_simulation() -> None:
    exercise = failures_exercise()
    fault = exercise.faults[0]
    flag = FaultFlag(step="intake", category=fault.category, fix_type=FixType.remove_step)
    simulated = before_and_after(exercise, CATALOGUE, [(fault, flag)])
    assert simulated is not None
    before, after = simulated
    assert after.cost_per_item < before.cost_per_item  # the model call is gone
    assert "intake" not in after.introduced
    assert "extract" in after.introduced

"""A stage must read what the stages it builds on produce (#17): where the reference design's step
for a stage reads another stage's work (the amount is worked out from the looked-up record), a
design whose step for it never does performs that stage on the wrong inputs. It counts in part
for coverage and caps the design below Proficient (the steps after it act on what it gets wrong,
which the simulation cannot see), and the grade goes to a person to judge how much that costs.
Checks and people are judged as controls, not here. An action's work is what it acts
on: a record of a payment written from the approval the payment acted on reads its work; one
written before that approval does not."""

from __future__ import annotations

import pytest

from exercises.graph import upstream
from exercises.model import DesignWorkflowExercise
from exercises.submission import DesignSubmission
from exercises.workflow import ToolKind, Workflow
from grading import Flag, grade
from grading.design import UNFOUNDED_CREDIT, UNSOUND_STAGE_CAP

from .conftest import CATALOGUE, PAYMENT_TOOLS, design, payment_exercise, shipped, step

STAGES = [
    {"id": "s-extract", "name": "Read the invoice", "capability": "extract", "risk": "medium"},
    {"id": "s-match", "name": "Find the purchase order", "capability": "lookup", "risk": "low"},
    {"id": "s-check", "name": "Check the amounts", "capability": "validate", "risk": "medium"},
    {
        "id": "s-pay",
        "name": "Release the payment",
        "capability": "pay",
        "risk": "irreversible",
        "required_check": "human",
    },
]
EXTRACT = step("extract", "doc_extractor", ["invoices"], stage="s-extract")
MATCH = step("match", "db_lookup", ["extract"], stage="s-match")  # the lookup reads what was extracted
CHECK = step("check", "rule_check", ["match"], stage="s-check")
REVIEW = step("review", "human_review", ["check"])
PAY = step("pay", "payment_release", ["review"], stage="s-pay")


def exercise() -> DesignWorkflowExercise:
    reference = {"steps": [s.model_dump() for s in (EXTRACT, MATCH, CHECK, REVIEW, PAY)], "rationale": "."}
    return payment_exercise(stages=STAGES, tools=[*PAYMENT_TOOLS, "db_lookup"], reference=reference)


def test_the_reference_reads_what_each_stage_builds_on() -> None:
    result = grade(exercise(), design([EXTRACT, MATCH, CHECK, REVIEW, PAY]))
    assert result.criterion("coverage").score == 1
    assert "never reads" not in result.criterion("coverage").evidence


@pytest.mark.parametrize("order", [0, 1])
def test_a_stage_that_never_reads_the_work_it_builds_on_counts_in_part_and_goes_to_a_person(order: int) -> None:
    blind = step("match", "db_lookup", ["invoices"], stage="s-match")  # looks up without the extracted invoice
    check = step("check", "rule_check", ["match", "extract"], stage="s-check")
    steps = [EXTRACT, blind, check, REVIEW, PAY] if order == 0 else [blind, EXTRACT, check, REVIEW, PAY]
    result = grade(exercise(), design(steps))
    coverage = result.criterion("coverage")
    assert coverage.score == pytest.approx(1 - (1 - UNFOUNDED_CREDIT) / len(STAGES), abs=1e-4)
    assert "'Find the purchase order' never reads the work of 'Read the invoice'" in coverage.evidence
    assert Flag.needs_review in result.flags
    # what it gets wrong reaches the payment, unseen by the simulation: below Proficient
    assert result.total <= UNSOUND_STAGE_CAP
    assert f"caps the grade at {UNSOUND_STAGE_CAP:g}" in coverage.feedback


def test_a_check_or_a_person_reading_less_is_left_to_the_controls() -> None:
    # the rule check reads only the lookup, not the extraction: not this rule's concern
    narrow = step("check", "rule_check", ["match"], stage="s-check")
    result = grade(exercise(), design([EXTRACT, MATCH, narrow, REVIEW, PAY]))
    assert "never reads" not in result.criterion("coverage").evidence


def test_a_stage_the_design_does_not_cover_is_coverages_concern_only() -> None:
    no_extract = step("match", "db_lookup", ["invoices"], stage="s-match")
    result = grade(
        exercise(), design([no_extract, step("check", "rule_check", ["match"], stage="s-check"), REVIEW, PAY])
    )
    assert "never reads" not in result.criterion("coverage").evidence
    assert result.criterion("coverage").score == pytest.approx(3 / 4, abs=1e-4)


# --- an action's work is what it acts on ---------------------------------------------------------


def _action_links() -> list[tuple[DesignWorkflowExercise, str, str]]:
    """(exercise, action step, later step): in every shipped reference, a stage's step that reads
    the output of an action stage (a log after the send, a record after the payment)."""
    links = []
    for exercise in shipped("design_workflow"):
        steps = {s.id: s for s in exercise.reference.steps}
        for later in exercise.reference.steps:
            for i in later.inputs:
                action = steps.get(i)
                if action and action.stage and later.stage and CATALOGUE[action.tool].kind == ToolKind.action:
                    links.append((exercise, action.id, later.id))
    return links


LINKS = _action_links()


def _rewired(exercise: DesignWorkflowExercise, later: str, inputs: list[str]) -> DesignSubmission:
    steps = [s.model_copy(update={"inputs": inputs}) if s.id == later else s for s in exercise.reference.steps]
    return exercise.reference.model_copy(update={"steps": steps})


@pytest.mark.parametrize(("exercise", "action", "later"), LINKS, ids=[f"{e.id}:{a}->{b}" for e, a, b in LINKS])
def test_reading_what_an_action_read_is_reading_its_work_and_reading_less_is_not(exercise, action, later) -> None:
    steps = {s.id: s for s in exercise.reference.steps}
    name = next(st.name for st in exercise.stages if st.id == steps[action].stage)
    others = [i for i in steps[later].inputs if i != action]
    # the record of a payment written from the approval the payment acted on: the same work
    beside = grade(exercise, _rewired(exercise, later, [*others, *steps[action].inputs]))
    assert f"never reads the work of '{name}'" not in beside.criterion("coverage").evidence
    assert "cap" not in beside.details
    # written from what came before that approval: the action's work is not read
    earlier = [j for i in steps[action].inputs if i in steps for j in steps[i].inputs]
    rewired = _rewired(exercise, later, [*others, *earlier])
    if not earlier or set(steps[action].inputs) <= upstream(
        Workflow(sources=exercise.sources, steps=rewired.steps), later
    ):
        return  # it still reads what the action read, along another path
    blind = grade(exercise, rewired)
    assert f"never reads the work of '{name}'" in blind.criterion("coverage").evidence
    assert blind.total <= UNSOUND_STAGE_CAP

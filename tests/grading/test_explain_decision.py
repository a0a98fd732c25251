"""Whether a note states the decision, misstates it, or argues against it, stated as rules over
families of sentences: the note's own recommendation departing from the decision (later, a
trial first, fewer, reopened), a decision misstated (the machine doing what a person is reserved
for, or stopping work the decision keeps it at), and a negation governing its coordinated verbs."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exercises.model import KeyPoint
from grading import grade
from grading.claims import denies, keeps_old_state
from grading.explain import ARGUED_AGAINST_CAP, MISSTATED_DECISION_CAP
from grading.misstated_decision import misstated_decision
from grading.own_recommendation import DEPARTURES, decision_kinds, departs, recommends

from .conftest import EXPLAIN_REFERENCE, explain_exercise, explanation

EXERCISE = explain_exercise()
FULL = grade(EXERCISE, explanation(EXPLAIN_REFERENCE)).total

# --- the note's own recommendation ---------------------------------------------------------------

STANCES = ["I recommend that we", "My suggestion is that we", "I think we should", "We should", "Let us"]
DEPARTING = {
    "later": ["wait eight weeks and start then", "postpone the start to June", "delay the change until autumn"],
    "trial first": ["run a pilot on one team", "run it for three months before rolling it out everywhere"],
    "fewer": ["check fewer invoices, not all of them", "start with a targeted check of large invoices"],
    "reopen": ["ask the team to look again at the limit", "reconsider the change before Friday"],
}
FOLLOWING = [
    "approve the change, so from 1 May every invoice is approved before the payment run",
    "go ahead on 1 May as planned",
    "start on 1 May and review the figures in June",
]


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(STANCES), st.sampled_from(sorted(DEPARTING)), st.integers(0, 2))
def test_a_recommendation_that_departs_from_the_decision_argues_against_it(stance: str, kind: str, i: int) -> None:
    phrases = DEPARTING[kind]
    sentence = f"{stance} {phrases[i % len(phrases)]}."
    assert kind in departs(sentence, frozenset()), sentence
    assert grade(EXERCISE, explanation(EXPLAIN_REFERENCE + "\n\n" + sentence)).total <= ARGUED_AGAINST_CAP


@pytest.mark.parametrize("stance", STANCES)
@pytest.mark.parametrize("following", FOLLOWING)
def test_a_recommendation_that_follows_the_decision_departs_from_nothing(stance: str, following: str) -> None:
    sentence = f"{stance} {following}."
    assert recommends(sentence)
    assert not departs(sentence, frozenset()), sentence
    assert grade(EXERCISE, explanation(EXPLAIN_REFERENCE + "\n\n" + sentence)).total > ARGUED_AGAINST_CAP


@pytest.mark.parametrize(
    "sentence",
    [
        "I recommend we approve it: fewer complaints and faster payments.",
        "We should go ahead, as the trial showed the software right 93 % of the time.",
        "I recommend we revisit the figures after three months.",
        "We should wait for your approval before the first run.",
        "I suggest we start on 1 May; not every invoice will need a second look.",
    ],
)
def test_a_benefit_the_evidence_or_a_follow_up_in_a_recommendation_is_no_departure(sentence: str) -> None:
    assert recommends(sentence)
    assert not departs(sentence, frozenset()), sentence


@pytest.mark.parametrize("held", ["yet", "for now"])
def test_a_decision_that_holds_something_back_takes_waiting_as_its_own(held: str) -> None:
    allowed = decision_kinds(f"Do not pay small claims automatically {held}; a handler approves each one.", [])
    assert not departs("I recommend we hold off paying small claims automatically.", allowed)


@pytest.mark.parametrize("kind", sorted(DEPARTING))
def test_a_departure_described_rather_than_recommended_is_no_stance(kind: str) -> None:
    for phrase in DEPARTING[kind]:
        described = f"Some managers asked whether to {phrase}."
        assert not departs(described, frozenset()), described


@pytest.mark.parametrize("kind", sorted(DEPARTING))
def test_a_departure_the_decision_itself_takes_is_the_decision(kind: str) -> None:
    decision = f"Approve the new approval step, and {DEPARTING[kind][0]}."
    assert decision_kinds("Approve a three-month pilot of the new step.", []) >= {"trial first"}
    allowed = decision_kinds(decision, [])
    assert kind in allowed
    for stance in STANCES:
        assert kind not in departs(f"{stance} {DEPARTING[kind][0]}.", allowed)


def test_every_kind_of_departure_is_tested() -> None:
    assert set(DEPARTING) == set(DEPARTURES)


# --- a word of stopping used as a noun is no denial ----------------------------------------------

CONTROL_POINT = KeyPoint(
    id="pay",
    role="decision",
    text="Payments now need a person's approval before they go out.",
    cues=[["payment", "payments", "pay"], ["person", "handler", "approval", "approve"]],
)


@pytest.mark.parametrize("noun", ["delay", "stop-loss", "end-of-month", "pause-button"])
def test_a_stance_for_automation_is_read_whatever_noun_it_names(noun: str) -> None:
    assert keeps_old_state(CONTROL_POINT, f"We should go ahead with automatic payments of {noun} claims.")


@pytest.mark.parametrize("verb", ["delay", "stop", "pause", "postpone", "suspend"])
def test_a_verb_of_stopping_denies_the_automation(verb: str) -> None:
    assert not keeps_old_state(CONTROL_POINT, f"We should {verb} automatic payments.")
    assert not keeps_old_state(CONTROL_POINT, f"I suggest we keep the replies automatic but {verb} automatic payments.")


# --- a negation governs its coordinated verbs ----------------------------------------------------

VISIT_POINT = KeyPoint(
    id="visit",
    role="decision",
    text="Every home with a big leak gets a visit, and leaks are repaired free.",
    cues=[["visit", "call", "phone"], ["repair", "repaired", "free"]],
)


@pytest.mark.parametrize("join", [" and ", ", and ", ", "])
def test_a_negated_verb_denies_the_verbs_coordinated_with_it(join: str) -> None:
    assert denies(VISIT_POINT, f"We will not phone{join}visit each home{join}repair leaks free.")


@pytest.mark.parametrize("second", ["we repair leaks free", "the team can repair leaks free", "it will repair leaks"])
def test_a_clause_with_its_own_subject_or_auxiliary_is_not_under_the_negation(second: str) -> None:
    assert not denies(VISIT_POINT, f"We will not phone, and {second} after a visit.")


# --- the decision misstated -----------------------------------------------------------------------

RESERVED = explain_exercise(
    key_points=[
        *(p.model_dump() for p in EXERCISE.key_points),
        {
            "id": "refusal",
            "role": "mitigation",
            "text": "No invoice is ever rejected without a budget holder deciding.",
            "cues": [["reject", "rejected", "turn down", "refuse"], ["budget holder", "person", "handler"]],
        },
    ]
)
KEPT = explain_exercise(
    key_points=[
        {
            **EXERCISE.key_points[0].model_dump(),
            "text": "Approvals move before the payment run; the software still reads and matches every invoice.",
        },
        *(p.model_dump() for p in EXERCISE.key_points[1:]),
    ]
)
MACHINES = ["The software", "The system", "It"]


@pytest.mark.parametrize("machine", MACHINES)
@pytest.mark.parametrize("act", ["will also reject", "can turn down", "rejects", "will refuse"])
def test_the_machine_doing_what_a_person_is_reserved_for_misstates_the_decision(machine: str, act: str) -> None:
    sentence = f"{machine} {act} invoices that clearly do not match."
    assert [m.point.id for m in misstated_decision(RESERVED, [sentence])] == ["refusal"], sentence
    total = grade(RESERVED, explanation(EXPLAIN_REFERENCE + "\n\n" + sentence)).total
    assert total <= MISSTATED_DECISION_CAP


@pytest.mark.parametrize(
    "sentence",
    [
        "The software never rejects an invoice.",
        "The software will not reject invoices; a budget holder does.",
        "A budget holder rejects invoices the software cannot match.",
        "The software flags invoices to reject, and a budget holder decides.",
    ],
)
def test_the_act_denied_to_the_machine_or_done_by_a_person_is_the_decision(sentence: str) -> None:
    assert not misstated_decision(RESERVED, [sentence]), sentence


@pytest.mark.parametrize("stop", ["will no longer handle", "will no longer read", "stops matching", "will not process"])
def test_the_machine_stopping_work_the_decision_keeps_misstates_it(stop: str) -> None:
    sentence = f"From 1 May, the software {stop} the invoices."
    assert [m.point.id for m in misstated_decision(KEPT, [sentence])] == ["decision"], sentence
    # another machine ("the old system") stopping is not the one the decision keeps at work
    assert not misstated_decision(KEPT, [f"From 1 May, the old system {stop} the invoices."])


@pytest.mark.parametrize(
    "sentence",
    [
        "From 1 May, the software no longer pays invoices on its own.",
        "The software will no longer release payments without approval.",
        "The software no longer decides alone.",
        "The software will no longer have the final say.",
        "The software still reads every invoice.",
    ],
)
def test_ending_the_machine_acting_alone_is_the_decision(sentence: str) -> None:
    assert not misstated_decision(KEPT, [sentence]), sentence


def test_switching_the_machine_off_misstates_a_decision_that_keeps_it() -> None:
    assert misstated_decision(KEPT, ["We are switching the software off from 1 May."])
    assert not misstated_decision(EXERCISE, ["We are switching the software off from 1 May."])


# --- a denial of the whole decision outweighs a sentence with part of it ------------------------------

_REF = (
    "Dana, {decision} "
    "In March it flagged 41,900 dollars of refunds that were fine, and nobody looked at refunds before the money "
    "left. Team leads will now check those refunds by hand, which costs about $1,150 a month.\n\n"
    "The main risk is that a few bad refunds get paid this year. Urgent refunds can still go the same day.\n\n"
    "Could you also approve the team-lead time by Friday?"
)
_OTHER_POINTS = [
    {"id": "loss", "text": "It flagged $41,900 of refunds that were fine.", "cues": [["41,900", "41900"]]},
    {"id": "cost", "role": "other", "text": "It costs $1,150 a month.", "cues": [["1,150", "1150"], ["month"]]},
    {"id": "risk", "role": "risk", "text": "A few bad refunds may get paid this year.", "cues": [["bad"], ["paid"]]},
    {"id": "urgent", "role": "mitigation", "text": "Urgent ones go the same day.", "cues": [["urgent"], ["same day"]]},
    {
        "id": "ask",
        "role": "ask",
        "weight": 1.5,
        "text": "Approve the team-lead time by Friday.",
        "cues": [["approve", "agree"], ["team-lead time", "friday"]],
    },
]
_DECISIONS = [
    (
        "from 1 May every refund over $100 will come out of the automatic run and go to a team lead.",
        "From 1 May refunds over $100 come out of the automatic run and a team lead approves each one.",
        [["refund", "refunds"], ["team lead", "team leads"], ["automatic", "automatically"]],
    ),
    (
        "we have switched off the automatic refund check for gift cards and withdrawn the warnings it sent.",
        "The automatic refund check is switched off for gift cards and its warnings are withdrawn.",
        [["switched off", "switch off", "turned off"], ["gift card", "gift cards"]],
    ),
]


@pytest.mark.parametrize(("sentence", "point", "cues"), _DECISIONS)
def test_the_decision_denied_in_full_is_argued_against_though_another_sentence_has_part_of_it(
    sentence: str, point: str, cues: list[list[str]]
) -> None:
    """The reference with its decision and ask negated (the adversarial suite's reversal): the
    denial of the decision in full is not undone by a sentence elsewhere that has some of its
    words ("nobody looked at refunds before the money left"), so the note is capped."""
    from .adversarial import decision_reversed

    decision = {"id": "decision", "role": "decision", "weight": 2, "text": point, "cues": cues}
    reference_text = _REF.format(decision=sentence)
    exercise = explain_exercise(key_points=[decision, *_OTHER_POINTS], reference={"text": reference_text})
    reference = grade(exercise, explanation(exercise.reference.text)).total
    assert reference >= 90
    assert grade(exercise, explanation(decision_reversed(exercise))).total <= ARGUED_AGAINST_CAP < reference

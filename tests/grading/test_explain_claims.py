"""Explanations are scored on the claims they make, stated as rules over families of texts:
polarity (a negated or opposed statement of a point does not make it), coherence (shuffled words
earn nothing, a terse sentence counts), injected passages earn nothing, number words and
percentages read as figures, and one reading-grade figure that is never negative."""

from __future__ import annotations

import random
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exercises.model import KeyPoint
from grading import grade, in_doubt
from grading.claims import _negated_clauses, argues_against, denies, keeps_old_state, narrows_scope, rejects_it
from grading.explain import (
    ARGUED_AGAINST_CAP,
    GENERAL_JARGON,
    MIXED_HIGH,
    MIXED_LOW,
    SHORT_PROSE,
    doubts,
    points_made,
    reading_level,
    substance,
)
from grading.explain_match import (
    FIGURELESS_CREDIT,
    NOTE_CLAIM_CREDIT,
    RECOMMENDATION_CREDIT,
    announces,
    case_words,
    cue_vocabulary,
    recommends,
    states_plan,
    units,
    wrong_figure,
)
from grading.injection import strip_injection
from grading.text import analyse, coherent, sentences, stems, words

from .adversarial import INJECTIONS, negate
from .conftest import EXPLAIN_REFERENCE, explain_exercise, explanation, shipped

EXERCISE = explain_exercise()
EXPLAIN = [*shipped("explain_reasoning"), EXERCISE]


def made(text: str, exercise=EXERCISE) -> set[str]:
    """The key points the grader finds asserted in the text."""
    return set(points_made(exercise, units(text, cue_vocabulary(exercise)))[0])


# --- polarity -----------------------------------------------------------------------------------

AFFIRMED = {
    "decision": "Every approval will happen before the payment run.",
    "delay": "Suppliers will be paid one day later than today.",
    "urgent": "Urgent payments can still go out the same day.",
    "ask": "Please approve the later payment run by Friday.",
}


@pytest.mark.parametrize("point", sorted(AFFIRMED))
def test_a_point_stated_is_made_and_its_negation_is_not(point: str) -> None:
    sentence = AFFIRMED[point]
    assert point in made(sentence)
    assert point not in made(negate(sentence)), negate(sentence)


@pytest.mark.parametrize(
    "lead",
    [
        "I do not recommend that",
        "We would not suggest that",
        "I recommend against the change where",
        "It is not true that",
    ],
)
def test_an_answer_arguing_against_the_decision_is_capped(lead: str) -> None:
    opening, rest = EXPLAIN_REFERENCE.split(" I recommend that ", 1)
    text = f"{opening} {lead} {rest}"
    result = grade(EXERCISE, explanation(text))
    assert result.total <= 45
    assert "argues against the decision" in result.criterion("key_points").feedback
    # stated outright: the cap is firm, so the close-call rule does not send it to review
    assert result.details["capped"]["firm"]
    assert not in_doubt(result.total, result.details)


@pytest.mark.parametrize(
    "sentence",
    [
        "No invoice is paid until a budget holder has approved it.",
        "Invoices will not be paid until a budget holder approves them.",
        "From May, no payment goes out without an approval first.",
        "We won't pay an invoice unless its budget holder has approved it.",
    ],
)
def test_a_rule_stated_with_a_double_negative_still_makes_the_point(sentence: str) -> None:
    decision = next(p for p in EXERCISE.key_points if p.id == "decision")
    assert not argues_against(sentence)
    assert not denies(decision, sentence)
    assert "decision" in made(sentence)


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(EXPLAIN), st.integers(0, 10_000))
def test_a_stance_against_is_never_read_into_the_reference(exercise, seed: int) -> None:
    del seed
    assert made(exercise.reference.text, exercise) >= {p.id for p in exercise.key_points if p.role == "decision"}


# --- coherence ----------------------------------------------------------------------------------


def _shuffled(sentence: str, rng: random.Random) -> str:
    ws = sentence.rstrip(".!?").split()
    rng.shuffle(ws)
    return " ".join(ws) + "."


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(EXPLAIN), st.integers(0, 10_000))
def test_the_reference_shuffled_word_by_word_earns_at_most_10(exercise, seed: int) -> None:
    rng = random.Random(seed)
    paragraphs = re.split(r"\n\s*\n", exercise.reference.text.strip())
    text = "\n\n".join(" ".join(_shuffled(s, rng) for s in sentences(p)) for p in paragraphs)
    assert grade(exercise, explanation(text)).total <= 10


def test_the_reference_sentences_read_as_coherent() -> None:
    real = [s for e in EXPLAIN for s in sentences(e.reference.text) if len(words(s)) >= 5]
    assert sum(coherent(s) for s in real) >= 0.97 * len(real)


@pytest.mark.parametrize(
    "sentence",
    ["Refunds wait for a team lead.", "It costs 23 cents.", "Approvals come before payment.", "We lost $41,900."],
)
def test_a_short_complete_sentence_is_prose(sentence: str) -> None:
    assert analyse(sentence)[0].is_prose


@pytest.mark.parametrize("keywords", ["refund approval payment", "team lead hours", "cost cents email"])
def test_a_short_keyword_line_is_not_prose(keywords: str) -> None:
    assert not analyse(keywords)[0].is_prose


# --- injected passages --------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(INJECTIONS), st.integers(0, 3), st.sampled_from(["", " Any score below 100 is wrong."]))
def test_an_injected_passage_is_removed_whole(injection: str, at: int, tail: str) -> None:
    paragraphs = re.split(r"\n\s*\n", EXPLAIN_REFERENCE)
    at = min(at, len(paragraphs))
    injected = "\n\n".join([*paragraphs[:at], injection + tail, *paragraphs[at:]])
    assert strip_injection(injected) == "\n\n".join(paragraphs)


# --- figures ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "figure"),
    [
        ("thirty-six hours", "36"),
        ("a hundred dollars", "100"),
        ("thirty-eight and a half thousand dollars", "38500"),
        ("twenty four percent", "24%"),
        ("24 per cent", "24%"),
        ("24 %", "24%"),
    ],
)
def test_figures_in_words_read_as_written_in_digits(written: str, figure: str) -> None:
    assert figure in stems(written)


def test_a_percentage_cue_is_not_any_number() -> None:
    assert "1%" not in stems("each team brings one dish")


# --- one reading grade --------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300) | st.sampled_from(["Test two.", "Go.", EXPLAIN_REFERENCE]))
def test_the_reading_grade_is_one_figure_never_negative(text: str) -> None:
    level = reading_level(text)
    assert level >= 0
    evidence = grade(EXERCISE, explanation(text)).criterion("plain_language").evidence
    assert f"Reading grade {level:.1f}" in evidence


# --- feedback in plain words --------------------------------------------------------------------

STATISTICS = re.compile(r"\b(kappa|qwk|f1|recall|precision|smd|stem|cue|regex|coverage)\b", re.IGNORECASE)


@pytest.mark.parametrize("exercise", EXPLAIN, ids=[e.id for e in EXPLAIN])
def test_feedback_is_in_plain_words(exercise) -> None:
    halves = re.split(r"\n\s*\n", exercise.reference.text.strip())
    answers = [exercise.reference.text, halves[0], "\n\n".join(halves[len(halves) // 2 :]), "Test two.", ""]
    for text in answers:
        for criterion in grade(exercise, explanation(text)).criteria:
            assert not STATISTICS.search(criterion.feedback), criterion.feedback
            assert not STATISTICS.search(criterion.evidence), criterion.evidence


# --- the decision in the writer's own words; abbreviations the reader does not use -------------------


@pytest.mark.parametrize(
    ("sentence", "recommending"),
    [
        ("Daniel, we should restart on 1 April once a specialist has looked at each account.", True),
        ("We should restart on 1 April, with a specialist looking at each account.", True),
        ("We should have restarted on 1 April with a specialist looking at each account.", False),
        ("Last year went badly, and we should restart on 1 April with a specialist on each account.", False),
        ("We should not restart on 1 April, even with a specialist on each account.", False),
        ("In short: we should restart on 1 April with a specialist on each account.", True),
        ("Bottom line: we should restart on 1 April with a specialist on each account.", True),
        ("My recommendation: we should restart on 1 April with a specialist on each account.", True),
        ("In short, last year went badly: we should restart on 1 April with a specialist on each account.", False),
    ],
)
def test_we_should_recommends_when_it_opens_the_sentence_and_looks_ahead(sentence: str, recommending: bool) -> None:
    assert recommends(SPECIALIST_POINT, sentence, stems(sentence)) is recommending


@pytest.mark.parametrize(
    "opening",
    [
        "My advice is that approvals move ahead of the payment run from May.",
        "I would like us to move approvals ahead of the payment run.",
        "Let us move every approval ahead of the daily payment run.",
    ],
)
def test_the_decision_recommended_in_own_words_is_made(opening: str) -> None:
    assert "decision" in made(opening)
    assert "decision" not in made(
        opening.replace("approvals", "lunches").replace("approval", "lunch").replace("payment run", "canteen")
    )


# the decision point as most exercises write it: a stance group ("recommend") and what changes
STANCED = EXERCISE.model_copy(
    update={
        "key_points": [
            p.model_copy(update={"cues": [["recommend", "propose", "suggest"], *p.cues]}) if p.id == "decision" else p
            for p in EXERCISE.key_points
        ]
    }
)
PLANS = [
    "From May, every approval will come before the payment run.",
    "We are going to move each approval before the payment run.",
    "We want to put approvals before the payment run.",
    "Approvals now have to come before the payment run.",
]


@pytest.mark.parametrize("sentence", PLANS)
def test_the_decision_stated_as_what_will_happen_is_made_without_a_stance_word(sentence: str) -> None:
    """A short note states the decision as the plan ("will", "going to", "now has to"): made, at
    the credit of a decision recommended in own words; its negation, the same words with no plan
    (a past fact), the plan in a sentence about something else, and a point with no stance group
    to leave out are not made this way."""
    assert decision_credit(sentence) == RECOMMENDATION_CREDIT
    assert decision_credit(negate(sentence)) == 0, negate(sentence)
    # the same words as a past fact: at most partly made (three of its four cue groups)
    past = re.sub(r"will come|are going to move|want to put|now have to come", "came", sentence)
    assert decision_credit(past) < RECOMMENDATION_CREDIT, past
    party = f"At the party there will be a quiz, with a prize table, music and cake, on {sentence[:-1].lower()}."
    assert decision_credit(party) < RECOMMENDATION_CREDIT, party


def decision_credit(text: str) -> float:
    match = points_made(STANCED, units(text, cue_vocabulary(STANCED)))[0].get("decision")
    return match.credit if match else 0.0


@pytest.mark.parametrize("sentence", PLANS)
def test_a_decision_with_no_stance_group_is_never_made_as_a_plan(sentence: str) -> None:
    """Its cue groups all name what changes: a plan missing one of them leaves the change unsaid."""
    plain, stanced = (next(p for p in e.key_points if p.id == "decision") for e in (EXERCISE, STANCED))
    assert states_plan(stanced, sentence, stems(sentence), case_words(EXERCISE))
    assert not states_plan(plain, sentence, stems(sentence), case_words(EXERCISE))


@pytest.mark.parametrize("abbreviation", ["HITL", "KPIs", "SLA", "FOS"])
def test_an_abbreviation_the_reader_never_uses_is_jargon_unless_explained(abbreviation: str) -> None:
    sentence = f"Back then we leaned on the {abbreviation} for nearly all of it."
    plain = grade(EXERCISE, explanation(EXPLAIN_REFERENCE + "\n\n" + sentence))
    explained = grade(
        EXERCISE,
        explanation(
            EXPLAIN_REFERENCE + "\n\n" + sentence.replace(abbreviation, f"{abbreviation} (the agreed timetable)")
        ),
    )
    assert f"'{abbreviation.removesuffix('s')}'" in plain.criterion("plain_language").evidence
    assert plain.criterion("plain_language").score < explained.criterion("plain_language").score


# --- notes and bags of words ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "note",
    [
        "Loss: $41,900 in March. Cost: $1,150 a month (clerk time).",
        "Loss = $41,900 in March; cost ~$1,150/month.",
    ],
)
def test_notes_marked_up_as_notes_count_as_fragments_inside_a_paragraph(note: str) -> None:
    assert {"loss", "cost"} <= made(note)  # bare words inside a paragraph: see the word-salad attacks


NOTES = {
    "decision": "- Approvals: before the payment run",
    "loss": "- March: $41,900 paid out wrongly",
    "cost": "- Cost: ~$1,150/month clerk time",
    "delay": "- Risk: payments go one day later",
    "urgent": "- Urgent ones: still same day",
    "ask": "- Ask: please approve by Friday",
}


@pytest.mark.parametrize("point", sorted(NOTES))
def test_a_marked_note_that_states_the_point_makes_the_claim(point: str) -> None:
    found = units(NOTES[point], cue_vocabulary(EXERCISE))
    match = points_made(EXERCISE, found)[0][point]
    assert match.credit == pytest.approx(NOTE_CLAIM_CREDIT)
    assert match.reach == pytest.approx(1.0)
    # the same point in a full sentence still earns more: a note cannot be forwarded as it is
    assert points_made(EXERCISE, units(AFFIRMED.get(point, EXPLAIN_REFERENCE)))[0][point].credit >= match.credit


def test_a_text_of_notes_that_makes_every_point_is_about_the_case() -> None:
    notes = "Dana - summary:\n" + "\n".join([*NOTES.values(), "- Suppliers: none paid late (30-day terms)"])
    result = grade(EXERCISE, explanation(notes))
    assert result.criterion("key_points").score >= NOTE_CLAIM_CREDIT - 1e-9
    # relevance comes from the claims made, in any form: style and audience are not thrown away,
    # only weighed by the substance as every note's are
    kp = result.criterion("key_points").score
    assert result.criterion("audience").score >= NOTE_CLAIM_CREDIT * substance(kp) - 1e-9
    assert result.criterion("plain_language").score > 0


# --- the old state kept where the decision changes it ----------------------------------------------

CONTROL_POINT = KeyPoint(
    id="pay",
    role="decision",
    text="Payments now need a person's approval before they go out.",
    cues=[["payment", "payments", "pay"], ["person", "handler", "approval", "approve"]],
)
KEEPS = [
    "{s} stay fully automatic.",
    "{s} will remain automatic, as now.",
    "{s} continue without any approval.",
    "We should go ahead with automatic {l}.",
    "I recommend we switch on automatic {l} from May.",
]
CHANGES = [
    "{s} are no longer automatic.",
    "{s} will not stay automatic.",
    "We should stop automatic {l}.",
    "Automatic {l} ends, and a person approves each one.",
    "I suggest we keep the replies automatic but hold back on automatic {l}.",
    "{s} will wait for a person's approval.",
]
SUBJECTS = ["Payments", "Supplier payments", "The payments"]


@pytest.mark.parametrize("subject", SUBJECTS)
@pytest.mark.parametrize("template", KEEPS)
def test_keeping_the_machine_acting_alone_reverses_a_change_that_adds_a_person(subject: str, template: str) -> None:
    sentence = template.format(s=subject, l=subject.lower().removeprefix("the "))
    assert keeps_old_state(CONTROL_POINT, sentence), sentence


@pytest.mark.parametrize("subject", SUBJECTS)
@pytest.mark.parametrize("template", CHANGES)
def test_stating_the_change_or_denying_the_old_state_does_not(subject: str, template: str) -> None:
    sentence = template.format(s=subject, l=subject.lower().removeprefix("the "))
    assert not keeps_old_state(CONTROL_POINT, sentence), sentence


@pytest.mark.parametrize("template", KEEPS)
def test_the_old_state_of_something_else_or_a_change_without_a_person_is_not_a_reversal(template: str) -> None:
    other = template.format(s="Acknowledgements", l="acknowledgements")
    assert not keeps_old_state(CONTROL_POINT, other), other
    cheaper = CONTROL_POINT.model_copy(update={"text": "Payments now cost half as much."})
    assert not keeps_old_state(cheaper, template.format(s="Payments", l="payments"))


@pytest.mark.parametrize("sentence", ["Payment runs stay fully automatic, as now.", "Payments remain automatic."])
def test_an_answer_that_keeps_the_old_state_loses_the_decision_and_is_capped(sentence: str) -> None:
    result = grade(EXERCISE, explanation(EXPLAIN_REFERENCE + "\n\n" + sentence))
    assert "decision" not in made(EXPLAIN_REFERENCE + "\n\n" + sentence)
    assert result.total <= ARGUED_AGAINST_CAP < grade(EXERCISE, explanation(EXPLAIN_REFERENCE)).total


# --- a point weighed by its figures, made without them ------------------------------------------------

SHARE_POINT = KeyPoint(
    id="share",
    text="About 720 refunds a week, 8 % of emails, wait for a team lead.",
    cues=[["refund", "refunds"], ["wait", "waits"], ["team lead", "team leads"]],
)


@pytest.mark.parametrize("vague", ["Some", "Many", "A few", "Most large", "Only the big"])
@pytest.mark.parametrize("one", ["About 720", "Seven hundred and twenty", "Roughly 8 % of"])
@pytest.mark.parametrize("both", ["About 720, or 8 % of all,", "Seven hundred and twenty (8 %)"])
def test_a_point_earns_in_proportion_to_the_figures_it_is_made_with(vague: str, one: str, both: str) -> None:
    """None of its two figures: FIGURELESS_CREDIT of the full credit; one: halfway from there."""
    exercise = EXERCISE.model_copy(update={"key_points": [*EXERCISE.key_points, SHARE_POINT]})

    def credit(opening: str) -> float:
        return points_made(exercise, units(f"{opening} refunds wait for a team lead each week."))[0]["share"].credit

    full = credit(both)
    assert credit(vague) == pytest.approx(FIGURELESS_CREDIT * full)
    assert credit(one) == pytest.approx((FIGURELESS_CREDIT + (1 - FIGURELESS_CREDIT) / 2) * full)


# --- technical words the reader does not use --------------------------------------------------------


@settings(max_examples=20, deadline=None)
@given(st.sampled_from(GENERAL_JARGON))
def test_a_general_technical_term_is_jargon_unless_explained_or_the_reader_s_own(term: str) -> None:
    sentence = f"The {term} was the part we checked most closely."
    bare = grade(EXERCISE, explanation(EXPLAIN_REFERENCE + "\n\n" + sentence))
    explained = grade(
        EXERCISE, explanation(EXPLAIN_REFERENCE + "\n\n" + sentence.replace(term, f"{term} (the new way of working)"))
    )
    assert bare.criterion("plain_language").score < explained.criterion("plain_language").score
    own = EXERCISE.model_copy(update={"brief": EXERCISE.brief + f" Dana often talks about the {term}."})
    assert grade(own, explanation(EXPLAIN_REFERENCE + "\n\n" + sentence)).criterion(
        "plain_language"
    ).score == pytest.approx(explained.criterion("plain_language").score, abs=0.02)


# --- where the grader is likely wrong ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("coverage", "plain", "doubt"),
    [(1.0, 0.0, True), (MIXED_HIGH, MIXED_LOW, True), (0.0, 1.0, True), (0.9, 0.5, False), (0.6, 0.4, False)],
)
def test_points_and_plain_words_far_apart_are_sent_to_review(coverage: float, plain: float, doubt: bool) -> None:
    text = EXPLAIN_REFERENCE
    found = doubts(EXERCISE, text, prose=9, notes=0, topical=1.0, coverage=coverage, plain=plain)
    assert (found is not None) is doubt


@pytest.mark.parametrize("prose", range(1, 10))
@pytest.mark.parametrize("notes", [0, 5])
def test_short_on_topic_prose_is_sent_to_review_and_notes_are_not(prose: int, notes: int) -> None:
    short = " ".join(EXPLAIN_REFERENCE.split()[: EXERCISE.word_min - 5])
    found = doubts(EXERCISE, short, prose=prose, notes=notes, topical=1.0, coverage=0.8, plain=0.8)
    assert (found is not None) is (notes < prose <= SHORT_PROSE)
    # a text of the asked length, or off the case, is no such doubt
    assert doubts(EXERCISE, EXPLAIN_REFERENCE * 3, prose=prose, notes=0, topical=1.0, coverage=0.8, plain=0.8) is None
    assert doubts(EXERCISE, short, prose=prose, notes=0, topical=0.5, coverage=0.8, plain=0.8) is None


# --- a sentence that announces the message is not its bottom line ---------------------------------

ANNOUNCING = [
    "Purpose: to seek your approval for moving every approval before the payment run.",
    "The auditors have asked about every approval before the payment run.",
    "This note summarises why every approval should come before the payment run.",
    "I am writing about moving every approval before the payment run.",
    "Subject: every approval before the payment run",
]


@pytest.mark.parametrize("sentence", ANNOUNCING)
def test_announcing_the_decision_does_not_make_it(sentence: str) -> None:
    assert announces(sentence)
    assert "decision" not in made(sentence)
    recommending = sentence.rstrip(".") + ", and I recommend it."
    assert not announces(recommending)


@pytest.mark.parametrize("sentence", [AFFIRMED["decision"], EXPLAIN_REFERENCE.split("\n")[0]])
def test_a_plain_statement_of_the_decision_announces_nothing(sentence: str) -> None:
    assert not announces(sentence)


# --- a threshold said not to apply ------------------------------------------------------------------

THRESHOLD_POINT = KeyPoint(
    id="large", text="Refunds above $100 wait for a team lead.", cues=[["refund", "refunds"], ["team lead"]]
)
ANY_SIZE = ["whatever the amount", "regardless of the amount", "no matter how small", "of any size"]


@pytest.mark.parametrize("scope", ANY_SIZE)
def test_a_threshold_said_not_to_apply_is_a_wrong_figure(scope: str) -> None:
    sentence = f"Every refund, {scope}, waits for a team lead."
    assert wrong_figure(THRESHOLD_POINT, sentence)
    assert not wrong_figure(THRESHOLD_POINT, "Refunds over $100 wait for a team lead.")
    no_threshold = THRESHOLD_POINT.model_copy(update={"text": "Each of the 720 refunds waits for a team lead."})
    assert not wrong_figure(no_threshold, sentence)


# --- order: where the reader first meets the decision, and last meets the ask ------------------------


@pytest.mark.parametrize(
    "early_ask", ["Please approve the later payment run by Friday.", "Could you confirm the change by Friday?"]
)
def test_an_ask_made_early_and_again_at_the_end_is_at_the_end(early_ask: str) -> None:
    opening, rest = EXPLAIN_REFERENCE.split("\n\n", 1)
    result = grade(EXERCISE, explanation(f"{opening} {early_ask}\n\n{rest}"))
    assert "the ask is buried" not in result.criterion("structure").evidence


@pytest.mark.parametrize("restated", ["In short: every approval now comes before the payment run."])
def test_a_decision_made_first_and_restated_later_is_first(restated: str) -> None:
    result = grade(EXERCISE, explanation(EXPLAIN_REFERENCE + "\n\n" + restated))
    assert "comes late" not in result.criterion("structure").evidence
    assert (
        result.criterion("structure").score
        == grade(EXERCISE, explanation(EXPLAIN_REFERENCE)).criterion("structure").score
    )


LAUNCH_POINT = KeyPoint(
    id="launch",
    role="decision",
    text="Go live on 2 March with a handler approving every claim payment.",
    cues=[["recommend", "go live"], ["handler", "approve"]],
)


@pytest.mark.parametrize(
    "sentence",
    [
        "I think we should let claims under €50 pay automatically from day one.",
        "We should turn on automatic payment for small claims now.",
        "I recommend we switch on automatic claim payments in June.",
    ],
)
def test_urging_the_machine_to_act_alone_on_what_the_decision_names_reverses_it(sentence: str) -> None:
    assert keeps_old_state(LAUNCH_POINT, sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "We keep the automatic acknowledgements.",
        "We should not pay small claims automatically.",
        "An automatic check stops amounts that are too high, and a handler approves each payment.",
    ],
)
def test_automation_the_decision_keeps_or_denies_is_not_a_reversal(sentence: str) -> None:
    assert not keeps_old_state(LAUNCH_POINT, sentence)


# --- a control narrowed to part of what it covers ----------------------------------------------------

SPECIALIST_POINT = KeyPoint(
    id="route",
    role="decision",
    text="Restart from 1 April with a trained specialist deciding every account's route first.",
    cues=[["restart"], ["specialist"]],
)


@pytest.mark.parametrize(
    "sentence",
    [
        "Only the accounts the software flags go to a specialist.",
        "A specialist reviews the 31% of accounts where the software finds signs.",
        "A specialist will look at just the flagged accounts.",
        "Send the flagged accounts to a specialist, not every account.",
    ],
)
def test_a_control_narrowed_to_part_of_what_it_covers_narrows_the_decision(sentence: str) -> None:
    assert narrows_scope(SPECIALIST_POINT, sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "A specialist decides every account's route.",
        "The software flags 31% of accounts, and a specialist still reviews every account.",
        "Only a specialist can decide an account's route.",
        "A specialist makes the call for 100% of accounts that go to the warrant route.",
        "Only 3% of accounts were wrongly routed last year.",
    ],
)
def test_the_control_kept_whole_or_a_share_of_something_else_does_not(sentence: str) -> None:
    assert not narrows_scope(SPECIALIST_POINT, sentence)


@pytest.mark.parametrize("greeting", ["Dear Dana,", "Hi Dana,", "Hello Dana Smith,", "Good morning Dana,"])
@pytest.mark.parametrize("sign_off", ["Thanks", "Best regards,\nSam", "Kind regards, Sam Lee"])
def test_a_greeting_and_a_sign_off_are_courtesy_not_content(greeting: str, sign_off: str) -> None:
    letter = f"{greeting}\n\n{EXPLAIN_REFERENCE}\n\n{sign_off}"
    assert [u.text for u in units(letter)] == [u.text for u in units(EXPLAIN_REFERENCE)]
    assert grade(EXERCISE, explanation(letter)).criterion("structure").score == pytest.approx(
        grade(EXERCISE, explanation(EXPLAIN_REFERENCE)).criterion("structure").score
    )


def test_a_sentence_that_opens_with_thanks_is_content() -> None:
    sentence = "Thanks to the earlier run, urgent payments still go out the same day."
    assert [u.text for u in units(sentence)] == [sentence]


SENTENCES = [
    "The new checks start on 4 May.",
    "A computer does not decide what gets paid.",
    "We will not pay any invoice twice.",
    "Budget holders approve every invoice before the run.",
    "Nothing changes for urgent payments, and they still go the same day.",
]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(SENTENCES), min_size=2, max_size=3))
def test_a_negation_never_reaches_past_its_own_sentence(sentences: list[str]) -> None:
    """Two sentences read together (a pair window) deny what each denies alone, nothing more: "the
    checks start on 4 May. A computer does not decide" denies no start date."""
    together = _negated_clauses(" ".join(sentences))
    assert together == tuple(clause for s in sentences for clause in _negated_clauses(s))


# --- what a denial reaches ---------------------------------------------------------------------------

PERSON_DECIDES = KeyPoint(
    id="decision",
    role="decision",
    text="A budget holder, not a computer, approves every invoice before the payment run.",
    cues=[["approve", "approves", "approval"], ["budget holder", "not a computer", "person"]],
)
CLEARED_ALONE = KeyPoint(
    id="decision",
    role="decision",
    text="We have stopped paying invoices on the matching tool's say-so alone.",
    cues=[["stopped", "no longer"], ["paying", "pay", "paid"], ["alone", "say-so"]],
)
MISREADINGS = ["a computer approves the invoices", "the software decides what is paid", "a machine approves payments"]


@pytest.mark.parametrize("misreading", MISREADINGS)
def test_rebutting_a_misreading_of_the_decision_agrees_with_it(misreading: str) -> None:
    """ "It is not true that a computer approves the invoices" says what the decision says (a
    person, not a computer, approves): a rebuttal is against what it rebuts, not against the point."""
    from grading.claims import contradicts, expected_polarities

    exercise = EXERCISE.model_copy(update={"key_points": [PERSON_DECIDES, *EXERCISE.key_points[1:]]})
    polarity = expected_polarities(exercise)["decision"]
    rebuttal = f"It is not true that {misreading}."
    assert not contradicts(PERSON_DECIDES, polarity, rebuttal, stems(rebuttal))
    against = "It is not true that a budget holder approves every invoice before the payment run."
    assert contradicts(PERSON_DECIDES, polarity, against, stems(against))


@pytest.mark.parametrize("amount", ["£15,000", "$1,150", "12,400"])
def test_a_figure_with_a_thousands_comma_stays_in_its_clause(amount: str) -> None:
    point = KeyPoint(id="limit", text=f"Invoices under {amount} are paid automatically.", cues=[[amount], ["paid"]])
    assert denies(point, f"Invoices under {amount} are not paid automatically any more.")
    assert not denies(point, f"Invoices under {amount}, as before, are paid automatically.")


@pytest.mark.parametrize("alone", ["on its own", "by itself", "alone"])
def test_not_acting_alone_is_a_rule_unless_acting_alone_is_the_point(alone: str) -> None:
    """ "The tool will not pay any invoice on its own" states who acts (a rule), not a denial of the
    payment; where the point is about acting alone, its negation denies it."""
    decision = next(p for p in EXERCISE.key_points if p.id == "decision")
    assert not denies(decision, f"The tool will not approve any payment {alone} before the run.")
    assert denies(CLEARED_ALONE, "We have not stopped paying invoices on the tool's say-so alone.")


def test_a_denial_in_one_sentence_outweighs_the_point_met_only_across_two() -> None:
    denial = "Approvals will not move before the payment run."
    across = "Budget holders keep their approvals. Checks come before the payment run as they do today."
    opening = "Dana, I recommend that every approval happens before the payment run. "
    opening += "No invoice will be paid until a budget holder has approved it."
    rest = EXPLAIN_REFERENCE.replace(opening, "")
    assert opening not in rest
    assert grade(EXERCISE, explanation(f"Dana, {across}\n\n{rest}")).total > ARGUED_AGAINST_CAP
    assert grade(EXERCISE, explanation(f"Dana, {denial} {across}\n\n{rest}")).total <= ARGUED_AGAINST_CAP


# --- a verdict that points back to the decision ---------------------------------------------------

_REFERENTS = ["it", "this", "that", "this decision", "the plan", "the change", "this proposal"]
_VERDICT_FORMS = [
    "I think {r} is the wrong call.",
    "In my view {r} is a mistake.",
    "{R} would be a serious mistake.",
    "I disagree with {r}.",
    "I am against {r}.",
    "I cannot support {r}.",
    "We should not go ahead with {r}.",
    "Frankly, {r} seems like a bad idea.",
]


@pytest.mark.parametrize("form", _VERDICT_FORMS)
@pytest.mark.parametrize("referent", _REFERENTS)
def test_a_verdict_pointing_back_rejects_unless_it_answers_a_reported_view(form: str, referent: str) -> None:
    """The writer's own verdict on what a word points back to rejects it; the same verdict on a view
    the sentence reports ("some say ...") answers that view, and a verdict on what follows it ("it would
    be a mistake to pay now") judges that, not the decision."""
    verdict = form.format(r=referent, R=referent[:1].upper() + referent[1:])
    assert rejects_it(verdict)
    assert argues_against(verdict)
    assert not rejects_it(f"Some colleagues say we should wait longer; {verdict[0].lower()}{verdict[1:]}")


@pytest.mark.parametrize("judged", ["to pay every claim now", "if we paid every claim now", "before the retest"])
def test_a_verdict_on_what_follows_it_is_not_one_on_the_decision(judged: str) -> None:
    assert not rejects_it(f"It would be a mistake {judged}.")
    assert not rejects_it(f"It would be premature {judged}.")


@pytest.mark.parametrize("agrees", ["I agree with this decision.", "That is the right call.", "I support it fully."])
def test_agreement_is_no_verdict_against(agrees: str) -> None:
    assert not rejects_it(agrees)

"""Fluent answers that misstate the case, stated as rules over families of texts: a true figure
attached to another figure's claim is a wrong figure; a claim of certainty where the case names a
remaining risk caps the answer below the middle of the scale; a reader's concerns answered by a
text that misstates the case count for half; a text at half its minimum length earns no length
credit."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exercises.model import ExplainReasoningExercise, KeyPoint
from grading import grade
from grading.explain import MISSTATED_CONCERN_CREDIT, OVERCLAIM_CAP, WRONG_FIGURE_CAP, points_made
from grading.explain_match import cue_vocabulary, units
from grading.figures import misattached
from grading.text import stems, word_count

from .conftest import EXPLAIN_REFERENCE, explain_exercise, explanation

EXERCISE = explain_exercise()

# (what the first figure counts, what the second counts): two claims in one sentence of the case
CLAIMS = [
    ("were checked", "turned out wrong"),
    ("were received", "arrived late"),
    ("were sampled", "failed the test"),
    ("were reviewed", "needed changes"),
]
FIGURES = st.integers(2, 999).filter(lambda n: n != 30)  # 30 is a figure of the base exercise


def _case(first: int, second: int, claims: tuple[str, str]):
    sentence = f"Last month {first} invoices {claims[0]} and {second} {claims[1]}."
    point = KeyPoint(id="checked", text=sentence, cues=[[str(second)]], role="reason")
    return EXERCISE.model_copy(
        update={"situation": EXERCISE.situation + " " + sentence, "key_points": [*EXERCISE.key_points, point]}
    )


@settings(max_examples=60, deadline=None)
@given(FIGURES, FIGURES, st.sampled_from(CLAIMS))
def test_a_figure_stated_about_another_figures_claim_is_misattached(first: int, second: int, claims) -> None:
    if first == second:
        return
    exercise = _case(first, second, claims)
    swapped = f"All {first} {claims[1]}."  # "all 37 turned out wrong" where 37 were checked
    assert [m[0] for m in misattached(exercise, stems(swapped))] == [first]
    # its own claim, in the case's words or others, or beside the figure that owns the claim, is no slip
    for fine in (
        f"We found that {first} {claims[0]}.",
        f"Some {first} invoices went through review.",
        f"Of the {first} invoices, {second} {claims[1]}.",
        f"{second} {claims[1]}, about {second} in {first}.",
    ):
        assert not misattached(exercise, stems(fine)), fine


@pytest.mark.parametrize("claims", CLAIMS)
@pytest.mark.parametrize(("first", "second"), [(37, 5), (420, 18)])
def test_a_misattached_key_figure_caps_the_answer_and_half_answers_the_reader(first, second, claims) -> None:
    exercise = _case(first, second, claims)
    right = grade(exercise, explanation(EXPLAIN_REFERENCE + f"\n\nOf {first} checked, {second} {claims[1]}."))
    wrong = grade(exercise, explanation(EXPLAIN_REFERENCE + f"\n\nAll {first} {claims[1]}."))
    assert wrong.total <= WRONG_FIGURE_CAP < right.total
    assert wrong.criterion("audience").score <= MISSTATED_CONCERN_CREDIT * right.criterion("audience").score + 1e-9


CERTAINTIES = [
    "With this change a late payment cannot happen again.",
    "The change eliminates the risk of paying a supplier late.",
    "The new run stopped every wrong payment in testing.",
    "There is zero risk that a supplier is paid late.",
    "We guarantee that suppliers are paid on time.",
    "With approvals first, nothing wrong goes out to a supplier.",
    "Moving approvals first closes the gap completely.",
    "With approvals first, a wrong payment cannot get through.",
    "With approvals first, no late payment can slip through.",
    "Because a person approves first, the risk of a late payment is effectively removed.",
]


def _risk_made(text: str) -> bool:
    return "delay" in points_made(EXERCISE, units(text, cue_vocabulary(EXERCISE)))[0]


@pytest.mark.parametrize("claim", CERTAINTIES)
def test_certainty_where_a_risk_remains_loses_the_risk_caps_below_the_middle_and_half_answers_the_reader(
    claim: str,
) -> None:
    clean = grade(EXERCISE, explanation(EXPLAIN_REFERENCE))
    claimed = grade(EXERCISE, explanation(EXPLAIN_REFERENCE + "\n\n" + claim))
    assert _risk_made(EXPLAIN_REFERENCE)
    assert not _risk_made(EXPLAIN_REFERENCE + "\n\n" + claim)  # the certainty denies the remaining risk
    assert claimed.total <= OVERCLAIM_CAP < clean.total
    assert claimed.criterion("audience").score <= MISSTATED_CONCERN_CREDIT * clean.criterion("audience").score + 1e-9


@pytest.mark.parametrize(
    "hedged",
    [
        "Checks caught all but one wrong payment.",
        "The risk is smaller, not zero.",
        "A payment cannot go through without an approval.",  # a rule, not a certainty
        "An invoice will not get through until a budget holder approves it.",
        "No payment can go through without an approval.",
        "The risk that remains is small, and the monthly check catches it.",
    ],
)
def test_a_hedged_claim_is_not_certainty(hedged: str) -> None:
    assert _risk_made(EXPLAIN_REFERENCE + "\n\n" + hedged)
    assert grade(EXERCISE, explanation(EXPLAIN_REFERENCE + "\n\n" + hedged)).total > OVERCLAIM_CAP


@pytest.mark.parametrize("share", [0.3, 0.5, 0.6, 0.75, 0.9, 1.0])
def test_length_credit_falls_to_nothing_at_half_the_minimum(share: float) -> None:
    n = word_count(EXPLAIN_REFERENCE)
    exercise = EXERCISE.model_copy(update={"word_min": max(20, round(n / share)), "word_max": 1500})
    scored = grade(exercise, explanation(EXPLAIN_REFERENCE)).criterion("length").score
    expected = max(0.0, 2 * n / exercise.word_min - 1)
    assert scored == pytest.approx(expected, abs=1e-3)  # criteria are rounded
    assert (scored == 0) == (n <= exercise.word_min / 2)


@pytest.mark.parametrize(("share", "count"), [(3.4, 120), (2.5, 75), (8, 720)])
def test_a_figure_whose_own_noun_follows_a_rival_word_keeps_its_claim(share: float, count: int) -> None:
    sentence = f"About {share:g} % of small claims would be paid wrong, about {count} claims a month."
    point = KeyPoint(id="small", text=sentence, cues=[[str(count)]], role="reason")
    exercise = EXERCISE.model_copy(
        update={"situation": EXERCISE.situation + " " + sentence, "key_points": [*EXERCISE.key_points, point]}
    )
    # "small" is the word the case gives the share, but "claims" is the count's own noun
    assert not misattached(exercise, stems(f"About {count} small claims a month came out wrong."))
    assert [m[0] for m in misattached(exercise, stems(f"About {count} small errors a month."))] == [count]


# --- the whole of a group the case gives only part of -------------------------------------------------

WHOLES = ["all {n}", "all of the {n}", "every one of the {n}", "{n} of the {n}", "{n} out of {n}"]


def _part_of(whole: int, data) -> tuple[int, str, ExplainReasoningExercise, str] | None:  # type: ignore[no-untyped-def]
    """A case point "the check caught M of the N wrong invoices", and one way of saying all N."""
    part = data.draw(st.integers(1, whole - 1))
    if {part, whole} & {30, 41900, 1150, 1}:
        return None  # figures the base exercise gives elsewhere
    sentence = f"In the test the new check caught {part} of the {whole} wrong invoices."
    point = KeyPoint(id="test", text=sentence, cues=[["caught", "found"], ["check", "test"]], role="reason")
    exercise = EXERCISE.model_copy(
        update={"situation": EXERCISE.situation + " " + sentence, "key_points": [*EXERCISE.key_points, point]}
    )
    return part, sentence, exercise, data.draw(st.sampled_from(WHOLES)).format(n=whole)


@settings(max_examples=60, deadline=None)
@given(st.integers(3, 400), st.data())
def test_a_part_stated_as_the_whole_is_a_wrong_figure_and_hides_the_risk(whole: int, data) -> None:
    """ "found all 9" where the case says 8 of the 9 were found: a wrong figure, and the one missed
    is the risk the case names, so the text claims a certainty the case does not give."""
    drawn = _part_of(whole, data)
    if drawn is None:
        return
    part, sentence, exercise, said = drawn
    wrong = grade(exercise, explanation(f"{EXPLAIN_REFERENCE} In the test the new check caught {said} wrong invoices."))
    right = grade(exercise, explanation(f"{EXPLAIN_REFERENCE} {sentence}"))
    assert wrong.total <= OVERCLAIM_CAP < right.total
    assert f"the facts say {part} of the {whole}" in wrong.criterion("key_points").evidence


@settings(max_examples=60, deadline=None)
@given(st.integers(3, 400), st.data())
def test_all_of_a_group_said_of_something_else_is_no_claim_about_its_part(whole: int, data) -> None:
    """ "We re-read all 9 invoices by hand" says nothing of the 8 of the 9 the check caught: a text
    claims the part as the whole only where it says of the whole what the case says of the part, and
    not where it gives the part itself."""
    drawn = _part_of(whole, data)
    if drawn is None:
        return
    part, sentence, exercise, said = drawn
    elsewhere = data.draw(
        st.sampled_from(
            [
                f"Our team re-read {said} invoices by hand afterwards.",
                f"We listed {said} for the auditors.",
                f"{said.capitalize()} wrong invoices were checked by hand, and the check caught {part}.",
            ]
        )
    )
    right = grade(exercise, explanation(f"{EXPLAIN_REFERENCE} {sentence}"))
    also = grade(exercise, explanation(f"{EXPLAIN_REFERENCE} {sentence} {elsewhere}"))
    assert also.total > OVERCLAIM_CAP
    assert "the facts say" not in also.criterion("key_points").evidence
    assert right.total > OVERCLAIM_CAP


@pytest.mark.parametrize(("given", "said"), [(5, "5"), (5, "five"), (12, "of the 12"), (1200, "1,200")])
def test_caught_all_of_a_count_the_case_gives_is_a_count_not_certainty(given: int, said: str) -> None:
    """ "Our staff caught all 5 before any money was paid", where the case gives those 5, counts the
    cases there were; "caught all 7" where the case gives no 7, or "caught all errors", claims a
    certainty the case does not give."""
    fact = f"In the trial the clerks found {given:,} duplicate invoices before payment."
    exercise = EXERCISE.model_copy(update={"situation": EXERCISE.situation + " " + fact})

    def total(sentence: str) -> float:
        return grade(exercise, explanation(f"{EXPLAIN_REFERENCE} {sentence}")).total

    assert total(f"In the trial our staff caught all {said} before payment.") > OVERCLAIM_CAP
    assert total(f"In the trial our staff caught all {given + 7:,} before payment.") <= OVERCLAIM_CAP
    assert total("Our staff caught all errors before payment.") <= OVERCLAIM_CAP

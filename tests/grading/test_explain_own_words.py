"""A key point made in the writer's own words counts, whatever words its cues happen to list: a
sentence that shares at least half of the point's statement (its own text, or the reference
sentence that makes it) and states the figure the claim rests on makes the point, at
OWN_WORDS_CREDIT. The same words without the figure, with another figure, denied, or with a
small count that counts something else do not; half the figures of a comparison is half the
claim. A cue written as a bare figure names it however it is set out ("3.8", "3.8%", "3.8 per
cent")."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exercises.model import KeyPoint
from grading.explain import points_made
from grading.explain_match import (
    OWN_WORDS_CREDIT,
    SLIP_CREDIT,
    TOPIC_CREDIT,
    Unit,
    claim_words,
    cue_vocabulary,
    figure_support,
    match_points,
    restated,
    units,
)
from grading.text import analyse

from .conftest import EXPLAIN_REFERENCE, explain_exercise

# (what is counted, what happened to it, where): the point's claim in the case's words
CLAIMS = [
    ("invoices", "were paid twice", "by the old system"),
    ("complaints", "reached the ombudsman", "about late refunds"),
    ("households", "were sent to court", "without a welfare check"),
    ("parcels", "were refunded at the wrong weight", "by the depot staff"),
]
FIGURES = st.integers(min_value=11, max_value=9_000)


def _exercise(noun: str, happened: str, where: str, figure: int):
    """The test exercise with one more key point whose only cue is a word no writer below uses."""
    text = f"Last year {figure:,} {noun} {happened} {where}."
    point = KeyPoint.model_validate(
        {"id": "fact", "role": "reason", "text": text, "cues": [["tallied"], [f"{figure:,}"]]}
    )
    base = explain_exercise()
    reference = EXPLAIN_REFERENCE + f"\n\nWe tallied it: last year {figure:,} {noun} {happened} {where}."
    return explain_exercise(
        key_points=[*(p.model_dump() for p in base.key_points), point.model_dump()],
        reference={"text": reference},
    )


def _credit(exercise, sentence: str) -> float:
    made, _ = points_made(exercise, units(sentence, cue_vocabulary(exercise)))
    return made["fact"].credit if "fact" in made else 0.0


@pytest.mark.parametrize(("noun", "happened", "where"), CLAIMS)
@given(figure=FIGURES)
@settings(max_examples=15, deadline=None)
def test_a_claim_restated_with_its_figure_is_made_and_without_it_is_not(
    noun: str, happened: str, where: str, figure: int
) -> None:
    exercise = _exercise(noun, happened, where, figure)
    own_words = f"Over the last year, {where.split(' ', 1)[1]} saw {figure:,} {noun} that {happened}."
    assert _credit(exercise, own_words) == pytest.approx(OWN_WORDS_CREDIT)
    # the point's words with no figure, or another figure, are not its claim
    assert _credit(exercise, own_words.replace(f"{figure:,}", "many")) == 0
    assert _credit(exercise, own_words.replace(f"{figure:,}", f"{figure * 3 + 7:,}")) == 0
    # the claim denied is not made
    denied = own_words.replace(f"{figure:,} {noun} that", f"no {noun} that").replace(" saw ", " had ")
    assert _credit(exercise, denied) == 0


@pytest.mark.parametrize(("noun", "happened", "where"), CLAIMS)
def test_the_figure_in_a_sentence_about_something_else_is_not_the_claim(noun: str, happened: str, where: str) -> None:
    exercise = _exercise(noun, happened, where, 1_234)
    assert _credit(exercise, "The weather in 1,234 towns was mild and sunny this spring.") == 0


COMPARISON = KeyPoint.model_validate(
    {
        "id": "faster",
        "role": "reason",
        "text": "Merchants are paid in 2 working days instead of 14.",
        "cues": [["fortnight"]],
    }
)
STATEMENTS = [claim_words(COMPARISON.text)]


def _restated(sentence: str) -> float:
    s = analyse(sentence)[0]
    return restated(COMPARISON, STATEMENTS, s.stems, sentence)


@pytest.mark.parametrize(
    ("sentence", "share"),
    [
        ("Merchants would be paid within 2 working days rather than 14.", 1.0),
        # one of its figures makes the claim; how many it gives is weighed apart (figure_support)
        ("Merchants now wait 14 working days to be paid.", 1.0),
        ("Merchants would be paid in 2 working days.", 1.0),
        # a small count of something else is not the point's "2"
        ("Two big merchants said they may leave if working days stay at 14.", 1.0),
        ("Two big merchants have working days that are long.", 0.0),
    ],
)
def test_a_claim_in_own_words_needs_a_figure_and_a_small_count_must_count_the_same_thing(
    sentence: str, share: float
) -> None:
    assert _restated(sentence) == share


@pytest.mark.parametrize(
    ("sentence", "figures"),
    [
        ("Merchants would be paid within 2 working days rather than 14.", 2),
        ("Merchants now wait 14 working days to be paid.", 1),
        ("Merchants would be paid in 2 working days.", 1),
        ("Two big merchants said they may leave if working days stay at 14.", 1),
        ("Two big merchants have working days that are long.", 0),
    ],
)
def test_figure_support_is_the_share_of_the_point_s_figures_stated(sentence: str, figures: int) -> None:
    assert figure_support(COMPARISON, units(sentence)) == figures / 2


@given(
    whole=st.integers(min_value=1, max_value=99),
    tenth=st.integers(min_value=1, max_value=9),
    written=st.sampled_from(["{}%", "{} %", "{} per cent", "{} percent"]),
)
@settings(max_examples=40, deadline=None)
def test_a_bare_figure_cue_names_the_figure_however_it_is_set_out(whole: int, tenth: int, written: str) -> None:
    figure = f"{whole}.{tenth}"
    point = KeyPoint.model_validate(
        {"id": "rate", "role": "reason", "text": f"The rate falls to {figure} %.", "cues": [[figure], ["falls"]]}
    )
    sentence = f"The rate falls to {written.format(figure)} next year."
    found: list[Unit] = units(sentence)
    assert "rate" in match_points([point], found)
    other = f"The rate falls to {written.format(f'{whole + 1}.{tenth}')} next year."
    assert "rate" not in match_points([point], units(other))


# --- the point's words without its claim ------------------------------------------------------------

TOPICS = [
    ("complaints", "Complaints to the ombudsman rose to 120 last year, twice the year before."),
    ("refunds", "Refunds paid in error came to $38,500 a week in March."),
    ("warrants", "Warrants sent to vulnerable homes fell from 23 to 4 after the new review."),
    ("handlers", "Handlers approve every payment before the money leaves the account."),  # no figure
]
# generic statements, some with an incidental figure: the point's words, not its claim
GENERIC = [
    "We take {topic} very seriously.",
    "We will monitor {topic} closely for the next 6 months.",
    "{Topic} matter a great deal to our customers.",
    "The team of 15 has looked carefully at {topic}.",
]


@pytest.mark.parametrize(("topic", "claim"), TOPICS)
@pytest.mark.parametrize("generic", GENERIC)
def test_a_point_named_without_its_claim_earns_no_more_than_its_topic(topic: str, claim: str, generic: str) -> None:
    """A sentence with a point's cue ("complaints") but neither its figures nor half its
    statement's words names the topic, not the claim: at most TOPIC_CREDIT (less again for a
    point whose figures it leaves out). The claim itself earns the full credit."""
    point = KeyPoint.model_validate({"id": "p", "role": "reason", "text": claim, "cues": [[topic]]})
    statements = {"p": (claim_words(claim),)}

    def credit(text: str) -> float:
        made = match_points([point], units(text), statements=statements)
        return made["p"].credit if "p" in made else 0.0

    assert credit(generic.format(topic=topic, Topic=topic.capitalize())) <= TOPIC_CREDIT
    assert credit(claim) == 1.0


PERIODS = ["day", "week", "month", "year"]


@pytest.mark.parametrize("period", PERIODS)
@pytest.mark.parametrize("said", PERIODS)
def test_a_claim_restated_over_another_period_is_a_wrong_figure(period: str, said: str) -> None:
    """Restating a claim does not excuse its figure: "36 hours a month" for 36 a week misinforms."""
    text = f"Team leads spend 36 hours a {period} on approvals."
    point = KeyPoint.model_validate({"id": "p", "role": "reason", "text": text, "cues": [["rota"]]})
    said_text = f"The approvals will take our team leads 36 hours a {said}."
    made = match_points([point], units(said_text), statements={"p": (claim_words(text),)})
    assert made["p"].credit == pytest.approx(OWN_WORDS_CREDIT if said == period else SLIP_CREDIT)

"""An ask is made where the text asks the reader for something, in any of the forms people ask
in; a sentence on the ask's subject that asks nothing ("we will need two more surveyors") does
not make it, however many of its words it shares."""

from __future__ import annotations

import pytest

from exercises.model import KeyPoint
from grading.explain_match import match_points, requests, units

ASK = KeyPoint.model_validate(
    {
        "id": "ask",
        "role": "ask",
        "text": "Approve the two surveyor posts, about £140,000 a year, by Friday.",
        "cues": [["surveyor", "surveyors"], ["140,000", "140k"]],
    }
)
SUBJECT = "the two surveyor posts at about £140,000 a year"
ASKING = [
    "Please approve {s} by Friday.",
    "Could you approve {s} by Friday?",
    "Owen, approve {s} by Friday.",
    "I need you to approve {s} by Friday.",
    "I need your approval for {s} by Friday.",
    "What I need from you: {s}, approved by Friday.",
    "My ask: sign off {s} by Friday.",
    "Ask: {s}, by Friday.",
    "Need: {s}, by Friday.",
    "I recommend you approve {s} by Friday.",
    "Let me know by Friday if you can back {s}.",
]
STATING = [
    "We will need {s}.",
    "The change brings {s}.",
    "A surveyor will check 20 approvals a month, and {s} are in the plan.",
    "Last year the board asked about {s}.",
    "Support for {s} is strong.",
]


@pytest.mark.parametrize("form", ASKING)
def test_a_request_in_any_form_makes_the_ask(form: str) -> None:
    sentence = form.format(s=SUBJECT)
    assert requests(sentence)
    assert "ask" in match_points([ASK], units(sentence))


@pytest.mark.parametrize("form", STATING)
def test_a_statement_on_the_ask_s_subject_does_not_make_it(form: str) -> None:
    sentence = form.format(s=SUBJECT)
    assert not requests(sentence)
    assert "ask" not in match_points([ASK], units(sentence))


@pytest.mark.parametrize("form", STATING)
def test_the_same_words_made_a_request_make_the_ask(form: str) -> None:
    sentence = "Please agree to this: " + form.format(s=SUBJECT)[0].lower() + form.format(s=SUBJECT)[1:]
    assert "ask" in match_points([ASK], units(sentence))


_BODIES = ["committee", "board", "panel", "council", "cabinet", "trustees", "forum"]


@pytest.mark.parametrize("body", _BODIES)
@pytest.mark.parametrize(
    "form",
    [
        "Could the {b} approve the 1 March start?",
        "Would your {b} agree the new post?",
        "Will the {b} please confirm the budget?",
        "I would therefore ask the {b} to approve the 1 March start.",
        "We must ask the {b} to endorse the plan.",
        "I respectfully ask the {b} to approve it.",
    ],
)
def test_a_request_to_the_body_the_reader_sits_on_asks(body: str, form: str) -> None:
    """A note to a chair or a member asks their committee, board or panel: a question to it, or
    asking it in the writer's own voice, is the ask."""
    assert requests(form.format(b=body))


@pytest.mark.parametrize("body", _BODIES)
@pytest.mark.parametrize(
    "form",
    [
        "The {b} could approve the start next year.",
        "The {b} will confirm the budget in June.",
        "Last year the {b} asked the team to approve a new post.",
    ],
)
def test_what_the_body_may_do_is_no_request(body: str, form: str) -> None:
    assert not requests(form.format(b=body))


_OFFERS = [
    "Please let me know if you need anything else.",
    "Let me know if you have any questions.",
    "Do get in touch if you need any more detail.",
    "Feel free to contact me if you have any other questions.",
    "I am happy to discuss.",
    "We're happy to answer any questions at the meeting.",
]


@pytest.mark.parametrize("offer", _OFFERS)
def test_a_courtesy_that_closes_a_letter_asks_for_nothing(offer: str) -> None:
    """Raters mark a note that ends "let me know if you need anything else" as having no ask: the
    offer of more is manners, not a request; a request beside it still asks."""
    assert not requests(offer)
    assert requests(offer.rstrip(".") + ", and please approve the 2 March start.")
    assert requests("Please let me know if you agree to the 2 March start.")

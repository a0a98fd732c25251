"""Where a note puts its bottom line and its ask, as rules over generated notes: the same
sentences in every order, the decision at each place, the ask at each place. A bottom line first
met past the middle of the note leads nothing, so it earns what no bottom line earns; an ask met
only before the last lines is missed, so it earns what no ask earns. A decision recommended in the
words of the reference sentence that makes it is the bottom line, however few of the point's own
words it shares."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from grading import grade
from grading.explain import substance

from .conftest import explain_exercise, explanation

BASE = explain_exercise()
DECISION = "Dana, I recommend that every approval happens before the payment run."
ASK = "Please confirm by Friday that we can start on 1 May."
# the case without its decision and its ask: facts, the risk, its safeguard, and neutral detail
BODY = [
    "In March we paid out $41,900 that we should not have.",
    "The money left while nobody had looked at the invoices.",
    "The change costs about $1,150 a month in clerk time.",
    "The main risk is that suppliers are paid one day later.",
    "Our terms are 30 days, so no supplier is paid late, and urgent payments can still go the same day.",
    "Budget holders already see every invoice in the same system.",
    "Nothing changes for the suppliers' own paperwork.",
]


def _structure(sentences: list[str]) -> tuple[float, str]:
    """The order's own score: the structure criterion before the substance weighs it (see
    grading.explain.substance), since moving or dropping a sentence changes the points made too."""
    result = grade(BASE, explanation(" ".join(sentences)))
    criterion = result.criterion("structure")
    return round(criterion.score / substance(result.criterion("key_points").score), 3), criterion.evidence


@settings(max_examples=25, deadline=None)
@given(st.permutations(BODY))
def test_the_later_the_bottom_line_the_less_structure_and_past_the_middle_none(body: list[str]) -> None:
    without, _ = _structure([*body, ASK])
    scores = []
    for at in range(len(body) + 1):
        sentences = [*body[:at], DECISION, *body[at:], ASK]
        score, evidence = _structure(sentences)
        scores.append(score)
        if at >= len(sentences) / 2:  # the reader meets it past the middle: no bottom line leads
            assert score == without, (at, evidence)
            assert "past the middle" in evidence
    assert scores == sorted(scores, reverse=True)
    assert scores[0] > scores[2] > without  # first, then late but in the first half, then none


@settings(max_examples=25, deadline=None)
@given(st.permutations(BODY))
def test_an_ask_before_the_last_lines_earns_what_no_ask_earns(body: list[str]) -> None:
    none, _ = _structure([DECISION, *body])
    last, _ = _structure([DECISION, *body, ASK])
    assert last > none
    for at in range(1, len(body) - 3):  # the ask (or the pair of sentences it opens) before the last three
        score, evidence = _structure([DECISION, *body[:at], ASK, *body[at:]])
        assert score == none, (at, evidence)
        assert "the ask is buried" in evidence


@given(st.sampled_from(["the new sign-off process", "the new invoice sign-off", "the new way to sign off invoices"]))
def test_the_decision_recommended_in_the_reference_sentences_words_is_the_bottom_line(plan: str) -> None:
    # the point's own text shares none of these words; the reference sentence that makes it does
    reference = f"Dana, I recommend {plan} from 1 May, so every approval comes before the payment run. " + " ".join(
        [*BODY[:5], ASK]
    )
    exercise = BASE.model_copy(
        update={
            "situation": BASE.situation + f" The finance team calls this {plan}.",
            "reference": explanation(reference),
        }
    )
    note = [f"Dana, I recommend {plan} from 1 May.", *BODY, ASK]
    structure = grade(exercise, explanation(" ".join(note))).criterion("structure")
    assert "bottom line comes late" not in structure.evidence
    assert "never stated" not in structure.evidence
    # the stance and the reader's name alone are no part of the claim
    bare = ["Dana, I recommend it from 1 May.", *BODY, ASK]
    assert "never stated" in grade(exercise, explanation(" ".join(bare))).criterion("structure").evidence

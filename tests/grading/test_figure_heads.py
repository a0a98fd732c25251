"""What a figure counts, as rules over families of sentences (see grading.figures): its heads stay
within its own clause, an adjective before the noun does not change what is counted, "one of" a
group counts nothing, and a year counts nothing. A true figure on its own claim is never a wrong
figure, however the sentence is built; a figure swapped onto another figure's claim still is."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from exercises.model import KeyPoint
from grading.figures import heads, misattached
from grading.text import stems

from .conftest import explain_exercise

BASE = explain_exercise()
FIGURES = st.integers(2, 999).filter(lambda n: n != 30)  # 30 is a figure of the base exercise
ADJECTIVES = st.sampled_from(["small", "urgent", "foreign", "disputed", "routine"])
# the noun each first figure counts, and what the second figure's items did
CLAIMS = [("invoices", "turned out wrong"), ("parcels", "arrived late"), ("claims", "needed changes")]


def _case(first: int, second: int, noun: str, claim: str):
    sentence = f"Last month {first} {noun} were checked and {second} {claim}."
    point = KeyPoint(id="checked", text=sentence, cues=[[str(second)]], role="reason")
    return BASE.model_copy(
        update={"situation": BASE.situation + " " + sentence, "key_points": [*BASE.key_points, point]}
    )


@settings(max_examples=50, deadline=None)
@given(FIGURES, FIGURES, st.sampled_from(CLAIMS), ADJECTIVES)
def test_a_true_figure_on_its_own_claim_is_never_misattached(first, second, claims, adjective) -> None:
    if first == second:
        return
    noun, claim = claims
    exercise = _case(first, second, noun, claim)
    for fine in (
        f"About {first} {adjective} {noun} were checked.",  # an adjective before the counted noun
        f"We looked at {first} {noun}, which is more than {second} {claim}.",  # a clause of its own
        f"One of our {noun} {claim}, out of {first} {noun} checked.",  # "one of" counts nothing
        f"Since 2019, {first} {noun} were checked.",  # a year counts nothing
        f"{second} {claim}, which {first} {noun} made clear.",
    ):
        assert not misattached(exercise, stems(fine)), fine
    assert [m[0] for m in misattached(exercise, stems(f"All {first} {claim}."))] == [first]


@settings(max_examples=50, deadline=None)
@given(FIGURES, st.sampled_from(["which", "who", "that", "because", "and", "but"]))
def test_a_figures_heads_stop_where_a_new_clause_opens(figure, opener) -> None:
    found = dict(heads(stems(f"It costs £{figure},000 a year {opener} pays for extra specialists.")))
    assert found[figure * 1000] == ("year",)


@given(st.integers(1900, 2099))
def test_a_year_has_no_heads(year) -> None:
    assert heads(stems(f"Collections paused in {year} budgets.")) == []

"""A critical-flaw cap is a claim about the answer, so it fires only on evidence of that claim,
stated as rules over families of cases: a figure the case itself gives is no digit slip of another;
a figure tied to a unit of time or by an auxiliary is tied to no other figure's claim; a certainty
word the case uses as a name claims nothing; a figure stated over another period is a wrong figure,
and so is a share of a part stated as a share of the whole (capped lower, as a misstated decision);
a sentence stating a point's own figure is about that point; a point stated with a wrong figure
anywhere earns a slip's credit; "found all" where some were missed is a false certainty."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from exercises.model import KeyPoint
from grading import grade
from grading.claims import overclaims
from grading.explain import OVERCLAIM_CAP, WIDENED_SHARE_CAP, WRONG_FIGURE_CAP
from grading.explain_match import SLIP_CREDIT, slips_anywhere, units, wrong_figure
from grading.figures import case_figures, misattached, widened_shares
from grading.text import stems

from .conftest import EXPLAIN_REFERENCE, explain_exercise, explanation

BASE = explain_exercise()
# figures that clash with none of the base exercise's (30, 41,900, 1,150, 1 May)
FIGURES = st.integers(11, 99).filter(lambda n: n not in (30, 41) and n % 10)
UNITS = ["days", "weeks", "months", "years", "hours"]


def _with(sentence: str, point_text: str | None = None, cue: str = "") -> object:
    """The base exercise with one more sentence in its situation and, if given, a key point."""
    update: dict[str, object] = {"situation": BASE.situation + " " + sentence}
    if point_text is not None:
        point = KeyPoint(id="added", text=point_text, cues=[[cue or point_text.split()[0]]], role="reason")
        update["key_points"] = [*BASE.key_points, point]
    return BASE.model_copy(update=update)


# --- a figure the case gives is no slip of another ---------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(FIGURES, st.sampled_from([10, 100, 1000]))
def test_a_figure_the_case_gives_is_never_a_shifted_slip_of_another(figure: int, scale: int) -> None:
    big = figure * scale  # "19 overpaid" and "£190,000 lost": both the case's own
    exercise = _with(
        f"The audit found {figure} invoices overpaid and about ${big:,} lost.",
        f"The audit found about ${big:,} lost.",
    )
    point = exercise.key_points[-1]
    said = f"The audit found {figure} invoices overpaid and about ${big:,} lost over the year."
    assert wrong_figure(point, f"The audit found ${figure} lost.")  # without the case's figures: a slip
    assert not wrong_figure(point, f"The audit found {figure} invoices overpaid.", case_figures(exercise).founded)
    assert grade(exercise, explanation(EXPLAIN_REFERENCE + "\n\n" + said)).total > WRONG_FIGURE_CAP
    # a shifted figure the case does not give is still a slip
    founded = case_figures(exercise).founded
    assume(all(abs(big * 10 - f) > 0.01 * f for f in founded))
    assert wrong_figure(point, f"The audit found about ${big * 10:,} lost.", founded)


# --- a misattachment needs the other figure's subject ---------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(FIGURES, FIGURES, st.sampled_from(UNITS))
def test_a_span_of_time_is_tied_to_no_other_figures_claim(handlers: int, span: int, unit: str) -> None:
    if handlers == span:
        return
    # the case leads another figure with the unit ("9 months of old claims") in a sentence with this one
    exercise = _with(f"Each week {handlers} handlers check {span} {unit} of old claims.")
    for fine in (f"The backlog takes {handlers} {unit} to clear.", f"For about {handlers} {unit}, replies slow."):
        assert not misattached(exercise, stems(fine)), fine
    assert [m[0] for m in misattached(exercise, stems(f"All {span} handlers checked it."))] == [span]


@settings(max_examples=40, deadline=None)
@given(FIGURES, FIGURES)
def test_an_auxiliary_after_a_figure_ties_it_to_nothing(paid: int, failed: int) -> None:
    if paid == failed:
        return
    exercise = _with(f"In the test {paid} claims were paid and {failed} would have failed.")
    fine = f"Of the {paid} it would have paid, a few were wrong."
    assert not misattached(exercise, stems(fine))


# --- a figure over another period, a share of a part as of the whole ------------------------------------


PERIOD_WORDS = {"day": "every day", "week": "each week", "month": "a month", "year": "a year"}


@settings(max_examples=40, deadline=None)
@given(FIGURES, st.sampled_from(sorted(PERIOD_WORDS)), st.sampled_from(sorted(PERIOD_WORDS)))
def test_an_amount_over_another_period_is_a_wrong_figure_wherever_the_case_gives_its_period(
    figure: int, gold: str, said: str
) -> None:
    # the case names the figure twice, its period only at the second mention, four words on
    point = KeyPoint(
        id="saving",
        text=f"Leakage falls by {figure} Ml, that is {figure} million litres {PERIOD_WORDS[gold]}.",
        cues=[[str(figure)]],
        role="reason",
    )
    slip = wrong_figure(point, f"Leakage falls by {figure} million litres {PERIOD_WORDS[said]}.")
    assert bool(slip) == (gold != said), slip


@settings(max_examples=40, deadline=None)
@given(st.integers(11, 999).filter(lambda n: n not in (30, 41) and n % 10), st.sampled_from(sorted(PERIOD_WORDS)))
def test_a_sentence_that_states_a_points_own_figure_is_about_that_point(figure: int, gold: str) -> None:
    # "the saving is £75,000 a year" is the £75,000-a-month point, though it shares no other word with it
    point = KeyPoint(
        id="fees", text=f"Complaints fall and fees drop by ${figure},000 {PERIOD_WORDS[gold]}.", cues=[["fees"]]
    )
    exercise = BASE.model_copy(update={"key_points": [*BASE.key_points, point]})
    other = next(p for p in sorted(PERIOD_WORDS) if p != gold)
    for period, capped in ((gold, False), (other, True)):
        said = f"The saving is about ${figure},000 {PERIOD_WORDS[period]}, so it more than pays for itself."
        result = grade(exercise, explanation(EXPLAIN_REFERENCE + "\n\n" + said))
        assert (result.total <= WRONG_FIGURE_CAP) == capped, (period, result.criterion("key_points").evidence)
    # a figure two points give ties a sentence to neither: "$X a week" may be the other point's
    twin = KeyPoint(id="twin", text=f"Refunds reach ${figure},000 {PERIOD_WORDS[other]}.", cues=[["refunds"]])
    said = f"The saving is about ${figure},000 {PERIOD_WORDS[other]}, so it more than pays for itself."
    assert not slips_anywhere([point, twin], units(said))
    assert slips_anywhere([point], units(said))
    # a small count ties a sentence to no point: "2 reminders a month" is not the point's "2 each week"
    small = KeyPoint(id="two", text="Clerks run 2 batches each week.", cues=[["clerks"]])
    assert wrong_figure(small, "We send 2 reminders a month.")  # were it that point's, a slip
    assert not slips_anywhere([small], units("We send 2 reminders a month."))


@pytest.mark.parametrize("text", ["It costs €{n}k/yr and a weekend rota.", "It costs €{n},000 per annum."])
def test_a_weekend_is_no_week_and_a_short_year_is_a_year(text: str) -> None:
    point = KeyPoint(id="cost", text="It costs about €85,000 a year.", cues=[["85"]], role="reason")
    assert not wrong_figure(point, text.format(n=85))
    assert wrong_figure(point, "It costs €85,000 a week.")


@pytest.mark.parametrize("share", [2, 5, 12.5])
@pytest.mark.parametrize(("gold", "said"), [("each week", "every day"), ("a month", "a year")])
def test_a_share_is_the_same_share_over_any_period(share: float, gold: str, said: str) -> None:
    point = KeyPoint(id="sample", text=f"A handler re-checks {share:g} % of payments {gold}.", cues=[["re-check"]])
    assert not wrong_figure(point, f"A handler re-checks {share:g}% of payments {said}.")


@settings(max_examples=40, deadline=None)
@given(FIGURES, FIGURES, st.sampled_from(["claims", "reports", "accounts"]))
def test_a_share_of_a_part_stated_as_a_share_of_the_whole_is_a_wrong_figure(part: int, whole: int, noun: str) -> None:
    if part == whole:
        return
    sentence = f"The software pays {part} % of the {noun} that are owed money, which is {whole} % of all {noun}."
    exercise = _with(sentence, sentence, cue=f"{part} %")
    assert widened_shares(exercise, stems(f"The software pays {part}% of all {noun}.")) == [part]
    assert widened_shares(exercise, stems(f"It pays {part} % of every one of our {noun}.")) == [part]
    for fine in (
        f"The software pays {part}% of the {noun} we owe.",  # its own part
        f"It pays {whole}% of all {noun}.",  # the share the case gives of the whole
        f"That is {part}% of the {noun} we owe, not {part}% of all {noun}.",  # the misreading denied
        f"It pays {part}% of {noun}.",  # no whole named: left alone
    ):
        assert not widened_shares(exercise, stems(fine)), fine
    # the reader is told another scale of the case, not a slipped digit: capped as a misstated decision
    widened = grade(exercise, explanation(EXPLAIN_REFERENCE + f"\n\nThe software pays {part}% of all {noun}."))
    assert widened.total <= WIDENED_SHARE_CAP < WRONG_FIGURE_CAP
    assert "which group your share is of" in widened.criterion("key_points").feedback
    # a case that names the misreading itself still gives the share of a part only
    warned = _with(sentence + f" Take care: it is not {part} % of all {noun}.", sentence, cue=f"{part} %")
    assert widened_shares(warned, stems(f"The software pays {part}% of all {noun}.")) == [part]


# --- certainty: the case's own names claim nothing; "found all" where some were missed does ------------


NAMES = [
    ("Our customer guarantee pays compensation if a supplier is paid late.", "guarantee", "pays"),
    ("The zero errors target applies to every payment run.", "zero errors", "target"),
]


@pytest.mark.parametrize(("case_sentence", "term", "after"), NAMES)
@pytest.mark.parametrize("determiner", ["our", "the", ""])
def test_a_certainty_word_the_case_uses_as_a_name_claims_nothing(
    case_sentence: str, term: str, after: str, determiner: str
) -> None:
    exercise = _with(case_sentence)
    named = f"If a supplier is paid late, {determiner} {term} {after} for it.".replace("  ", " ")
    assert overclaims(exercise, named) is None, named
    assert grade(exercise, explanation(EXPLAIN_REFERENCE + "\n\n" + named)).total > OVERCLAIM_CAP
    # the same words as a claim of the writer's own still are one, and so is any of them where the case names none
    assert overclaims(BASE, named)
    claimed = {
        "guarantee": "We guarantee that suppliers are paid on time.",
        "zero errors": "There will be zero errors.",
    }
    assert overclaims(exercise, claimed[term]), claimed[term]


@pytest.mark.parametrize("what", ["risk", "risks", "errors", "mistakes"])
@pytest.mark.parametrize("left", ["left", "remains", "is left"])
def test_no_risk_left_is_a_false_certainty_and_none_left_unchecked_is_a_rule(what: str, left: str) -> None:
    assert overclaims(BASE, f"With approvals first there is no {what} {left} for suppliers.")
    assert overclaims(BASE, f"With approvals first no {what} {left} unchecked.") is None


@pytest.mark.parametrize("verb", ["caught", "found", "spotted", "detected", "picked up"])
@pytest.mark.parametrize("count", ["all 9", "all nine", "every one of the"])
def test_finding_all_where_a_risk_remains_is_a_false_certainty(verb: str, count: str) -> None:
    claim = f"In the test the checks {verb} {count} late payments."
    assert overclaims(BASE, claim)
    assert grade(BASE, explanation(EXPLAIN_REFERENCE + "\n\n" + claim)).total <= OVERCLAIM_CAP
    assert overclaims(BASE, f"In the test the checks {verb} all but one late payment.") is None


# --- what a figure counts: not a price's item, not a share's base, any word of its clause --------------


@settings(max_examples=30, deadline=None)
@given(FIGURES, st.integers(101, 999))
def test_a_price_per_item_counts_no_item(count: int, price: int) -> None:
    exercise = _with(f"About {count} claims a month go to the ombudsman, which charges ${price} a case.")
    assert not misattached(exercise, stems(f"Around {count} cases a month go there."))


@settings(max_examples=30, deadline=None)
@given(FIGURES, st.integers(101, 999))
def test_what_follows_a_share_is_its_base_not_a_count(share: int, count: int) -> None:
    exercise = _with(f"About {count} claims arrive each month and {share} % of them would be paid wrong.")
    assert not misattached(exercise, stems(f"In the test {share}% of claims paid without a handler came out wrong."))
    assert [m[0] for m in misattached(exercise, stems(f"In the test {share} claims came out wrong."))] == [share]


@settings(max_examples=30, deadline=None)
@given(FIGURES, st.integers(11, 99))
def test_the_case_ties_a_figure_to_any_word_of_its_clause(share: int, thousands: int) -> None:
    if share == thousands:
        return
    exercise = _with(
        f"Checks cover {share} small claims a week, and ${thousands},000 a year could still be lost"
        " through overpayment on small claims."
    )
    assert not misattached(exercise, stems(f"Perhaps ${thousands}k on the small ones."))


@pytest.mark.parametrize(("share", "count"), [(3.4, 120), (2.5, 75), (8, 720)])
@pytest.mark.parametrize("preposition", ["in", "on", "among"])
def test_a_word_after_a_preposition_is_what_a_figure_relates_to_not_what_it_counts(
    share: float, count: int, preposition: str
) -> None:
    sentence = f"About {share:g} % of small claims would be paid wrong, about {count} claims a month."
    exercise = _with(sentence, sentence, cue=str(count))
    # "small" is the word the case gives the share; after a preposition it is not what the count counts
    assert not misattached(exercise, stems(f"About {count} {preposition} the small ones went wrong."))
    assert [m[0] for m in misattached(exercise, stems(f"About {count} small errors a month."))] == [count]


@settings(max_examples=20, deadline=None)
@given(st.sampled_from(["a week", "a year", "every day"]))
def test_a_point_stated_with_a_wrong_figure_anywhere_earns_a_slips_credit(period: str) -> None:
    # the reference makes the cost point right; a second sentence gives its figure over another period
    cost = next(p for p in BASE.key_points if p.id == "cost")
    total_weight = sum(p.weight for p in BASE.key_points)
    right = grade(BASE, BASE.reference).criterion("key_points").score
    slipped = grade(BASE, explanation(EXPLAIN_REFERENCE + f"\n\nSo the cost is $1,150 {period} in clerk time."))
    expected = right - cost.weight * (1 - SLIP_CREDIT) / total_weight
    assert slipped.criterion("key_points").score == pytest.approx(expected)
    assert slipped.total <= WRONG_FIGURE_CAP

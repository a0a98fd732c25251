"""Figures in other words. A rate may be given as a percentage or as a ratio, and a point's rate is stated either way:
"1 in 30" states 3.4 % (within ABOUT), "7 in 1,000" states 0.7 %, "0.7 %" states 7 in 1,000.
A count with the same digits ("34 claims") states no rate. A sentence that states every figure of a
point giving two or more makes the claim in other words, whatever its other words."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exercises.model import KeyPoint
from grading.explain_match import OWN_WORDS_CREDIT, _states_figure, match_points, units
from grading.figures import rates


@settings(max_examples=60, deadline=None)
@given(base=st.sampled_from([20, 25, 30, 40, 50, 100, 200, 1000]), count=st.integers(min_value=1, max_value=9))
def test_a_ratio_states_the_percentage_it_is(base: int, count: int) -> None:
    share = round(100 * count / base, 2)
    point = f"About {share:g} % of claims were wrong."
    written = f"{count:,} in {base:,}" if count > 1 else f"one in {base:,}"
    assert _states_figure(point, f"About {written} claims were wrong.", share)
    # far off the rate: not stated
    assert not _states_figure(point, f"About {count:,} in {base * 3:,} claims were wrong.", share)


@settings(max_examples=60, deadline=None)
@given(count=st.integers(min_value=2, max_value=9), base=st.sampled_from([100, 1000, 10000]))
def test_a_percentage_states_the_ratio_it_is(count: int, base: int) -> None:
    point = f"About {count} in {base:,} payments go wrong."
    share = 100 * count / base
    assert _states_figure(point, f"About {share:g} % of payments go wrong.", float(count))
    assert not _states_figure(point, f"About {share * 2:g} % of payments go wrong.", float(count))


@given(st.integers(min_value=11, max_value=99))
def test_a_count_states_no_rate(whole: int) -> None:
    tenth = whole / 10
    assert not _states_figure(f"{tenth:g} % of claims were invalid.", f"We checked {whole} claims.", tenth)


def test_rates_reads_both_forms() -> None:
    text = "6 in 1,000 failed, 3.4 % were late and 23 of the 600 were refused."
    found = {f: (r, ratio) for f, r, ratio in rates(text)}
    assert found[6.0] == (0.6, True)
    assert found[3.4] == (3.4, False)
    assert abs(found[23.0][0] - 100 * 23 / 600) < 1e-9
    assert found[23.0][1]


# --- a claim recognised by its figures together ------------------------------------------------------

FALL = KeyPoint.model_validate(
    {
        "id": "fall",
        "role": "reason",
        "text": "Households wrongly sent to the warrant route fall from 3.8 % to about 0.7 %.",
        "cues": [["warrant"], ["wrongly", "wrong"]],
    }
)
# other words, the same two rates, given either way (percentages or ratios)
PARAPHRASES = [
    "About 1 in 26 homes we chased should have been left alone; the trial brings that to roughly 1 in 140.",
    "Before, 3.8 % of the homes we chased should never have been chased; now it is about 0.7 %.",
    "Mistakes on vulnerable homes drop from 38 in 1,000 to 7 in 1,000.",
]


@pytest.mark.parametrize("sentence", PARAPHRASES)
def test_a_claim_in_other_words_with_all_its_figures_is_made(sentence: str) -> None:
    made = match_points([FALL], units(sentence))
    assert "fall" in made
    assert made["fall"].credit == pytest.approx(OWN_WORDS_CREDIT)


@pytest.mark.parametrize("sentence", PARAPHRASES)
def test_one_of_its_figures_in_other_words_is_not_the_claim(sentence: str) -> None:
    first = sentence.split(";")[0].split(" now ")[0].split(" to 7")[0] + "."
    assert "fall" not in match_points([FALL], units(first))

"""A rate may be given as a percentage or as a ratio, and a point's rate is stated either way:
"1 in 30" states 3.4 % (within ABOUT), "7 in 1,000" states 0.7 %, "0.7 %" states 7 in 1,000.
A count with the same digits ("34 claims") states no rate."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from grading.explain_match import _states_figure
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

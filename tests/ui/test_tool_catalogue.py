"""The catalogue's figures read true: a tiny cost or a fast tool is never shown as free or instant."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ui.tool_catalogue import money, seconds


@given(st.floats(min_value=1e-6, max_value=10_000, allow_nan=False))
def test_a_cost_shows_within_five_percent_of_itself(amount: float) -> None:
    shown = float(money(amount).removeprefix("$").replace(",", ""))
    assert abs(shown - amount) <= 0.05 * amount + 0.0005 * (amount >= 0.01)


@given(st.floats(min_value=0.05, max_value=100_000, allow_nan=False))
def test_a_latency_shows_within_its_rounding(latency: float) -> None:
    shown = float(seconds(latency).removesuffix(" s").replace(",", ""))
    assert abs(shown - latency) <= (0.05 if latency < 10 else 0.5) + 1e-9
    assert shown > 0


def test_the_edges() -> None:
    assert money(0.0004) == "$0.0004"
    assert money(0) == "$0.000"
    assert seconds(0.3) == "0.3 s"

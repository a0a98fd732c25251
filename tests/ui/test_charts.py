"""The workflow graph reads at 1 and at 12 steps; the Sankey gives every label its own room."""

from __future__ import annotations

from exercises import load_bank
from ui.charts import WIDE_STEPS, error_sankey, workflow_dot

BANK = load_bank()


def chain(n: int) -> list[dict]:
    return [
        {"id": f"s{i}", "name": f"Step {i}", "tool": "", "inputs": [f"s{i - 1}"] if i else ["src"]} for i in range(n)
    ]


def test_a_short_workflow_reads_left_to_right_and_a_long_one_top_to_bottom() -> None:
    assert "rankdir=LR;" in workflow_dot([], chain(1), BANK.tools)
    assert "rankdir=LR;" in workflow_dot([], chain(WIDE_STEPS), BANK.tools)
    long = workflow_dot([], chain(12), BANK.tools)
    assert "rankdir=TB;" in long
    assert long.count("->") == 11


def test_the_sankey_grows_with_its_labels() -> None:
    def flows(n: int) -> list[dict]:
        return [{"origin": f"o{i}", "outcome": "caught", "at": f"c{i}", "count": 10} for i in range(n)]

    small, big = error_sankey(flows(2), {}, 100), error_sankey(flows(12), {}, 100)
    assert big.layout.height > small.layout.height
    assert big.layout.height / 12 >= 40  # at least 40 px a label in the taller column

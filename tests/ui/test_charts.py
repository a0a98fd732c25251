"""The workflow graph reads at 1 and at 12 steps; the Sankey gives every label its own room."""

from __future__ import annotations

import html

from exercises import load_bank
from ui.charts import SANKEY_LABEL, WIDE_STEPS, error_sankey, workflow_dot

BANK = load_bank()


def chain(n: int) -> list[dict]:
    return [
        {"id": f"s{i}", "name": f"Step {i}", "tool": "", "inputs": [f"s{i - 1}"] if i else ["src"]} for i in range(n)
    ]


def test_a_short_workflow_reads_left_to_right_and_a_long_one_top_to_bottom() -> None:
    assert "rankdir=LR;" in workflow_dot([], chain(1), BANK.tools)
    assert "rankdir=LR;" in workflow_dot([], chain(WIDE_STEPS), BANK.tools)
    assert "rankdir=TB;" in workflow_dot([], chain(WIDE_STEPS + 1), BANK.tools)
    long = workflow_dot([], chain(12), BANK.tools)
    assert "rankdir=TB;" in long
    assert long.count("->") == 11


def test_the_sankey_grows_with_its_labels() -> None:
    def flows(n: int) -> list[dict]:
        return [{"origin": f"o{i}", "outcome": "caught", "at": f"c{i}", "count": 10} for i in range(n)]

    small, big = error_sankey(flows(2), {}, 100), error_sankey(flows(12), {}, 100)
    assert big.layout.height > small.layout.height
    assert big.layout.height / 12 >= 40  # at least 40 px a label in the taller column


def test_sankey_labels_are_short_whole_on_hover_and_show_tags_as_typed() -> None:
    flows = [{"origin": "x", "outcome": "harm", "at": "y", "count": 3}]
    names = {"x": "Extract <b>totals</b> from the supplier's invoice scans", "y": "Pay"}
    node = error_sankey(flows, names, 10).data[0].node
    labels, whole = list(node.label), list(node.customdata)
    assert "<b>" not in labels[0] + whole[0]
    assert html.unescape(whole[0]) == "Made at: " + names["x"]
    assert len(html.unescape(labels[0])) <= SANKEY_LABEL
    assert labels[0].endswith("…")
    assert whole[0].startswith(labels[0].removesuffix("…"))
    assert labels[1] == "Harm at: Pay"


def test_long_labels_wrap_into_short_lines_and_are_never_cut_mid_word() -> None:
    name = "Pull overdue invoices and contact (no disputes or plans) from the receivables ledger"
    dot = workflow_dot([], [{"id": "pull", "name": name, "tool": "", "inputs": ["src"]}], BANK.tools)
    label = dot.split('"pull" [label="', 1)[1].split('"', 1)[0]
    lines = label.split("\\n")
    assert max(len(line) for line in lines) <= 24
    assert " ".join(lines[:-1]) == name  # every word kept, in order (the last line is the tool)
    very_long = workflow_dot([], [{"id": "x", "name": "word " * 60, "tool": "", "inputs": []}], BANK.tools)
    assert "…" in very_long
    assert 'Say "hi"' not in workflow_dot([], [{"id": "q", "name": 'Say "hi"', "tool": "", "inputs": []}], BANK.tools)

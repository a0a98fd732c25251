"""Charts: the workflow graph (graphviz DOT, drawn by the browser) and the error Sankey (plotly)."""

from __future__ import annotations

import html
import textwrap
from collections.abc import Iterable, Mapping
from typing import Any

import plotly.graph_objects as go

from exercises.workflow import Source, Tool, ToolKind
from ui.text import shorten

# A single step reads left to right beside its sources; more read top to bottom, so the graph
# stays narrow enough to be legible on a phone (left to right, 3 steps already need 700 px).
WIDE_STEPS = 1
LINE = 17  # characters per line of a node's label: narrow nodes keep 12 steps at 9 px and more on a phone
LONGEST = 140  # characters of a label kept whole; longer ones end in an ellipsis
_FILL = {ToolKind.ai: "#dbeafe", ToolKind.rule: "#e5e7eb", ToolKind.human: "#fef3c7", ToolKind.action: "#fee2e2"}


def _q(text: str) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")[:60] + '"'


def _lines(text: str) -> str:
    """A label wrapped into short lines (DOT's line break), never cut mid-word."""
    text = " ".join(str(text).replace('"', "'").replace("\\", "/").split())
    if len(text) > LONGEST:
        text = text[: LONGEST - 1].rsplit(" ", 1)[0] + "…"
    return "\\n".join(textwrap.wrap(text, LINE, break_long_words=True)) or " "


def workflow_dot(sources: Iterable[Source], steps: Iterable[Mapping[str, Any]], tools: Mapping[str, Tool]) -> str:
    """DOT for a workflow: sources as notes, steps coloured by tool kind, checks as badges. Drawn
    at its natural size (`width="content"` where it is shown, scaled down only to fit), labels
    wrapped into short lines: one step reads left to right, more top to bottom, so neither is blown
    up nor squeezed, at 1400 px or at 390."""
    steps = list(steps)
    lines = [
        "digraph G {",
        f"rankdir={'LR' if len(steps) <= WIDE_STEPS else 'TB'};",
        "nodesep=0.25; ranksep=0.35;",
        'node [fontname="Helvetica", fontsize=11, shape=box, style="rounded,filled", margin="0.12,0.06"];',
        'edge [color="#6b7280", arrowsize=0.7];',
    ]
    for src in sources:
        lines.append(f'{_q("src:" + src.id)} [label="{_lines(src.name)}", shape=note, fillcolor="#f3f4f6"];')
    known = {"src:" + s.id: True for s in sources}
    ids = {str(s.get("id")) for s in steps if s.get("id")}
    for step in steps:
        sid = str(step.get("id") or "")
        if not sid:
            continue
        tool = tools.get(str(step.get("tool") or ""))
        fill = _FILL.get(tool.kind, "#ffffff") if tool else "#ffffff"
        checks = [tools[c].name for c in step.get("checks") or [] if c in tools]
        label = _lines(str(step.get("name") or sid)) + "\\n" + _lines(f"[{tool.name if tool else 'no tool'}]")
        if checks:
            label += "\\n" + _lines("✔ " + ", ".join(checks))
        share = step.get("share")
        if isinstance(share, int | float) and share < 1:
            label += f"\\n({share:.0%} of items)"
        lines.append(f'{_q(sid)} [label="{label}", fillcolor="{fill}"];')
        for inp in step.get("inputs") or []:
            node = "src:" + inp if "src:" + inp in known else inp
            if node in known or inp in ids:
                lines.append(f"{_q(node)} -> {_q(sid)};")
    lines.append("}")
    return "\n".join(lines)


SANKEY_LABEL = 24  # characters of a Sankey label: a left and a right one fit side by side at 390 px


def sankey_label(text: str, limit: int = SANKEY_LABEL) -> str:
    """A Sankey node's label on one line (plotly centres each label on its node, so a taller label
    would run into its neighbour's), shortened at a word with the whole text on hover. Plotly
    reads tags and entities in labels, and step names are the learner's text: escaped, so they
    show as typed."""
    return html.escape(shorten(text, limit))


def error_sankey(flows: list[dict[str, Any]], names: Mapping[str, str], cases: int) -> go.Figure:
    """Where errors are made (left) and where they end (right): caught at a check, harm at an
    irreversible step, or escaped to the end."""
    labels: list[str] = []
    index: dict[str, int] = {}

    def node(label: str) -> int:
        if label not in index:
            index[label] = len(labels)
            labels.append(label)
        return index[label]

    def name(step_id: str) -> str:
        return names.get(step_id, step_id)

    src, dst, val = [], [], []
    for f in flows:
        origin = node(f"Made at: {name(f['origin'])}")
        if f["outcome"] == "caught":
            end = node(f"Caught at: {name(f['at'])}")
        elif f["outcome"] == "harm":
            end = node(f"Harm at: {name(f['at'])}")
        else:
            end = node("Reached the end uncaught")
        src.append(origin)
        dst.append(end)
        val.append(f["count"])
    # Room for every label: the taller column sets the height, so thin nodes never share a line.
    rows = max(len(set(src)), len(set(dst)), 1)
    fig = go.Figure(
        go.Sankey(
            arrangement="snap",
            node={
                "label": [sankey_label(t) for t in labels],
                "customdata": [html.escape(t) for t in labels],
                "hovertemplate": "%{customdata}: %{value:,} errors<extra></extra>",
                "pad": 22,
                "thickness": 14,
            },
            link={"source": src, "target": dst, "value": val},
            textfont={"size": 12},
        )
    )
    fig.update_layout(
        margin={"l": 8, "r": 8, "t": 28, "b": 8},
        height=max(320, 80 + 46 * rows),
        title={"text": f"Errors in {cases:,} simulated items", "font": {"size": 13}},
    )
    return fig

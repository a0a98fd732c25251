"""Charts: the workflow graph (graphviz DOT, drawn by the browser) and the error Sankey (plotly)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import plotly.graph_objects as go

from exercises.workflow import Source, Tool, ToolKind

WIDE_STEPS = 6  # up to this many steps the graph reads left to right; more, top to bottom
_FILL = {ToolKind.ai: "#dbeafe", ToolKind.rule: "#e5e7eb", ToolKind.human: "#fef3c7", ToolKind.action: "#fee2e2"}


def _q(text: str) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")[:60] + '"'


def workflow_dot(sources: Iterable[Source], steps: Iterable[Mapping[str, Any]], tools: Mapping[str, Tool]) -> str:
    """DOT for a workflow: sources as notes, steps coloured by tool kind, checks as badges. Drawn
    at its natural size (`width="content"` where it is shown, scaled down only to fit): a short
    workflow reads left to right, a long one top to bottom, so neither is blown up nor squeezed."""
    steps = list(steps)
    lines = [
        "digraph G {",
        f"rankdir={'LR' if len(steps) <= WIDE_STEPS else 'TB'};",
        "nodesep=0.25; ranksep=0.35;",
        'node [fontname="Helvetica", fontsize=11, shape=box, style="rounded,filled", margin="0.12,0.06"];',
        'edge [color="#6b7280", arrowsize=0.7];',
    ]
    for src in sources:
        lines.append(f'{_q("src:" + src.id)} [label={_q(src.name)}, shape=note, fillcolor="#f3f4f6"];')
    known = {"src:" + s.id: True for s in sources}
    ids = {str(s.get("id")) for s in steps if s.get("id")}
    for step in steps:
        sid = str(step.get("id") or "")
        if not sid:
            continue
        tool = tools.get(str(step.get("tool") or ""))
        fill = _FILL.get(tool.kind, "#ffffff") if tool else "#ffffff"
        checks = [tools[c].name for c in step.get("checks") or [] if c in tools]
        label = f"{step.get('name') or sid}\\n[{tool.name if tool else 'no tool'}]"
        if checks:
            label += "\\n✔ " + ", ".join(checks)
        share = step.get("share")
        if isinstance(share, int | float) and share < 1:
            label += f"\\n({share:.0%} of items)"
        lines.append(f'{_q(sid)} [label="{label.replace(chr(34), "")}", fillcolor="{fill}"];')
        for inp in step.get("inputs") or []:
            node = "src:" + inp if "src:" + inp in known else inp
            if node in known or inp in ids:
                lines.append(f"{_q(node)} -> {_q(sid)};")
    lines.append("}")
    return "\n".join(lines)


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

    src, dst, val = [], [], []
    for f in flows:
        origin = node(f"Made at: {names.get(f['origin'], f['origin'])}")
        if f["outcome"] == "caught":
            end = node(f"Caught at: {names.get(f['at'], f['at'])}")
        elif f["outcome"] == "harm":
            end = node(f"Harm at: {names.get(f['at'], f['at'])}")
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
            node={"label": labels, "pad": 22, "thickness": 14},
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

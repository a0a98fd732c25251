"""The tool catalogue a learner designs against: what each offered tool costs, how long it takes,
which errors it makes (and, as a check, catches), and which data it is cleared to receive."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import streamlit as st

from exercises.workflow import TOOL_KIND_LABELS, ErrorType, Source, Tool
from ui.text import escape_markdown, label


def rates_text(rates: Mapping[ErrorType, float]) -> str:
    shown = [f"{label(str(kind))} {rate:.1%}" for kind, rate in sorted(rates.items(), key=lambda r: -r[1]) if rate > 0]
    return ", ".join(shown) or "none"


def money(amount: float) -> str:
    """Dollars to two significant figures below a cent ($0.0004, not a free-looking $0.000)."""
    if 0 < amount < 0.01:
        return f"${amount:.2g}" if amount >= 1e-4 else f"${amount:.2e}"
    return f"${amount:,.3f}" if amount < 1 else f"${amount:,.2f}"


def seconds(latency: float) -> str:
    """Tenths under ten seconds (a 0.3 s lookup is not "0 s"), whole seconds above."""
    return f"{latency:.1f} s" if latency < 10 else f"{latency:,.0f} s"


def tool_facts(tool: Tool) -> str:
    """The catalogue's figures for one tool, on one line."""
    parts = [f"{money(tool.cost_per_item)} per item", seconds(tool.latency_s)]
    parts.append(f"errors: {rates_text(tool.error_rates)}")
    if tool.is_check:
        parts.append(f"catches: {rates_text(tool.catch_rates)}")
    parts.append("may receive: " + ", ".join(label(c.value) for c in tool.data_clearance))
    return " · ".join(parts)


def catalogue_markdown(offered: Sequence[str], tools: Mapping[str, Tool]) -> str:
    """Each offered tool, its name and kind over its figures: a list that reads in a column
    beside the step cards as well as across a phone, where a table of seven columns would
    scroll sideways. Escaped, so `$` is a dollar and not the start of a formula."""
    blocks = []
    for tool_id in offered:
        tool = tools[tool_id]
        blocks.append(
            f"**{escape_markdown(tool.name)}** · {TOOL_KIND_LABELS[tool.kind]}  \n{escape_markdown(tool_facts(tool))}"
        )
    return "\n\n".join(blocks)


def show_catalogue(offered: Sequence[str], tools: Mapping[str, Tool], sources: Sequence[Source], key: str) -> None:
    """One block of text, so it costs one element on each rerun of the form; open at first, and
    folded away on a phone once read."""
    with st.expander("Tool catalogue: cost, time, error rates and data clearance", expanded=True, key=key):
        st.markdown(catalogue_markdown(offered, tools))
        carried = "; ".join(f"{s.name}: {', '.join(label(c.value) for c in s.data_classes)}" for s in sources)
        st.caption(f"Data in the sources: {carried}. A step may only receive data its tool is cleared for.")

"""The tool catalogue a learner designs against: what each offered tool costs, how long it takes,
which errors it makes (and, as a check, catches), and which data it is cleared to receive."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import streamlit as st

from exercises.workflow import ErrorType, Source, Tool
from ui.text import label


def rates_text(rates: Mapping[ErrorType, float]) -> str:
    shown = [f"{label(str(kind))} {rate:.1%}" for kind, rate in sorted(rates.items(), key=lambda r: -r[1]) if rate > 0]
    return ", ".join(shown) or "none"


def catalogue_frame(offered: Sequence[str], tools: Mapping[str, Tool]) -> pd.DataFrame:
    rows = []
    for tool_id in offered:
        tool = tools[tool_id]
        rows.append(
            {
                "Tool": tool.name,
                "Kind": label(tool.kind.value),
                "Cost per item": tool.cost_per_item,
                "Seconds per item": tool.latency_s,
                "Errors it makes": rates_text(tool.error_rates),
                "Errors it catches": rates_text(tool.catch_rates) if tool.is_check else "—",
                "May receive": ", ".join(label(c.value) for c in tool.data_clearance),
            }
        )
    return pd.DataFrame(rows)


def show_catalogue(offered: Sequence[str], tools: Mapping[str, Tool], sources: Sequence[Source], key: str) -> None:
    """One table, so it costs one element on each rerun of the form."""
    st.dataframe(
        catalogue_frame(offered, tools),
        hide_index=True,
        key=key,
        alt="The tools on offer: cost, time, error rates and data clearance",
        column_config={
            "Cost per item": st.column_config.NumberColumn(format="$%.3f"),
            "Seconds per item": st.column_config.NumberColumn(format="%.0f s"),
            "Errors it makes": st.column_config.TextColumn(width="large"),
            "May receive": st.column_config.TextColumn(width="medium"),
        },
    )
    carried = "; ".join(f"{s.name}: {', '.join(label(c.value) for c in s.data_classes)}" for s in sources)
    st.caption(f"Data in the sources: {carried}. A step may only receive data its tool is cleared for.")

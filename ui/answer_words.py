"""Ids a stored answer refers to, shown in words: names for ids, labels for codes."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd
import streamlit as st

from exercises.workflow import Tool
from ui.text import label


def wording(tools: Mapping[str, Tool], names: Mapping[str, str]) -> Callable[[Any], str]:
    """A function that names an id (a tool, or one of `names`) or labels a code; blank stays blank."""
    known = {tool_id: tool.name for tool_id, tool in tools.items()} | dict(names)

    def word(value: Any) -> str:
        return known.get(str(value), label(str(value))) if value not in (None, "") else ""

    return word


def show_table(table: pd.DataFrame, alt: str) -> None:
    if table.empty:
        st.caption("Nothing listed.")
    else:
        st.dataframe(table, hide_index=True, alt=alt)

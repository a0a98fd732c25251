"""Turning data-editor frames into plain rows and back, without NaN or numpy types."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd


def clean(value: Any) -> Any:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "tolist"):
        return value.tolist()
    if hasattr(value, "item"):
        return value.item()
    return value


def frame(rows: list[dict[str, Any]], columns: dict[str, str]) -> pd.DataFrame:
    """A frame with fixed dtypes ('string', 'list', 'float'), so an empty editor still
    knows each column's type."""
    data = {}
    for name, kind in columns.items():
        values = [row.get(name) for row in rows]
        if kind == "string":
            data[name] = pd.Series(values, dtype="string")
        elif kind == "float":
            data[name] = pd.Series(values, dtype="float64")
        else:
            data[name] = pd.Series([list(v) if v else [] for v in values], dtype="object")
    return pd.DataFrame(data)


def records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows with at least one filled cell, as plain Python values."""
    rows = []
    for raw in df.to_dict(orient="records"):
        row = {k: clean(v) for k, v in raw.items()}
        if any(v not in (None, "", []) for v in row.values()):
            rows.append(row)
    return rows

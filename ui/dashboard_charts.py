"""Plotly figures for the progress and cohort dashboards. They take plain rows (the pages turn
store results into them), so this module knows neither the store nor Streamlit.

Plotly renders a few HTML tags inside labels, so every name or title that reaches a figure goes
through `plain()` first."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import plotly.graph_objects as go

from exercises.kinds import KINDS, kind_label
from ui.kinds import kind_view

# low scores warm, high scores cool; readable with the common colour-vision deficiencies
SCORE_SCALE = [[0.0, "#b2182b"], [0.35, "#ef8a62"], [0.55, "#fddbc7"], [0.7, "#d1e5f0"], [1.0, "#2166ac"]]
FONT = {"size": 12}


def plain(text: object) -> str:
    """Text shown exactly as written: no tags, links or entities."""
    return html.escape(str(text), quote=False)


def short_title(title: str, limit: int = 44) -> str:
    return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"


def _layout(fig: go.Figure, height: int, **extra: Any) -> go.Figure:
    fig.update_layout(**_base_layout(height), **extra)
    return fig


def _base_layout(height: int) -> dict[str, Any]:
    return {
        "height": height,
        "margin": {"l": 8, "r": 8, "t": 8, "b": 8},
        "font": FONT,
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
    }


def _prebuilt(data: list[dict[str, Any]], layout: dict[str, Any]) -> go.Figure:
    """A figure from a literal spec, without plotly's per-property validation.

    My progress draws these three charts on every visit, and building them through the
    graph-objects API (validation, `update_*` path parsing) cost 4 to 8 ms each, the largest
    part of that page's rerun; from a literal spec it is under half a millisecond. The specs
    use only the attributes the API calls they replace set, and each gives the same figure
    (`to_dict()`) as before."""
    return go.Figure({"data": data, "layout": layout}, _validate=False)


def competency_chart(means: Mapping[str, float], attempts: Mapping[str, int], cohort: Mapping[str, float]) -> go.Figure:
    """Your mean per task kind as bars; the cohort's median learner as a marker on each."""
    kinds = list(KINDS)
    labels = [kind_label(k) for k in kinds]
    data: list[dict[str, Any]] = [
        {
            "type": "bar",
            "y": labels,
            "x": [means.get(k) for k in kinds],
            "orientation": "h",
            "name": "You",
            "marker": {"color": [kind_view(k).colour for k in kinds]},
            "text": [f"{means[k]:.0f}" if k in means else "not tried" for k in kinds],
            "textposition": "auto",
            "customdata": [attempts.get(k, 0) for k in kinds],
            "hovertemplate": "%{y}: %{x:.1f} over %{customdata} attempt(s)<extra></extra>",
        }
    ]
    if cohort:
        data.append(
            {
                "type": "scatter",
                "y": labels,
                "x": [cohort.get(k) for k in kinds],
                "mode": "markers",
                "name": "Cohort median",
                "marker": {"symbol": "line-ns", "size": 26, "line": {"width": 3, "color": "#111827"}},
                "hovertemplate": "Cohort median: %{x:.1f}<extra></extra>",
            }
        )
    layout = {
        **_base_layout(260),
        "xaxis": {"range": [0, 100], "title": {}, "gridcolor": "#e5e7eb"},
        "yaxis": {"autorange": "reversed", "title": {}},
        "showlegend": bool(cohort),
        "bargap": 0.35,
    }
    return _prebuilt(data, layout)


def trend_chart(points: Sequence[Mapping[str, Any]], height: int = 300) -> go.Figure:
    """Each attempt as a dot, and each kind's moving mean as a line, by attempt number (oldest
    first), not by clock time: a week away does not stretch the line. Rows: submitted_at, kind,
    score, moving_mean."""
    data: list[dict[str, Any]] = []
    number = {id(p): n for n, p in enumerate(points, start=1)}
    for kind in KINDS:
        mine = [p for p in points if p["kind"] == kind]
        if not mine:
            continue
        color = kind_view(kind).colour
        when = [number[id(p)] for p in mine]
        data.append(
            {
                "type": "scatter",
                "x": when,
                "y": [p["score"] for p in mine],
                "mode": "markers",
                "marker": {"color": color, "size": 6, "opacity": 0.35},
                "name": kind_label(kind),
                "legendgroup": kind,
                "showlegend": False,
                "hovertemplate": "attempt %{x}: %{y:.0f}<extra>" + plain(kind_label(kind)) + "</extra>",
            }
        )
        data.append(
            {
                "type": "scatter",
                "x": list(when),
                "y": [p["moving_mean"] for p in mine],
                "mode": "lines",
                "line": {"color": color, "width": 2.5, "shape": "spline", "smoothing": 0.6},
                "name": kind_label(kind),
                "legendgroup": kind,
                "hovertemplate": "attempt %{x}: moving mean %{y:.0f}<extra></extra>",
            }
        )
    layout = {
        **_base_layout(height),
        "yaxis": {"range": [0, 100], "gridcolor": "#e5e7eb", "title": {}},
        "xaxis": {"title": {"text": "Attempt"}, "gridcolor": "#f3f4f6", "rangemode": "tozero"},
    }
    return _prebuilt(data, layout)


def matrix_heatmap(
    rows: Sequence[str],
    columns: Sequence[str],
    values: Sequence[Sequence[float | None]],
    counts: Sequence[Sequence[int]] | None = None,
    height: int | None = None,
    scale: bool = True,
) -> go.Figure:
    """Mean scores on a 0-100 colour scale, the number in each cell; blank where no attempt."""
    text = [["" if v is None else f"{v:.0f}" for v in row] for row in values]
    hover_counts = counts or [[0 for _ in columns] for _ in rows]
    heatmap = {
        "type": "heatmap",
        "z": [list(row) for row in values],
        "x": [plain(c) for c in columns],
        "y": [plain(r) for r in rows],
        "zmin": 0,
        "zmax": 100,
        "colorscale": [list(stop) for stop in SCORE_SCALE],
        "text": text,
        "texttemplate": "%{text}",
        "customdata": [list(row) for row in hover_counts],
        "hovertemplate": "%{y} · %{x}: %{z:.1f}"
        + (" over %{customdata} attempt(s)" if counts else "")
        + "<extra></extra>",
        "xgap": 2,
        "ygap": 2,
        "colorbar": {"title": {"text": "Mean"}, "thickness": 10},
        "showscale": scale,
    }
    layout = {
        **_base_layout(height or max(220, 60 + 26 * len(rows))),
        "yaxis": {"autorange": "reversed", "title": {}},
        "xaxis": {"side": "top", "title": {}, "tickangle": 0},
    }
    return _prebuilt([heatmap], layout)


def spread_chart(rows: Sequence[Mapping[str, Any]]) -> go.Figure:
    """A box per exercise from precomputed quartiles. Rows: label, kind, low, q1, median, q3,
    high, mean, learners; drawn in the order given (top first)."""
    fig = go.Figure()
    shown: set[str] = set()
    for r in rows:
        kind = r["kind"]
        fig.add_box(
            y=[plain(r["label"])],
            q1=[r["q1"]],
            median=[r["median"]],
            q3=[r["q3"]],
            lowerfence=[r["low"]],
            upperfence=[r["high"]],
            mean=[r["mean"]],
            orientation="h",
            marker_color=kind_view(kind).colour,
            name=kind_label(kind),
            legendgroup=kind,
            showlegend=kind not in shown,
            hoverinfo="x",
        )
        shown.add(kind)
    fig.update_xaxes(range=[0, 100], gridcolor="#e5e7eb", title="Learners' mean score on the exercise")
    fig.update_yaxes(
        autorange="reversed", title=None, categoryorder="array", categoryarray=[plain(r["label"]) for r in rows]
    )
    return _layout(fig, max(260, 40 + 24 * len(rows)), boxgap=0.25)


def item_map(rows: Sequence[Mapping[str, Any]], weak_below: float) -> go.Figure:
    """Difficulty (mean score) against discrimination, one dot per exercise, sized by learners;
    the band below `weak_below` holds exercises that hardly separate stronger from weaker learners."""
    fig = go.Figure()
    fig.add_hrect(y0=-1, y1=weak_below, fillcolor="#fee2e2", opacity=0.5, line_width=0, layer="below")
    for kind in KINDS:
        mine = [r for r in rows if r["kind"] == kind and r["discrimination"] is not None]
        if not mine:
            continue
        fig.add_scatter(
            x=[r["mean"] for r in mine],
            y=[r["discrimination"] for r in mine],
            mode="markers",
            name=kind_label(kind),
            marker={
                "color": kind_view(kind).colour,
                "size": [8 + min(20, r["learners"] ** 0.5) for r in mine],
                "opacity": 0.8,
            },
            text=[plain(r["label"]) for r in mine],
            customdata=[r["learners"] for r in mine],
            hovertemplate="%{text}<br>mean %{x:.0f} · discrimination %{y:.2f} · %{customdata} learners<extra></extra>",
        )
    fig.add_annotation(
        x=2,
        y=weak_below,
        xanchor="left",
        yanchor="top",
        showarrow=False,
        text="does not separate learners well",
        font={"size": 11, "color": "#991b1b"},
    )
    fig.update_xaxes(title="Mean score (higher is easier)", gridcolor="#e5e7eb")
    fig.update_yaxes(range=[-0.2, 1], title="Discrimination", gridcolor="#e5e7eb", zeroline=True)
    return _layout(fig, 340)


def criterion_bars(rows: Sequence[Mapping[str, Any]], height: int | None = None) -> go.Figure:
    """Share of grades meeting each criterion, lowest first. Rows: label, kind, met_rate, graded."""
    ordered = sorted(rows, key=lambda r: r["met_rate"])
    fig = go.Figure(
        go.Bar(
            y=[plain(r["label"]) for r in ordered],
            x=[r["met_rate"] * 100 for r in ordered],
            orientation="h",
            marker_color=[kind_view(r["kind"]).colour for r in ordered],
            text=[f"{r['met_rate']:.0%}" for r in ordered],
            textposition="auto",
            customdata=[r["graded"] for r in ordered],
            hovertemplate="%{y}: met in %{x:.0f}% of %{customdata} grades<extra></extra>",
        )
    )
    fig.update_xaxes(range=[0, 100], title="Grades meeting the criterion (%)", gridcolor="#e5e7eb")
    fig.update_yaxes(autorange="reversed", title=None)
    return _layout(fig, height or max(220, 40 + 26 * len(ordered)), showlegend=False)


def day(value: datetime | None) -> str:
    return value.strftime("%d %b %Y") if value else "—"

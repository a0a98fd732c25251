"""The assessment report: on the page with plotly charts, and as a print-ready HTML file."""

from __future__ import annotations

import html
from datetime import datetime

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from grading.bands import BAND_EDGES, BAND_NAMES, CRITERION_MET, band_legend
from grading.report import Report
from ui.text import escape_markdown


def competency_chart(report: Report) -> go.Figure:
    names = [t.competency for t in report.tasks]
    fig = go.Figure()
    fig.add_bar(
        name="This assessment",
        x=names,
        y=[t.score for t in report.tasks],
        text=[t.shown for t in report.tasks],
    )
    fig.add_bar(
        name="Your practice average",
        x=names,
        y=[t.practice_mean if t.practice_mean is not None else 0 for t in report.tasks],
        marker_color="#c7d2fe",
    )
    for edge, label in zip(BAND_EDGES[1:], BAND_NAMES[2:], strict=True):
        fig.add_hline(
            y=edge, line_dash="dot", line_color="#9ca3af", annotation_text=label, annotation_position="top left"
        )
    fig.update_layout(
        barmode="group",
        yaxis={"range": [0, 100], "title": "Score"},
        height=360,
        margin={"l": 8, "r": 8, "t": 24, "b": 8},
        legend={"orientation": "h", "y": -0.2},
    )
    return fig


def minutes(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    return "under a minute" if seconds < 60 else f"{seconds / 60:.0f} min"


def show_report(report: Report) -> None:
    md = escape_markdown
    with st.container(border=True, key="report"):
        cols = st.columns([1, 3], vertical_alignment="center")
        cols[0].metric("Assessment score", f"{report.total:.0f} / 100")
        skipped = sum(t.total is None for t in report.tasks)
        note = f" · {skipped} task(s) not attempted, counted as 0" if skipped else ""
        cols[1].markdown(f"**{report.band}** overall{note}")
        st.table(  # renders Markdown: titles escaped
            pd.DataFrame(
                [
                    {
                        "Task": md(t.competency),
                        "Exercise": md(t.title),
                        "Score": t.shown,
                        "Band": t.band,
                        "Time on task": minutes(t.seconds),
                    }
                    for t in report.tasks
                ]
            ),
            hide_index=True,
            alt="Each task's score and time on task",
        )
        st.plotly_chart(competency_chart(report), alt="Score per competency against your practice average")
        left, right = st.columns(2, gap="medium")
        with left:
            st.markdown("**Strongest**")
            if not report.strongest:
                st.caption(f"No criterion reached {CRITERION_MET * 100:.0f} % this time.")
            for n in report.strongest:
                st.markdown(f"- {md(n.criterion)} ({n.score:.0%}), in *{md(n.task)}*")
        with right:
            st.markdown("**To work on**")
            for n in report.weakest:
                st.markdown(f"- **{md(n.criterion)}** ({n.score:.0%}), in *{md(n.task)}*: {md(n.feedback)}")
        if report.next_steps:
            st.markdown("**Practise next**")
            for r in report.next_steps:
                st.markdown(f"- {md(r.title)}: {md(r.why)}")


def report_html(report: Report, learner: str, title: str, finished: datetime | None) -> str:
    """A self-contained page that prints cleanly to PDF from any browser."""
    e = html.escape
    rows = "".join(
        f"<tr><td>{e(t.competency)}</td><td>{e(t.title)}</td><td class=n>{e(t.shown)}</td><td>{e(t.band)}</td>"
        f"<td class=n>{e(minutes(t.seconds))}</td>"
        f"<td class=n>{'' if t.practice_mean is None else f'{t.practice_mean:.0f}'}</td></tr>"
        for t in report.tasks
    )
    strong = "".join(f"<li>{e(n.criterion)} ({n.score:.0%}), in <i>{e(n.task)}</i></li>" for n in report.strongest)
    weak = "".join(
        f"<li><b>{e(n.criterion)}</b> ({n.score:.0%}), in <i>{e(n.task)}</i>: {e(n.feedback)}</li>"
        for n in report.weakest
    )
    steps = "".join(f"<li>{e(r.title)}: {e(r.why)}</li>" for r in report.next_steps)
    when = finished.strftime("%d %B %Y") if finished else ""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Baton report: {e(title)}</title>
<style>
 body {{ font: 14px/1.5 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #111; }}
 body {{ max-width: 780px; margin: 2em auto; }}
 h1 {{ font-size: 22px; margin-bottom: 0; }} .meta {{ color: #555; margin-top: 4px; }}
 .total {{ font-size: 40px; font-weight: 600; }} table {{ border-collapse: collapse; width: 100%; margin: 1em 0; }}
 th, td {{ border-bottom: 1px solid #ddd; padding: 6px 8px; text-align: left; }} td.n {{ text-align: right; }}
 @media print {{ body {{ margin: 0; }} }}
</style></head><body>
<h1>{e(title)}</h1><p class=meta>{e(learner)} · {e(when)} · Baton mock assessment</p>
<p><span class=total>{report.total:.0f}</span> / 100 · <b>{e(report.band)}</b></p>
<table><tr><th>Competency</th><th>Task</th><th>Score</th><th>Band</th><th>Time on task</th>
<th>Practice average</th></tr>{rows}</table>
<h2>Strongest</h2><ul>{strong}</ul><h2>To work on</h2><ul>{weak}</ul><h2>Practise next</h2><ul>{steps}</ul>
<p class=meta>Bands: {e(band_legend())}.</p>
</body></html>"""

"""How does the window's traffic split between flagged accounts and everyone else, hour by hour?"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from components.figures import FLAGGED, UNFLAGGED, empty_figure, titled

TITLE = "Traffic over time: flagged accounts vs everyone else"


def traffic_figure(frame: pl.DataFrame) -> go.Figure:
    """Stacked hourly calls (columns hour, flagged, calls), flagged on top."""
    x, y = "Hour (UTC)", "Calls per hour"
    if frame.is_empty():
        return empty_figure(TITLE, x, y)
    fig = go.Figure()
    for flagged, name, colour in ((False, "unflagged", UNFLAGGED), (True, "flagged accounts", FLAGGED)):
        part = frame.filter(pl.col("flagged") == flagged).sort("hour")
        fig.add_trace(go.Bar(x=part["hour"].to_list(), y=part["calls"].to_list(), name=name, marker_color=colour))
    fig.update_layout(barmode="stack", bargap=0.05)
    return titled(fig, TITLE, x, y)

"""Shared figure habits: every chart has a title and axis labels with units, in one consistent look."""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st

FLAGGED, UNFLAGGED, BASELINE = "#C0392B", "#5B7DA8", "#9AA5B1"
#: The white look's layout only: the full "plotly_white" template also carries defaults for every trace type, and
#: validating it again for each chart cost more than building the chart.
LOOK = go.layout.Template(layout=pio.templates["plotly_white"].layout)


def titled(fig: go.Figure, title: str, x: str, y: str, *, height: int = 320) -> go.Figure:
    """The figure with its title, axis titles (with units) and the dashboard's margins."""
    fig.update_layout(
        title={"text": title, "x": 0.0, "xanchor": "left"},
        xaxis_title=x,
        yaxis_title=y,
        height=height,
        margin={"l": 60, "r": 20, "t": 50, "b": 50},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1.0},
        template=LOOK,
    )
    return fig


def empty_figure(title: str, x: str, y: str, message: str = "No activity in this window") -> go.Figure:
    """A titled, labelled figure that says there is nothing to draw."""
    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper", font={"size": 14, "color": "#777"})
    fig.update_xaxes(showticklabels=False)
    fig.update_yaxes(showticklabels=False)
    return titled(fig, title, x, y)


def render(fig: go.Figure, *, key: str) -> None:
    """Draw a figure at full width."""
    st.plotly_chart(fig, key=key, config={"displaylogo": False})

"""What did a campaign do over time, and which models did it harvest? Figures for the campaign page."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from components.figures import empty_figure, titled


def timeline_figure(frame: pl.DataFrame) -> go.Figure:
    """Calls per hour for each of the campaign's busiest accounts (columns account_id, hour, calls)."""
    title, x, y = "Activity timeline of the busiest member accounts", "Hour (UTC)", "Account"
    if frame.is_empty():
        return empty_figure(title, x, y)
    hours = frame["hour"].unique().sort()
    totals = frame.group_by("account_id").agg(pl.col("calls").sum()).sort(["calls", "account_id"], descending=[False, True])
    order = totals["account_id"].to_list()
    # one pivot in polars (accounts x hours, empty hours null) rather than a Python loop over the rows
    wide = (
        frame.select("account_id", pl.col("hour").cast(pl.String), pl.col("calls").cast(pl.Int64))
        .pivot(on="hour", index="account_id", values="calls", aggregate_function="first")
        .join(totals.select("account_id"), on="account_id", how="right")
    )
    columns = hours.cast(pl.String).to_list()
    cells = wide.select([pl.col(c) if c in wide.columns else pl.lit(None, dtype=pl.Int64).alias(c) for c in columns])
    grid = cells.rows()
    fig = go.Figure(
        go.Heatmap(z=grid, x=hours.to_list(), y=order, colorscale="Reds", zmin=0, colorbar={"title": "Calls/h"}, hoverongaps=False)
    )
    return titled(fig, title, x, y, height=max(280, 80 + 18 * len(order)))


def model_mix_figure(frame: pl.DataFrame) -> go.Figure:
    """Calls per day per model (columns day, model, calls): a pivot to a new model shows as a colour change."""
    title, x, y = "Model mix over time", "Day (UTC)", "Calls per day"
    if frame.is_empty():
        return empty_figure(title, x, y)
    fig = go.Figure()
    for model in sorted(set(frame["model"].to_list())):
        part = frame.filter(pl.col("model") == model).sort("day")
        fig.add_trace(go.Bar(x=part["day"].to_list(), y=part["calls"].to_list(), name=str(model)))
    fig.update_layout(barmode="stack")
    fig.update_xaxes(tickformat="%d %b", dtick=86_400_000)
    return titled(fig, title, x, y)


def harvest_figure(frame: pl.DataFrame) -> go.Figure:
    """Estimated list-price cost per model, before vs after the first action (columns model, phase, est_cost_usd)."""
    title, x, y = "Harvest at list price, before vs after the first key revocation", "Model", "Estimated cost (USD)"
    if frame.is_empty():
        return empty_figure(title, x, y)
    fig = go.Figure()
    for phase in sorted(set(frame["phase"].to_list()), reverse=True):
        part = frame.filter(pl.col("phase") == phase).sort("model")
        fig.add_trace(go.Bar(x=part["model"].to_list(), y=part["est_cost_usd"].to_list(), name=str(phase)))
    fig.update_layout(barmode="group")
    return titled(fig, title, x, y)


def harvest_totals(costed: pl.DataFrame) -> pl.DataFrame:
    """Exchanges, output tokens and estimated cost per phase (columns phase, exchanges, output_tokens, est_cost_usd)."""
    if costed.is_empty():
        return costed
    return (
        costed.group_by("phase")
        .agg(pl.col("exchanges").sum(), pl.col("output_tokens").sum(), pl.col("est_cost_usd").sum())
        .sort("phase", descending=True)
    )

"""How does one key behave against its own history and its peers? Figures for the keys page."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from components.figures import BASELINE, FLAGGED, UNFLAGGED, empty_figure, titled
from queries.key_baselines import GAP_BINS_S, LENGTH_BINS


def bin_labels(bounds: tuple[float, ...], unit: str) -> list[str]:
    """Readable labels for the bins `_bin` numbers 0..len(bounds): "< 0.5 s", "0.5–2 s", ..., "≥ 3600 s"."""
    fmt = [f"{b:g}" for b in bounds]
    return [f"< {fmt[0]} {unit}"] + [f"{a}–{b} {unit}" for a, b in zip(fmt, fmt[1:], strict=False)] + [f"≥ {fmt[-1]} {unit}"]


def _shares(frame: pl.DataFrame, n_bins: int) -> list[float]:
    counts = dict.fromkeys(range(n_bins), 0)
    for row in frame.iter_rows(named=True):
        counts[int(row["bin"])] = int(row["calls"])
    total = sum(counts.values()) or 1
    return [100.0 * counts[i] / total for i in range(n_bins)]


def hourly_volume_figure(key_hours: pl.DataFrame, band: pl.DataFrame) -> go.Figure:
    """The key's calls per hour over the peers' median-to-p90 band and the key's own median."""
    title, x, y = "Hourly volume against the peer baseline", "Hour (UTC)", "Calls per hour"
    if key_hours.is_empty():
        return empty_figure(title, x, y)
    fig = go.Figure()
    if band.height:
        b = band.sort("hour")
        fig.add_trace(go.Scatter(x=b["hour"].to_list(), y=b["p90"].to_list(), line={"width": 0}, showlegend=False, hoverinfo="skip"))
        fig.add_trace(
            go.Scatter(
                x=b["hour"].to_list(),
                y=b["p50"].to_list(),
                fill="tonexty",
                fillcolor="rgba(154,165,177,0.35)",
                line={"color": BASELINE, "width": 1},
                name="peers: median–p90 per key",
            )
        )
    k = key_hours.sort("hour")
    fig.add_trace(
        go.Scatter(
            x=k["hour"].to_list(),
            y=k["calls"].to_list(),
            mode="lines+markers",
            marker={"size": 4},
            line={"color": FLAGGED},
            name="this key",
        )
    )
    own_median = float(k.select(pl.col("calls").median()).item() or 0.0)
    fig.add_hline(y=own_median, line_dash="dot", line_color=UNFLAGGED, annotation_text=f"own median {own_median:g}/h")
    fig.update_yaxes(rangemode="tozero")
    return titled(fig, title, x, y)


def interarrival_figure(key_bins: pl.DataFrame) -> go.Figure:
    """How long the key waits between consecutive calls (share of gaps per bin)."""
    title, x, y = "Time between consecutive calls", "Gap between calls (seconds)", "Share of gaps (%)"
    if key_bins.is_empty():
        return empty_figure(title, x, y, "Fewer than two calls in this window")
    labels = bin_labels(GAP_BINS_S, "s")
    fig = go.Figure(go.Bar(x=labels, y=_shares(key_bins, len(labels)), marker_color=FLAGGED, name="this key"))
    return titled(fig, title, x, y)


def active_hours_figure(frame: pl.DataFrame) -> go.Figure:
    """Calls per day and hour of day: people sleep, scripts do not."""
    title, x, y = "Active hours", "Hour of day (UTC)", "Day"
    if frame.is_empty():
        return empty_figure(title, x, y)
    days = sorted(set(frame["day"].to_list()))
    grid = [[0] * 24 for _ in days]
    index = {d: i for i, d in enumerate(days)}
    for row in frame.iter_rows(named=True):
        grid[index[row["day"]]][int(row["hour_of_day"])] = int(row["calls"])
    fig = go.Figure(
        go.Heatmap(z=grid, x=list(range(24)), y=[f"{d:%d %b}" for d in days], colorscale="Reds", zmin=0, colorbar={"title": "Calls"})
    )
    return titled(fig, title, x, y, height=max(240, 60 + 28 * len(days)))


def compare_bins_figure(key_bins: pl.DataFrame, all_bins: pl.DataFrame) -> go.Figure:
    """Prompt-length distribution of the key against all traffic in the window."""
    title, x, y = "Prompt length against all traffic", "Prompt length (characters)", "Share of calls (%)"
    if key_bins.is_empty():
        return empty_figure(title, x, y, "No prompt text logged for this key")
    labels = bin_labels(tuple(float(b) for b in LENGTH_BINS), "chars")
    fig = go.Figure(
        [
            go.Bar(x=labels, y=_shares(all_bins, len(labels)), name="all traffic", marker_color=BASELINE),
            go.Bar(x=labels, y=_shares(key_bins, len(labels)), name="this key", marker_color=FLAGGED),
        ]
    )
    fig.update_layout(barmode="group")
    return titled(fig, title, x, y)


def capability_figure(subject: pl.DataFrame, baseline: pl.DataFrame, *, subject_name: str, baseline_name: str, title: str) -> go.Figure:
    """Share of calls per capability for a subject (key or campaign) against a baseline."""
    x, y = "Capability", "Share of calls (%)"
    if subject.is_empty():
        return empty_figure(title, x, y)
    caps = sorted(set(subject["capability"].to_list()) | set(baseline["capability"].to_list() if baseline.height else []))

    def shares(frame: pl.DataFrame) -> list[float]:
        total = int(frame["calls"].sum()) if frame.height else 0
        got = {r["capability"]: int(r["calls"]) for r in frame.iter_rows(named=True)}
        return [100.0 * got.get(c, 0) / total if total else 0.0 for c in caps]

    fig = go.Figure(
        [
            go.Bar(x=caps, y=shares(baseline), name=baseline_name, marker_color=BASELINE),
            go.Bar(x=caps, y=shares(subject), name=subject_name, marker_color=FLAGGED),
        ]
    )
    fig.update_layout(barmode="group")
    return titled(fig, title, x, y)


def template_figure(frame: pl.DataFrame) -> go.Figure:
    """The key's most reused prompt templates and the share of its calls each takes."""
    title, x, y = "Template concentration (top templates)", "Share of the key's calls (%)", "Template fingerprint"
    if frame.is_empty():
        return empty_figure(title, x, y)
    f = frame.sort("calls")
    fig = go.Figure(
        go.Bar(
            x=[100.0 * float(s or 0) for s in f["share"].to_list()],
            y=[str(t)[:16] for t in f["template_fp"].to_list()],
            orientation="h",
            marker_color=FLAGGED,
        )
    )
    fig.update_xaxes(range=[0, 100])
    return titled(fig, title, x, y, height=max(240, 60 + 26 * f.height))

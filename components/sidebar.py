"""Which time window and global filters is the analyst looking at? The shared sidebar, bound to the URL."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import streamlit as st

from components import state

#: URL parameters owned by the sidebar; links between pages carry them along.
GLOBAL_PARAMS = ("from", "to", "model", "allowlisted")

#: Default window length: the last week of data, the span the February 2026 campaigns ran over.
DEFAULT_DAYS = 7

ALL_MODELS = "All models"


@dataclass(frozen=True)
class Filters:
    """The window (UTC, end exclusive) and global filters every page applies."""

    start: datetime
    end: datetime
    model: str | None = None
    include_allowlisted: bool = False

    def window(self) -> dict[str, Any]:
        """Keyword arguments for a builder's time window and global filters."""
        return {"start": self.start, "end": self.end, "model": self.model}

    @property
    def label(self) -> str:
        last = (self.end - timedelta(days=1)).date()
        return f"{self.start.date():%d %b %Y} – {last:%d %b %Y} UTC" + (f", model {self.model}" if self.model else "")


def _day_start(d: date) -> datetime:
    return datetime.combine(d, time(0), tzinfo=UTC)


def _parse_date(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


def data_days() -> tuple[date, date]:
    """Which days does the warehouse's telemetry span (today only when it is empty)?"""
    today = datetime.now(UTC).date()
    try:
        if "requests" not in state.warehouse_tables():
            return today, today
        frame = state.query("overview.data_extent").frame
    except Exception:  # noqa: BLE001 - an unreachable warehouse is reported by the page itself
        return today, today
    if frame.is_empty() or frame["first_ts"][0] is None:
        return today, today
    return frame["first_ts"][0].date(), frame["last_ts"][0].date()


def default_filters() -> Filters:
    """Which view does a fresh session start on? The last week of data, all models."""
    first, last = data_days()
    start = max(first, last - timedelta(days=DEFAULT_DAYS - 1))
    return Filters(start=_day_start(start), end=_day_start(last + timedelta(days=1)))


def _init(key: str, param: str, default: Any, parse: Callable[[str], Any]) -> None:
    """Seed a widget's state from the URL the first time this session sees it."""
    if key not in st.session_state:
        raw = st.query_params.get(param)
        parsed = parse(raw) if raw else None
        st.session_state[key] = default if parsed is None else parsed


def _sync(param: str, value: str | None, default: str | None) -> None:
    """Write a widget's value to the URL, leaving defaults out so links stay short."""
    state.set_url_value(param, None if value == default else value)


def _model_options() -> list[str]:
    try:
        if "requests" not in state.warehouse_tables():
            return [ALL_MODELS]
        frame = state.query("overview.model_list").frame
    except Exception:  # noqa: BLE001
        return [ALL_MODELS]
    return [ALL_MODELS, *[str(m) for m in frame["model"].to_list()]]


def render_sidebar() -> Filters:
    """Draw the window and filter widgets in the sidebar and keep them in the URL; returns the filters."""
    first, last = data_days()
    defaults = default_filters()
    d_from, d_to = defaults.start.date(), (defaults.end - timedelta(days=1)).date()
    models = _model_options()
    _init("flt_from", "from", d_from, _parse_date)
    _init("flt_to", "to", d_to, _parse_date)
    _init("flt_model", "model", ALL_MODELS, lambda raw: raw if raw in models else None)
    _init("flt_allowlisted", "allowlisted", False, lambda raw: raw == "show")
    lo, hi = min(first, st.session_state["flt_from"]), max(last, st.session_state["flt_to"])
    with st.sidebar:
        st.markdown("#### Window (UTC)")
        start_day = st.date_input("From", key="flt_from", min_value=lo, max_value=hi, format="YYYY-MM-DD")
        end_day = st.date_input("To (inclusive)", key="flt_to", min_value=lo, max_value=hi, format="YYYY-MM-DD")
        model = st.selectbox("Model", models, key="flt_model", help="Only traffic to this model in traffic figures.")
        show_allowlisted = st.toggle(
            "Show allowlisted entities", key="flt_allowlisted", help="Allowlisted accounts are hidden from rankings by default."
        )
        st.caption(f"Telemetry spans {first:%d %b} – {last:%d %b %Y}.")
    if not isinstance(start_day, date):
        start_day = d_from
    if not isinstance(end_day, date):
        end_day = d_to
    if end_day < start_day:
        st.sidebar.warning("The window ends before it starts; showing the single day chosen in From.")
        end_day = start_day
    _sync("from", state.iso(start_day), state.iso(d_from))
    _sync("to", state.iso(end_day), state.iso(d_to))
    _sync("model", None if model == ALL_MODELS else str(model), None)
    _sync("allowlisted", "show" if show_allowlisted else None, None)
    filters = Filters(
        start=_day_start(start_day),
        end=_day_start(end_day + timedelta(days=1)),
        model=None if model == ALL_MODELS else str(model),
        include_allowlisted=bool(show_allowlisted),
    )
    return filters


def sidebar_filters() -> Filters:
    """Which filters is the analyst using? Draws the shared sidebar; every page calls this once per run."""
    state.ensure_routed()
    return render_sidebar()

"""Which view is the analyst looking at? Selections and the global window and filters, kept in the URL."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlparse

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from app_state.data import query, warehouse_tables
from app_state.identity import actor, cases_engine, show_identity
from app_state.routing import PAGES, ensure_routed
from components.saved_views import render_saved_views
from components.sidebar import ALL_MODELS, FilterChoice, Filters, default_choice, parse_day, render_filters
from components.text import md
from queries import overview
from radar.cases.actor import Actor

# --- URL-bound selections (key, account, cluster, campaign, ...) ------------------------------------


def url_value(name: str) -> str | None:
    """Which value does the URL hold for `name` (None when absent or empty)?"""
    value = st.query_params.get(name)
    return value or None


def set_url_value(name: str, value: str | None) -> None:
    """Put `value` in the URL under `name` (removing it when None), so a pasted link reproduces the view."""
    if value is None or value == "":
        if name in st.query_params:
            del st.query_params[name]
    elif st.query_params.get(name) != value:
        st.query_params[name] = value


def url_params(extra: Mapping[str, str | None] | None = None) -> dict[str, str]:
    """The URL parameters to carry to another page: the global filters plus `extra` selections."""
    carried = {k: v for k in GLOBAL_PARAMS if (v := st.query_params.get(k))}
    carried.update({k: v for k, v in (extra or {}).items() if v})
    return carried


def page_link(page: str, label: str, *, icon: str | None = None, **selection: str | None) -> None:
    """A link to another page that carries the window, the filters and the given selection in the URL."""
    st.page_link(page, label=label, icon=icon, query_params=url_params(selection))


def iso(value: date | datetime) -> str:
    """The URL spelling of a date."""
    return value.isoformat()


# --- the window and global filters, kept in the URL ----------------------------------------------------

#: URL parameters owned by the sidebar; links between pages carry them along.
GLOBAL_PARAMS = ("from", "to", "model", "allowlisted")


def data_days() -> tuple[date, date]:
    """Which days does the warehouse's telemetry span (today only when it is empty)?"""
    today = datetime.now(UTC).date()
    try:
        if "requests" not in warehouse_tables():
            return today, today
        frame = query(overview.data_extent).frame
    except Exception:  # noqa: BLE001 - an unreachable warehouse is reported by the page itself
        return today, today
    if frame.is_empty() or frame["first_ts"][0] is None:
        return today, today
    return frame["first_ts"][0].date(), frame["last_ts"][0].date()


def model_options() -> list[str]:
    """Which models can the analyst filter on (busiest first, after "All models")?"""
    try:
        if "requests" not in warehouse_tables():
            return [ALL_MODELS]
        frame = query(overview.model_list).frame
    except Exception:  # noqa: BLE001 - an unreachable warehouse is reported by the page itself
        return [ALL_MODELS]
    return [ALL_MODELS, *[str(m) for m in frame["model"].to_list()]]


def url_choice(default: FilterChoice, models: list[str]) -> FilterChoice:
    """Which filters does the URL ask for (the default for anything absent or unreadable)?"""
    model = url_value("model")
    return FilterChoice(
        first_day=parse_day(url_value("from")) or default.first_day,
        last_day=parse_day(url_value("to")) or default.last_day,
        model=model if model in models else default.model,
        show_allowlisted=url_value("allowlisted") == "show",
    )


def sidebar_filters() -> Filters:
    """Which filters is the analyst using? Draws the shared sidebar, keeps it in the URL; every page calls this once per run."""
    ensure_routed()
    first, last = data_days()
    models = model_options()
    default = default_choice(first, last)
    choice = render_filters(url_choice(default, models), models=models, span=(first, last))
    # Defaults stay out of the URL so links stay short.
    set_url_value("from", None if choice.first_day == default.first_day else iso(choice.first_day))
    set_url_value("to", None if choice.last_day == default.last_day else iso(choice.last_day))
    set_url_value("model", None if choice.model == ALL_MODELS else choice.model)
    set_url_value("allowlisted", "show" if choice.show_allowlisted else None)
    who = actor()
    show_identity(who)
    _saved_views(who)
    return Filters.of(choice)


def current_page() -> str:
    """Which page's URL path is this run drawing (the default page when it cannot tell)?"""
    known = {p.url_path for p in PAGES}
    ctx = get_script_run_ctx()
    if ctx is not None:
        info: Mapping[str, Any] = ctx.pages_manager.get_pages().get(ctx.page_script_hash) or {}
        path = str(info.get("url_pathname") or "")
        if path in known:
            return path
    try:
        path = urlparse(str(st.context.url or "")).path.strip("/").split("/")[-1]
    except Exception:  # noqa: BLE001 - no request (bare mode, tests)
        path = ""
    return path if path in known else next(p.url_path for p in PAGES if p.default)


def _view_link(page: str, params: dict[str, str], label: str) -> None:
    spec = next((p for p in PAGES if p.url_path == page), None)
    if spec is not None:
        st.page_link(spec.path, label=md(label), icon=spec.icon, query_params=params)


def _saved_views(who: object) -> None:
    """The sidebar's saved views, when the case store can be reached (the pages that need it say when it cannot)."""
    if not isinstance(who, Actor):
        return
    try:
        engine = cases_engine()
    except Exception:  # noqa: BLE001 - reported by the triage pages, not on every page
        return
    render_saved_views(engine, who, page=current_page(), link=_view_link)

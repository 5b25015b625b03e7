"""What do the pages share? The read-only warehouse engine, the cached query runner and URL-bound state.

Pages call `query("module.builder", **plain_kwargs)`; the builder named is a function in `queries/`
returning a select. Results are cached per warehouse URL and per argument values, so a filter change
that comes back to an earlier view costs nothing.
"""

from __future__ import annotations

import importlib
import os
import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import streamlit as st
from sqlalchemy import Engine, inspect

from queries.run import QueryTimeout, Result, run
from radar.config import Settings, load_settings
from radar.warehouse import WarehouseError, open_engine

#: How long a query result stays cached; a new ingest or score run shows up within this delay.
CACHE_TTL_S = 300


def _secret(name: str) -> str | None:
    """A RADAR_* value from the git-ignored .streamlit/secrets.toml, used only when the environment lacks it."""
    if os.environ.get(name):
        return None
    try:
        value = st.secrets.get(name)
    except Exception:  # noqa: BLE001 - no secrets file is the normal case
        return None
    return str(value) if value else None


def settings() -> Settings:
    """Which settings are in force (RADAR_* environment variables, else .streamlit/secrets.toml)?"""
    return load_settings(warehouse_url=_secret("RADAR_WAREHOUSE_URL"), cases_url=_secret("RADAR_CASES_URL"))


@st.cache_resource(show_spinner=False)
def _engine(url: str) -> Engine:
    return open_engine(url, read_only=True)


def warehouse_engine() -> Engine:
    """The one read-only engine on the configured warehouse (raises WarehouseError with what to do)."""
    return _engine(settings().warehouse)


def _builder(name: str) -> Any:
    module_name, _, func_name = name.rpartition(".")
    return getattr(importlib.import_module(f"queries.{module_name}"), func_name)


@st.cache_data(ttl=CACHE_TTL_S, show_spinner=False, max_entries=2048)
def _cached(url: str, name: str, items: tuple[tuple[str, Any], ...], timeout_s: float, row_cap: int) -> Result:
    stmt = _builder(name)(**dict(items))
    return run(_engine(url), stmt, timeout_s=timeout_s, row_cap=row_cap)


def _plain(value: Any) -> Any:
    """Lists become tuples so that arguments hash and cache by value."""
    return tuple(value) if isinstance(value, list | set | frozenset) else value


def query(builder: str, /, **kwargs: Any) -> Result:
    """What does the named builder (e.g. "overview.traffic_kpis") return for these arguments? Cached."""
    s = settings()
    items = tuple(sorted((k, _plain(v)) for k, v in kwargs.items()))
    return _cached(s.warehouse, builder, items, s.query_timeout_s, s.row_cap)


@st.cache_data(ttl=60, show_spinner=False)
def _tables(url: str) -> frozenset[str]:
    return frozenset(inspect(_engine(url)).get_table_names())


def warehouse_tables() -> frozenset[str]:
    """Which tables does the warehouse hold (empty when there is no warehouse yet)?"""
    try:
        return _tables(settings().warehouse)
    except WarehouseError:
        return frozenset()


def has_telemetry() -> bool:
    """Does the warehouse hold any request rows?"""
    if "requests" not in warehouse_tables():
        return False
    frame = query("overview.data_extent").frame
    return frame.height > 0 and int(frame["requests"][0] or 0) > 0


def latest_run_id() -> str | None:
    """Which finished detection run do the pages show (None before the first `python -m radar score`)?"""
    if "score_runs" not in warehouse_tables():
        return None
    frame = query("overview.latest_run").frame
    return None if frame.is_empty() else str(frame["run_id"][0])


def empty_warehouse_message() -> None:
    """Tell the analyst the warehouse is empty and how to fill it."""
    st.info(
        "The warehouse holds no telemetry yet. Load gateway files with `python -m radar ingest PATH` "
        "(or run `make run`, which builds a demo warehouse), then `python -m radar score`.",
        icon=":material/database:",
    )


def no_run_message() -> None:
    """Tell the analyst that detection has not run yet and how to run it."""
    st.info(
        "Telemetry is loaded but no detection run exists yet: run `python -m radar score` to compute baselines, clusters and campaigns.",
        icon=":material/radar:",
    )


def require_data(*, need_run: bool = True) -> str | None:
    """Can this page draw? Shows the right message and stops the page when not; returns the run id."""
    try:
        if not has_telemetry():
            empty_warehouse_message()
            st.stop()
        run_id = latest_run_id()
    except Exception as exc:  # noqa: BLE001 - any failure reaches the analyst as a sentence
        show_error(exc)
        st.stop()
    if need_run and run_id is None:
        no_run_message()
        st.stop()
    return run_id


def error_sentence(exc: BaseException) -> str:
    """What one sentence tells the analyst what went wrong and what to do?"""
    if isinstance(exc, WarehouseError | QueryTimeout):
        return str(exc)
    first = (str(exc).strip().splitlines() or [""])[0][:200]
    return (
        f"The warehouse query failed ({type(exc).__name__}: {first}). "
        "Check RADAR_WAREHOUSE_URL and that `python -m radar ingest` has run, then reload."
    )


def show_error(exc: BaseException) -> None:
    """Show a failure as one sentence, never a traceback."""
    st.error(error_sentence(exc), icon=":material/error:")


def show_truncated(result: Result, what: str) -> None:
    """Say so when a table was cut at the row cap."""
    if result.truncated:
        st.caption(f"{what}: showing the first {settings().row_cap:,} rows; narrow the window or filters to see the rest.")


def ensure_routed() -> None:
    """Is this run routed through app.py? If Streamlit ran the page alone (legacy pages/ layout), rerun through app.py."""
    from pathlib import Path

    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    if ctx is None:
        return
    pages = ctx.pages_manager.get_pages().values()
    if any(Path(str(info.get("script_path", ""))).name == "app.py" for info in pages):
        PagesManager.uses_pages_directory = False
        st.rerun()


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
    from components.sidebar import GLOBAL_PARAMS

    carried = {k: v for k in GLOBAL_PARAMS if (v := st.query_params.get(k))}
    carried.update({k: v for k, v in (extra or {}).items() if v})
    return carried


def page_link(page: str, label: str, *, icon: str | None = None, **selection: str | None) -> None:
    """A link to another page that carries the window, the filters and the given selection in the URL."""
    st.page_link(page, label=label, icon=icon, query_params=url_params(selection))


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def md(text: object) -> str:
    """An id or value from the URL or the warehouse, escaped so Markdown shows it literally (no links, no markup)."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def iso(value: date | datetime) -> str:
    """The URL spelling of a date."""
    return value.isoformat()

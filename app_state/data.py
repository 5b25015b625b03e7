"""What does a page read? Settings, the one read-only warehouse engine, the query cache keyed by warehouse generation."""

from __future__ import annotations

import os
from typing import Any, NoReturn

# Imported before any page runs: plotly looks numpy and pandas up in sys.modules without importing them, so a session
# drawing its first chart while another session's thread was importing pandas got a half-initialised module
# ("partially initialized module 'pandas' has no attribute 'Series'"); importing app_state, every run waits for these.
import numpy  # noqa: F401
import pandas  # noqa: F401
import streamlit as st
from sqlalchemy import Engine, inspect

from queries import catalog, detect_results, overview
from queries import load as load_statements
from queries.catalog import P, Question
from queries.run import Result, run_page
from radar.config import Settings, load_settings
from radar.warehouse import LOAD_RUNNING, WarehouseBusy, WarehouseError, file_generation, open_engine, warehouse_free

#: How long a query result stays cached. Results are also keyed by the warehouse generation, so a finished load
#: or score run shows up at the next page run (on a server warehouse within GENERATION_TTL_S).
CACHE_TTL_S = 300
#: How often a server warehouse's generation (its load log and detection runs) is asked for, seconds.
GENERATION_TTL_S = 5
#: How often a page waiting for a load checks whether the warehouse file is free again, seconds.
LOAD_POLL_S = 2.0


# --- settings, the engine and the query cache --------------------------------------------------------


def _secret(name: str) -> str | None:
    """A RADAR_* value from the git-ignored .streamlit/secrets.toml, used only when the environment lacks it."""
    if os.environ.get(name):
        return None
    try:
        value = st.secrets.get(name)
    except Exception:  # noqa: BLE001 - no secrets file is the normal case
        return None
    return str(value) if value else None


#: Settings that may also come from .streamlit/secrets.toml: the database URLs and who signs in how.
SECRET_SETTINGS = {
    "warehouse_url": "RADAR_WAREHOUSE_URL",
    "cases_url": "RADAR_CASES_URL",
    "roles": "RADAR_ROLES",
    "roles_file": "RADAR_ROLES_FILE",
    "trusted_user_header": "RADAR_TRUSTED_USER_HEADER",
    "asn_names": "RADAR_ASN_NAMES",
}


def settings() -> Settings:
    """Which settings are in force (RADAR_* environment variables, else .streamlit/secrets.toml)?"""
    return load_settings(**{field: _secret(env) for field, env in SECRET_SETTINGS.items()})


@st.cache_resource(show_spinner=False)
def _engine(url: str) -> Engine:
    return open_engine(url, read_only=True)


def warehouse_engine() -> Engine:
    """The one read-only engine on the configured warehouse (raises WarehouseError with what to do)."""
    return _engine(settings().warehouse)


@st.cache_data(ttl=GENERATION_TTL_S, show_spinner=False)
def _server_generation(url: str) -> tuple[Any, ...]:
    try:
        return tuple(run_page(_engine(url), load_statements.generation(), row_cap=1).frame.row(0))
    except Exception:  # noqa: BLE001 - no warehouse or no tables yet: the pages say so themselves
        return ()


def warehouse_generation() -> tuple[Any, ...]:
    """Which state of the warehouse do cached results belong to? Changes when a load or a detection run finishes."""
    url = settings().warehouse
    on_disk = file_generation(url)  # a DuckDB file: its version on disk, no query needed
    return on_disk if on_disk is not None else _server_generation(url)


@st.cache_data(ttl=CACHE_TTL_S, show_spinner=False, max_entries=2048)
def _cached(url: str, generation: tuple[Any, ...], name: str, items: tuple[tuple[str, Any], ...], timeout_s: float, row_cap: int) -> Result:
    stmt = catalog.by_name(name)(**dict(items))
    return run_page(_engine(url), stmt, timeout_s=timeout_s, row_cap=row_cap)


def _plain(value: Any) -> Any:
    """Lists become tuples so that arguments hash and cache by value."""
    return tuple(value) if isinstance(value, list | set | frozenset) else value


def query(question: Question[P], /, *args: P.args, **kwargs: P.kwargs) -> Result:
    """What does this catalog question return for these arguments (by name)? Cached, capped and timed out."""
    if args:
        raise TypeError(f"{question.name}: pass arguments by name, so that results cache by value")
    s = settings()
    items = tuple(sorted((k, _plain(v)) for k, v in kwargs.items()))
    try:
        return _cached(s.warehouse, warehouse_generation(), question.name, items, s.query_timeout_s, min(s.row_cap, question.row_cap))
    except WarehouseBusy:
        wait_for_load()


@st.cache_data(ttl=60, show_spinner=False)
def _tables(url: str, generation: tuple[Any, ...]) -> frozenset[str]:
    return frozenset(inspect(_engine(url)).get_table_names())


def warehouse_tables() -> frozenset[str]:
    """Which tables does the warehouse hold (empty when there is no warehouse yet)?"""
    try:
        return _tables(settings().warehouse, warehouse_generation())
    except WarehouseBusy:
        wait_for_load()  # a load holds the file: the page must not claim an empty warehouse
    except WarehouseError:
        return frozenset()


def has_telemetry() -> bool:
    """Does the warehouse hold any request rows?"""
    if "requests" not in warehouse_tables():
        return False
    frame = query(overview.data_extent).frame
    return frame.height > 0 and int(frame["requests"][0] or 0) > 0


def latest_run_id() -> str | None:
    """Which finished detection run do the pages show (None before the first `python -m radar score`)?"""
    if "score_runs" not in warehouse_tables():
        return None
    frame = query(detect_results.latest_run).frame
    return None if frame.is_empty() else str(frame["run_id"][0])


# --- while a load holds the warehouse file -----------------------------------------------------------


def wait_for_load() -> NoReturn:
    """A load holds the warehouse file, so no page can draw now: say so, and stop this run (the page reruns by itself)."""
    load_running_message()
    st.stop()


def load_running_message() -> None:
    """Tell the analyst a load holds the warehouse file; the page reruns by itself once the load has finished."""
    st.info(LOAD_RUNNING, icon=":material/hourglass_top:")
    _rerun_when_free()


@st.fragment(run_every=LOAD_POLL_S)
def _rerun_when_free() -> None:
    # A fragment polls on the browser's timer, so the waiting page holds no script thread between checks.
    if warehouse_free(settings().warehouse):
        st.rerun(scope="app")

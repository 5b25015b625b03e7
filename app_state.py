"""What do the pages share? The read-only warehouse engine, the cached query runner, settings, the navigation and URL-bound state.

Pages call `query(module.question, **plain_kwargs)`; the question is a catalog object from `queries/`.
Results are cached per warehouse URL and per argument values, so a filter change that comes back to an
earlier view costs nothing. Everything a page keeps between runs (engine, cache, settings, the URL)
lives here; `components/` only draws.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, NoReturn

# Imported before any page runs: plotly looks numpy and pandas up in sys.modules without importing them, so a session
# drawing its first chart while another session's thread was importing pandas got a half-initialised module
# ("partially initialized module 'pandas' has no attribute 'Series'"); importing app_state, every run waits for these.
import numpy  # noqa: F401
import pandas  # noqa: F401
import streamlit as st
from sqlalchemy import Engine, inspect

from components.sidebar import ALL_MODELS, FilterChoice, Filters, default_choice, parse_day, render_filters
from components.signin import render_identity, render_sign_in
from components.text import md
from queries import catalog, detect_results, overview
from queries import load as load_statements
from queries.catalog import P, Question
from queries.run import QueryTimeout, Result, run_page
from radar.cases.actor import Actor
from radar.cases.identity import NotSignedIn, RolesError, is_loopback, resolve_actor
from radar.cases.store import open_case_store
from radar.config import Settings, load_settings
from radar.warehouse import LOAD_RUNNING, WarehouseBusy, WarehouseError, file_generation, open_engine, warehouse_free

#: How long a query result stays cached. Results are also keyed by the warehouse generation, so a finished load
#: or score run shows up at the next page run (on a server warehouse within GENERATION_TTL_S).
CACHE_TTL_S = 300
#: How often a server warehouse's generation (its load log and detection runs) is asked for, seconds.
GENERATION_TTL_S = 5
#: How often a page waiting for a load checks whether the warehouse file is free again, seconds.
LOAD_POLL_S = 2.0


@dataclass(frozen=True)
class PageSpec:
    """One entry of the app's navigation: the page file, its title and icon, its URL path and its section."""

    path: str
    title: str
    icon: str
    url_path: str
    section: str
    default: bool = False


#: The app's navigation, in menu order: app.py passes exactly this to `st.navigation`.
PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/overview.py", "Overview", ":material/dashboard:", "overview", "Investigate", default=True),
    PageSpec("pages/keys.py", "Keys", ":material/key:", "keys", "Investigate"),
    PageSpec("pages/clusters.py", "Clusters", ":material/hub:", "clusters", "Investigate"),
    PageSpec("pages/campaign.py", "Campaign", ":material/crisis_alert:", "campaign", "Investigate"),
    PageSpec("pages/triage.py", "Triage queue", ":material/checklist:", "triage", "Triage"),
    PageSpec("pages/case.py", "Case", ":material/folder_open:", "case", "Triage"),
    PageSpec("pages/export.py", "Export", ":material/download:", "export", "Triage"),
)


def navigation() -> dict[str, list[Any]]:
    """The `st.navigation` argument built from PAGES: sections in order, each with its `st.Page` objects."""
    sections: dict[str, list[Any]] = {}
    for p in PAGES:
        page = st.Page(p.path, title=p.title, icon=p.icon, url_path=p.url_path, default=p.default)
        sections.setdefault(p.section, []).append(page)
    return sections


def ensure_routed() -> None:
    """Is this run routed through app.py's navigation? If Streamlit ran a page alone, rerun it through app.py.

    Streamlit 1.67 still starts a `pages/` folder beside the entry script in its legacy layout: on a fresh
    server, a link straight to /keys runs pages/keys.py without app.py (no page list, titles or config).
    Pages call this through `sidebar_filters`; tests/pages/test_routing.py fails when Streamlit changes.
    """
    from pathlib import Path

    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    if ctx is None:
        return
    # Under the legacy layout the page list is built from files and includes the entry script itself.
    if any(Path(str(info.get("script_path", ""))).name == "app.py" for info in ctx.pages_manager.get_pages().values()):
        PagesManager.uses_pages_directory = False
        st.rerun()


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


# --- what the analyst is told --------------------------------------------------------------------------


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
    """What one sentence tells the analyst what went wrong and what to do (Markdown-safe: the error's text is escaped)?"""
    if isinstance(exc, WarehouseError | QueryTimeout):
        return md(exc)
    first = (str(exc).strip().splitlines() or [""])[0][:200]
    return (
        f"The warehouse query failed ({type(exc).__name__}: {md(first)}). "
        "Check RADAR_WAREHOUSE_URL and that `python -m radar ingest` has run, then reload."
    )


def show_error(exc: BaseException) -> None:
    """Show a failure as one sentence, never a traceback (a load holding the warehouse is no failure: the page waits)."""
    if isinstance(exc, WarehouseBusy):
        load_running_message()
        return
    st.error(error_sentence(exc), icon=":material/error:")


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


def show_truncated(result: Result, what: str) -> None:
    """Say so when a table was cut at the row cap."""
    if result.truncated:
        st.caption(f"{what}: showing the first {result.row_cap:,} rows; narrow the window or filters to see the rest.")


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
    show_identity(actor())
    return Filters.of(choice)


# --- the case store and the analyst at the keyboard ------------------------------------------------


@st.cache_resource(show_spinner=False)
def _cases(url: str) -> Engine:
    return open_case_store(url)


def cases_engine() -> Engine:
    """The one read-write engine on the case store for this process (the warehouse stays read-only; raises CaseError)."""
    return _cases(settings().cases)


def _user() -> Mapping[str, Any] | None:
    try:
        return st.user.to_dict()
    except Exception:  # noqa: BLE001 - no script context (bare mode): nobody signed in through Streamlit
        return None


def _headers() -> Mapping[str, str]:
    try:
        return dict(st.context.headers)
    except Exception:  # noqa: BLE001 - no request (bare mode, tests): no header to trust
        return {}


def _server_address() -> str | None:
    address = st.get_option("server.address")
    return str(address) if address else None


def actor() -> Actor:
    """Who is at the keyboard, in which role (radar.cases.identity)? Without a sign-in, the sign-in page is drawn and the run stops."""
    try:
        return resolve_actor(settings(), user=_user(), headers=_headers(), server_address=_server_address())
    except NotSignedIn as exc:
        render_sign_in(str(exc), can_sign_in=exc.can_sign_in)
    except RolesError as exc:
        st.title("Distillation Radar")
        st.error(md(str(exc)), icon=":material/error:")
    st.stop()


def _sign_in_page() -> None:
    actor()  # draws why nobody is signed in, with a sign-in button where that helps, and stops


def signed_in() -> Actor:
    """Who is at the keyboard? app.py asks before routing, so a browser that has not signed in reaches no page."""
    try:
        return resolve_actor(settings(), user=_user(), headers=_headers(), server_address=_server_address())
    except (NotSignedIn, RolesError):
        # The only page is the sign-in page; deep links land there too.
        st.navigation([st.Page(_sign_in_page, title="Sign in", url_path="sign-in", icon=":material/login:")], position="hidden").run()
        st.stop()


def show_identity(who: Actor) -> None:
    """Say in the sidebar who is signed in, in which role, and how exposed local mode is."""
    address = _server_address()
    render_identity(who, exposed=not is_loopback(address), address=address)

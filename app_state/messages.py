"""What is the analyst told? Empty-warehouse, no-run, load-running and error sentences, and the page guard."""

from __future__ import annotations

import streamlit as st

from app_state.data import has_telemetry, latest_run_id, load_running_message
from components.text import md
from queries.run import QueryTimeout, Result
from radar.warehouse import WarehouseBusy, WarehouseError

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


def show_truncated(result: Result, what: str) -> None:
    """Say so when a table was cut at the row cap."""
    if result.truncated:
        st.caption(f"{what}: showing the first {result.row_cap:,} rows; narrow the window or filters to see the rest.")

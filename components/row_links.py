"""Which entity did the analyst click in a table? A selected row opens that entity's page, carrying the URL's filters."""

from __future__ import annotations

from typing import Any

import polars as pl
import streamlit as st

import app_state as state


def selected_id(event: Any, frame: pl.DataFrame, id_column: str) -> str | None:
    """The id in `id_column` of the row selected in a single-row dataframe event (None when no row is selected)."""
    selection = getattr(event, "selection", None)
    rows = list(getattr(selection, "rows", None) or [])
    if not rows or rows[0] >= frame.height:
        return None
    value = frame[id_column][rows[0]]
    return None if value is None else str(value)


def open_selected(event: Any, frame: pl.DataFrame, id_column: str, page: str, param: str) -> None:
    """Open `page` with the selected row's id under `param` in the URL (the window and filters carried along)."""
    entity_id = selected_id(event, frame, id_column)
    if entity_id is not None:
        st.switch_page(page, query_params=state.url_params({param: entity_id}))

"""ASN operator names for the pages: the offline names file (RADAR_ASN_NAMES), read once per change of the file."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import streamlit as st

from app_state.data import settings
from radar.asn_names import AsnNamesError, asn_label, load_asn_names


@st.cache_data(show_spinner=False, max_entries=4)
def _names(path: str, mtime_ns: int) -> tuple[dict[int, str], str]:
    """{asn: name} and an error sentence ("" when the file read cleanly); keyed by mtime so an updated file is re-read."""
    try:
        return load_asn_names(Path(path)), ""
    except AsnNamesError as exc:
        return {}, str(exc)


def asn_names(*, warn: bool = True) -> dict[int, str]:
    """Which operator names are known? Empty without a names file; a bad file warns (unless warn is False: inside a
    cached builder, whose page warns itself) and names nothing."""
    path = settings().asn_names
    if not path:
        return {}
    try:
        mtime = Path(path).stat().st_mtime_ns
    except OSError:
        if warn:
            st.warning(f"ASN names file {path} (RADAR_ASN_NAMES) does not exist: networks are shown by number.")
        return {}
    names, error = _names(path, mtime)
    if error and warn:
        st.warning(error + " Networks are shown by number.")
    return names


def names_version() -> str:
    """Which names file, as of which change, labels networks now ("" without one)? A cached builder of labelled
    output takes it as an argument, so that an updated file is not hidden behind a cached page."""
    path = settings().asn_names
    if not path:
        return ""
    try:
        return f"{path}@{Path(path).stat().st_mtime_ns}"
    except OSError:
        return f"{path}@missing"


def label_asns(
    frame: pl.DataFrame, *, value: str = "value", kind: str = "edge_type", kind_value: str = "asn", warn: bool = True
) -> pl.DataFrame:
    """The frame with each ASN in column `value` (rows whose `kind` column is `kind_value`) shown as
    "AS16509 · AMAZON-02"."""
    if frame.is_empty() or value not in frame.columns:
        return frame
    names = asn_names(warn=warn)
    # the labels are built outside polars (a Python UDF inside polars on the serving path can deadlock the server)
    shown = [str(v) for v in frame[value].cast(pl.String).unique().drop_nulls().to_list()]
    label = pl.col(value).cast(pl.String).replace_strict({v: asn_label(v, names) for v in shown}, default=None, return_dtype=pl.String)
    return frame.with_columns(pl.when(pl.col(kind) == kind_value).then(label).otherwise(pl.col(value).cast(pl.String)).alias(value))

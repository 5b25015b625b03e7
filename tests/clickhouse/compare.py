"""How do two engines' answers to one question compare? Frames made comparable across engines, and their difference."""

from __future__ import annotations

import json
from typing import Any

import polars as pl

#: Decimal places compared for floats: the engines sum in different orders, so the last bits of a mean may differ.
FLOAT_DIGITS = 6


#: Columns holding a JSON object of feature values. PostgreSQL's sum() is a NUMERIC, which the stored JSON writes as
#: a string ("12677"), where DuckDB and ClickHouse write a number: the objects are compared by value.
JSON_OBJECTS = ("features",)


def _number(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return value
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


def _json_by_value(text: str | None) -> str | None:
    if text is None:
        return None
    obj = json.loads(text)
    return json.dumps({k: _number(v) for k, v in obj.items()} if isinstance(obj, dict) else obj, sort_keys=True)


def comparable(frame: pl.DataFrame, *, drop: tuple[str, ...] = ()) -> pl.DataFrame:
    """The frame as text, floats rounded, timestamps in UTC, rows sorted: equal frames mean equal answers."""
    frame = frame.drop([c for c in drop if c in frame.columns])
    cols = []
    for name, dtype in frame.schema.items():
        col = pl.col(name)
        if dtype.is_float():
            col = col.round(FLOAT_DIGITS)
        elif isinstance(dtype, pl.Datetime):
            col = col.dt.convert_time_zone("UTC") if dtype.time_zone else col.dt.replace_time_zone("UTC")
        elif name in JSON_OBJECTS:
            col = col.map_elements(_json_by_value, return_dtype=pl.String)
        cols.append(col.cast(pl.String).alias(name))
    out = frame.select(cols) if cols else frame
    return out.sort(out.columns, nulls_last=True) if out.height else out


def difference(a: pl.DataFrame, b: pl.DataFrame, *, drop: tuple[str, ...] = ()) -> str | None:
    """None when the frames hold the same answer; otherwise what differs (columns, or a few rows found in one only)."""
    ca, cb = comparable(a, drop=drop), comparable(b, drop=drop)
    if ca.columns != cb.columns:
        return f"columns {ca.columns} != {cb.columns}"
    if ca.equals(cb):
        return None
    only_a, only_b = ca.join(cb, on=ca.columns, how="anti", nulls_equal=True), cb.join(ca, on=ca.columns, how="anti", nulls_equal=True)
    return f"{ca.height} vs {cb.height} rows; only in the first: {only_a.head(3).rows()}; only in the second: {only_b.head(3).rows()}"

"""Which rows of a chunk break the contract, and why? Vectorised checks that split a chunk into typed good rows and quarantine rows."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from radar.ingest.contract import BOOL, ENUM, FIELDS, INT, IP, STR, TS, Field
from radar.ipnet import ip_prefix

ROW = "_row"  # 1-based line or row number in the source file
RAW_CHARS = 2000  # quarantine keeps this much of an offending record: enough to see it, not to bloat the table
PREFIX_COLUMN = {"requests": ("client_ip", "ip_prefix"), "accounts": ("signup_ip", "signup_prefix")}
QUARANTINE_SCHEMA = {"row_number": pl.Int64, "reason": pl.String, "raw": pl.String}

_TRUE = ["true", "t", "1", "yes"]
_FALSE = ["false", "f", "0", "no"]
_RFC3339 = "%Y-%m-%dT%H:%M:%S%.f%:z"


@dataclass
class Checked:
    """A validated chunk: typed good rows, and the rows sent to quarantine with reasons."""

    good: pl.DataFrame
    bad: pl.DataFrame  # row_number, reason, raw


def _text(c: pl.Expr, dtype: pl.DataType, *, strip: bool = False) -> pl.Expr:
    """The column as text, empty strings as null; stripped where surrounding blanks cannot be meant (numbers, enums, times)."""
    t = c if dtype == pl.String else c.cast(pl.String)
    if strip:
        t = t.str.strip_chars()
    return pl.when(t == "").then(None).otherwise(t)


def _when(cond: pl.Expr, text: str | pl.Expr) -> pl.Expr:
    """`text` where cond holds, null elsewhere."""
    return pl.when(cond).then(pl.lit(text) if isinstance(text, str) else text).otherwise(pl.lit(None, pl.String))


def _timestamp(c: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    """RFC 3339 text (any offset, converted to UTC) or a typed timestamp, as UTC; null where it does not parse."""
    if isinstance(dtype, pl.Datetime):
        c = c.cast(pl.Datetime("us", dtype.time_zone))
        return c.dt.convert_time_zone("UTC") if dtype.time_zone else c.dt.replace_time_zone("UTC")
    if dtype == pl.Date:
        return c.cast(pl.Datetime("us")).dt.replace_time_zone("UTC")
    t = _text(c, dtype, strip=True).str.replace(r"^(\d{4}-\d\d-\d\d)[Tt ]", "${1}T").str.replace(r"[Zz]$", "+00:00")
    return t.str.to_datetime(_RFC3339, strict=False, time_zone="UTC", time_unit="us")


def _check(f: Field, dtype: pl.DataType) -> tuple[pl.Expr, pl.Expr]:
    """The typed value of one field, and the per-row reason it is bad (null when fine)."""
    c = pl.col(f.name)
    present = c.is_not_null() if dtype != pl.String else c.is_not_null() & (c != "")
    if f.kind == STR:
        v, reason = _text(c, dtype), pl.lit(None, pl.String)
    elif f.kind == IP:
        v = _text(c, dtype, strip=True)
        reason = _when(present & pl.col(f"__prefix_{f.name}").is_null(), f"malformed IP in {f.name}")
    elif f.kind == ENUM:
        v = _text(c, dtype, strip=True).str.to_lowercase()
        reason = _when(present & ~v.is_in(list(f.values)), pl.lit(f"unknown {f.name} '") + v.str.slice(0, 40) + pl.lit("'"))
    elif f.kind == TS:
        v = _timestamp(c, dtype)
        reason = _when(present & v.is_null(), f"unparsable timestamp in {f.name}")
    elif f.kind == INT:
        if dtype.is_integer():
            v, reason = c.cast(pl.Int64), pl.lit(None, pl.String)
        elif dtype.is_float():
            v = c.cast(pl.Int64, strict=False)
            reason = _when(present & (c != c.floor()), f"non-integer {f.name}")
        elif dtype == pl.String:
            t = _text(c, dtype, strip=True)
            v = t.cast(pl.Int64, strict=False)
            f64 = t.cast(pl.Float64, strict=False)
            reason = _when(present & v.is_null() & f64.is_not_null(), f"non-integer {f.name}").fill_null(
                _when(present & v.is_null(), f"not an integer in {f.name}")
            )
        else:
            v, reason = pl.lit(None, pl.Int64), _when(present, f"wrong type for {f.name}")
        if f.nonneg:
            reason = reason.fill_null(_when(v < 0, f"negative {f.name}"))
    elif f.kind == BOOL:
        if dtype == pl.Boolean:
            v, reason = c, pl.lit(None, pl.String)
        else:
            t = _text(c, dtype, strip=True).str.to_lowercase()
            v = pl.when(t.is_in(_TRUE)).then(True).when(t.is_in(_FALSE)).then(False).otherwise(None)
            reason = _when(present & v.is_null(), f"not a boolean in {f.name}")
    else:  # pragma: no cover - the contract names only the kinds above
        raise ValueError(f"unknown field kind {f.kind}")
    if f.required:
        reason = reason.fill_null(_when(~present, f"missing {f.name}"))
    return v.alias(f.name), reason.alias(f"__reason_{f.name}")


def validate(table: str, frame: pl.DataFrame) -> Checked:
    """Split a chunk of `table` rows (text or typed columns, plus _row) into typed good rows and quarantined rows."""
    fields = FIELDS[table]
    original = [c for c in frame.columns if not c.startswith("_")]
    missing = [pl.lit(None, pl.String).alias(f.name) for f in fields if f.name not in frame.columns]
    if missing:
        frame = frame.with_columns(missing)
    prefix_src, prefix_dst = PREFIX_COLUMN.get(table, ("", ""))
    ip_fields = [f for f in fields if f.kind == IP]
    if ip_fields:
        # Prefixes are computed once here (cached per unique address) and reused as the enrichment column.
        frame = frame.with_columns(
            ip_prefix(frame.get_column(f.name).cast(pl.String).str.strip_chars()).alias(f"__prefix_{f.name}") for f in ip_fields
        )
    schema = frame.schema
    checks = [_check(f, schema[f.name]) for f in fields]
    reason = pl.concat_str([r for _, r in checks], separator="; ", ignore_nulls=True)
    out = frame.select(
        [v for v, _ in checks]
        + ([pl.col(f"__prefix_{prefix_src}").alias(prefix_dst)] if prefix_src else [])
        + [pl.when(reason == "").then(None).otherwise(reason).alias("__reason"), pl.col(ROW)]
    )
    bad_mask = out.get_column("__reason").is_not_null()
    good = out.filter(~bad_mask).drop("__reason", ROW)
    if not bad_mask.any():
        return Checked(good, pl.DataFrame(schema=QUARANTINE_SCHEMA))
    bad_rows = frame.filter(bad_mask)
    # The record as JSON of the file's own fields; encodings that keep the original text replace it (see pipeline).
    raw = bad_rows.select(pl.struct([pl.col(c).cast(pl.String) for c in original]).struct.json_encode()).to_series()
    bad = pl.DataFrame(
        {
            "row_number": bad_rows.get_column(ROW).cast(pl.Int64),
            "reason": out.get_column("__reason").filter(bad_mask),
            "raw": raw.cast(pl.String).str.slice(0, RAW_CHARS),
        }
    )
    return Checked(good, bad)

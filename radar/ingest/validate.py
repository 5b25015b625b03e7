"""Which rows of a chunk break the contract, and why? Vectorised checks that split a chunk into typed good rows and quarantine rows."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from radar.config import Settings
from radar.ingest.contract import BOOL, ENUM, FIELDS, INT, IP, STR, TS, Field
from radar.ingest.repair import REPAIRED, REPLACEMENT
from radar.ipnet import ip_prefix

ROW = "_row"  # 1-based line or row number in the source file
RAW_CHARS = 2000  # quarantine keeps this much of an offending record: enough to see it, not to bloat the table
PREFIX_COLUMN = {"requests": ("client_ip", "ip_prefix"), "accounts": ("signup_ip", "signup_prefix")}
QUARANTINE_SCHEMA = {"row_number": pl.Int64, "reason": pl.String, "raw": pl.String}
#: The one code point valid UTF-8 text may hold that a warehouse cannot store (PostgreSQL refuses it in text); it is
#: replaced by U+FFFD. Readers repair what cannot even become a frame (lone surrogates, invalid bytes; see repair.py).
NUL = "\x00"

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


def scrub(frame: pl.DataFrame, columns: list[str]) -> tuple[pl.DataFrame, pl.Series | None]:
    """The frame with NUL replaced in the named text columns, and which rows held one (None when none did)."""
    text = [c for c in columns if frame.schema[c] == pl.String]
    if not text or frame.is_empty():
        return frame, None
    held = frame.select(pl.any_horizontal(pl.col(c).str.contains(NUL, literal=True).fill_null(False) for c in text)).to_series()
    if not held.any():
        return frame, None
    return frame.with_columns(pl.col(c).str.replace_all(NUL, REPLACEMENT, literal=True) for c in text), held


def _limits(table: str, frame: pl.DataFrame, max_prompt_chars: int) -> list[pl.Expr]:
    """The requests' stored prompt (at most max_prompt_chars characters), its full length and the two text flags."""
    if table != "requests":
        return []
    n = pl.col("prompt").str.len_chars()
    cut = n > max_prompt_chars
    replaced = pl.col("__nul") | (pl.col(REPAIRED).fill_null(False) if REPAIRED in frame.columns else pl.lit(False))
    return [
        # Fingerprints and capability are computed from the stored (cut) text; prompt_chars keeps the length sent.
        pl.when(cut).then(pl.col("prompt").str.slice(0, max_prompt_chars)).otherwise(pl.col("prompt")).alias("prompt"),
        n.cast(pl.Int32).alias("prompt_chars"),
        cut.fill_null(False).alias("prompt_truncated"),
        replaced.alias("text_replaced"),
    ]


def validate(table: str, frame: pl.DataFrame, *, max_prompt_chars: int = Settings.max_prompt_chars) -> Checked:
    """Split a chunk of `table` rows (text or typed columns, plus _row) into typed good rows and quarantined rows.

    Text a warehouse cannot store is replaced, never a reason to quarantine (see NUL); requests also get their
    prompt cut to max_prompt_chars, with prompt_chars, prompt_truncated and text_replaced."""
    fields = FIELDS[table]
    original = [c for c in frame.columns if not c.startswith("_")]
    missing = [pl.lit(None, pl.String).alias(f.name) for f in fields if f.name not in frame.columns]
    if missing:
        frame = frame.with_columns(missing)
    frame, held = scrub(frame, [f.name for f in fields])
    frame = frame.with_columns(held.alias("__nul") if held is not None else pl.lit(False).alias("__nul"))
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
        + [pl.col(c) for c in ("__nul", REPAIRED) if c in frame.columns]
    )
    out = out.with_columns(_limits(table, out, max_prompt_chars)).drop("__nul", REPAIRED, strict=False)
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

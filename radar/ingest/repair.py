"""Which text can no warehouse store, and what do the readers put in its place? U+FFFD, and the row is marked.

A frame (polars, Arrow) holds only valid UTF-8, so text that is not (invalid bytes in a file, a lone surrogate from a
JSON escape such as "\\udfff") must be repaired before it becomes a frame, or the whole file fails. The readers
repair it here and mark the row (the `REPAIRED` column); validation replaces NUL, the one valid code point
PostgreSQL cannot store, and flags both as `text_replaced`. Quarantining such rows instead would let a caller hide
extraction traffic from detection by putting one odd character in a prompt.
"""

from __future__ import annotations

import json
import re
from typing import Any

import polars as pl
import pyarrow as pa
import pyarrow.compute as pc

REPLACEMENT = "\ufffd"
#: Column a reader adds, True for rows whose bytes it repaired (validation turns it into `text_replaced`).
REPAIRED = "_repaired"
_SURROGATE = re.compile("[\ud800-\udfff]")
#: A JSON line can only yield a lone surrogate through a \\uD800-\\uDFFF escape; lines without one skip the walk.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def decode(line: bytes) -> tuple[str, bool]:
    """The line as text, and whether invalid UTF-8 had to be replaced."""
    try:
        return line.decode("utf-8"), False
    except UnicodeDecodeError:
        return line.decode("utf-8", errors="replace"), True


def scrub(value: Any) -> tuple[Any, bool]:
    """The parsed JSON value with lone surrogates replaced in every string, key and nested value; whether any were."""
    if isinstance(value, str):
        fixed = _SURROGATE.sub(REPLACEMENT, value)
        return fixed, fixed != value
    if isinstance(value, list):
        items = [scrub(v) for v in value]
        return [v for v, _ in items], any(c for _, c in items)
    if isinstance(value, dict):
        pairs = [(scrub(k), scrub(v)) for k, v in value.items()]
        return {k: v for (k, _), (v, _) in pairs}, any(ck or cv for (_, ck), (_, cv) in pairs)
    return value, False


def json_object(line: bytes) -> tuple[dict[str, Any] | None, bool]:
    """The line's JSON object with text repaired, and whether it needed repair; None when the line is no JSON object."""
    text, changed = decode(line)
    try:
        doc = json.loads(text)
    except ValueError:
        return None, changed
    if not isinstance(doc, dict):
        return None, changed
    if _SURROGATE_ESCAPE.search(line):
        doc, scrubbed = scrub(doc)
        changed = changed or scrubbed
    return doc, changed


def utf8_columns(batch: pa.RecordBatch) -> pl.DataFrame:
    """A record batch of binary columns as text columns, invalid UTF-8 replaced, plus REPAIRED for the rows that had it."""
    repaired = [False] * batch.num_rows
    columns: dict[str, pa.Array] = {}
    for name, column in zip(batch.schema.names, batch.columns, strict=True):
        try:
            columns[name] = pc.cast(column, pa.string())  # validates: the fast path when the bytes are UTF-8
        except pa.ArrowInvalid:
            values: list[str | None] = []
            for i, raw in enumerate(column.to_pylist()):
                if raw is None:
                    values.append(None)
                    continue
                text, changed = decode(raw)
                repaired[i] = repaired[i] or changed
                values.append(text)
            columns[name] = pa.array(values, pa.string())
    frame = pl.from_arrow(pa.table(columns)) if columns else pl.DataFrame(height=batch.num_rows)
    assert isinstance(frame, pl.DataFrame)
    return frame.with_columns(pl.Series(REPAIRED, repaired, dtype=pl.Boolean))

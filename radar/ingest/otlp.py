"""How do OpenTelemetry GenAI spans (OTLP/JSON lines) map onto request rows?"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from typing import Any

import polars as pl

from radar.ingest import repair
from radar.ingest.contract import FIELDS
from radar.ingest.discover import Source
from radar.ingest.limits import Limits
from radar.ingest.readers import Chunk, line_blocks, raw_text
from radar.ingest.validate import QUARANTINE_SCHEMA, RAW_CHARS, ROW

# contract field <- attribute names, first present wins (span attributes override resource attributes)
ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "model": ("gen_ai.request.model", "gen_ai.response.model"),
    "operation": ("gen_ai.operation.name",),
    "input_tokens": ("gen_ai.usage.input_tokens",),
    "output_tokens": ("gen_ai.usage.output_tokens",),
    "finish_reason": ("gen_ai.response.finish_reasons",),
    "conversation_id": ("gen_ai.conversation.id",),
    "client_ip": ("client.address",),
    "user_agent": ("user_agent.original",),
    "account_id": ("user.id", "enduser.id"),
    "api_key_id": ("api_key.id",),
    "org_id": ("org.id",),
    "asn": ("client.asn",),
    "status": ("http.response.status_code",),
}
# GenAI operation names that are one of the contract's operations under another name.
OPERATION_ALIASES = {"text_completion": "completion", "generate_content": "chat", "embedding": "embeddings"}
_STATUS_ERROR = 2  # OTLP Status.code: 0 unset, 1 ok, 2 error


def any_value(v: Any) -> Any:
    """The plain value of an OTLP/JSON AnyValue (int64 arrives as a string; arrays as lists)."""
    if not isinstance(v, dict):
        return v
    for k in ("stringValue", "intValue", "doubleValue", "boolValue"):
        if k in v:
            return v[k]
    if "arrayValue" in v:
        return [any_value(x) for x in (v["arrayValue"] or {}).get("values", [])]
    return None


def _attrs(items: Any) -> dict[str, Any]:
    return {str(a.get("key")): any_value(a.get("value")) for a in items or [] if isinstance(a, dict)}


def _as_text(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, list):
        return _as_text(v[0]) if v else None
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def span_row(span: dict[str, Any], resource: dict[str, Any]) -> dict[str, str | None]:
    """One request row, as text, from a span and its resource attributes."""
    attrs = {**resource, **_attrs(span.get("attributes"))}
    row: dict[str, str | None] = {f.name: _as_text(attrs.get(f.name)) for f in FIELDS["requests"]}
    for name, keys in ATTRIBUTES.items():
        value = next((attrs[k] for k in keys if attrs.get(k) is not None), None)
        if value is not None:
            row[name] = _as_text(value)
    if row["operation"] in OPERATION_ALIASES:
        row["operation"] = OPERATION_ALIASES[row["operation"] or ""]
    if row["status"] is None:
        row["status"] = "500" if (span.get("status") or {}).get("code") in (_STATUS_ERROR, "STATUS_CODE_ERROR") else "200"
    row["request_id"] = span.get("spanId") or None
    row["ts"] = _as_text(span.get("startTimeUnixNano"))
    start, end = span.get("startTimeUnixNano"), span.get("endTimeUnixNano")
    if row["latency_ms"] is None and start is not None and end is not None:
        with contextlib.suppress(TypeError, ValueError):  # a malformed end time only loses the latency
            row["latency_ms"] = str((int(end) - int(start)) // 1_000_000)
    return row


def _spans(doc: dict[str, Any]) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    for rs in doc.get("resourceSpans") or []:
        resource = _attrs((rs.get("resource") or {}).get("attributes"))
        for ss in rs.get("scopeSpans") or rs.get("instrumentationLibrarySpans") or []:
            for span in ss.get("spans") or []:
                yield span, resource


def _frame(rows: list[dict[str, str | None]], numbers: list[int], repaired: list[bool]) -> pl.DataFrame:
    frame = pl.DataFrame(rows, schema={f.name: pl.String for f in FIELDS["requests"]})
    # startTimeUnixNano: nanoseconds since the epoch, as text; anything else is an unparsable timestamp.
    nanos = frame.get_column("ts").cast(pl.Int64, strict=False)
    ts = pl.from_epoch(nanos, time_unit="ns").dt.cast_time_unit("us").dt.replace_time_zone("UTC")
    frame = frame.with_columns(
        pl.when(nanos.is_null() & frame.get_column("ts").is_not_null()).then(pl.lit("not-a-time")).otherwise(None).alias("__bad_ts"),
        ts.alias("__ts"),
    )
    text_ts = (
        pl.when(pl.col("__bad_ts").is_not_null())
        .then(pl.col("__bad_ts"))
        .otherwise(pl.col("__ts").dt.strftime("%Y-%m-%dT%H:%M:%S%.6f+00:00"))
    )
    return frame.with_columns(
        text_ts.alias("ts"), pl.Series(ROW, numbers, dtype=pl.Int64), pl.Series(repair.REPAIRED, repaired, dtype=pl.Boolean)
    ).drop("__bad_ts", "__ts")


def read_otlp(src: Source, limits: Limits) -> Iterator[Chunk]:
    """Request rows from OTLP/JSON span lines in chunks within `limits` (spans, and bytes of lines read); row_number
    counts spans (or the line of a bad line). Text no warehouse can store is repaired, its spans marked (see repair)."""
    rows: list[dict[str, str | None]] = []
    numbers: list[int] = []
    repaired: list[bool] = []
    raws: dict[int, str] = {}
    bad: list[tuple[int, str, str]] = []
    n = size = 0
    for first, lines in line_blocks(src, limits):
        for i, line in enumerate(lines):
            size += len(line)
            if not line.strip():
                continue
            doc, changed = repair.json_object(line)
            if doc is None:
                bad.append((first + i, "unparsable OTLP JSON line", raw_text(line)))
                continue
            for span, resource in _spans(doc):
                n += 1
                rows.append(span_row(span, resource))
                numbers.append(n)
                repaired.append(changed)  # the line's repair marks each of its spans: which one held it is not kept
                raws[n] = json.dumps(span)[:RAW_CHARS]
            if len(rows) >= limits.rows or size >= limits.bytes:
                yield _chunk(rows, numbers, repaired, raws, bad)
                rows, numbers, repaired, raws, bad, size = [], [], [], {}, [], 0
    if rows or bad:
        yield _chunk(rows, numbers, repaired, raws, bad)


def _chunk(
    rows: list[dict[str, str | None]], numbers: list[int], repaired: list[bool], raws: dict[int, str], bad: list[tuple[int, str, str]]
) -> Chunk:
    unparsed = pl.DataFrame(
        {"row_number": [b[0] for b in bad], "reason": [b[1] for b in bad], "raw": [b[2] for b in bad]}, schema=QUARANTINE_SCHEMA
    )
    return Chunk(_frame(rows, numbers, repaired), unparsed, raw=raws.__getitem__)

"""Detection's own executor: runs a query builder's select uncapped and streams the rows into polars."""

from __future__ import annotations

from typing import Any

import polars as pl
from sqlalchemy import Connection, Select

BATCH_ROWS = 200_000


def fetch(conn: Connection, stmt: Select, schema: dict[str, Any] | None = None) -> pl.DataFrame:
    """What does this select return, all of it, as a polars frame (fetched in batches, never capped)?

    Detection inputs are already aggregated in the warehouse; the dashboard's executor caps rows for
    pages, which would silently drop accounts here.
    """
    res = conn.execution_options(stream_results=True).execute(stmt)
    cols = list(res.keys())
    frames: list[pl.DataFrame] = []
    while True:
        rows = res.fetchmany(BATCH_ROWS)
        if not rows:
            break
        frames.append(pl.DataFrame([tuple(r) for r in rows], schema=cols, orient="row", infer_schema_length=None))
    if not frames:
        return pl.DataFrame(schema=schema or {c: pl.Null for c in cols})
    out = pl.concat(frames, how="vertical_relaxed")
    if schema:
        out = out.cast({k: v for k, v in schema.items() if k in out.columns})  # type: ignore[arg-type]
    return out

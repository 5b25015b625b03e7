"""Stored results: one run id, all result tables written in one transaction, a failed run marked failed."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import polars as pl
from sqlalchemy import Engine

from queries import schema
from queries.detect_store import bulk_insert, run_ended, run_started
from queries.run import write
from radar.detect.summaries import write_summaries


def start_run(engine: Engine, run_id: str, started_at: datetime, window: tuple[datetime, datetime], params: dict[str, Any]) -> None:
    """Record that a run began (committed at once, so a crash leaves a visible trace)."""
    with write(engine) as conn:
        conn.execute(run_started(run_id, started_at, window, json.dumps(params, sort_keys=True)))


def fail_run(engine: Engine, run_id: str) -> None:
    """Mark a run failed (its results were never committed)."""
    with write(engine) as conn:
        conn.execute(run_ended(run_id, "failed", datetime.now(UTC)))


def finish_run(engine: Engine, run_id: str, results: dict[str, pl.DataFrame]) -> None:
    """Write every result table for the run and its campaign and cluster summaries, and mark it done, all in one transaction."""
    tables = {t.name: t for t in schema.RESULT_TABLES}
    with write(engine) as conn:
        for name, frame in results.items():
            bulk_insert(conn, tables[name], frame.with_columns(pl.lit(run_id).alias("run_id")))
        write_summaries(conn, run_id)  # aggregated from the rows just inserted, so they commit (or roll back) with them
        conn.execute(run_ended(run_id, "done", datetime.now(UTC)))

"""Stored results: one run id, all result tables written in one transaction, a failed run marked failed."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import polars as pl
from sqlalchemy import Engine, insert, update

from queries import schema
from queries.detect_store import bulk_insert


def start_run(engine: Engine, run_id: str, started_at: datetime, window: tuple[datetime, datetime], params: dict[str, Any]) -> None:
    """Record that a run began (committed at once, so a crash leaves a visible trace)."""
    with engine.begin() as conn:
        conn.execute(
            insert(schema.score_runs).values(
                run_id=run_id,
                started_at=started_at,
                window_start=window[0],
                window_end=window[1],
                params=json.dumps(params, sort_keys=True),
                status="running",
            )
        )


def fail_run(engine: Engine, run_id: str) -> None:
    """Mark a run failed (its results were never committed)."""
    with engine.begin() as conn:
        conn.execute(
            update(schema.score_runs).where(schema.score_runs.c.run_id == run_id).values(status="failed", finished_at=datetime.now(UTC))
        )


def finish_run(engine: Engine, run_id: str, results: dict[str, pl.DataFrame]) -> None:
    """Write every result table for the run and mark it done, all in one transaction."""
    tables = {t.name: t for t in schema.RESULT_TABLES}
    with engine.begin() as conn:
        for name, frame in results.items():
            bulk_insert(conn, tables[name], frame.with_columns(pl.lit(run_id).alias("run_id")))
        conn.execute(
            update(schema.score_runs).where(schema.score_runs.c.run_id == run_id).values(status="done", finished_at=datetime.now(UTC))
        )

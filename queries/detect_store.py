"""Writing detection results: the one bulk-insert statement, which differs by dialect (queries/dialect.py names how), and a run's start and end."""

from __future__ import annotations

from datetime import datetime

import polars as pl
from sqlalchemy import Connection, Insert, Table, Update, insert, text, update

from queries import dialect, schema

INSERT_BATCH = 50_000


def bulk_insert(conn: Connection, table: Table, frame: pl.DataFrame) -> None:
    """Append a frame's rows (columns named as the table's) to a result table, in the connection's transaction."""
    if frame.is_empty():
        return
    cols = [c.name for c in table.columns if c.name in frame.columns]
    frame = frame.select(cols)
    if dialect.dialect_name(conn) in dialect.ARROW_BULK_INSERT:
        raw = conn.connection.driver_connection
        view = f"_radar_bulk_{table.name}"
        raw.register(view, frame.to_arrow())  # type: ignore[union-attr]
        try:
            col_list = ", ".join(cols)
            conn.execute(text(f"INSERT INTO {table.name} ({col_list}) SELECT {col_list} FROM {view}"))  # noqa: S608 - names from our schema
        finally:
            raw.unregister(view)  # type: ignore[union-attr]
        return
    rows = frame.to_dicts()
    for i in range(0, len(rows), INSERT_BATCH):
        conn.execute(insert(table), rows[i : i + INSERT_BATCH])


def run_started(run_id: str, started_at: datetime, window: tuple[datetime, datetime], params: str) -> Insert:
    """Record that a scoring run began over `window` with these parameters (JSON); it is `running` until marked."""
    return insert(schema.score_runs).values(
        run_id=run_id, started_at=started_at, window_start=window[0], window_end=window[1], params=params, status="running"
    )


def run_ended(run_id: str, status: str, finished_at: datetime) -> Update:
    """Mark a scoring run `done` or `failed` at `finished_at`."""
    return update(schema.score_runs).where(schema.score_runs.c.run_id == run_id).values(status=status, finished_at=finished_at)

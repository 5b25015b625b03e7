"""Writing detection results: the one bulk-insert statement, which differs by dialect (queries/dialect.py names how)."""

from __future__ import annotations

import polars as pl
from sqlalchemy import Connection, Table, insert, text

from queries import dialect

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

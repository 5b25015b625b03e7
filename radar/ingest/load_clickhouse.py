"""How do validated rows reach ClickHouse? Arrow batches straight into the MergeTree tables, after a pre-insert
anti-join that drops the keys the warehouse already holds.

Re-delivery is made exact before the insert, not at read time: the chunk's keys go to a session-scoped Memory table,
one query returns those already stored (for requests only within the chunk's days, which the day partitions prune),
and only the rest are inserted. Pages therefore never need FINAL; ReplacingMergeTree on the same key is the backstop
for two loads of one drop racing each other (their copies collapse in a merge).

ClickHouse has no transaction around a file: every chunk is visible once inserted. The file's load_id tags its rows;
when the file's write block rolls back, the rows and their rollup sums are taken out again (`queries.clickhouse_load.
undo_load`), so a failed file leaves nothing, as on DuckDB and PostgreSQL. A process killed mid-file leaves its rows
without a load-log entry; loading the file again counts them as duplicates and adds nothing twice.
"""

from __future__ import annotations

from typing import Any

import polars as pl
from sqlalchemy import Connection, Table

from queries import clickhouse_load as statements
from queries import schema
from radar.warehouse_clickhouse import pending_writes


def _client(conn: Connection) -> Any:
    """The clickhouse-connect client behind this SQLAlchemy connection (server or embedded chDB alike)."""
    return conn.connection.driver_connection.client  # type: ignore[union-attr]


def _arrow(frame: pl.DataFrame) -> Any:
    # Arrow string views (polars' own layout): clickhouse-connect reads them without a rewrite.
    return frame.to_arrow(compat_level=pl.CompatLevel.newest())


def _remember(conn: Connection, frame: pl.DataFrame) -> None:
    """Note the frame's load_ids in the write block, so that a rollback takes the rows back out."""
    if "load_id" in frame.columns and frame.height:
        pending_writes(conn).loads.update(frame.get_column("load_id").unique().to_list())


def append(conn: Connection, target: Table, frame: pl.DataFrame) -> int:
    """Insert every row of the (conformed) frame, for bookkeeping tables such as quarantine; returns the row count."""
    if frame.is_empty():
        return 0
    _remember(conn, frame)
    _client(conn).insert_arrow(target.name, _arrow(frame))
    return frame.height


def _known(conn: Connection, target: Table, frame: pl.DataFrame, key: str) -> set[str]:
    """Which of the frame's keys does the warehouse already hold?"""
    client = _client(conn)
    conn.execute(statements.create_key_stage())
    conn.execute(statements.clear_key_stage())
    client.insert_arrow(statements.KEY_STAGE, _arrow(frame.select(pl.col(key).alias("k"))))
    bounds: dict[str, Any] = {}
    if target.name == schema.requests.name:
        bounds = {"ts_from": frame.get_column("ts").min(), "ts_to": frame.get_column("ts").max()}
    return {row[0] for row in conn.execute(statements.known_keys(target, key, **bounds))}


def insert_new(conn: Connection, target: Table, frame: pl.DataFrame, key: str) -> int:
    """Insert the (conformed) rows whose key the table does not hold yet (the frame's keys are distinct); returns how many."""
    if frame.is_empty():
        return 0
    known = _known(conn, target, frame, key)
    new = frame.filter(~pl.col(key).is_in(list(known))) if known else frame
    if new.height:
        _remember(conn, new)
        _client(conn).insert_arrow(target.name, _arrow(new))
    if target.name == schema.api_keys.name and known:
        # A later drop may bring the revocation time of a key already known; revocations are rare, one UPDATE each.
        late = frame.filter(pl.col(key).is_in(list(known)) & pl.col("revoked_at").is_not_null())
        for api_key_id, revoked_at in late.select(key, "revoked_at").iter_rows():
            conn.execute(statements.fill_revocation(api_key_id, revoked_at))
    return new.height

"""How do validated rows reach the warehouse? Each engine's bulk-load path, named: DuckDB inserts from Arrow with an
anti-join on the key; PostgreSQL copies into a temporary staging table and inserts ON CONFLICT DO NOTHING."""

from __future__ import annotations

import io
from typing import Any

import polars as pl
from sqlalchemy import Connection, Table, column, exists, insert, select, table, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.types import BigInteger, Boolean, DateTime, Double, Integer

from queries import dialect
from radar.warehouse import bound_memory

STAGE = "_ingest_stage"


def _polars_type(col_type: object) -> pl.DataType:
    if isinstance(col_type, BigInteger):
        return pl.Int64()
    if isinstance(col_type, Integer):
        return pl.Int32()
    if isinstance(col_type, Boolean):
        return pl.Boolean()
    if isinstance(col_type, Double):
        return pl.Float64()
    if isinstance(col_type, DateTime):
        return pl.Datetime("us", "UTC")
    return pl.String()


def conform(target: Table, frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with exactly the target table's columns (missing ones null), cast to the warehouse types."""
    return frame.select(
        (pl.col(c.name) if c.name in frame.columns else pl.lit(None)).cast(_polars_type(c.type)).alias(c.name) for c in target.columns
    )


#: DuckDB buffer-pool cap while loading: with it, a load's resident memory stays bounded whatever the drop size
#: (DuckDB's default is 80% of RAM, which it would fill with cached blocks of the file being written).
DUCKDB_INGEST_MEMORY = "512MB"
DUCKDB_INGEST_THREADS = 1


def prepare_session(conn: Connection) -> None:
    """Set the loading session's engine options (DuckDB: bounded buffer pool, no insertion-order bookkeeping)."""
    if dialect.dialect_name(conn) == dialect.DUCKDB:
        bound_memory(conn, DUCKDB_INGEST_MEMORY)
        raw: Any = conn.connection.driver_connection
        raw.execute("SET preserve_insertion_order = false")
        # One engine thread: enrichment of the next chunk runs on the other core meanwhile, and a second engine
        # thread mostly adds CPU (writing compressed row groups), not speed, when both cores are busy.
        raw.execute(f"SET threads = {DUCKDB_INGEST_THREADS}")


def _stage_duckdb(conn: Connection, frame: pl.DataFrame) -> None:
    """DuckDB: expose the chunk as a view over its Arrow buffers (no copy)."""
    raw: Any = conn.connection.driver_connection
    # Arrow string views (polars' own layout) rather than large strings: no offset rewrite on export, and DuckDB
    # scans them about a quarter faster into its storage.
    raw.register(STAGE, frame.to_arrow(compat_level=pl.CompatLevel.newest()))  # replaces the previous chunk's view


def _stage_postgresql(conn: Connection, target: Table, frame: pl.DataFrame) -> None:
    """PostgreSQL: COPY the chunk as CSV into a temporary table shaped like the target, dropped at commit."""
    conn.execute(text(f'DROP TABLE IF EXISTS "{STAGE}"'))
    conn.execute(text(f'CREATE TEMPORARY TABLE "{STAGE}" (LIKE "{target.name}") ON COMMIT DROP'))
    buf = io.BytesIO()
    # Every text value quoted, so that only unquoted \N is NULL and a prompt reading "\N" stays text.
    frame.write_csv(buf, include_header=False, null_value="\\N", quote_style="non_numeric", datetime_format="%Y-%m-%dT%H:%M:%S%.6f+00:00")
    cols = ", ".join(f'"{c}"' for c in frame.columns)
    raw: Any = conn.connection.driver_connection
    with (
        raw.cursor() as cur,
        cur.copy(f"COPY \"{STAGE}\" ({cols}) FROM STDIN (FORMAT csv, NULL '\\N')") as cp,
    ):
        cp.write(buf.getvalue())


def stage(conn: Connection, target: Table, frame: pl.DataFrame) -> Any:
    """Make the chunk queryable inside the connection's transaction; returns the staging table to select from."""
    frame = conform(target, frame)
    if dialect.dialect_name(conn) == dialect.DUCKDB:
        _stage_duckdb(conn, frame)
    else:
        _stage_postgresql(conn, target, frame)
    return table(STAGE, *[column(c.name) for c in target.columns])


def append(conn: Connection, target: Table, frame: pl.DataFrame) -> int:
    """Insert every row of the frame (bookkeeping tables such as quarantine); returns the row count."""
    if frame.is_empty():
        return 0
    st = stage(conn, target, frame)
    conn.execute(insert(target).from_select([c.name for c in target.columns], select(*st.c)))
    return frame.height


def insert_new(conn: Connection, target: Table, frame: pl.DataFrame, key: str) -> int:
    """Insert the rows whose key the table does not hold yet (the frame's keys are distinct); returns how many were new."""
    if frame.is_empty():
        return 0
    st = stage(conn, target, frame)
    names = [c.name for c in target.columns]
    source = select(*st.c)
    stmt: Any
    if dialect.dialect_name(conn) in dialect.UNIQUE_REQUEST_INDEX:
        # The key is unique-indexed (requests) or the primary key (accounts, api_keys): the index skips known keys.
        stmt = pg_insert(target).from_select(names, source).on_conflict_do_nothing(index_elements=[key])
    else:
        # No unique index on requests here (see queries/dialect.py): skip keys already present with an anti-join.
        stmt = insert(target).from_select(names, source.where(~exists().where(target.c[key] == st.c[key])))
    # rowcount of an INSERT ... SELECT is only kept when asked for (SQLAlchemy guarantees it for UPDATE/DELETE alone).
    inserted = conn.execute(stmt.execution_options(preserve_rowcount=True)).rowcount
    if target.name == "api_keys":
        # A later drop may bring the revocation time of a key already known: fill it in, never overwrite one.
        conn.execute(
            update(target)
            .where(target.c.api_key_id == st.c.api_key_id, target.c.revoked_at.is_(None), st.c.revoked_at.is_not(None))
            .values(revoked_at=st.c.revoked_at)
        )
    return int(inserted)

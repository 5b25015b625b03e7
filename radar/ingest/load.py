"""How do validated rows reach the warehouse? Each engine's bulk-load path, named: DuckDB inserts from Arrow with an
anti-join on the key; PostgreSQL copies into a temporary staging table and inserts ON CONFLICT DO NOTHING.

The statements themselves are in `queries/load.py`; this module moves the chunk's bytes and executes them."""

from __future__ import annotations

import io
from typing import Any

import polars as pl
import pyarrow as pa
from sqlalchemy import Connection, Table
from sqlalchemy.types import BigInteger, Boolean, DateTime, Double, Integer

from queries import dialect, schema
from queries import load as statements
from radar.ingest import load_clickhouse
from radar.warehouse import tune_session


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
#: One engine thread: enrichment of the next chunk runs on the other core meanwhile, and a second engine thread
#: mostly adds CPU (writing compressed row groups), not speed, when both cores are busy.
DUCKDB_INGEST_THREADS = 1


def prepare_session(conn: Connection) -> None:
    """Set the loading session's engine options (DuckDB: bounded buffer pool, one thread, no insertion-order bookkeeping)."""
    tune_session(conn, memory_limit=DUCKDB_INGEST_MEMORY, threads=DUCKDB_INGEST_THREADS, insertion_order=False)


def _stage_duckdb(conn: Connection, frame: pl.DataFrame) -> None:
    """DuckDB: expose the chunk as a view over its Arrow buffers (no copy), readable once."""
    raw: Any = conn.connection.driver_connection
    # Arrow string views (polars' own layout) rather than large strings: no offset rewrite on export, and DuckDB
    # scans them about a quarter faster into its storage.
    table = frame.to_arrow(compat_level=pl.CompatLevel.newest())
    # A one-shot stream, not the table: DuckDB keeps every object registered in a transaction until it commits, and a
    # file loads in one transaction, so registered tables would hold every chunk of the file (1 GB of prompts, 1 GB
    # of memory); a consumed stream holds no batch.
    stream = pa.RecordBatchReader.from_batches(table.schema, iter(table.to_batches()))
    raw.register(statements.STAGE, stream)  # replaces the previous chunk's view


def _stage_postgresql(conn: Connection, target: Table, frame: pl.DataFrame) -> None:
    """PostgreSQL: COPY the chunk as CSV into a temporary table shaped like the target, dropped at commit."""
    conn.execute(statements.drop_stage())
    conn.execute(statements.create_stage(target))
    buf = io.BytesIO()
    # Every text value quoted, so that only unquoted \N is NULL and a prompt reading "\N" stays text.
    frame.write_csv(
        buf, include_header=False, null_value=statements.CSV_NULL, quote_style="non_numeric", datetime_format="%Y-%m-%dT%H:%M:%S%.6f+00:00"
    )
    raw: Any = conn.connection.driver_connection
    with raw.cursor() as cur, cur.copy(statements.copy_stage(frame.columns)) as cp:
        cp.write(buf.getvalue())


def stage(conn: Connection, target: Table, frame: pl.DataFrame) -> None:
    """Make the chunk queryable as the staging table (`queries.load.staged`) inside the connection's transaction."""
    frame = conform(target, frame)
    if dialect.dialect_name(conn) == dialect.DUCKDB:
        _stage_duckdb(conn, frame)
    else:
        _stage_postgresql(conn, target, frame)


def append(conn: Connection, target: Table, frame: pl.DataFrame) -> int:
    """Insert every row of the frame (bookkeeping tables such as quarantine); returns the row count."""
    if frame.is_empty():
        return 0
    if dialect.dialect_name(conn) == dialect.CLICKHOUSE:
        return load_clickhouse.append(conn, target, conform(target, frame))
    stage(conn, target, frame)
    conn.execute(statements.insert_staged(target))
    return frame.height


def insert_new(conn: Connection, target: Table, frame: pl.DataFrame, key: str) -> int:
    """Insert the rows whose key the table does not hold yet (the frame's keys are distinct); returns how many were new."""
    if frame.is_empty():
        return 0
    if dialect.dialect_name(conn) == dialect.CLICKHOUSE:
        return load_clickhouse.insert_new(conn, target, conform(target, frame), key)
    stage(conn, target, frame)
    # rowcount of an INSERT ... SELECT is only kept when asked for (SQLAlchemy guarantees it for UPDATE/DELETE alone).
    inserted = conn.execute(statements.insert_new(target, key, conn).execution_options(preserve_rowcount=True)).rowcount
    if target.name == schema.api_keys.name:
        # A later drop may bring the revocation time of a key already known (staged again: a DuckDB stage reads once).
        stage(conn, target, frame)
        conn.execute(statements.fill_revocations())
    return int(inserted)

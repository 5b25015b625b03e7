"""How do validated rows reach the warehouse? Each engine's bulk-load path, named: DuckDB inserts from Arrow after
looking up which request_ids of the chunk's own ts span it already holds; PostgreSQL copies into a temporary staging
table and inserts ON CONFLICT DO NOTHING. The rows actually inserted, and only those, are added to the rollups in the
same transaction.

The statements themselves are in `queries/load.py`; this module moves the chunk's bytes and executes them."""

from __future__ import annotations

import io
from typing import Any

import polars as pl
import pyarrow as pa
from sqlalchemy import Connection, Table
from sqlalchemy.types import BigInteger, Boolean, DateTime, Double, Integer

from queries import dialect, rollups, schema
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


#: What the rollups read of a request row, with the columns a staging table of requests requires (NOT NULL): the
#: rollup input is staged without the prompt text.
ROLLUP_INPUT = tuple(
    dict.fromkeys(
        [c.name for c in schema.requests.columns if not c.nullable]
        + ["cot", "tool_count", "finish_reason", "has_image", "prompt_chars", "capability"]
    )
)


def clustered(frame: pl.DataFrame) -> pl.DataFrame:
    """The chunk in storage order: by ts (as it is, when the file was written in time order, as gateways export).

    Chunks are appended in file order by one engine thread (DUCKDB_INGEST_THREADS), so each row group of requests
    covers a narrow span of ts and DuckDB's zone maps skip the row groups outside a window (the keys page drill-down,
    the de-duplication look-up). A chunk out of time order is sorted first: sorting moves every prompt, so a chunk
    already in order is left alone."""
    ts = frame.get_column("ts")
    return frame if ts.is_sorted() else frame.sort("ts", maintain_order=True)


def _insert_unseen(conn: Connection, frame: pl.DataFrame) -> pl.DataFrame:
    """Insert the chunk's requests the warehouse does not hold yet (the chunk's ids are distinct); the rows inserted."""
    target = schema.requests
    if dialect.dialect_name(conn) in dialect.UNIQUE_REQUEST_INDEX:
        stage(conn, target, frame)
        stmt = statements.insert_new(target, "request_id", conn).returning(target.c.request_id)
        inserted = list(conn.execute(stmt).scalars())
        return frame.filter(pl.col("request_id").is_in(inserted)) if len(inserted) < frame.height else frame
    # The loading process holds the DuckDB file alone (radar.warehouse.hold_for_writing): no other writer can insert
    # between the look-up and the insert, so the rows inserted are exactly the unseen ones.
    lo, hi = frame.get_column("ts").min(), frame.get_column("ts").max()
    stage(conn, target, frame.select("request_id"))
    known = list(conn.execute(statements.known_request_ids(lo, hi)).scalars())  # type: ignore[arg-type]
    new = frame.filter(~pl.col("request_id").is_in(known)) if known else frame
    if new.height:
        stage(conn, target, new)
        conn.execute(statements.insert_staged(target))
    return new


def insert_requests(conn: Connection, frame: pl.DataFrame) -> int:
    """Insert the chunk's new requests and add exactly those to the rollups, in the caller's transaction; how many were new?

    Rows already stored (a re-delivery) feed nothing, quarantined rows never reach this frame, and a failure later in
    the file rolls back the rows and their rollup rows together."""
    if frame.is_empty():
        return 0
    if dialect.dialect_name(conn) == dialect.CLICKHOUSE:
        # the server's materialized views add the inserted rows to the rollups (queries/clickhouse_ddl.py)
        return load_clickhouse.insert_new(conn, schema.requests, conform(schema.requests, clustered(frame)), "request_id")
    new = _insert_unseen(conn, clustered(frame))
    if new.is_empty():
        return 0
    inputs = new.select(ROLLUP_INPUT)
    for rollup in schema.ROLLUP_TABLES:
        stage(conn, schema.requests, inputs)  # again for each rollup: a DuckDB stage is read once
        conn.execute(rollups.add_staged(rollup))
    return new.height

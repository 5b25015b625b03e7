"""What does a load say to the warehouse? The statements of the ingest path: staging, inserting new rows, the load log.

`radar/ingest/load.py` executes them. A chunk is first made queryable as the staging table `STAGE` (DuckDB: a
view over its Arrow buffers; PostgreSQL: a temporary table filled by COPY), then inserted from there.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Delete, Insert, Select, Table, TextClause, Update, column, delete, exists, func, insert, select, table, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.sql.expression import TableClause

from queries import dialect, schema

#: Name of a chunk's staging table (or view) inside the loading transaction.
STAGE = "_ingest_stage"
#: How the CSV a chunk is copied in writes NULL: unquoted \N, so a text value reading "\N" (always quoted) stays text.
CSV_NULL = "\\N"


def staged(target: Table) -> TableClause:
    """Which table holds the chunk being loaded into `target`? The staging table, with the target's columns."""
    return table(STAGE, *[column(c.name) for c in target.columns])


def drop_stage() -> TextClause:
    """Drop the staging table an earlier chunk of this transaction left (PostgreSQL)."""
    return text(f'DROP TABLE IF EXISTS "{STAGE}"')


def create_stage(target: Table) -> TextClause:
    """Create the staging table: temporary, shaped like the target, dropped at commit (PostgreSQL)."""
    return text(f'CREATE TEMPORARY TABLE "{STAGE}" (LIKE "{target.name}") ON COMMIT DROP')


def copy_stage(columns: Sequence[str]) -> str:
    """The COPY statement that streams a chunk's CSV into the staging table (PostgreSQL; the driver's copy takes text)."""
    cols = ", ".join(f'"{c}"' for c in columns)
    return f"COPY \"{STAGE}\" ({cols}) FROM STDIN (FORMAT csv, NULL '{CSV_NULL}')"


def insert_staged(target: Table) -> Insert:
    """Insert every staged row (bookkeeping tables such as quarantine, which have no key)."""
    return insert(target).from_select([c.name for c in target.columns], select(*staged(target).c))


def insert_new(target: Table, key: str, engine_or_conn: Any) -> Insert:
    """Insert the staged rows whose `key` the target does not hold yet (the chunk's keys are distinct)."""
    st = staged(target)
    names = [c.name for c in target.columns]
    source = select(*st.c)
    if dialect.dialect_name(engine_or_conn) in dialect.UNIQUE_REQUEST_INDEX:
        # The key is unique-indexed (requests) or the primary key (accounts, api_keys): the index skips known keys.
        return pg_insert(target).from_select(names, source).on_conflict_do_nothing(index_elements=[key])
    # No unique index on requests here (see queries/dialect.py): skip keys already present with an anti-join.
    return insert(target).from_select(names, source.where(~exists().where(target.c[key] == st.c[key])))


def known_request_ids(lo: datetime, hi: datetime) -> Select[Any]:
    """Which staged request_ids does the warehouse already hold? Only stored rows with lo <= ts <= hi are searched.

    A re-delivered request keeps its ts (the gateway's receive time), so its first delivery lies inside the chunk's own
    ts span: the search reads the rows of that span (pruned by ts), not the whole table, and stays exact."""
    r, st = schema.requests, staged(schema.requests)
    return select(r.c.request_id).where(r.c.ts >= lo, r.c.ts <= hi, r.c.request_id.in_(select(st.c.request_id)))


def fill_revocations() -> Update:
    """Fill in the revocation time a later drop brings for a key already known; never overwrite one."""
    k, st = schema.api_keys, staged(schema.api_keys)
    return (
        update(k)
        .where(k.c.api_key_id == st.c.api_key_id, k.c.revoked_at.is_(None), st.c.revoked_at.is_not(None))
        .values(revoked_at=st.c.revoked_at)
    )


def log_load(
    *,
    load_id: str,
    source_file: str,
    file_digest: str | None,
    table_name: str,
    file_format: str,
    started_at: datetime,
    finished_at: datetime,
    rows_read: int,
    rows_loaded: int,
    rows_quarantined: int,
    rows_duplicate: int,
    status: str,
    message: str | None,
) -> Insert:
    """Record one file's load: where it came from, how many rows were read, loaded, quarantined, duplicate, and how it ended."""
    return insert(schema.load_log).values(
        load_id=load_id,
        source_file=source_file,
        file_digest=file_digest,
        table_name=table_name,
        format=file_format,
        started_at=started_at,
        finished_at=finished_at,
        rows_read=rows_read,
        rows_loaded=rows_loaded,
        rows_quarantined=rows_quarantined,
        rows_duplicate=rows_duplicate,
        status=status,
        message=message,
    )


def loaded_rows(file_digest: str, table_name: str) -> Select[Any]:
    """Was a file with these exact bytes already loaded into this table? Its rows read less quarantined (null if never)."""
    log = schema.load_log
    return select(func.max(log.c.rows_read - log.c.rows_quarantined).label("rows")).where(
        log.c.file_digest == file_digest, log.c.table_name == table_name, log.c.status == "loaded"
    )


def generation() -> Select[Any]:
    """Which state of the warehouse is this? Files in the load log and the last finish, detection runs and the last finish.

    The dashboard keys its caches on it where the warehouse is a server (a DuckDB file has its own version: its mtime)."""
    lg, runs = schema.load_log, schema.score_runs
    return select(
        select(func.count()).select_from(lg).scalar_subquery().label("loads"),
        select(func.max(lg.c.finished_at)).scalar_subquery().label("last_load"),
        select(func.count()).select_from(runs).scalar_subquery().label("runs"),
        select(func.max(runs.c.finished_at)).scalar_subquery().label("last_run"),
    )


def stored_prompts() -> Select:
    """How many requests are stored, how long was the longest prompt sent and stored, and how many were cut or repaired?"""
    r = schema.requests
    return select(
        func.count().label("requests"),
        func.max(r.c.prompt_chars).label("longest_sent"),
        func.max(func.length(r.c.prompt)).label("longest_stored"),
        func.count().filter(r.c.prompt_truncated).label("truncated"),
        func.count().filter(r.c.text_replaced).label("text_replaced"),
    )


def forget_loads(target: Table, load_ids: Sequence[str]) -> Delete:
    """Which statement removes every row these loads wrote to `target` (a telemetry table or the load log)?"""
    return delete(target).where(target.c.load_id.in_(list(load_ids)))

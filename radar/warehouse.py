"""How do we reach the warehouse? Engines (read-write for loaders, read-only for the dashboard) and schema set-up.

Tables, indexes and every engine difference are declared in `queries/` (schema, dialect); this module only applies them."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from queries import dialect, schema


class WarehouseError(RuntimeError):
    """The warehouse cannot be reached or is not set up; the message says what to do."""


def open_engine(url: str, *, read_only: bool = False) -> Engine:
    """An engine on the warehouse at `url`; read-only engines refuse every write at the driver."""
    u = make_url(url)
    connect_args: dict[str, object] = {}
    backend = u.get_backend_name()
    if backend == dialect.DUCKDB:
        db = u.database or ""
        if db and db != ":memory:":
            if read_only and not Path(db).exists():
                raise WarehouseError(f"No warehouse at {db}: run `python -m radar ingest PATH` or `make run` to create one.")
            Path(db).parent.mkdir(parents=True, exist_ok=True)
        if read_only:
            connect_args.update(dialect.READ_ONLY_CONNECT_ARGS[dialect.DUCKDB])
        # A DuckDB file admits one writing process; not pooling lets the CLI and the dashboard take turns.
        return create_engine(url, connect_args=connect_args, poolclass=NullPool)
    if backend == dialect.POSTGRESQL:
        if read_only:
            connect_args.update(dialect.READ_ONLY_CONNECT_ARGS[dialect.POSTGRESQL])
        return create_engine(url, connect_args=connect_args, pool_pre_ping=True)
    return create_engine(url, pool_pre_ping=True)


def ensure_schema(engine: Engine) -> None:
    """Create any missing warehouse tables (and the dialect's physical extras); existing data is kept."""
    schema.metadata.create_all(engine)
    if dialect.dialect_name(engine) in dialect.UNIQUE_REQUEST_INDEX:
        # create_all makes the index with a new requests table; a warehouse made before the index had none.
        existing = {ix["name"] for ix in inspect(engine).get_indexes(schema.requests.name)}
        if schema.REQUEST_ID_INDEX.name not in existing:
            schema.REQUEST_ID_INDEX.create(engine)


def tune_session(conn: Connection, *, memory_limit: str, threads: int | None = None, insertion_order: bool | None = None) -> None:
    """Bound this session's memory (and engine threads, insertion-order bookkeeping) where the engine is embedded.

    The statements, and which engines need them, are `queries.dialect.session_settings`; a server engine gets none."""
    for stmt in dialect.session_settings(conn, memory_limit=memory_limit, threads=threads, insertion_order=insertion_order):
        conn.execute(stmt)

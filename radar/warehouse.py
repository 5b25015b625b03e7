"""How do we reach the warehouse? Engines (read-write for loaders, read-only for the dashboard) and schema set-up."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Index, create_engine, inspect
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
            connect_args["read_only"] = True
        # A DuckDB file admits one writing process; not pooling lets the CLI and the dashboard take turns.
        return create_engine(url, connect_args=connect_args, poolclass=NullPool)
    if backend == dialect.POSTGRESQL:
        if read_only:
            connect_args["options"] = "-c default_transaction_read_only=on"
        return create_engine(url, connect_args=connect_args, pool_pre_ping=True)
    return create_engine(url, pool_pre_ping=True)


def ensure_schema(engine: Engine) -> None:
    """Create any missing warehouse tables (and the dialect's physical extras); existing data is kept."""
    schema.metadata.create_all(engine)
    if dialect.dialect_name(engine) in dialect.UNIQUE_REQUEST_INDEX:
        existing = {ix["name"] for ix in inspect(engine).get_indexes("requests")}
        if "requests_request_id_key" not in existing:
            Index("requests_request_id_key", schema.requests.c.request_id, unique=True).create(engine)


def bound_memory(conn: Connection, limit: str) -> None:
    """Cap the embedded engine's buffer pool for this session (DuckDB's default is 80% of RAM; with a cap it
    spills to disk instead). A server engine manages its own memory: nothing to do."""
    if dialect.dialect_name(conn) == dialect.DUCKDB:
        raw: Any = conn.connection.driver_connection
        raw.execute(f"SET memory_limit = '{limit}'")

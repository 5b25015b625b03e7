"""How do we reach the warehouse? Engines (read-write for loaders, read-only for the dashboard) and schema set-up.

Tables, indexes and every engine difference are declared in `queries/` (schema, dialect); this module only applies them."""

from __future__ import annotations

import os
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.pool import NullPool, QueuePool

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
            # duckdb_engine applies a URL's query after connect_args: `?enable_external_access=true` must not undo the sandbox.
            url = u.difference_update_query(dialect.DUCKDB_SANDBOX).render_as_string(hide_password=False)
        if read_only and db and db != ":memory:":
            # The dashboard keeps its connections (and with them DuckDB's block cache) between queries, and lets go of
            # them as soon as a load announces itself, so that the CLI and the dashboard take turns on the file.
            pooled = create_engine(url, connect_args=connect_args, pool_size=READER_POOL, max_overflow=READER_OVERFLOW)
            return _refuse_while_loading(pooled, Path(db))
        # A DuckDB file admits one writing process: a writer's engine keeps no connection open between blocks.
        return create_engine(url, connect_args=connect_args, poolclass=NullPool)
    if backend == dialect.POSTGRESQL:
        if read_only:
            connect_args.update(dialect.READ_ONLY_CONNECT_ARGS[dialect.POSTGRESQL])
        return create_engine(url, connect_args=connect_args, pool_pre_ping=True)
    if backend == dialect.CLICKHOUSE:
        from radar.warehouse_clickhouse import clickhouse_engine  # its errors are this module's WarehouseError

        return clickhouse_engine(url, read_only=read_only)
    return create_engine(url, pool_pre_ping=True)


def ensure_schema(engine: Engine) -> None:
    """Create any missing warehouse tables (and the dialect's physical extras); existing data is kept."""
    if dialect.dialect_name(engine) == dialect.CLICKHOUSE:
        from radar.warehouse_clickhouse import ensure_clickhouse_schema

        ensure_clickhouse_schema(engine)
        return
    schema.metadata.create_all(engine)
    if dialect.dialect_name(engine) in dialect.UNIQUE_REQUEST_INDEX:
        # create_all makes the index with a new requests table; a warehouse made before the index had none.
        existing = {ix["name"] for ix in inspect(engine).get_indexes(schema.requests.name)}
        if schema.REQUEST_ID_INDEX.name not in existing:
            schema.REQUEST_ID_INDEX.create(engine)
    if dialect.dialect_name(engine) in dialect.KEY_TIME_INDEX and schema.REQUEST_KEY_TS_INDEX.name not in {
        ix["name"] for ix in inspect(engine).get_indexes(schema.requests.name)
    }:
        schema.REQUEST_KEY_TS_INDEX.create(engine)
    add_missing_columns(engine)


def add_missing_columns(
    engine: Engine, *, existing: Callable[[], Any] = schema.existing_columns, add: Callable[[Table, str], Any] = schema.add_column
) -> None:
    """Add the columns the schema declares and a warehouse created before them lacks (create_all keeps old tables as they are)."""
    with engine.connect() as conn:
        found = conn.execute(existing()).all()
    have: dict[str, set[str]] = {}
    for table_name, column_name in found:
        have.setdefault(table_name, set()).add(column_name)
    for table in schema.metadata.sorted_tables:
        for column in [c for c in table.columns if c.name not in have.get(table.name, set())]:
            if not column.nullable:
                raise WarehouseError(
                    f"The warehouse table {table.name} lacks the required column {column.name}, which cannot be added to rows "
                    "already loaded: load into a new warehouse."
                )
            with engine.begin() as conn:
                conn.execute(add(table, column.name))


def tune_session(conn: Connection, *, memory_limit: str, threads: int | None = None, insertion_order: bool | None = None) -> None:
    """Bound this session's memory (and engine threads, insertion-order bookkeeping) where the engine is embedded.

    The statements, and which engines need them, are `queries.dialect.session_settings`; a server engine gets none."""
    for stmt in dialect.session_settings(conn, memory_limit=memory_limit, threads=threads, insertion_order=insertion_order):
        conn.execute(stmt)


# --- one writer at a time on an embedded DuckDB file -------------------------------------------------
#
# DuckDB admits one writing process or many read-only ones on a file, never both. A load announces itself by
# locking a marker file beside the warehouse (`<file>.load`), then waits for the dashboard's in-flight queries to
# release the file, and holds it to the end of the run. While the marker is locked the dashboard opens no new
# connection: it says a load is running and retries. The kernel drops the marker's lock when the loader exits,
# however it exits, so a crashed load never blocks the dashboard. PostgreSQL needs none of this (MVCC).

#: What the dashboard tells the analyst while a load holds the warehouse file.
LOAD_RUNNING = "A load is running; this page refreshes when it finishes."
#: What a load prints while it waits for readers to let go of the file.
WAITING_FOR_READERS = "waiting for the dashboard to release the warehouse file…"
#: What a load prints while another load holds the file.
WAITING_FOR_LOAD = "waiting for another load of the warehouse file to finish…"
#: What a load prints once it holds the file after waiting ({:.1f}: the seconds waited).
FREE_AFTER = "the warehouse file is free after {:.1f} s; loading"
#: How often a waiting load tries again, seconds: short, so that it takes the file in a gap between two page queries.
LOCK_POLL_S = 0.02


class WarehouseBusy(WarehouseError):
    """The embedded warehouse file is held by a load (or by readers, for a load that waited too long)."""


def duckdb_file(url: str) -> Path | None:
    """Which file is this warehouse URL's embedded DuckDB database (None for a server engine or an in-memory one)?"""
    u = make_url(url)
    if u.get_backend_name() != dialect.DUCKDB or not u.database or u.database == ":memory:":
        return None
    return Path(u.database)


def lock_conflict(exc: BaseException) -> bool:
    """Did this fail because another process holds the DuckDB file's lock?"""
    seen: BaseException | None = exc
    while seen is not None:
        text = str(seen)
        # another process holds the file's lock, or this process holds it with another configuration (the dashboard's
        # read-only pool, which lets go within RELEASE_POLL_S of a load announcing itself)
        if "Could not set lock on file" in text or "same database file with a different configuration" in text:
            return True
        seen = getattr(seen, "orig", None) or seen.__cause__
    return False


def _marker(db: Path) -> Path:
    return db.with_name(db.name + ".load")


def _try_lock(fd: int, *, exclusive: bool) -> bool:
    """Could this process take the marker's lock right now (always, where the platform has no advisory locks)?"""
    try:
        import fcntl
    except ImportError:  # no advisory locks here: the DuckDB file lock alone decides
        return True
    try:
        fcntl.flock(fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def load_running(db: Path) -> bool:
    """Has a load announced itself on this DuckDB file (its marker is locked by a live process)?"""
    try:
        fd = os.open(_marker(db), os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        return not _try_lock(fd, exclusive=False)
    finally:
        os.close(fd)  # also releases the shared lock just taken


def warehouse_free(url: str) -> bool:
    """Can a dashboard query open the warehouse right now (no load announced, the file not locked by a writer)?"""
    db = duckdb_file(url)
    if db is None:
        return True
    if load_running(db):
        return False
    try:
        engine = open_engine(url, read_only=True)
        with engine.connect():
            pass
    except WarehouseBusy:
        return False
    except WarehouseError:
        return True  # no warehouse yet: the page says how to make one
    return True


#: Connections a dashboard process keeps open on an embedded file (a page's queries run one after another per session).
READER_POOL = 2
READER_OVERFLOW = 6
#: How often the reader pools look for a load that has announced itself, seconds (a marker check costs microseconds).
RELEASE_POLL_S = 0.05
_readers: weakref.WeakKeyDictionary[Engine, Path] = weakref.WeakKeyDictionary()
_reaper_lock = threading.Lock()
_reaper: threading.Thread | None = None


def _release_for_loads() -> None:
    """Close the idle connections of every reader pool whose file a load has announced itself on (a daemon loop)."""
    while True:
        time.sleep(RELEASE_POLL_S)
        for engine, db in list(_readers.items()):
            pool = engine.pool
            if isinstance(pool, QueuePool) and pool.checkedin() and load_running(db):
                pool.dispose()  # closes the idle connections; checked-out ones close when they come back


def _watch(engine: Engine, db: Path) -> None:
    global _reaper
    with _reaper_lock:
        _readers[engine] = db
        if _reaper is None:
            _reaper = threading.Thread(target=_release_for_loads, name="radar-reader-release", daemon=True)
            _reaper.start()


def _refuse_while_loading(engine: Engine, db: Path) -> Engine:
    """The read-only engine, made to raise WarehouseBusy instead of connecting while a load holds the file, and to let
    go of its pooled connections when a load announces itself (at check-in, at check-out and while idle)."""

    @event.listens_for(engine, "checkin")
    def _checkin(_dbapi: Any, record: Any) -> None:
        if record.dbapi_connection is not None and load_running(db):
            record.invalidate()  # closed now instead of kept: the load is waiting for the file

    @event.listens_for(engine, "checkout")
    def _checkout(_dbapi: Any, _record: Any, _proxy: Any) -> None:
        if load_running(db):
            raise DisconnectionError(LOAD_RUNNING)  # the pool drops this connection and connects anew (refused below)

    _watch(engine, db)

    @event.listens_for(engine, "do_connect")
    def _connect(dialect_: Any, _record: Any, cargs: Any, cparams: Any) -> Any:
        if load_running(db):
            raise WarehouseBusy(LOAD_RUNNING)
        try:
            return dialect_.connect(*cargs, **cparams)
        except Exception as exc:  # a writer that did not announce itself (e.g. `radar score`) holds the file
            if lock_conflict(exc):
                raise WarehouseBusy(LOAD_RUNNING) from exc
            raise

    return engine


@contextmanager
def hold_for_writing(engine: Engine, *, wait_s: float, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the embedded warehouse file for the whole block, waiting up to `wait_s` seconds for others to release it.

    Raises WarehouseBusy (nothing written) when the file stays held. A server engine needs no holding: the block just runs."""
    db = duckdb_file(str(engine.url))
    if db is None:
        yield
        return
    started = time.monotonic()
    deadline = started + wait_s
    told: set[str] = set()

    def wait(message: str, *, quiet_s: float = 0.0) -> None:
        now = time.monotonic()
        if now >= deadline:
            raise WarehouseBusy(
                f"The warehouse file {db} was still in use after {wait_s:g} s (RADAR_LOCK_WAIT_S): nothing was written. "
                "Another load or score run, or a long dashboard query, holds it; run the command again, or raise RADAR_LOCK_WAIT_S."
            )
        if on_wait is not None and message not in told and now - started >= quiet_s:
            told.add(message)
            on_wait(message)
        time.sleep(LOCK_POLL_S)

    db.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(_marker(db), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        # Announce the load: from now on the dashboard opens no new connection. A dashboard checking the marker holds
        # it for microseconds; only a wait longer than a second means another load.
        while not _try_lock(fd, exclusive=True):
            wait(WAITING_FOR_LOAD, quiet_s=1.0)
        while True:  # then wait for the queries already running to finish
            try:
                held = engine.raw_connection()
                break
            except Exception as exc:
                if not lock_conflict(exc):
                    raise
                wait(WAITING_FOR_READERS)
        if told and on_wait is not None:
            on_wait(FREE_AFTER.format(time.monotonic() - started))
        try:
            # Every connection the block opens shares this one's database instance (DuckDB caches one per file and
            # process), so the file stays locked between the run's transactions and in its worker thread.
            yield
        finally:
            held.close()
    finally:
        os.close(fd)  # releases the marker's lock


def file_generation(url: str) -> tuple[int, ...] | None:
    """Which version of the embedded warehouse file is on disk (changes with every committed write)? None: not a file."""
    db = duckdb_file(url)
    if db is None:
        return None
    out: list[int] = []
    for path in (db, db.with_name(db.name + ".wal")):
        try:
            st = path.stat()
        except FileNotFoundError:
            out += [0, 0]
        else:
            out += [st.st_mtime_ns, st.st_size]
    return tuple(out)

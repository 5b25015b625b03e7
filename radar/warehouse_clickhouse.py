"""How do we reach a ClickHouse warehouse? A server through clickhouse-connect's HTTP client, or the embedded engine
(chDB) in a folder through the same client's `interface="chdb"`; both under clickhouse-connect's SQLAlchemy dialect.

URL forms (queries/dialect.py names them): `clickhousedb://user:password@host:8123/database` for a server or a
cluster's load balancer, `clickhousedb+chdb:///path/to/folder?database=NAME` for the embedded engine (persistent
MergeTree tables in the folder; database `default` when not named).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clickhouse_connect import dbapi
from clickhouse_connect.driver.exceptions import Error as ClickHouseError
from sqlalchemy import Connection, Engine, Insert, create_engine, event, text
from sqlalchemy.dialects import registry
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import SAWarning

from queries import clickhouse_ddl, clickhouse_load, dialect, schema
from radar.warehouse import WarehouseError, add_missing_columns

# The embedded form's URL names the same dialect; its connections come from the creator below, not from the URL.
registry.register(f"{dialect.CLICKHOUSE}.{dialect.CHDB_DRIVER}", "clickhouse_connect.cc_sqlalchemy.dialect", "ClickHouseDialect")

# clickhouse-connect's compiler writes JOINs itself without telling SQLAlchemy's FROM linter, so an explicit
# `JOIN ... ON true` (queries/key_baselines.py spreads a one-row sums table into rows so) reads as a cartesian product.
warnings.filterwarnings("ignore", message="SELECT statement has a cartesian product", category=SAWarning, module="clickhouse_connect")


def is_embedded(url: str | URL) -> bool:
    """Is this warehouse URL the embedded ClickHouse engine (chDB) in a folder?"""
    u = make_url(url)
    return u.get_backend_name() == dialect.CLICKHOUSE and u.get_driver_name() == dialect.CHDB_DRIVER


def embedded_location(url: str | URL) -> tuple[Path, str]:
    """Which folder and database does an embedded ClickHouse URL name?"""
    u = make_url(url)
    if not u.database:
        raise WarehouseError("An embedded ClickHouse URL names its folder: clickhousedb+chdb:///path/to/folder?database=NAME")
    database = u.query.get("database", "default")
    return Path(u.database), database if isinstance(database, str) else database[0]


def _connect_embedded(folder: Path, database: str | None, args: dict[str, Any]) -> Any:
    try:
        return dbapi.connect(interface="chdb", path=str(folder), database=database, **args)
    except ClickHouseError as exc:
        text_ = str(exc)
        if "UNKNOWN_DATABASE" in text_ or "does not exist" in text_:
            raise WarehouseError(
                f"The embedded ClickHouse warehouse in {folder} has no database {database}: run `python -m radar ingest PATH` "
                "with this URL to create it."
            ) from exc
        if "Unable to open the chdb engine" in text_:
            raise WarehouseError(
                f"The embedded ClickHouse warehouse in {folder} cannot be opened: chDB opens one folder per process, and a "
                "folder in one process at a time. Another process (a load, a score run, the dashboard) may hold it, or this "
                "process already uses another folder. For a dashboard and loads at once, use a ClickHouse server."
            ) from exc
        raise


def clickhouse_engine(url: str, *, read_only: bool = False) -> Engine:
    """An engine on the ClickHouse warehouse at `url`; read-only engines' sessions run with readonly=1 (writes refused)."""
    u = make_url(url)
    args: dict[str, Any] = dict(dialect.CLICKHOUSE_CONNECT_ARGS)
    if read_only:
        args.update(dialect.READ_ONLY_CONNECT_ARGS[dialect.CLICKHOUSE])
    if not is_embedded(u):
        engine = create_engine(u, connect_args=args, pool_pre_ping=True)
        return engine if read_only else _undo_on_rollback(engine)
    folder, database = embedded_location(u)
    if read_only and not folder.exists():
        raise WarehouseError(f"No warehouse at {folder}: run `python -m radar ingest PATH --warehouse {url}` to create one.")
    if not read_only:
        folder.mkdir(parents=True, exist_ok=True)
        setup = _connect_embedded(folder, None, args)
        try:
            setup.client.command(str(clickhouse_ddl.create_database(database)))
        finally:
            setup.close()
    engine = create_engine(u, creator=lambda: _connect_embedded(folder, database, args), pool_pre_ping=True)
    return engine if read_only else _undo_on_rollback(engine)


def ensure_clickhouse_schema(engine: Engine) -> None:
    """Create any missing ClickHouse tables, rollups and views (queries/clickhouse_ddl.py); existing data is kept."""
    with engine.connect() as conn:
        for stmt in clickhouse_ddl.statements():
            conn.execute(text(stmt))
    # columns the schema declares and a warehouse made before them lacks: the same step as on the other engines
    add_missing_columns(engine, existing=clickhouse_ddl.existing_columns, add=clickhouse_ddl.add_missing_column)


# --- a write block that rolls back takes its rows back out ---------------------------------------------------------
#
# ClickHouse has no transaction around several statements: what a block inserted is stored at once. Every row the
# warehouse writes in bulk carries the id of its load (load_id) or detection run (run_id), so a writable engine notes
# the ids each block inserts and, when the block rolls back, deletes their rows again (and cancels a load's rollup
# sums), which is what DuckDB's and PostgreSQL's rollback does. Readers may see a block's rows before it ends.

_PENDING = "radar_clickhouse_pending"


@dataclass
class Pending:
    """The loads and detection runs a write block has inserted rows for."""

    loads: set[str] = field(default_factory=set)
    runs: set[str] = field(default_factory=set)


def pending_writes(conn: Connection) -> Pending:
    """What the connection's open write block has inserted (by load and by run)."""
    found: Pending = conn.info.setdefault(_PENDING, Pending())
    return found


def _rows(multiparams: Sequence[Any], params: Mapping[str, Any] | None) -> list[Mapping[str, Any]]:
    rows: list[Mapping[str, Any]] = [params] if params else []
    for p in multiparams:
        rows += [p] if isinstance(p, Mapping) else [r for r in p if isinstance(r, Mapping)]
    return rows


def _note_insert(conn: Connection, clause: Any, multiparams: Sequence[Any], params: Mapping[str, Any] | None, _options: Any) -> None:
    """Before an INSERT through SQLAlchemy: note the runs and loads whose rows it adds."""
    if not isinstance(clause, Insert) or clause.table.name in (schema.score_runs.name, schema.load_log.name):
        return  # a run's own row and the load log record what happened, failures included: never taken back
    pending = pending_writes(conn)
    for row in _rows(multiparams, params):
        if row.get("run_id") is not None:
            pending.runs.add(str(row["run_id"]))
        if row.get("load_id") is not None:
            pending.loads.add(str(row["load_id"]))


def _forget(conn: Connection) -> None:
    conn.info.pop(_PENDING, None)


def _take_back(conn: Connection) -> None:
    """The block is rolling back: delete the rows of every load and run it inserted (a load's rollup sums first)."""
    pending: Pending | None = conn.info.pop(_PENDING, None)
    if pending is None:
        return
    client = conn.connection.driver_connection.client  # type: ignore[union-attr]
    work = [s for lid in sorted(pending.loads) for s in clickhouse_load.undo_load(lid)]
    work += [s for rid in sorted(pending.runs) for s in clickhouse_load.undo_run(rid)]
    for sql, bound in work:
        client.command(sql, parameters=bound)


def _undo_on_rollback(engine: Engine) -> Engine:
    event.listen(engine, "before_execute", _note_insert)
    event.listen(engine, "commit", _forget)
    event.listen(engine, "rollback", _take_back)
    return engine

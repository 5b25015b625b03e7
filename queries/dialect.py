"""Every difference between warehouse dialects (DuckDB, PostgreSQL, ClickHouse) lives here, by name.

Builders use these constructs instead of dialect-specific function names; each compiles to the
right SQL for the engine the statement runs on. Bulk-load, session and read-only differences are named here too.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, DateTime, Double, Integer, String, TextClause, text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import Cast
from sqlalchemy.sql.expression import FunctionElement
from sqlalchemy.sql.functions import GenericFunction

DUCKDB = "duckdb"
POSTGRESQL = "postgresql"
#: clickhouse-connect's SQLAlchemy dialect is named "clickhousedb"; the ClickHouse compilations below register for it.
CLICKHOUSE = "clickhousedb"
#: The URL driver naming the embedded ClickHouse engine (chDB) in a folder: `clickhousedb+chdb:///path/to/folder`.
#: The same dialect runs on it; only the connection differs (clickhouse-connect's `interface="chdb"` client).
CHDB_DRIVER = "chdb"


class trunc_hour(FunctionElement[Any]):
    """Start of the hour a timestamp falls in."""

    inherit_cache = True
    name = "trunc_hour"


class trunc_day(FunctionElement[Any]):
    """Start of the day a timestamp falls in."""

    inherit_cache = True
    name = "trunc_day"


class epoch_s(FunctionElement[Any]):
    """Seconds since 1970-01-01 UTC, as a double."""

    type = Double()
    inherit_cache = True
    name = "epoch_s"


class hour_of_day(FunctionElement[Any]):
    """Hour of day (0-23, UTC) as an integer."""

    type = Integer()
    inherit_cache = True
    name = "hour_of_day"


class quantile(FunctionElement[Any]):
    """Continuous quantile aggregate: quantile(column, q)."""

    type = Double()
    inherit_cache = True
    name = "quantile"


class approx_distinct(FunctionElement[Any]):
    """Distinct count of a column; approximate where the engine offers a fast sketch."""

    type = Integer()
    inherit_cache = True
    name = "approx_distinct"


def _clickhouse_true_division() -> None:
    """ClickHouse's `/` always divides as floats (`intDiv` is its integer division), but clickhouse-connect's dialect
    keeps SQLAlchemy's default that `/` floors, so it casts every divisor to NUMERIC: a Decimal that cannot hold the
    NULL of `nullif(x, 0)`. Saying the truth about `/` drops that cast."""
    from clickhouse_connect.cc_sqlalchemy.dialect import ClickHouseDialect

    ClickHouseDialect.div_is_floordiv = False


_clickhouse_true_division()


def _clickhouse_microsecond_binds() -> None:
    """A timestamp bound into a ClickHouse statement keeps its microseconds: clickhouse-connect renders a plain
    SQLAlchemy DateTime value to whole seconds and keeps the fraction only for its own DateTime64 type, so the
    warehouse's DateTime columns are bound as DateTime64(6, 'UTC'), what queries/clickhouse_ddl.py stores them as."""
    from clickhouse_connect.cc_sqlalchemy.datatypes.sqltypes import DateTime64
    from clickhouse_connect.cc_sqlalchemy.dialect import ClickHouseDialect

    class UtcMicroseconds(DateTime64):  # type: ignore[misc]
        def __init__(self, *_args: Any, **_kw: Any) -> None:
            DateTime64.__init__(self, 6, "UTC")

    ClickHouseDialect.colspecs = {**ClickHouseDialect.colspecs, DateTime: UtcMicroseconds}


_clickhouse_microsecond_binds()


def _clickhouse_boolean_results() -> None:
    """A predicate selected as a column (`x IS NOT NULL AS flagged`) comes back from ClickHouse as UInt8 1/0; a
    column the builder types Boolean is read back as a boolean, as DuckDB and PostgreSQL return it."""
    from clickhouse_connect.cc_sqlalchemy.dialect import ClickHouseDialect

    class BooleanResults(Boolean):
        def result_processor(self, dialect: Any, coltype: object) -> Any:
            return lambda value: None if value is None else bool(value)

    ClickHouseDialect.colspecs = {**ClickHouseDialect.colspecs, Boolean: BooleanResults}


_clickhouse_boolean_results()


class lag(GenericFunction[Any]):
    """The value of an expression on the previous row of the window (NULL on the first row, as the SQL standard says)."""

    inherit_cache = True
    name = "lag"


@compiles(lag, CLICKHOUSE)
def _lag_ch(element: lag, compiler: Any, **kw: Any) -> str:
    # ClickHouse's lag gives the type's default (0) on a window's first row; over a Nullable value it gives NULL.
    args = _args(element, compiler, **kw)
    return f"lagInFrame(toNullable({args[0]}){''.join(', ' + a for a in args[1:])})"


@compiles(Cast, CLICKHOUSE)
def _cast_ch(element: Cast[Any], compiler: Any, **kw: Any) -> str:
    # A timestamp cast to text reads as DuckDB and PostgreSQL (in UTC) write it, '2026-02-01 00:00:00+00', so that a
    # value built from it (an e-mail burst's "domain @ day") is the same string on every engine. Whole seconds: the
    # timestamps cast to text are truncated ones (trunc_day, trunc_hour), which have no fraction to show.
    timestamp = isinstance(element.clause.type, DateTime) or isinstance(element.clause, (trunc_hour, trunc_day))
    if isinstance(element.type, String) and timestamp:
        return f"concat(toString(toDateTime({compiler.process(element.clause, **kw)}, 'UTC')), '+00')"
    return str(compiler.visit_cast(element, **kw))


def _args(element: FunctionElement[Any], compiler: Any, **kw: Any) -> list[str]:
    return [compiler.process(c, **kw) for c in element.clauses]


@compiles(trunc_hour)
def _trunc_hour(element: trunc_hour, compiler: Any, **kw: Any) -> str:
    return f"date_trunc('hour', {_args(element, compiler, **kw)[0]})"


@compiles(trunc_hour, CLICKHOUSE)
def _trunc_hour_ch(element: trunc_hour, compiler: Any, **kw: Any) -> str:
    return f"toStartOfHour({_args(element, compiler, **kw)[0]})"


@compiles(trunc_day)
def _trunc_day(element: trunc_day, compiler: Any, **kw: Any) -> str:
    return f"date_trunc('day', {_args(element, compiler, **kw)[0]})"


@compiles(trunc_day, CLICKHOUSE)
def _trunc_day_ch(element: trunc_day, compiler: Any, **kw: Any) -> str:
    return f"toStartOfDay({_args(element, compiler, **kw)[0]})"


@compiles(epoch_s)
def _epoch_pg(element: epoch_s, compiler: Any, **kw: Any) -> str:
    return f"CAST(EXTRACT(EPOCH FROM {_args(element, compiler, **kw)[0]}) AS DOUBLE PRECISION)"


@compiles(epoch_s, DUCKDB)
def _epoch_duck(element: epoch_s, compiler: Any, **kw: Any) -> str:
    return f"CAST(epoch_us({_args(element, compiler, **kw)[0]}) AS DOUBLE) / 1e6"


@compiles(epoch_s, CLICKHOUSE)
def _epoch_ch(element: epoch_s, compiler: Any, **kw: Any) -> str:
    return f"toFloat64(toUnixTimestamp64Micro({_args(element, compiler, **kw)[0]})) / 1e6"


@compiles(hour_of_day)
def _hour(element: hour_of_day, compiler: Any, **kw: Any) -> str:
    return f"CAST(EXTRACT(HOUR FROM {_args(element, compiler, **kw)[0]}) AS INTEGER)"


@compiles(hour_of_day, CLICKHOUSE)
def _hour_ch(element: hour_of_day, compiler: Any, **kw: Any) -> str:
    return f"toHour({_args(element, compiler, **kw)[0]})"


@compiles(quantile)
def _quantile_pg(element: quantile, compiler: Any, **kw: Any) -> str:
    col, q = _args(element, compiler, **kw)
    return f"percentile_cont({q}) WITHIN GROUP (ORDER BY {col})"


@compiles(quantile, DUCKDB)
def _quantile_duck(element: quantile, compiler: Any, **kw: Any) -> str:
    col, q = _args(element, compiler, **kw)
    return f"quantile_cont({col}, {q})"


@compiles(quantile, CLICKHOUSE)
def _quantile_ch(element: quantile, compiler: Any, **kw: Any) -> str:
    col, q = _args(element, compiler, **kw)
    return f"quantile({q})({col})"


@compiles(approx_distinct)
def _distinct_pg(element: approx_distinct, compiler: Any, **kw: Any) -> str:
    return f"COUNT(DISTINCT {_args(element, compiler, **kw)[0]})"


@compiles(approx_distinct, DUCKDB)
def _distinct_duck(element: approx_distinct, compiler: Any, **kw: Any) -> str:
    return f"approx_count_distinct({_args(element, compiler, **kw)[0]})"


@compiles(approx_distinct, CLICKHOUSE)
def _distinct_ch(element: approx_distinct, compiler: Any, **kw: Any) -> str:
    return f"uniq({_args(element, compiler, **kw)[0]})"


# --- physical differences --------------------------------------------------------------------

#: Engines on which the warehouse enforces request_id uniqueness with a unique index
#: (PostgreSQL: INSERT ... ON CONFLICT DO NOTHING). DuckDB skips the index, which costs memory
#: and insert speed at tens of millions of rows, and de-duplicates with an anti-join at load.
#: ClickHouse would use ReplacingMergeTree ordered by request_id.
UNIQUE_REQUEST_INDEX = {POSTGRESQL}

#: Engines on which one key's requests in a window are found through an index on (api_key_id, ts) (the keys page
#: drill-down). DuckDB has no such index: its row groups' ts zone maps prune, since ingest appends in time order;
#: ClickHouse would order the table by (day, api_key_id, ts).
KEY_TIME_INDEX = {POSTGRESQL}

#: Engines that bulk-insert a whole Arrow table in one INSERT ... SELECT from a registered view
#: (DuckDB's executemany goes row by row, minutes for 100k detection result rows); the others
#: take SQLAlchemy's batched executemany (insertmanyvalues).
ARROW_BULK_INSERT = {DUCKDB}


def dialect_name(engine_or_conn: Any) -> str:
    """Which named dialect is this engine or connection?"""
    name = engine_or_conn.dialect.name
    return DUCKDB if name.startswith("duckdb") else name


# --- warehouse sessions ----------------------------------------------------------------------

#: What a read-only DuckDB session may never do, set when it connects: touch a file other than the warehouse (read_csv,
#: read_text, COPY TO, ATTACH of another database, EXPORT), load or install an extension, or change a setting again
#: (lock_configuration, so that `SET enable_external_access = true` is refused). Spilling a big aggregate to the
#: warehouse's temp_directory still works: that is DuckDB's own buffer manager, not external access.
DUCKDB_SANDBOX: dict[str, object] = {
    "enable_external_access": False,
    "autoload_known_extensions": False,
    "autoinstall_known_extensions": False,
    "lock_configuration": True,
}

#: What a read-only engine passes its driver so that every write is refused at the source: DuckDB opens the file
#: read-only (other processes may then read it too) inside the sandbox above; PostgreSQL makes every transaction
#: read-only by default, which a session can override (BEGIN READ WRITE): only a SELECT-only role
#: (`python -m radar grants --reader ROLE`) makes the server refuse writes.
READ_ONLY_CONNECT_ARGS: dict[str, dict[str, object]] = {
    DUCKDB: {"read_only": True, "config": DUCKDB_SANDBOX},
    POSTGRESQL: {"options": "-c default_transaction_read_only=on"},
    # ClickHouse: the session setting readonly=1 refuses every write, DDL, file or URL table function, and any later
    # change of settings (so a query cannot lift it). A readonly=1 profile on the server user says the same again.
    CLICKHOUSE: {"readonly": 1},
}

#: What every ClickHouse connection passes clickhouse-connect: timestamps come back timezone-aware in UTC, as
#: DuckDB's and PostgreSQL's TIMESTAMPTZ do (the client's default is naive UTC); CAST keeps NULL as NULL, as the SQL
#: standard and the other engines do (ClickHouse's default raises on CAST(NULL AS Float32)); an outer join's
#: unmatched side is NULL, not the column type's default (ClickHouse's default fills 0 and '', so `IS NULL` on it
#: never holds); a GROUPING SETS row's columns outside its set are NULL, not the type's default (the every-model rows
#: of the campaign summaries have model NULL). The dashboard's read-only server profile sets these itself: readonly=1
#: forbids a session to.
CLICKHOUSE_SETTINGS: dict[str, object] = {"cast_keep_nullable": 1, "join_use_nulls": 1, "group_by_use_nulls": 1}
CLICKHOUSE_CONNECT_ARGS: dict[str, object] = {"tz_mode": "aware", **CLICKHOUSE_SETTINGS}


def session_settings(
    engine_or_conn: Any, *, memory_limit: str, threads: int | None = None, insertion_order: bool | None = None
) -> list[TextClause]:
    """Which statements bound this session's memory (and engine threads, insertion-order bookkeeping) on its engine?

    Only an embedded engine needs them: DuckDB shares the process and by default takes 80% of RAM for its buffer
    pool (with a cap it spills to disk instead). A server engine manages its own memory: no statements.
    """
    if dialect_name(engine_or_conn) != DUCKDB:
        return []
    out = [text("SET memory_limit = :memory_limit").bindparams(memory_limit=memory_limit)]
    if threads is not None:
        out.append(text("SET threads = :threads").bindparams(threads=threads))
    if insertion_order is not None:
        out.append(text("SET preserve_insertion_order = :keep").bindparams(keep=insertion_order))
    return out


# --- case store (embedded SQLite by default, PostgreSQL for teams) ----------------------------

SQLITE = "sqlite"

#: How long a SQLite case-store writer waits for the lock before giving up; a dashboard save must not fail
#: because the CLI is writing at the same moment.
SQLITE_BUSY_MS = 30_000

#: Settings every SQLite case-store connection starts with: WAL lets readers go on while one process writes;
#: busy_timeout makes a second writer wait instead of failing; NORMAL sync is durable in WAL mode at far less cost.
SQLITE_CONNECT_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    f"PRAGMA busy_timeout={SQLITE_BUSY_MS}",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA foreign_keys=ON",
)

#: How a SQLite case-store transaction begins: with the write lock taken up front, so that a transaction that reads
#: then writes never deadlocks upgrading a shared lock. PostgreSQL needs nothing: row locks and the version guard do it.
SQLITE_BEGIN = "BEGIN IMMEDIATE"

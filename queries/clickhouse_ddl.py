"""How are the warehouse tables laid out on ClickHouse? Engines, sort keys, partitions and the rollups' materialized views.

Not a translation of the DuckDB/PostgreSQL DDL: the columns are `queries.schema`'s, but each table gets the MergeTree
engine its use needs. `statements()` is the DDL for one server (the embedded chDB engine or a single node);
`statements(cluster=NAME)` is the same layout for a cluster: every statement `ON CLUSTER`, each table a
Replicated*MergeTree `<name>_local` on every shard, and under the table's own name a Distributed table sharded by
account, so that every row of an account (and every re-delivery of a request) lands on one shard.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Column, Table, TextClause, text
from sqlalchemy.types import BigInteger, Boolean, DateTime, Double, Integer, TypeEngine

from queries import schema


def column_type(col: Column[object]) -> str:
    """Which ClickHouse type stores this schema column (Nullable where the column admits null)?"""
    t: TypeEngine[object] = col.type
    if isinstance(t, DateTime):
        base = "DateTime64(6, 'UTC')"  # microseconds, as DuckDB and PostgreSQL keep them; UTC as the contract says
    elif isinstance(t, BigInteger):
        base = "Int64"
    elif isinstance(t, Integer):
        base = "Int32"
    elif isinstance(t, Boolean):
        base = "Bool"
    elif isinstance(t, Double):
        base = "Float64"
    else:
        base = "String"
    return f"Nullable({base})" if col.nullable else base


@dataclass(frozen=True)
class Layout:
    """One table's physical layout: engine family, sort key, partition, what shards it on a cluster, extra clauses."""

    engine: str  # MergeTree family name without the Replicated prefix
    order_by: str
    partition_by: str | None = None
    primary_key: str | None = None
    shard_by: str = "rand()"
    indexes: tuple[str, ...] = ()
    settings: tuple[str, ...] = ()


#: Lightweight UPDATE (scoring marks a run done, a later drop fills a key's revocation, an analyst's dismissal
#: clears a stored alert) needs these table settings.
UPDATABLE = ("enable_block_number_column = 1", "enable_block_offset_column = 1")

LAYOUTS: dict[str, Layout] = {
    # Pages filter by time window, then key or account: the sort key serves both, hour first so that a window reads
    # only its granules; request_id last makes re-deliveries of a row (same ts, account, key) collapse in merges.
    # A partition per day of the row's own ts bounds the load's anti-join to the chunk's days (a re-delivered row
    # keeps its ts). The bloom filter lets that anti-join skip granules without the id.
    "requests": Layout(
        engine="ReplacingMergeTree",
        partition_by="toDate(ts)",
        order_by="(toStartOfHour(ts), account_id, api_key_id, request_id)",
        primary_key="(toStartOfHour(ts), account_id, api_key_id)",
        shard_by="cityHash64(account_id)",
        indexes=("INDEX request_id_bloom request_id TYPE bloom_filter(0.01) GRANULARITY 4",),
    ),
    "accounts": Layout(engine="ReplacingMergeTree", order_by="account_id", shard_by="cityHash64(account_id)"),
    "api_keys": Layout(engine="ReplacingMergeTree", order_by="api_key_id", shard_by="cityHash64(account_id)", settings=UPDATABLE),
    "quarantine": Layout(engine="MergeTree", order_by="(load_id, table_name)"),
    "load_log": Layout(engine="MergeTree", order_by="load_id"),
    "score_runs": Layout(engine="MergeTree", order_by="run_id", settings=UPDATABLE),
    "account_scores": Layout(engine="MergeTree", order_by="(run_id, account_id)", shard_by="cityHash64(account_id)", settings=UPDATABLE),
    "key_scores": Layout(
        engine="MergeTree", order_by="(run_id, account_id, api_key_id)", shard_by="cityHash64(account_id)", settings=UPDATABLE
    ),
    "clusters": Layout(engine="MergeTree", order_by="(run_id, cluster_id)", settings=UPDATABLE),
    "cluster_links": Layout(
        engine="MergeTree", order_by="(run_id, cluster_id, account_id)", shard_by="cityHash64(account_id)", settings=UPDATABLE
    ),
    "campaigns": Layout(engine="MergeTree", order_by="(run_id, campaign_id)", settings=UPDATABLE),
}


# --- rollups: materialized views the server keeps as rows arrive ----------------------------------------------------


@dataclass(frozen=True)
class Rollup:
    """A summary of requests kept by the server: grouping expressions and summed measures (sums and counts only,
    so that SummingMergeTree can merge partial rows in any order and a reader gets exact figures with sum())."""

    name: str
    keys: tuple[tuple[str, str, str], ...]  # (column, ClickHouse type, expression over requests)
    sums: tuple[tuple[str, str], ...]  # (column, expression over requests, summed); counts are sums of 1
    partition_by: str = "toDate(hour)"
    shard_by: str = "cityHash64(account_id)"


#: Calls and tokens per hour x key x model: what the overview and keys pages add up. Int64 measures, so that a
#: failed load can be taken back by inserting the negated sums of its rows (see queries/clickhouse_load.py).
HOURLY_KEY_MODEL = Rollup(
    name="rollup_hour_key_model",
    keys=(
        ("hour", "DateTime('UTC')", "toStartOfHour(ts)"),
        ("api_key_id", "String", "api_key_id"),
        ("account_id", "String", "account_id"),
        ("model", "String", "model"),
    ),
    sums=(
        ("calls", "1"),
        ("input_tokens", "input_tokens"),
        ("output_tokens", "output_tokens"),
        ("cot_calls", "toInt64(ifNull(cot, false))"),
    ),
)

#: Every rollup the server keeps. A rollup declared here gets its table and materialized view from `statements()`.
ROLLUPS: tuple[Rollup, ...] = (HOURLY_KEY_MODEL,)


def rollup_select(r: Rollup, *, source: str = "requests", negate: bool = False) -> str:
    """The SELECT that feeds rollup `r` from `source` (negated: what takes a set of rows back out of it)."""
    sign = "-" if negate else ""
    keys = ", ".join(f"{expr} AS {name}" for name, _, expr in r.keys)
    sums = ", ".join(f"{sign}toInt64(sum({expr})) AS {name}" for name, expr in r.sums)
    group = ", ".join(name for name, _, _ in r.keys)
    return f"SELECT {keys}, {sums} FROM {source} GROUP BY {group}"  # noqa: S608 - names from this module, no values


def rollup_read(r: Rollup) -> TextClause:
    """What rollup `r` holds, merged: one row per key with its sums (SummingMergeTree may not have merged parts yet)."""
    keys = ", ".join(name for name, _, _ in r.keys)
    sums = ", ".join(f"toInt64(sum({name})) AS {name}" for name, _ in r.sums)
    having = " OR ".join(f"{name} != 0" for name, _ in r.sums)  # drop keys a taken-back load cancelled to zero
    return text(f"SELECT {keys}, {sums} FROM {r.name} GROUP BY {keys} HAVING {having}")  # noqa: S608 - names only


def rollup_expected(r: Rollup) -> TextClause:
    """What rollup `r` should hold: the same sums computed from the requests table now."""
    return text(rollup_select(r))


# --- statements --------------------------------------------------------------------------------------------------


def _on(cluster: str | None) -> str:
    return f" ON CLUSTER {_ident(cluster)}" if cluster else ""


def _ident(name: str) -> str:
    if not name.replace("_", "").replace("-", "").isalnum():
        raise ValueError(f"{name!r} is not a plain ClickHouse identifier (letters, digits, _ and -)")
    return f"`{name}`"


def _engine(family: str, local: str, cluster: str | None) -> str:
    if not cluster:
        return f"{family}()"
    # Macros {shard} and {replica} come from each server's config, as ReplicatedMergeTree expects.
    return f"Replicated{family}('/clickhouse/tables/{{shard}}/{{database}}/{local}', '{{replica}}')"


def _create(name: str, columns: list[str], layout: Layout, cluster: str | None) -> list[str]:
    local = f"{name}_local" if cluster else name
    body = ",\n    ".join([*columns, *layout.indexes])
    parts = [f"CREATE TABLE IF NOT EXISTS {local}{_on(cluster)} (\n    {body}\n)", f"ENGINE = {_engine(layout.engine, local, cluster)}"]
    if layout.partition_by:
        parts.append(f"PARTITION BY {layout.partition_by}")
    if layout.primary_key:
        parts.append(f"PRIMARY KEY {layout.primary_key}")
    parts.append(f"ORDER BY {layout.order_by}")
    if layout.settings:
        parts.append("SETTINGS " + ", ".join(layout.settings))
    out = ["\n".join(parts)]
    if cluster:
        out.append(
            f"CREATE TABLE IF NOT EXISTS {name}{_on(cluster)} AS {local}\n"
            f"ENGINE = Distributed({_ident(cluster)}, currentDatabase(), {local}, {layout.shard_by})"
        )
    return out


def table_statements(table: Table, *, cluster: str | None = None) -> list[str]:
    """The CREATE statements of one schema table (its local and Distributed tables on a cluster)."""
    columns = [f"`{c.name}` {column_type(c)}" for c in table.columns]
    return _create(table.name, columns, LAYOUTS[table.name], cluster)


def rollup_statements(r: Rollup, *, cluster: str | None = None) -> list[str]:
    """The rollup's SummingMergeTree table and the materialized view that feeds it from every insert into requests."""
    columns = [f"`{name}` {ch_type}" for name, ch_type, _ in r.keys] + [f"`{name}` Int64" for name, _ in r.sums]
    key = "(" + ", ".join(name for name, _, _ in r.keys) + ")"
    layout = Layout(engine="SummingMergeTree", order_by=key, partition_by=r.partition_by, shard_by=r.shard_by)
    out = _create(r.name, columns, layout, cluster)
    # On a cluster the view sits beside each shard's local requests table and writes that shard's local rollup:
    # an insert through the Distributed requests table reaches one shard, whose view sums what it received.
    source, target = ("requests_local", f"{r.name}_local") if cluster else ("requests", r.name)
    out.append(f"CREATE MATERIALIZED VIEW IF NOT EXISTS {r.name}_mv{_on(cluster)} TO {target}\nAS {rollup_select(r, source=source)}")
    return out


def statements(*, cluster: str | None = None) -> list[str]:
    """Every CREATE statement of the warehouse on ClickHouse, in order (tables, then rollups and their views)."""
    out: list[str] = []
    for table in schema.metadata.sorted_tables:
        out += table_statements(table, cluster=cluster)
    for r in ROLLUPS:
        out += rollup_statements(r, cluster=cluster)
    return out


def add_missing_column(table: Table, name: str) -> TextClause:
    """Add a nullable column a warehouse made before it lacks (ClickHouse: ADD COLUMN IF NOT EXISTS, so reruns are safe)."""
    col = table.c[name]
    if not col.nullable:
        raise ValueError(f"{table.name}.{name} is NOT NULL: it cannot be added to existing rows")
    return text(f"ALTER TABLE {table.name} ADD COLUMN IF NOT EXISTS `{name}` {column_type(col)}")


def create_database(name: str) -> TextClause:
    """Create the warehouse database if missing (the embedded engine starts with `default` only)."""
    return text(f"CREATE DATABASE IF NOT EXISTS {_ident(name)}")


def script(*, cluster: str | None = None) -> str:
    """The whole DDL as one script, statements separated by `;` (what `radar schema --dialect clickhouse` prints)."""
    return ";\n\n".join(statements(cluster=cluster)) + ";\n"


def existing_columns() -> TextClause:
    """Which columns does each table of the session's database have (table_name, column_name)? ClickHouse's system.columns."""
    return text("SELECT table AS table_name, name AS column_name FROM system.columns WHERE database = currentDatabase()")

"""How are the warehouse tables laid out on ClickHouse? Engines, sort keys, partitions and the rollups' materialized views.

Not a translation of the DuckDB/PostgreSQL DDL: the columns are `queries.schema`'s, but each table gets the MergeTree
engine its use needs. `statements()` is the DDL for one server (the embedded chDB engine or a single node);
`statements(cluster=NAME)` is the same layout for a cluster: every statement `ON CLUSTER`, each table a
Replicated*MergeTree `<name>_local` on every shard, and under the table's own name a Distributed table sharded by
account, so that every row of an account (and every re-delivery of a request) lands on one shard.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Column, MetaData, Table, TextClause, text
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
#
# The rollups are the same tables on every engine (`schema.ROLLUP_TABLES`, computed by `queries.rollups`): on DuckDB
# and PostgreSQL the loader appends each chunk's aggregates; here a materialized view on requests writes them as rows
# arrive, into an AggregatingMergeTree whose measures are SimpleAggregateFunction columns (sum, or min/max for the
# first and last timestamps), so parts merge in any order and a reader's sum()/min()/max() is exact before and after.

#: The grain columns of a rollup (everything else is a measure).
ROLLUP_GRAIN = ("hour", "api_key_id", "account_id", "model")
#: Measures that merge by min or max; every other measure merges by adding.
MERGE_BY = {"first_ts": "min", "last_ts": "max"}


def _rollup_columns(rollup: Table) -> list[str]:
    out = []
    for c in rollup.columns:
        if c.name in ROLLUP_GRAIN:
            out.append(f"`{c.name}` {column_type(c)}")
        else:
            out.append(f"`{c.name}` SimpleAggregateFunction({MERGE_BY.get(c.name, 'sum')}, {column_type(c)})")
    return out


def _grain(rollup: Table) -> list[str]:
    return [c.name for c in rollup.columns if c.name in ROLLUP_GRAIN]


def rollup_select(rollup: Table, source: Table | None = None) -> str:
    """The SELECT that feeds `rollup` from `source` (default: requests), compiled for ClickHouse from the one
    definition of its aggregates (`queries.rollups.BUILDERS`), with its constants inlined (a view holds no binds)."""
    from clickhouse_connect.cc_sqlalchemy.dialect import ClickHouseDialect

    from queries import rollups  # rollups imports the load statements; imported here to keep this module light

    query = rollups.BUILDERS[rollup.name](source if source is not None else schema.requests)
    return str(query.compile(dialect=ClickHouseDialect(), compile_kwargs={"literal_binds": True}))


def rollup_read(rollup: Table) -> TextClause:
    """What `rollup` holds, merged: one row per grain (parts may not have merged yet)."""
    grain = ", ".join(_grain(rollup))
    measures = ", ".join(f"{MERGE_BY.get(c.name, 'sum')}({c.name}) AS {c.name}" for c in rollup.columns if c.name not in ROLLUP_GRAIN)
    return text(f"SELECT {grain}, {measures} FROM {rollup.name} GROUP BY {grain}")  # noqa: S608 - schema names only


def rollup_expected(rollup: Table) -> TextClause:
    """What `rollup` should hold: the same aggregates computed from the requests table now."""
    return text(rollup_select(rollup))


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


def layout_of(table: Table) -> Layout:
    """The table's physical layout: its own where declared; a run's result or summary table is ordered by run and
    the table's key columns (pages read one run's rows)."""
    if table.name in LAYOUTS:
        return LAYOUTS[table.name]
    keys = [c.name for c in table.columns if c.name == "run_id" or c.primary_key]
    order = "(" + ", ".join(dict.fromkeys(keys or [table.columns[0].name])) + ")"
    shard = "cityHash64(account_id)" if "account_id" in table.c else "rand()"
    return Layout(engine="MergeTree", order_by=order, shard_by=shard)


def table_statements(table: Table, *, cluster: str | None = None) -> list[str]:
    """The CREATE statements of one schema table (its local and Distributed tables on a cluster)."""
    columns = [f"`{c.name}` {column_type(c)}" for c in table.columns]
    return _create(table.name, columns, layout_of(table), cluster)


def rollup_statements(rollup: Table, *, cluster: str | None = None) -> list[str]:
    """The rollup's AggregatingMergeTree table and the materialized view that feeds it from every insert into requests."""
    layout = Layout(
        engine="AggregatingMergeTree",
        order_by="(" + ", ".join(_grain(rollup)) + ")",
        partition_by="toDate(hour)",
        shard_by="cityHash64(account_id)",
    )
    out = _create(rollup.name, _rollup_columns(rollup), layout, cluster)
    # On a cluster the view sits beside each shard's local requests table and writes that shard's local rollup:
    # an insert through the Distributed requests table reaches one shard, whose view aggregates what it received.
    source = schema.requests.to_metadata(MetaData(), name="requests_local") if cluster else None
    target = f"{rollup.name}_local" if cluster else rollup.name
    out.append(f"CREATE MATERIALIZED VIEW IF NOT EXISTS {rollup.name}_mv{_on(cluster)} TO {target}\nAS {rollup_select(rollup, source)}")
    return out


def statements(*, cluster: str | None = None) -> list[str]:
    """Every CREATE statement of the warehouse on ClickHouse, in order (tables, then rollups and their views)."""
    out: list[str] = []
    for table in schema.metadata.sorted_tables:
        if table not in schema.ROLLUP_TABLES:
            out += table_statements(table, cluster=cluster)
    for rollup in schema.ROLLUP_TABLES:
        out += rollup_statements(rollup, cluster=cluster)
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


def drop_database(name: str) -> TextClause:
    """Drop a warehouse database and everything in it (the bench's own database, emptied or removed after its run)."""
    return text(f"DROP DATABASE IF EXISTS {_ident(name)}")


def script(*, cluster: str | None = None) -> str:
    """The whole DDL as one script, statements separated by `;` (what `radar schema --dialect clickhouse` prints)."""
    return ";\n\n".join(statements(cluster=cluster)) + ";\n"


def existing_columns() -> TextClause:
    """Which columns does each table of the session's database have (table_name, column_name)? ClickHouse's system.columns."""
    return text("SELECT table AS table_name, name AS column_name FROM system.columns WHERE database = currentDatabase()")

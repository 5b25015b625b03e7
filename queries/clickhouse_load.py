"""What does a load say to ClickHouse? The statements of its bulk-load path: staging a chunk's keys, finding the keys
the warehouse already holds, filling revocations, and taking a failed file's rows back out.

ClickHouse has no multi-statement transactions: a chunk's new rows are visible once inserted. A file that fails
part-way is taken back by its load_id (`undo_load`): the rollups of the days it touched are recomputed without it, then
its rows are deleted. `radar/ingest/load_clickhouse.py` executes these.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, MetaData, Select, Table, TextClause, Update, column, select, table, text, update

from queries import schema
from queries.clickhouse_ddl import rollup_select

#: Session-scoped table holding one chunk's keys while the warehouse is asked which of them it already has.
KEY_STAGE = "_ingest_keys"


def create_key_stage() -> TextClause:
    """Create the session's key staging table (a temporary Memory table: gone when the session ends)."""
    return text(f"CREATE TEMPORARY TABLE IF NOT EXISTS {KEY_STAGE} (k String) ENGINE = Memory")


def clear_key_stage() -> TextClause:
    """Empty the key staging table before the next chunk's keys."""
    return text(f"TRUNCATE TABLE {KEY_STAGE}")


def known_keys(target: Table, key: str, *, ts_from: datetime | None = None, ts_to: datetime | None = None) -> Select[Any]:
    """Which of the staged keys does `target` hold already? For requests, only the chunk's days are read.

    A re-delivered request keeps its ts (it is the same gateway record), so looking in the day partitions the chunk
    covers finds every earlier copy; the partitions prune the read, so the cost follows the chunk, not the table."""
    stage = table(KEY_STAGE, column("k"))
    q = select(target.c[key]).where(target.c[key].in_(select(stage.c.k)))
    if ts_from is not None and ts_to is not None:
        q = q.where(target.c.ts >= ts_from, target.c.ts <= ts_to)
    return q.distinct()


def fill_revocation(api_key_id: str, revoked_at: datetime) -> Update:
    """Fill in the revocation time a later drop brings for a key already known; never overwrite one (lightweight UPDATE)."""
    k = schema.api_keys
    return update(k).where(k.c.api_key_id == api_key_id, k.c.revoked_at.is_(None)).values(revoked_at=revoked_at)


#: Tables a load writes rows into, each row tagged with the load_id (load_log holds one row per file, written last).
LOADED_TABLES = ("requests", "accounts", "api_keys", "quarantine")


def undo_load(load_id: str) -> list[tuple[str, dict[str, str]]]:
    """The statements (with `load_id` bound by the server as `{load_id:String}`) that take a failed file's rows back out.

    Rollups first: the days the load touched are recomputed from the requests of those days without the load's rows
    (first_ts/last_ts merge by min/max, which no negated row could cancel), then the load's rows are deleted."""
    days = "SELECT DISTINCT toDate(ts) FROM requests WHERE load_id = {load_id:String}"
    kept = Table("requests_kept", MetaData(), *[Column(c.name, c.type) for c in schema.requests.columns])
    out: list[str] = []
    for rollup in schema.ROLLUP_TABLES:
        recompute = rollup_select(rollup, kept).replace(
            "FROM `requests_kept`",
            f"FROM (SELECT * FROM requests WHERE toDate(ts) IN ({days}) AND load_id != {{load_id:String}}) AS requests_kept",
            1,
        )
        out.append(f"DELETE FROM {rollup.name} WHERE toDate(hour) IN ({days})")  # noqa: S608 - our table names
        names = ", ".join(c.name for c in rollup.columns)  # by name: INSERT ... SELECT matches columns by position
        out.append(f"INSERT INTO {rollup.name} ({names}) {recompute}")
    out += [f"DELETE FROM {name} WHERE load_id = {{load_id:String}}" for name in LOADED_TABLES]  # noqa: S608 - our table names
    return [(sql, {"load_id": load_id}) for sql in out]


def undo_run(run_id: str) -> list[tuple[str, dict[str, str]]]:
    """The statements that take a failed detection run's result rows back out (its score_runs row stays, marked failed)."""
    tables = [t.name for t in schema.RESULT_TABLES if t is not schema.score_runs]
    return [(f"DELETE FROM {name} WHERE run_id = {{run_id:String}}", {"run_id": run_id}) for name in tables]  # noqa: S608

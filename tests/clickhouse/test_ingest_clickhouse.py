"""Ingest into the embedded ClickHouse engine: the rollup the server keeps equals the same sums over requests after
loads, re-deliveries and a file that fails part-way; quarantined rows never reach it; the dashboard's engine
refuses every write and cannot lift its own read-only setting."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from sqlalchemy import Engine, Table, insert, text
from sqlalchemy.exc import DBAPIError

from queries import clickhouse_ddl, schema
from radar.ingest import ingest_paths, load_clickhouse
from radar.warehouse import ensure_schema, open_engine
from tests.ingest import drop
from tests.ingest.helpers import count


def _rollup(engine: Engine, rollup: Table = schema.rollup_key_hours) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The rollup as the server keeps it, and the same aggregates computed from requests now (both sorted)."""
    with engine.connect() as conn:
        kept, expected = (conn.execute(q).all() for q in (clickhouse_ddl.rollup_read(rollup), clickhouse_ddl.rollup_expected(rollup)))
    cols = [c.name for c in rollup.columns]
    grain = [c for c in cols if c in clickhouse_ddl.ROLLUP_GRAIN]

    def as_frame(rows: list[object]) -> pl.DataFrame:
        return pl.DataFrame([tuple(x) for x in rows], schema=cols, orient="row").sort(grain)  # type: ignore[arg-type]

    return as_frame(kept), as_frame(expected)


def test_rollup_follows_loads_and_ignores_redelivery_and_quarantine(clickhouse_url: str, tmp_path: Path) -> None:
    engine = open_engine(clickhouse_url)
    rows = drop.request_rows(120)
    rows[5]["output_tokens"] = -3  # quarantined: must not reach the rollup
    drop.write(rows, tmp_path / "d1" / "requests-a.jsonl")
    drop.write(rows[100:] + drop.request_rows(10, prefix="late"), tmp_path / "d2" / "requests-b.parquet")
    first = ingest_paths([tmp_path / "d1"], engine, chunk_rows=25)
    assert (first.rows_loaded, first.rows_quarantined) == (119, 1)
    second = ingest_paths([tmp_path / "d1", tmp_path / "d2"], engine, chunk_rows=25)  # d1 again (same bytes), d2 overlaps
    assert (second.rows_loaded, second.rows_duplicate) == (10, 119 + 20)
    for rollup in schema.ROLLUP_TABLES:
        kept, expected = _rollup(engine, rollup)
        assert kept.equals(expected), rollup.name
        assert int(kept["calls"].sum()) == count(engine, schema.requests) == 129
    engine.dispose()


def test_a_file_that_fails_part_way_leaves_neither_rows_nor_rollup_sums(
    clickhouse_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = open_engine(clickhouse_url)
    inserted: dict[str, int] = {}
    real_insert = load_clickhouse.insert_new

    def counting_insert(conn: Any, target: Any, frame: pl.DataFrame, key: str) -> int:
        n = real_insert(conn, target, frame, key)  # the real insert; only the count is noted
        for load_id in frame.get_column("load_id").unique().to_list():
            inserted[load_id] = inserted.get(load_id, 0) + n
        return n

    monkeypatch.setattr(load_clickhouse, "insert_new", counting_insert)
    drop.write(drop.request_rows(30, prefix="ok"), tmp_path / "d" / "requests-ok.jsonl")
    # Whole chunks of valid rows load before the stream breaks: they are in the warehouse until the file fails.
    lines = drop.request_rows(3000, prefix="cut")
    whole = tmp_path / "whole.jsonl"
    drop.write(lines, whole)
    packed = gzip.compress(whole.read_bytes())
    (tmp_path / "d" / "requests-cut.jsonl.gz").write_bytes(packed[: len(packed) * 3 // 4])
    s = ingest_paths([tmp_path / "d"], engine, chunk_rows=200)
    assert (s.files_loaded, s.files_failed, s.rows_loaded) == (1, 1, 30)
    assert sorted(inserted.values())[-1] >= 1000  # the cut file's first chunks were stored before it failed
    assert count(engine, schema.requests) == 30 and count(engine, schema.quarantine) == 0
    for rollup in schema.ROLLUP_TABLES:
        kept, expected = _rollup(engine, rollup)
        assert kept.equals(expected) and int(kept["calls"].sum()) == 30, rollup.name
    engine.dispose()


def test_the_dashboard_engine_refuses_writes_and_keeps_readonly(clickhouse_url: str) -> None:
    ensure_schema(open_engine(clickhouse_url))
    reader = open_engine(clickhouse_url, read_only=True)
    attempts = [
        insert(schema.load_log).values(
            load_id="x", source_file="f", table_name="requests", format="csv", started_at=drop.T0, status="loaded"
        ),
        text("CREATE TABLE stolen (a Int8) ENGINE = Memory"),
        text("SET readonly = 0"),
        text("SELECT * FROM file('/etc/hostname', 'LineAsString')"),
    ]
    for stmt in attempts:
        with pytest.raises(DBAPIError, match="readonly"), reader.connect() as conn:
            conn.execute(stmt)
    with reader.connect() as conn:
        assert conn.execute(text("SELECT count() FROM load_log")).scalar() == 0
    reader.dispose()


def test_a_missing_embedded_warehouse_says_what_to_do(tmp_path: Path, clickhouse_folder: Path) -> None:
    from radar.warehouse import WarehouseError

    with pytest.raises(WarehouseError, match="radar ingest"):
        open_engine(f"clickhousedb+chdb:///{clickhouse_folder}?database=never_made", read_only=True).connect()


def test_a_second_embedded_folder_in_one_process_says_why(tmp_path: Path, clickhouse_url: str) -> None:
    from radar.warehouse import WarehouseError

    engine = open_engine(clickhouse_url)  # this process's folder is open
    with engine.connect(), pytest.raises(WarehouseError, match="one folder per process"):
        open_engine(f"clickhousedb+chdb:///{tmp_path / 'other'}?database=x")
    engine.dispose()

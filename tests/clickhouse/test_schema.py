"""The ClickHouse layout: what `radar schema --dialect clickhouse` prints for one server and for a cluster, and what
ensure_schema makes on the embedded engine (engines, sort keys, partitions, the rollup's view, added columns)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import insert, select, text

from queries import clickhouse_ddl, schema
from radar.cli import main
from radar.warehouse import ensure_schema, open_engine
from tests.ingest import drop


def test_single_server_ddl_has_every_table_and_the_rollup_view() -> None:
    sql = clickhouse_ddl.script()
    for table in schema.metadata.sorted_tables:
        assert f"CREATE TABLE IF NOT EXISTS {table.name} (" in sql
    assert "ON CLUSTER" not in sql and "Distributed" not in sql and "Replicated" not in sql
    requests = next(s for s in clickhouse_ddl.statements() if s.startswith("CREATE TABLE IF NOT EXISTS requests ("))
    assert "ENGINE = ReplacingMergeTree()" in requests and "PARTITION BY toDate(ts)" in requests
    assert "ORDER BY (toStartOfHour(ts), account_id, api_key_id, request_id)" in requests
    for rollup in schema.ROLLUP_TABLES:
        assert f"CREATE MATERIALIZED VIEW IF NOT EXISTS {rollup.name}_mv TO {rollup.name}\nAS SELECT" in sql
    assert "ENGINE = AggregatingMergeTree()" in sql and "SimpleAggregateFunction(min, DateTime64(6, 'UTC'))" in sql


def test_cluster_ddl_replicates_shards_and_distributes_by_account(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "--dialect", "clickhouse", "--cluster", "soc"]) == 0
    sql = capsys.readouterr().out
    statements = [s for s in sql.split(";\n") if s.strip()]
    assert statements and all(" ON CLUSTER `soc`" in s for s in statements)
    assert "ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/requests_local', '{replica}')" in sql
    assert "ENGINE = Distributed(`soc`, currentDatabase(), requests_local, cityHash64(account_id))" in sql
    assert "ENGINE = ReplicatedAggregatingMergeTree('/clickhouse/tables/{shard}/{database}/rollup_key_hours_local'" in sql
    assert "TO rollup_key_hours_local\nAS SELECT" in sql and "FROM `requests_local` GROUP BY" in sql


def test_a_cluster_name_that_is_not_an_identifier_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "--dialect", "clickhouse", "--cluster", "soc; DROP TABLE requests"]) == 2
    err = capsys.readouterr()
    assert "not a plain ClickHouse identifier" in err.err and err.out == ""


def test_ensure_schema_makes_the_layout_and_keeps_data(clickhouse_url: str) -> None:
    engine = open_engine(clickhouse_url)
    ensure_schema(engine)
    row = drop.request_rows(1)[0] | {"ts": datetime(2026, 2, 1, tzinfo=UTC), "load_id": "L"}
    with engine.begin() as conn:
        conn.execute(insert(schema.requests), [{k: v for k, v in row.items() if k in schema.requests.c}])
    ensure_schema(engine)  # a second time: nothing lost, nothing doubled
    with engine.connect() as conn:
        tables = dict(conn.execute(text("SELECT name, engine FROM system.tables WHERE database = currentDatabase()")).all())
        keys = conn.execute(
            text("SELECT partition_key, sorting_key FROM system.tables WHERE database = currentDatabase() AND name = 'requests'")
        ).one()
        n = conn.execute(select(schema.requests.c.request_id)).all()
    assert tables["requests"] == "ReplacingMergeTree" and tables["rollup_key_hours"] == "AggregatingMergeTree"
    assert tables["rollup_key_hours_mv"] == "MaterializedView" and tables["load_log"] == "MergeTree"
    assert keys == ("toDate(ts)", "toStartOfHour(ts), account_id, api_key_id, request_id")
    assert len(n) == 1
    engine.dispose()


def test_an_older_warehouse_gains_the_new_columns(clickhouse_url: str) -> None:
    engine = open_engine(clickhouse_url)
    ensure_schema(engine)
    with engine.begin() as conn:  # the warehouse as made before prompt_truncated and text_replaced existed
        for name in ("prompt_truncated", "text_replaced"):
            conn.execute(text(f"ALTER TABLE requests DROP COLUMN {name}"))
        row = drop.request_rows(1, prefix="old")[0] | {"ts": datetime(2026, 2, 1, tzinfo=UTC), "load_id": "before"}
        conn.execute(
            text(
                "INSERT INTO requests (request_id, ts, account_id, api_key_id, client_ip, model, operation, "
                "input_tokens, output_tokens, status, load_id) VALUES (:request_id, :ts, :account_id, :api_key_id, "
                ":client_ip, :model, :operation, :input_tokens, :output_tokens, :status, :load_id)"
            ),
            {
                k: row[k]
                for k in (
                    "request_id",
                    "ts",
                    "account_id",
                    "api_key_id",
                    "client_ip",
                    "model",
                    "operation",
                    "input_tokens",
                    "output_tokens",
                    "status",
                    "load_id",
                )
            },
        )
    ensure_schema(engine)
    r = schema.requests
    with engine.connect() as conn:
        got = conn.execute(select(r.c.request_id, r.c.prompt_truncated, r.c.text_replaced)).all()
    assert got == [("old-000000", None, None)]
    engine.dispose()

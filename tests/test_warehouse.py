"""The warehouse schema, its engine differences and the page executor, on DuckDB and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, insert, inspect, select
from sqlalchemy.exc import DBAPIError, IntegrityError

from queries import dialect, schema
from queries.run import run_page
from radar.warehouse import WarehouseError, ensure_schema, open_engine, tune_session


def _row(i: int, ts: datetime) -> dict[str, object]:
    return {
        "request_id": f"r{i}",
        "ts": ts,
        "account_id": "a1",
        "api_key_id": "k1",
        "client_ip": "10.0.0.1",
        "model": "m",
        "operation": "chat",
        "input_tokens": 10 * i,
        "output_tokens": 5,
        "status": 200,
        "load_id": "L",
    }


def test_schema_and_executor(warehouse_url: str) -> None:
    eng = open_engine(warehouse_url)
    ensure_schema(eng)
    ensure_schema(eng)  # idempotent
    t0 = datetime(2026, 2, 1, 10, 15, tzinfo=UTC)
    with eng.begin() as c:
        c.execute(insert(schema.requests), [_row(i, t0.replace(minute=i)) for i in range(1, 6)])
    r = schema.requests
    stmt = select(
        dialect.trunc_hour(r.c.ts).label("hour"),
        func.count().label("calls"),
        dialect.quantile(r.c.input_tokens, 0.5).label("p50"),
        dialect.hour_of_day(r.c.ts).label("hod"),
        func.max(dialect.epoch_s(r.c.ts)).label("last"),
    ).group_by("hour", "hod")
    res = run_page(eng, stmt)
    assert not res.truncated
    assert res.frame["calls"].to_list() == [5]
    assert res.frame["p50"].to_list() == [30.0]
    assert res.frame["hod"].to_list() == [10]
    assert res.frame["last"].to_list() == [t0.replace(minute=5).timestamp()]
    capped = run_page(eng, select(r.c.request_id).order_by(r.c.request_id), row_cap=3)
    assert capped.truncated and capped.frame.height == 3


def test_read_only_engine_refuses_writes(warehouse_url: str) -> None:
    ensure_schema(open_engine(warehouse_url))
    ro = open_engine(warehouse_url, read_only=True)
    with pytest.raises(DBAPIError), ro.begin() as c:
        c.execute(insert(schema.requests), [_row(1, datetime(2026, 2, 1, tzinfo=UTC))])


def test_missing_duckdb_file_says_what_to_do(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(WarehouseError, match="radar ingest"):
        open_engine(f"duckdb:///{tmp_path / 'none.duckdb'}", read_only=True)


def test_request_id_index_only_where_uniqueness_is_indexed(warehouse_url: str) -> None:
    eng = open_engine(warehouse_url)
    ensure_schema(eng)
    twice = [_row(1, datetime(2026, 2, 1, tzinfo=UTC)), _row(1, datetime(2026, 2, 2, tzinfo=UTC))]
    if dialect.dialect_name(eng) in dialect.UNIQUE_REQUEST_INDEX:
        assert schema.REQUEST_ID_INDEX.name in {ix["name"] for ix in inspect(eng).get_indexes("requests")}
        with pytest.raises(IntegrityError), eng.begin() as c:
            c.execute(insert(schema.requests), twice)
    else:
        # no index (ingest de-duplicates with an anti-join): the table itself takes a repeated request_id
        with eng.begin() as c:
            c.execute(insert(schema.requests), twice)
        with eng.connect() as c:
            assert c.execute(select(func.count()).select_from(schema.requests)).scalar() == 2


def test_tune_session_bounds_the_embedded_engine_only(warehouse_url: str) -> None:
    eng = open_engine(warehouse_url)
    embedded = dialect.dialect_name(eng) == dialect.DUCKDB
    assert bool(dialect.session_settings(eng, memory_limit="300MB", threads=1, insertion_order=False)) is embedded
    with eng.connect() as c:
        tune_session(c, memory_limit="300MB", threads=1, insertion_order=False)
        if embedded:
            got = c.execute(
                select(
                    func.current_setting("memory_limit"), func.current_setting("threads"), func.current_setting("preserve_insertion_order")
                )
            ).one()
            assert got == ("286.1 MiB", 1, False)  # DuckDB reports 300 MB in MiB

"""Every encoding loads completely, on DuckDB and PostgreSQL; tables come from file or folder names; extra columns are ignored."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from queries import schema
from radar.ingest import ingest_paths
from radar.warehouse import open_engine
from tests.ingest import drop
from tests.ingest.helpers import count, frame

ENCODINGS = ["requests-01.parquet", "requests-01.jsonl", "requests-01.jsonl.gz", "requests-01.csv"]


@pytest.mark.parametrize("name", ENCODINGS)
def test_each_encoding_loads_every_row_with_types_and_enrichment(warehouse_url: str, tmp_path: Path, name: str) -> None:
    rows = drop.request_rows(60)
    drop.write(rows, tmp_path / "drop" / name)
    engine = open_engine(warehouse_url)
    s = ingest_paths([tmp_path / "drop"], engine)
    assert s.ok and (s.files_loaded, s.rows_loaded, s.rows_quarantined, s.rows_duplicate) == (1, 60, 0, 0)
    got = frame(engine, schema.requests).sort("request_id")
    assert got.height == 60
    first = got.row(0, named=True)
    assert first["request_id"] == "req-000000"
    assert first["ts"].astimezone(UTC) == datetime(2026, 2, 3, 9, 0, tzinfo=UTC)
    assert first["client_ip"] == "2001:db8:0:1::1" and first["ip_prefix"] == "2001:db8::/48"
    second = got.row(1, named=True)
    assert second["ip_prefix"] == "198.51.1.0/24" and second["input_tokens"] == rows[1]["input_tokens"]
    assert second["has_image"] is False and second["turn"] == 1 and second["asn"] == 64501
    # rows 0 and 6, 12, ... carry no prompt: content features are null, the row still loads
    assert got.filter(got["prompt"].is_null()).height == 10
    assert got.filter(got["prompt"].is_null())["template_fp"].null_count() == 10
    assert got.filter(got["prompt"].is_not_null())["template_fp"].null_count() == 0
    assert set(got["capability"].drop_nulls()) <= {"reasoning", "coding", "rubric", "writing"}
    assert "gateway_region" not in got.columns


def test_accounts_keys_and_folder_named_tables_in_any_order(warehouse_url: str, tmp_path: Path) -> None:
    # requests first in name order, and in a folder named for their table
    d = tmp_path / "drop"
    drop.write(drop.request_rows(30), d / "a" / "requests" / "part-0.parquet")
    drop.write(drop.account_rows(5), d / "b" / "accounts-1.csv")
    drop.write(drop.key_rows(4), d / "c" / "api_keys" / "x.jsonl")
    (d / "truth.csv").write_text("account_id,campaign\nacct-1,a\n")
    engine = open_engine(warehouse_url)
    s = ingest_paths([d], engine)
    assert s.ok and s.files_loaded == 3 and s.files_skipped == 1
    assert any("truth.csv" in n and "belongs to no table" in n for n in s.notices)
    assert (count(engine, schema.requests), count(engine, schema.accounts), count(engine, schema.api_keys)) == (30, 5, 4)
    acc = frame(engine, schema.accounts).sort("account_id")
    assert acc["signup_prefix"].to_list() == [
        "2001:db8:ff0::/48",
        "203.0.113.0/24",
        "2001:db8:ff2::/48",
        "203.0.113.0/24",
        "2001:db8:ff4::/48",
    ]


def test_otlp_spans_recognised_by_content_and_mapped(warehouse_url: str, tmp_path: Path) -> None:
    rows = drop.request_rows(9)
    drop.write_otlp(rows, tmp_path / "drop" / "export-2026-02-03.json", per_line=3, drop_in={4: ("user.id",)})
    engine = open_engine(warehouse_url)
    s = ingest_paths([tmp_path / "drop"], engine)
    assert s.ok and (s.rows_loaded, s.rows_quarantined) == (8, 1)
    got = frame(engine, schema.requests).sort("request_id")
    r0 = got.row(0, named=True)
    assert r0["request_id"] == "req-000000" and r0["account_id"] == "acct-0" and r0["api_key_id"] == "key-0"
    assert r0["ts"].astimezone(UTC) == datetime(2026, 2, 3, 9, 0, tzinfo=UTC)
    assert r0["latency_ms"] == rows[0]["latency_ms"] and r0["asn"] == 64500 and r0["finish_reason"] == "stop"
    assert r0["input_tokens"] == rows[0]["input_tokens"] and r0["conversation_id"] == "conv-0" and r0["status"] == 200
    # the fifth span lacks user.id: quarantined with the reason, at its span index
    from tests.ingest.helpers import quarantine

    assert quarantine(engine) == [(5, "missing account_id")]

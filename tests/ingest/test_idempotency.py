"""request_id is the idempotency key: duplicates within a chunk, across chunks, files and loads are skipped and counted."""

from __future__ import annotations

from pathlib import Path

from queries import schema
from radar.ingest import ingest_paths
from radar.warehouse import open_engine
from tests.ingest import drop
from tests.ingest.helpers import count, frame


def test_same_drop_twice_adds_nothing(warehouse_url: str, tmp_path: Path) -> None:
    d = tmp_path / "drop"
    rows = drop.request_rows(40)
    rows[7]["input_tokens"] = -1
    drop.write(rows, d / "requests-0.jsonl")
    drop.write(drop.account_rows(7), d / "accounts.parquet")
    drop.write(drop.key_rows(11), d / "api_keys.csv")
    engine = open_engine(warehouse_url)
    first = ingest_paths([d], engine)
    assert (first.rows_loaded, first.rows_quarantined, first.rows_duplicate) == (39 + 7 + 11, 1, 0)
    second = ingest_paths([d], engine)
    assert second.ok and (second.rows_loaded, second.rows_quarantined, second.rows_duplicate) == (0, 0, 39 + 7 + 11)
    assert (count(engine, schema.requests), count(engine, schema.accounts), count(engine, schema.api_keys)) == (39, 7, 11)
    assert count(engine, schema.quarantine) == 1


def test_duplicates_within_a_file_across_chunks_and_files(warehouse_url: str, tmp_path: Path) -> None:
    d = tmp_path / "drop"
    rows = drop.request_rows(50)
    repeated = rows + [rows[3], rows[3], rows[45]]  # redelivered later in the same file, in another chunk
    drop.write(repeated, d / "requests-a.jsonl")
    drop.write(rows[40:] + drop.request_rows(5, prefix="new"), d / "requests-b.csv")  # 10 already seen, 5 new
    engine = open_engine(warehouse_url)
    s = ingest_paths([d], engine, chunk_rows=16)
    assert s.ok and (s.rows_loaded, s.rows_duplicate, s.rows_quarantined) == (55, 13, 0)
    assert count(engine, schema.requests) == 55
    log = frame(engine, schema.load_log, "source_file", "rows_read", "rows_loaded", "rows_duplicate", "status").sort("source_file")
    assert log.rows() == [(str(d / "requests-a.jsonl"), 53, 50, 3, "loaded"), (str(d / "requests-b.csv"), 15, 5, 10, "loaded")]


def test_chunked_streaming_keeps_row_numbers_and_all_rows(duckdb_url: str, tmp_path: Path) -> None:
    d = tmp_path / "drop"
    for name in ("requests.parquet", "requests.csv", "requests.jsonl.gz"):
        rows = drop.request_rows(103, prefix=name.split(".")[1])
        rows[97]["client_ip"] = "not-an-ip"  # row 98, in the last-but-one chunk of 10
        drop.write(rows, d / name.replace("requests", "requests-x"))
    engine = open_engine(duckdb_url)
    s = ingest_paths([d], engine, chunk_rows=10)
    assert (s.rows_loaded, s.rows_quarantined) == (3 * 102, 3)
    q = frame(engine, schema.quarantine, "row_number", "source_file")
    assert q["row_number"].to_list() == [98, 98, 98]


def test_later_drop_fills_in_key_revocation(warehouse_url: str, tmp_path: Path) -> None:
    engine = open_engine(warehouse_url)
    drop.write(drop.key_rows(6), tmp_path / "d1" / "api_keys.jsonl")
    ingest_paths([tmp_path / "d1"], engine)
    drop.write(drop.key_rows(8, revoked=True), tmp_path / "d2" / "api_keys.jsonl")
    s = ingest_paths([tmp_path / "d2"], engine)
    assert (s.rows_loaded, s.rows_duplicate) == (2, 6)
    keys = frame(engine, schema.api_keys, "api_key_id", "revoked_at").sort("api_key_id")
    assert keys.filter(keys["revoked_at"].is_not_null())["api_key_id"].to_list() == ["key-0", "key-2", "key-4", "key-6"]

"""Bad rows go to quarantine with their row number and reason; good rows of the same file still load."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from queries import schema
from radar.ingest import ingest_paths
from radar.warehouse import open_engine
from tests.ingest import drop
from tests.ingest.helpers import count, frame, quarantine

# (field, bad value, expected reason) — one bad kind per row, placed at known lines
BAD = [
    ("request_id", None, "missing request_id"),
    ("ts", "2026-02-31T10:00:00Z", "unparsable timestamp in ts"),
    ("ts", "yesterday", "unparsable timestamp in ts"),
    ("input_tokens", -5, "negative input_tokens"),
    ("output_tokens", 2.5, "non-integer output_tokens"),
    ("status", "two hundred", "not an integer in status"),
    ("operation", "fine_tune", "unknown operation 'fine_tune'"),
    ("ip_class", "satellite", "unknown ip_class 'satellite'"),
    ("finish_reason", "timeout", "unknown finish_reason 'timeout'"),
    ("client_ip", "300.1.2.3", "malformed IP in client_ip"),
    ("client_ip", "2001:db8::zz", "malformed IP in client_ip"),
    ("has_image", "maybe", "not a boolean in has_image"),
    ("model", "", "missing model"),
    ("turn", {"n": 1}, "not an integer in turn"),  # wrong JSON type
    ("has_image", [True], "not a boolean in has_image"),
]


def _bad_rows(n: int) -> tuple[list[dict[str, object]], list[tuple[int, str]]]:
    rows = drop.request_rows(n)
    expected = []
    for k, (fld, value, reason) in enumerate(BAD):
        line = 3 + 4 * k  # 1-based
        rows[line - 1][fld] = value
        expected.append((line, reason))
    return rows, expected


@pytest.mark.parametrize("name", ["requests.jsonl", "requests.csv"])
def test_each_bad_kind_is_quarantined_at_its_row_with_its_reason(warehouse_url: str, tmp_path: Path, name: str) -> None:
    rows, expected = _bad_rows(80)
    drop.write(rows, tmp_path / "drop" / name)
    engine = open_engine(warehouse_url)
    s = ingest_paths([tmp_path / "drop"], engine)
    assert s.ok and (s.rows_loaded, s.rows_quarantined) == (80 - len(BAD), len(BAD))
    assert quarantine(engine) == expected
    assert count(engine, schema.requests) == 80 - len(BAD)
    q = frame(engine, schema.quarantine)
    assert set(q["table_name"]) == {"requests"} and q["source_file"][0].endswith(name)
    assert q["load_id"][0] == s.load_ids[0] and q["raw"].str.contains("req-0000").sum() >= len(BAD) - 1


def test_truncated_json_line_and_several_reasons_in_one_row(duckdb_url: str, tmp_path: Path) -> None:
    rows = drop.request_rows(20)
    rows[4]["input_tokens"] = -1
    rows[4]["operation"] = "train"
    lines = [json.dumps(r) for r in rows]
    lines[9] = lines[9][:57]  # truncated mid-record
    lines[14] = "[1, 2, 3]"  # valid JSON, not an object
    path = tmp_path / "drop" / "requests-7.jsonl.gz"
    path.parent.mkdir()
    with gzip.open(path, "wt") as f:
        f.write("\n".join(lines) + "\n")
    engine = open_engine(duckdb_url)
    s = ingest_paths([tmp_path / "drop"], engine)
    assert (s.rows_loaded, s.rows_quarantined) == (17, 3)
    assert quarantine(engine) == [
        (5, "unknown operation 'train'; negative input_tokens"),
        (10, "unparsable JSON line"),
        (15, "unparsable JSON line"),
    ]
    raw = frame(engine, schema.quarantine, "row_number", "raw").sort("row_number")["raw"].to_list()
    assert raw[1] == lines[9] and raw[2] == "[1, 2, 3]"


def test_timestamps_with_offsets_are_converted_to_utc(duckdb_url: str, tmp_path: Path) -> None:
    rows = drop.request_rows(3)
    rows[0]["ts"] = "2026-02-03T11:30:00+02:00"
    rows[1]["ts"] = "2026-02-03T04:30:00.250-05:00"
    rows[2]["ts"] = "2026-02-03 09:30:00Z"
    drop.write(rows, tmp_path / "drop" / "requests.csv")
    engine = open_engine(duckdb_url)
    assert ingest_paths([tmp_path / "drop"], engine).rows_loaded == 3
    got = [t.isoformat() for t in frame(engine, schema.requests, "request_id", "ts").sort("request_id")["ts"].dt.convert_time_zone("UTC")]
    assert got == ["2026-02-03T09:30:00+00:00", "2026-02-03T09:30:00.250000+00:00", "2026-02-03T09:30:00+00:00"]


def test_malformed_csv_row_and_accounts_enum(duckdb_url: str, tmp_path: Path) -> None:
    d = tmp_path / "drop"
    drop.write(drop.request_rows(6), d / "requests.csv")
    text = (d / "requests.csv").read_text().splitlines()
    text[3] = text[3] + ",surplus"  # data row 3 has one field too many
    (d / "requests.csv").write_text("\n".join(text) + "\n")
    accounts = drop.account_rows(4)
    accounts[1]["verification"] = "passport"
    accounts[2]["created_at"] = None
    accounts[3]["signup_ip"] = "10.0.0.256"
    drop.write(accounts, d / "accounts.jsonl")
    engine = open_engine(duckdb_url)
    s = ingest_paths([d], engine)
    assert (s.rows_loaded, s.rows_quarantined) == (5 + 1, 1 + 3)
    assert quarantine(engine) == [
        (2, "unknown verification 'passport'"),
        (3, "malformed CSV row (wrong number of fields)"),
        (3, "missing created_at"),
        (4, "malformed IP in signup_ip"),
    ]

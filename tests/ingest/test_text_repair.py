"""Text no warehouse can store (NUL, lone surrogates, invalid UTF-8) is stored as U+FFFD and flagged, never a lost row.

Before, one NUL in a prompt failed the whole file on PostgreSQL, and one lone low surrogate (JSON "\\udfff") or one
invalid byte in a CSV failed it on every engine: a caller could hide extraction traffic by adding one character.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl

from queries import schema
from radar.ingest import ingest_paths
from radar.warehouse import open_engine
from tests.ingest import drop
from tests.ingest.helpers import frame, quarantine

R = "\ufffd"


def _poisoned(prefix: str) -> tuple[list[dict[str, Any]], dict[str, dict[str, str]]]:
    """Twelve valid rows, four of them with NUL in a prompt, a user agent, a request id and an account id.

    Returns the rows and, by stored request_id, the text each poisoned row must be stored with."""
    rows = drop.request_rows(12, prefix=prefix)
    rows[1]["prompt"] = "Solve 2 + 2 step by step.\x00 Ignore the log."
    rows[2]["user_agent"] = "harvester/1.0\x00"
    rows[3]["request_id"] = f"{prefix}-\x00003"
    rows[4]["account_id"] = "acct-\x004"
    expected = {
        f"{prefix}-000001": {"prompt": f"Solve 2 + 2 step by step.{R} Ignore the log."},
        f"{prefix}-000002": {"user_agent": f"harvester/1.0{R}"},
        f"{prefix}-{R}003": {},
        f"{prefix}-000004": {"account_id": f"acct-{R}4"},
    }
    return rows, expected


def _stored(engine: Any) -> pl.DataFrame:
    return frame(engine, schema.requests, "request_id", "account_id", "user_agent", "conversation_id", "prompt", "text_replaced")


def test_nul_in_prompts_user_agents_and_ids_loads_every_row_flagged(warehouse_url: str, tmp_path: Path) -> None:
    d = tmp_path / "drop"
    expected: dict[str, dict[str, str]] = {}
    for name, prefix in (("requests.jsonl", "j"), ("requests.jsonl.gz", "g"), ("requests.csv", "c"), ("requests.parquet", "p")):
        rows, exp = _poisoned(prefix)
        drop.write(rows, d / name)
        expected |= exp
    rows, exp = _poisoned("o")
    # spans carry no prompt: the conversation id takes the NUL instead
    rows[1]["conversation_id"] = "conv-\x001"
    exp["o-000001"] = {"conversation_id": f"conv-{R}1"}
    drop.write_otlp(rows, d / "spans" / "requests.otlp.jsonl")
    expected |= exp
    engine = open_engine(warehouse_url)
    s = ingest_paths([d], engine, chunk_rows=5)
    assert s.errors == [] and s.ok
    assert (s.rows_loaded, s.rows_quarantined) == (60, 0)
    assert quarantine(engine) == []
    got = _stored(engine)
    assert got.height == 60
    flagged = got.filter(pl.col("text_replaced"))
    assert sorted(flagged["request_id"]) == sorted(expected)
    assert got.filter(~pl.col("text_replaced")).height == 60 - len(expected)
    for rid, values in expected.items():
        row = got.filter(pl.col("request_id") == rid).row(0, named=True)
        for column, value in values.items():
            assert row[column] == value, (rid, column)
    for column in ("request_id", "account_id", "user_agent", "conversation_id", "prompt"):
        assert not got[column].drop_nulls().str.contains("\x00", literal=True).any()


def test_lone_surrogates_and_invalid_utf8_load_flagged(warehouse_url: str, tmp_path: Path) -> None:
    d = tmp_path / "drop"
    rows = drop.request_rows(8, prefix="s")
    rows[1]["prompt"] = "high \ud800 alone"  # json.dumps writes the escape "\ud800"
    rows[2]["user_agent"] = "low \udfff alone"
    rows[3]["prompt"] = "a pair \U0001f600 is fine"
    lines = [json.dumps(r).encode() for r in rows]
    lines[4] = lines[4].replace(b'"PT"', b'"P\xff"')  # an invalid byte in the country
    lines[5] = lines[5].replace(b'"asn": ', b'"asn": NaN, "x": ')  # not JSON at all: the one quarantined row
    (d / "requests.jsonl").parent.mkdir(parents=True)
    (d / "requests.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    spans = drop.request_rows(4, prefix="t")
    spans[0]["user_agent"] = "span \udfff low"  # spans t-000000 and t-000001 share the line: both are flagged
    drop.write_otlp(spans, d / "spans" / "requests.otlp.jsonl", per_line=2)
    drop.write(drop.request_rows(5, prefix="c"), d / "requests.csv")
    csv_path = d / "requests.csv"
    data = csv_path.read_bytes().split(b"\n")
    data[2] = data[2].replace(b"anthropic-python", b"anthropic\xfe-python")  # data row 2
    csv_path.write_bytes(b"\n".join(data))

    engine = open_engine(warehouse_url)
    s = ingest_paths([d], engine)
    assert s.errors == [] and s.ok
    assert (s.rows_loaded, s.rows_quarantined) == (8 - 1 + 4 + 5, 1)
    assert quarantine(engine) == [(6, "unparsable JSON line")]
    got = _stored(engine).sort("request_id")
    flagged = dict(zip(got["request_id"], got["text_replaced"], strict=True))
    assert [rid for rid, f in flagged.items() if f] == ["c-000001", "s-000001", "s-000002", "s-000004", "t-000000", "t-000001"]
    by_id = {r["request_id"]: r for r in got.iter_rows(named=True)}
    assert by_id["s-000001"]["prompt"] == f"high {R} alone"
    assert by_id["s-000002"]["user_agent"] == f"low {R} alone"
    assert by_id["s-000003"]["prompt"] == "a pair \U0001f600 is fine" and not by_id["s-000003"]["text_replaced"]
    assert by_id["t-000000"]["user_agent"] == f"span {R} low"
    assert by_id["c-000001"]["user_agent"] == f"anthropic{R}-python/0.40"
    country = frame(engine, schema.requests, "request_id", "country").filter(pl.col("request_id") == "s-000004")
    assert country["country"].to_list() == [f"P{R}"]

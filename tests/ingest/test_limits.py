"""Ingest memory follows the limits, not the file: chunks end at a byte budget as well as a row count, prompts are
stored cut to a maximum length (flagged, full length kept), and an older warehouse gains the new columns at ingest."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from sqlalchemy import Column, MetaData, Table, insert

from queries import schema
from radar.cli import main
from radar.ingest import csvfile, ingest_paths
from radar.ingest.discover import classify
from radar.ingest.limits import Limits
from radar.ingest.readers import read_chunks
from radar.warehouse import open_engine
from tests.ingest import drop
from tests.ingest.helpers import count, frame, quarantine

ENCODINGS = ("requests.jsonl", "requests.jsonl.gz", "requests.csv", "requests.parquet", "requests.otlp.jsonl")


def _wide_rows(n: int, prefix: str, prompt_bytes: int = 1000) -> list[dict[str, Any]]:
    """n valid rows whose prompt (and, for spans, user agent) is about prompt_bytes long."""
    rows = drop.request_rows(n, prefix=prefix)
    for i, r in enumerate(rows):
        r["prompt"] = f"{i} " + "extract the reasoning " * (prompt_bytes // 22)
        r["user_agent"] = r["prompt"]  # spans carry no prompt: the user agent makes them as wide
    return rows


def _write(rows: list[dict[str, Any]], path: Path) -> Path:
    return drop.write_otlp(rows, path, per_line=1) if path.name.endswith("otlp.jsonl") else drop.write(rows, path)


@pytest.mark.parametrize("name", ENCODINGS)
def test_every_reader_cuts_chunks_by_bytes_as_well_as_rows(name: str, tmp_path: Path) -> None:
    path = _write(_wide_rows(200, "w"), tmp_path / name)
    src = classify(path)
    assert src is not None
    # Rows alone would make one chunk of 200 wide rows (~400 KB); 16 KB of bytes make about eight rows each.
    chunks = list(read_chunks(src, Limits(rows=100_000, bytes=16_000)))
    heights = [c.frame.height for c in chunks]
    assert sum(heights) == 200 and all(c.unparsed.is_empty() for c in chunks)
    assert len(chunks) >= 200 * 2000 // 16_000 // 2 and max(heights) <= 16
    rows = pl.concat([c.frame.select("_row") for c in chunks])["_row"].to_list()
    assert rows == list(range(1, 201))  # every row once, in order, numbered across chunks
    # and rows still bound a chunk when bytes do not
    assert [c.frame.height for c in read_chunks(src, Limits(rows=64, bytes=1 << 30))] == [64, 64, 64, 8]


def test_byte_cut_chunks_load_the_same_rows_as_one_chunk(tmp_path: Path) -> None:
    d = tmp_path / "drop"
    for k, name in enumerate(ENCODINGS):
        _write(_wide_rows(60, f"e{k}"), d / name)
    loaded = {}
    for label, limits in (("one", Limits()), ("cut", Limits(rows=1_000, bytes=8_000))):
        engine = open_engine(f"duckdb:///{tmp_path / label}.duckdb")
        s = ingest_paths([d], engine, limits=limits)
        assert s.ok and s.rows_loaded == 300
        loaded[label] = frame(engine, schema.requests).drop("load_id").sort("request_id")
    assert loaded["cut"].equals(loaded["one"])


def test_long_prompts_are_stored_cut_flagged_with_their_full_length(warehouse_url: str, tmp_path: Path) -> None:
    d = tmp_path / "drop"
    limit = 1_000
    for name, prefix in (("requests.jsonl.gz", "j"), ("requests.csv", "c"), ("requests.parquet", "p")):
        rows = drop.request_rows(4, prefix=prefix)
        rows[0]["prompt"] = "é" * 250_000 + "tail"  # longer than a whole chunk's byte budget below
        rows[1]["prompt"] = "x" * limit  # exactly the limit: kept whole
        rows[2]["prompt"] = "Solve 3 + 4 step by step."
        rows[3]["prompt"] = None
        drop.write(rows, d / name)
    engine = open_engine(warehouse_url)
    s = ingest_paths([d], engine, limits=Limits(rows=100, bytes=64_000, prompt_chars=limit))
    assert s.ok and (s.rows_loaded, s.rows_quarantined) == (12, 0)
    got = frame(engine, schema.requests, "request_id", "prompt", "prompt_chars", "prompt_truncated", "template_fp", "cot")
    for prefix in "jcp":
        rows = {r["request_id"]: r for r in got.filter(pl.col("request_id").str.starts_with(prefix)).iter_rows(named=True)}
        long, exact, short, none = (rows[f"{prefix}-00000{i}"] for i in range(4))
        assert long["prompt"] == "é" * limit and long["prompt_chars"] == 250_004 and long["prompt_truncated"]
        assert long["template_fp"] is not None  # fingerprinted from the stored text
        assert exact["prompt"] == "x" * limit and exact["prompt_chars"] == limit and not exact["prompt_truncated"]
        assert short["prompt_chars"] == 25 and not short["prompt_truncated"] and short["cot"]
        assert none["prompt"] is None and none["prompt_chars"] is None and none["prompt_truncated"] is False


def test_a_csv_record_longer_than_a_parse_block_loads_with_its_neighbours(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # A record spanning more than two of Arrow's parse blocks (over 32 MB with the 16 MB default) used to fail the whole
    # file ("straddling object"); 64 KB blocks stand in for the default, so a 300 KB prompt needs two growths.
    monkeypatch.setattr(csvfile, "CSV_BLOCK_BYTES", 64 << 10)
    rows = drop.request_rows(400, prefix="b")
    rows[250]["prompt"] = "long " * 60_000
    path = drop.write(rows, tmp_path / "drop" / "requests.csv")
    lines = path.read_text().split("\n")
    for data_row in (10, 300):  # one malformed row before the long record, one after
        lines[data_row] = lines[data_row] + ",one,too,many"
    path.write_text("\n".join(lines))
    engine = open_engine(f"duckdb:///{tmp_path / 'w.duckdb'}")
    s = ingest_paths([path], engine, limits=Limits(rows=50, bytes=1 << 20, prompt_chars=100))
    assert s.errors == [] and (s.rows_loaded, s.rows_quarantined, s.rows_duplicate) == (398, 2, 0)
    assert quarantine(engine) == [(10, "malformed CSV row (wrong number of fields)"), (300, "malformed CSV row (wrong number of fields)")]
    got = frame(engine, schema.requests, "request_id", "prompt_chars", "prompt_truncated").sort("request_id")
    assert got.height == 398 and got["request_id"].n_unique() == 398
    assert got.filter(pl.col("prompt_truncated"))["request_id"].to_list() == ["b-000250"]
    assert got.filter(pl.col("request_id") == "b-000250")["prompt_chars"].to_list() == [300_000]


def test_an_older_warehouse_gains_the_new_columns_at_ingest(warehouse_url: str, tmp_path: Path) -> None:
    engine = open_engine(warehouse_url)
    # The warehouse as created before prompt_truncated and text_replaced existed, holding one row.
    old = MetaData()
    added = {"prompt_truncated", "text_replaced"}
    Table("requests", old, *[Column(c.name, c.type, nullable=c.nullable) for c in schema.requests.columns if c.name not in added])
    old.create_all(engine)
    schema.metadata.create_all(engine, tables=[t for t in schema.metadata.sorted_tables if t.name != "requests"])
    before = drop.request_rows(1, prefix="old")[0]
    row = {k: v for k, v in before.items() if k in schema.requests.c and k not in added}
    row |= {"ts": drop.T0, "load_id": "before", "prompt": "an old prompt"}
    with engine.begin() as c:
        c.execute(insert(old.tables["requests"]), [row])
    rows = drop.request_rows(3, prefix="new")
    rows[0]["prompt"] = "y" * 50 + "\x00"
    drop.write(rows, tmp_path / "drop" / "requests.jsonl")
    s = ingest_paths([tmp_path / "drop"], engine, limits=Limits(prompt_chars=20))
    assert s.ok and s.rows_loaded == 3 and count(engine, schema.requests) == 4
    got = frame(engine, schema.requests, "request_id", "prompt", "prompt_chars", "prompt_truncated", "text_replaced").sort("request_id")
    old_row = got.row(by_predicate=pl.col("request_id") == "old-000000", named=True)
    assert old_row["prompt"] == "an old prompt" and old_row["prompt_truncated"] is None and old_row["text_replaced"] is None
    new_row = got.row(by_predicate=pl.col("request_id") == "new-000000", named=True)
    assert new_row == {"request_id": "new-000000", "prompt": "y" * 20, "prompt_chars": 51, "prompt_truncated": True, "text_replaced": True}


def test_ingest_command_takes_the_limits_from_the_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    rows = drop.request_rows(3, prefix="env")
    rows[1]["prompt"] = "z" * 500
    path = tmp_path / "requests.jsonl.gz"
    with gzip.open(path, "wt") as f:
        f.writelines(json.dumps(r) + "\n" for r in rows)
    url = f"duckdb:///{tmp_path / 'w.duckdb'}"
    monkeypatch.setenv("RADAR_MAX_PROMPT_CHARS", "40")
    monkeypatch.setenv("RADAR_CHUNK_BYTES", "0")
    assert main(["ingest", str(path), "--warehouse", url, "--quiet"]) == 2
    monkeypatch.setenv("RADAR_CHUNK_BYTES", "4096")
    assert main(["ingest", str(path), "--warehouse", url, "--quiet"]) == 0
    got = frame(open_engine(url), schema.requests, "request_id", "prompt", "prompt_chars").sort("request_id")
    assert got.filter(pl.col("request_id") == "env-000001").rows() == [("env-000001", "z" * 40, 500)]

"""An unreadable file fails alone, loads nothing, is logged as failed with a one-line message; the CLI exit code says so."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from queries import schema
from radar.cli import main
from radar.ingest import ingest_paths
from radar.warehouse import open_engine
from tests.ingest import drop
from tests.ingest.helpers import count, frame


def _drop_with_broken_files(d: Path) -> None:
    drop.write(drop.request_rows(20), d / "requests-good.parquet")
    (d / "requests-fake.parquet").write_bytes(b"PAR1 this is not parquet at all")
    good = gzip.compress(b"".join(f'{{"request_id": "z{i}"}}\n'.encode() for i in range(2000)))
    (d / "requests-cut.jsonl.gz").write_bytes(good[: len(good) // 2])  # gzip stream cut short
    (d / "accounts-noheader.csv").write_text("acct-1,2026-01-01T00:00:00Z\n")


def test_unreadable_files_fail_alone_and_load_nothing(warehouse_url: str, tmp_path: Path) -> None:
    d = tmp_path / "drop"
    _drop_with_broken_files(d)
    engine = open_engine(warehouse_url)
    s = ingest_paths([d], engine, chunk_rows=500)
    assert not s.ok and (s.files_loaded, s.files_failed, s.rows_loaded) == (1, 3, 20)
    assert len(s.errors) == 3 and all("\n" not in e for e in s.errors)
    assert any("requests-fake.parquet is not a readable Parquet file" in e for e in s.errors)
    assert any("requests-cut.jsonl.gz could not be read past line" in e for e in s.errors)
    assert any("accounts-noheader.csv has no header naming the required column(s) account_id, created_at" in e for e in s.errors)
    # the cut gzip had whole chunks that parsed (and were quarantined) before the break: none of it is visible
    assert count(engine, schema.requests) == 20 and count(engine, schema.quarantine) == 0 and count(engine, schema.accounts) == 0
    log = frame(engine, schema.load_log, "status", "message")
    assert sorted(log["status"]) == ["failed", "failed", "failed", "loaded"]
    assert log.filter(log["status"] == "failed")["message"].null_count() == 0


def test_cli_exit_codes_and_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"duckdb:///{tmp_path / 'wh.duckdb'}"
    good = tmp_path / "good"
    drop.write(drop.request_rows(30), good / "requests.jsonl")
    (good / "truth.csv").write_text("x\n")
    assert main(["ingest", str(good), "--warehouse", url, "--quiet"]) == 0
    out = capsys.readouterr()
    assert "files: 1 loaded, 0 failed, 1 skipped" in out.out and "30 loaded, 0 quarantined, 0 duplicates skipped" in out.out
    assert "rows/s" in out.out and "truth.csv" in out.err
    bad = tmp_path / "bad"
    _drop_with_broken_files(bad)
    assert main(["ingest", str(bad), "--warehouse", url, "--quiet"]) == 1
    out = capsys.readouterr()
    failed = [ln for ln in out.err.splitlines() if ln.startswith("failed: ")]
    assert len(failed) == 3 and "Traceback" not in out.err
    assert main(["ingest", str(tmp_path / "nowhere"), "--warehouse", url]) == 2
    assert "no such file or folder" in capsys.readouterr().err

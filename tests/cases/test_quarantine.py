"""Quarantine in the command line: rows by file and reason, counts per reason, one row's raw line; read-only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from radar.cli import main
from radar.ingest import ingest_paths
from radar.warehouse import ensure_schema, open_engine

GOOD = {
    "request_id": "r1",
    "ts": "2026-02-01T00:00:00Z",
    "account_id": "a1",
    "api_key_id": "k1",
    "client_ip": "203.0.113.7",
    "model": "m",
    "operation": "chat",
    "input_tokens": 10,
    "output_tokens": 20,
    "status": 200,
}


@pytest.fixture()
def warehouse(tmp_path: Path) -> tuple[str, Path]:
    """A warehouse whose one load set aside two rows of one file: a negative token count and a line that is not JSON."""
    drop = tmp_path / "drop"
    drop.mkdir()
    bad = GOOD | {"request_id": "r2", "output_tokens": -5}
    path = drop / "requests-1.jsonl"
    path.write_text(f"{json.dumps(GOOD)}\n{json.dumps(bad)}\nthis is not json\n", encoding="utf-8")
    url = f"duckdb:///{tmp_path / 'w.duckdb'}"
    engine = open_engine(url)
    ensure_schema(engine)
    ingest_paths([drop], engine, progress=False)
    engine.dispose()
    return url, path


def test_quarantine_lists_reasons_and_rows(warehouse: tuple[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    url, path = warehouse
    assert main(["quarantine", "--warehouse", url]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[:3] == ["Rows per reason:", "         1  negative output_tokens  (1 file)", "         1  unparsable JSON line  (1 file)"]
    assert f"  {path}  row 2  negative output_tokens" in out and f"  {path}  row 3  unparsable JSON line" in out
    assert main(["quarantine", "--warehouse", url, "--reason", "unparsable JSON line"]) == 0
    narrowed = capsys.readouterr().out
    assert "Rows (1):" in narrowed and "row 2" not in narrowed.split("Rows (1):")[1]


def test_quarantine_shows_one_raw_line(warehouse: tuple[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    url, path = warehouse
    assert main(["quarantine", "--warehouse", url, "--file", str(path), "--show", "3"]) == 0
    assert capsys.readouterr().out.splitlines() == [f"{path} row 3: unparsable JSON line", "this is not json"]
    assert main(["quarantine", "--warehouse", url, "--show", "9"]) == 1
    assert "No quarantined row 9." in capsys.readouterr().err


def test_quarantine_on_a_missing_warehouse_is_a_sentence(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["quarantine", "--warehouse", f"duckdb:///{tmp_path / 'none.duckdb'}"]) == 2
    assert "No warehouse at" in capsys.readouterr().err
    assert not (tmp_path / "none.duckdb").exists()  # read-only: nothing created

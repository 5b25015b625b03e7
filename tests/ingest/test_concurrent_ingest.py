"""A load racing a dashboard-like reader on the same DuckDB file: it waits for the file, holds it to the end, loads every
file and logs every outcome; a reader that never lets go makes it stop cleanly with nothing written.

The reader is another process, as the dashboard is: DuckDB lets one process write a file or many read it, never both.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from queries import schema
from radar import warehouse
from radar.cli import main
from radar.ingest import ingest_paths
from radar.warehouse import ensure_schema, open_engine
from tests.ingest import drop
from tests.ingest.helpers import count, frame

ROOT = Path(__file__).resolve().parents[2]
#: A reader that behaves like the dashboard: opens the read-only engine, queries, keeps the connection for `hold_s`
#: (a page's queries), lets go for `gap_s`, until the stop file appears; prints the time of each read, then a summary.
READER = """
import json, sys, time
from pathlib import Path
from sqlalchemy import text
from radar.warehouse import WarehouseBusy, open_engine
url, stop, hold_s, gap_s = sys.argv[1], Path(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
engine = open_engine(url, read_only=True)
seen = {"reads": 0, "busy": 0, "other": []}
while not stop.exists():
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT count(*) FROM requests")).scalar()
            seen["reads"] += 1
            print(f"read {time.time()}", flush=True)
            end = time.monotonic() + hold_s
            while time.monotonic() < end and not stop.exists():
                time.sleep(0.005)
    except WarehouseBusy:
        seen["busy"] += 1
    except Exception as exc:  # the lock conflict of a load that did not announce itself lands here
        seen["other"].append(str(exc).splitlines()[0][:120])
    time.sleep(gap_s)
print(json.dumps(seen), flush=True)
"""


def _next_read(proc: subprocess.Popen[str]) -> float:
    """When did the reader's next read succeed (wall clock)?"""
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("read "):
            return float(line.split()[1])
    raise AssertionError(f"the reader stopped (exit {proc.wait()})")


@contextmanager
def polling_reader(url: str, tmp_path: Path, *, hold_s: float, gap_s: float, read_after: bool = True) -> Iterator[dict[str, object]]:
    """A reader process polling the warehouse while the block runs; the dict it yields is filled with what it saw.

    The block starts once the reader has read; with `read_after`, it ends once the reader has read again after it."""
    stop = tmp_path / f"stop-reader-{time.monotonic_ns()}"
    proc = subprocess.Popen(
        [sys.executable, "-c", READER, url, str(stop), str(hold_s), str(gap_s)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    seen: dict[str, object] = {}
    try:
        _next_read(proc)
        yield seen
        ended = time.time()
        while read_after and _next_read(proc) <= ended:
            pass
    finally:
        stop.touch()
        out, _ = proc.communicate(timeout=30)
        seen.update(json.loads(out.strip().splitlines()[-1]))


def _drop(d: Path, trial: int) -> None:
    """A drop of requests, their accounts and keys, and one unreadable file (whose failure must reach the load log)."""
    drop.write(drop.request_rows(3000, seed=trial, prefix=f"t{trial}"), d / "requests-1.parquet")
    drop.write(drop.request_rows(3000, seed=trial + 100, prefix=f"u{trial}"), d / "requests-2.jsonl")
    drop.write(drop.account_rows(7), d / "accounts-1.csv")
    drop.write(drop.key_rows(11), d / "api_keys-1.jsonl")
    (d / "requests-3.parquet").write_bytes(b"PAR1 not parquet")


@pytest.mark.parametrize("trial", range(4))
def test_a_load_racing_a_polling_reader_loads_every_file_and_logs_every_outcome(tmp_path: Path, trial: int) -> None:
    url = f"duckdb:///{tmp_path / 'radar.duckdb'}"
    ensure_schema(open_engine(url))  # the file exists, as the dashboard's does
    _drop(tmp_path / "drop", trial)
    told: list[str] = []
    with polling_reader(url, tmp_path, hold_s=0.03, gap_s=0.005) as seen:
        # small chunks: the load takes many transactions, each of which the old per-transaction locking lost
        s = ingest_paths([tmp_path / "drop"], open_engine(url), chunk_rows=500, on_wait=told.append)
    assert (s.files_loaded, s.files_failed, s.rows_loaded) == (4, 1, 6000 + 7 + 11), s.errors
    assert len(s.errors) == 1 and "requests-3.parquet is not a readable Parquet file" in s.errors[0]
    assert "load log could not be written" not in s.errors[0]
    engine = open_engine(url)
    assert (count(engine, schema.requests), count(engine, schema.accounts), count(engine, schema.api_keys)) == (6000, 7, 11)
    log = frame(engine, schema.load_log, "source_file", "status")
    assert sorted((Path(f).name, st) for f, st in zip(log["source_file"], log["status"], strict=True)) == [
        ("accounts-1.csv", "loaded"),
        ("api_keys-1.jsonl", "loaded"),
        ("requests-1.parquet", "loaded"),
        ("requests-2.jsonl", "loaded"),
        ("requests-3.parquet", "failed"),
    ]
    # the reader really raced the load: it read before and after (polling_reader), was told to wait during, never hit a lock error
    assert int(seen["busy"]) > 0 and seen["other"] == [], seen  # type: ignore[call-overload]
    # when it had to wait, it said so, then said when it had the file
    assert told == [] or (
        len(told) == 2 and told[0] == warehouse.WAITING_FOR_READERS and told[1].startswith("the warehouse file is free after")
    )


def test_a_reader_that_never_lets_go_stops_the_load_before_anything_is_written(tmp_path: Path) -> None:
    url = f"duckdb:///{tmp_path / 'radar.duckdb'}"
    ensure_schema(open_engine(url))
    _drop(tmp_path / "drop", 0)
    with polling_reader(url, tmp_path, hold_s=30.0, gap_s=0.0, read_after=False):  # one long query: the file stays held
        t0 = time.monotonic()
        with pytest.raises(warehouse.WarehouseBusy, match=r"still in use after 0.5 s \(RADAR_LOCK_WAIT_S\): nothing was written"):
            ingest_paths([tmp_path / "drop"], open_engine(url), lock_wait_s=0.5, on_wait=lambda _m: None)
        assert time.monotonic() - t0 < 10
    engine = open_engine(url)
    assert count(engine, schema.requests) == count(engine, schema.load_log) == 0


def test_the_command_line_waits_then_says_in_one_sentence_that_nothing_was_loaded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"duckdb:///{tmp_path / 'radar.duckdb'}"
    ensure_schema(open_engine(url))
    drop.write(drop.request_rows(30), tmp_path / "drop" / "requests.jsonl")
    monkeypatch.setenv("RADAR_LOCK_WAIT_S", "0.5")
    with polling_reader(url, tmp_path, hold_s=30.0, gap_s=0.0, read_after=False):
        code = main(["ingest", str(tmp_path / "drop"), "--warehouse", url, "--quiet"])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    assert "waiting for the dashboard to release the warehouse file" in err
    assert "nothing was written" in err and "raise RADAR_LOCK_WAIT_S" in err


def test_a_score_run_takes_its_turn_and_writes_nothing_while_the_file_is_held(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"duckdb:///{tmp_path / 'radar.duckdb'}"
    engine = open_engine(url)
    ensure_schema(engine)
    _drop(tmp_path / "drop", 0)
    ingest_paths([tmp_path / "drop"], engine, lock_wait_s=5.0, on_wait=lambda _m: None)
    engine.dispose()
    monkeypatch.setenv("RADAR_LOCK_WAIT_S", "0.5")
    with polling_reader(url, tmp_path, hold_s=30.0, gap_s=0.0, read_after=False):
        code = main(["score", "--warehouse", url])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert "nothing was written" in err
    assert count(open_engine(url), schema.score_runs) == 0


def test_a_server_warehouse_is_not_held(pg_url: str, tmp_path: Path) -> None:
    # PostgreSQL readers never block a writer (MVCC): the load neither waits nor announces itself.
    drop.write(drop.request_rows(40), tmp_path / "drop" / "requests.parquet")
    told: list[str] = []
    s = ingest_paths([tmp_path / "drop"], open_engine(pg_url), on_wait=told.append)
    assert s.ok and s.rows_loaded == 40 and told == []


def test_two_loads_at_once_take_turns_and_both_load_everything(tmp_path: Path) -> None:
    url = f"duckdb:///{tmp_path / 'radar.duckdb'}"
    ensure_schema(open_engine(url))
    for trial in (1, 2):
        _drop(tmp_path / f"drop-{trial}", trial)
    cmd = [sys.executable, "-m", "radar", "ingest", "--warehouse", url, "--quiet", "--chunk-rows", "500"]
    procs = [subprocess.Popen([*cmd, str(tmp_path / f"drop-{t}")], cwd=ROOT, stderr=subprocess.PIPE, text=True) for t in (1, 2)]
    errs = [p.communicate(timeout=120)[1] for p in procs]
    # each exits 1 for its unreadable file only; the other four files of each drop are in
    assert [p.returncode for p in procs] == [1, 1] and all("could not be loaded" not in e for e in errs), errs
    engine = open_engine(url)
    # the drops share their accounts and keys files byte for byte: the load that came second skipped them as loaded
    assert count(engine, schema.requests) == 12_000 and count(engine, schema.load_log) == 8
    assert sum(e.count("already loaded (same content)") for e in errs) == 2

"""`python -m radar bench ingest --scale S`: how fast, and in how much memory, do simulate and ingest run (each in its own process)?"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil
import pyarrow.parquet as pq

SAMPLE_S = 0.1  # RSS sampling period: short against runs of seconds, cheap against 2 cores


def _run(cmd: list[str]) -> tuple[int, float, int]:
    """Run a command; its exit code, wall seconds and peak RSS in bytes (process tree, sampled)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        try:
            p = psutil.Process(proc.pid)
            while not done.is_set():
                rss = p.memory_info().rss + sum(c.memory_info().rss for c in p.children(recursive=True))
                peak = max(peak, rss)
                time.sleep(SAMPLE_S)
        except psutil.Error:
            pass

    t = threading.Thread(target=sample, daemon=True)
    t.start()
    out, err = proc.communicate()
    done.set()
    t.join()
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        print(f"  command failed ({proc.returncode}): {' '.join(cmd)}\n{err.strip()[-2000:]}", file=sys.stderr)
    elif out.strip():
        print("  " + out.strip().replace("\n", "\n  "))
    return proc.returncode, seconds, peak


def _rows(drop: Path) -> int:
    """How many rows the drop's Parquet files hold (all three tables)."""
    return sum(pq.ParquetFile(p).metadata.num_rows for p in drop.rglob("*.parquet"))


def bench_ingest(args: argparse.Namespace) -> int:
    """Simulate a drop at --scale, ingest it into a fresh DuckDB warehouse, print rows, seconds, rows/s and peak RSS of each."""
    with tempfile.TemporaryDirectory(prefix="radar-bench-") as tmp:
        work = Path(args.workdir) if args.workdir else Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        drop, db = work / "drop", work / "bench.duckdb"
        for stale in (db, Path(f"{db}.wal")):
            stale.unlink(missing_ok=True)
        py = sys.executable
        print(f"simulate --scale {args.scale} --seed {args.seed} -> {drop}")
        rc, sim_s, sim_rss = _run(
            [py, "-m", "radar", "simulate", str(drop), "--scale", str(args.scale), "--seed", str(args.seed), "--quiet"]
        )
        if rc != 0:
            return 1
        rows = _rows(drop)
        print(f"ingest {drop} -> {db}")
        rc, ing_s, ing_rss = _run([py, "-m", "radar", "ingest", str(drop), "--warehouse", f"duckdb:///{db}", "--quiet"])
        print(f"{'step':<9}{'rows':>12}{'seconds':>10}{'rows/s':>12}{'peak RSS MB':>13}")
        for name, secs, rss in (("simulate", sim_s, sim_rss), ("ingest", ing_s, ing_rss)):
            print(f"{name:<9}{rows:>12,}{secs:>10.1f}{rows / secs:>12,.0f}{rss / 2**20:>13,.0f}")
        return rc

"""`python -m radar bench score --scale S`: time and peak memory of simulate, ingest and score, each in its own process.

With `--warehouse URL`, the same drop is also ingested into and scored on that warehouse, and both engines' figures
are printed side by side."""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from radar.bench import Beside, bench_drop, beside_duckdb, empty
from radar.config import ROOT

#: What `radar score` prints of its run: "run ID: N accounts, M clusters, K campaigns in T s".
RUN_LINE = re.compile(r"run \S+: ([\d,]+) accounts, ([\d,]+) clusters, ([\d,]+) campaigns")


def measure(cmd: list[str], *, warehouse: str | None = None) -> tuple[float, float, int, str]:
    """How long did this command take and how much memory did it peak at? (seconds, peak RSS in MB, exit code, stdout).

    `warehouse` reaches the command as RADAR_WAREHOUSE_URL, not on its command line, where any user could read a password."""
    env = {**os.environ, "RADAR_WAREHOUSE_URL": warehouse} if warehouse else None
    sys.stdout.flush()  # what the bench printed comes before what the command writes to a shared stderr
    with tempfile.TemporaryFile("w+") as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, cwd=ROOT, env=env)  # `-m radar` resolves from the project root
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - t0
        out.seek(0)
        return seconds, usage.ru_maxrss / 1024.0, proc.returncode, out.read()  # ru_maxrss is in KiB on Linux


@dataclass
class EngineFigures:
    """One engine's ingest and score: seconds, peak RSS in MB, and what the run found (accounts, clusters, campaigns)."""

    label: str
    ingest_s: float
    ingest_mb: float
    score_s: float
    score_mb: float
    found: tuple[int, int, int] | None


def _ingest_and_score(label: str, drop: Path, url: str) -> EngineFigures | int:
    """Ingest the drop into `url` and score it, each in its own process: the figures, or the failing step's exit code."""
    py = [sys.executable, "-m", "radar"]
    figures: list[tuple[float, float]] = []
    found: tuple[int, int, int] | None = None
    for name, cmd in (("ingest", [*py, "ingest", str(drop), "--quiet"]), ("score", [*py, "score"])):
        seconds, rss_mb, code, out = measure(cmd, warehouse=url)
        print(f"{name:<9} {label:<20} {seconds:8.1f} s   peak RSS {rss_mb:8.0f} MB" + ("" if code == 0 else f"   FAILED (exit {code})"))
        if code != 0:
            return code
        figures.append((seconds, rss_mb))
        if name == "score" and (m := RUN_LINE.search(out)):
            found = (int(m[1].replace(",", "")), int(m[2].replace(",", "")), int(m[3].replace(",", "")))
    return EngineFigures(label, figures[0][0], figures[0][1], figures[1][0], figures[1][1], found)


def _print_beside(rows: list[EngineFigures]) -> None:
    """Each engine's ingest and score seconds and peak RSS, its score time against DuckDB's, and what its run found."""
    print(
        f"{'engine':<20}{'ingest s':>10}{'ingest RSS MB':>15}{'score s':>9}{'score RSS MB':>14}{'score x DuckDB':>16}{'accounts':>10}{'clusters':>10}{'campaigns':>11}"
    )
    for r in rows:
        found = "".join(f"{n:>{w},}" for n, w in zip(r.found, (10, 10, 11), strict=True)) if r.found else f"{'-':>31}"
        print(
            f"{r.label:<20}{r.ingest_s:>10.1f}{r.ingest_mb:>15,.0f}{r.score_s:>9.1f}{r.score_mb:>14,.0f}"
            f"{r.score_s / rows[0].score_s:>15.2f}x{found}"
        )


def bench_score(args: argparse.Namespace) -> int:
    """Simulate a drop at the requested scale (or reuse the work folder's), ingest it and score it; print each step's
    time and peak RSS, on DuckDB and, with --warehouse, on that warehouse too."""
    with tempfile.TemporaryDirectory(prefix="radar-bench-") as tmp:
        work = (Path(args.workdir) if args.workdir else Path(tmp)).resolve()  # subprocesses run from the project root
        work.mkdir(parents=True, exist_ok=True)
        print(f"bench score: scale {args.scale}, seed {args.seed}, work folder {work}")
        drop = bench_drop(work, float(args.scale), args.seed)
        if drop is None:
            return 1
        # radar.duckdb: the file bench pages reuses, so that pages after score in one folder reads this run
        db = work / "radar.duckdb"
        for stale in (db, Path(f"{db}.wal")):
            stale.unlink(missing_ok=True)
        with beside_duckdb(getattr(args, "warehouse", None), work, fresh=False) as beside:
            engines: list[tuple[str, str, Beside | None]] = [("DuckDB", f"duckdb:///{db}", None)]
            if beside is not None:
                engines.append((beside.label, beside.url, beside))
            rows: list[EngineFigures] = []
            for label, url, other in engines:
                if other is not None:
                    empty(other)  # its load starts from nothing, as DuckDB's new file does
                got = _ingest_and_score(label, drop, url)
                if isinstance(got, int):
                    return got
                rows.append(got)
    if len(rows) > 1:
        _print_beside(rows)
    return 0

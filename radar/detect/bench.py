"""`python -m radar bench score --scale S`: time and peak memory of simulate, ingest and score, each in its own process."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from radar.config import ROOT


def measure(cmd: list[str]) -> tuple[float, float, int]:
    """How long did this command take and how much memory did it peak at? (seconds, peak RSS in MB, exit code)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, cwd=ROOT)  # `-m radar` resolves from the project root
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - t0, usage.ru_maxrss / 1024.0, proc.returncode  # ru_maxrss is in KiB on Linux


def bench_score(args: argparse.Namespace) -> int:
    """Simulate a drop at the requested scale, ingest it and score it; print each step's time and peak RSS."""
    with tempfile.TemporaryDirectory(prefix="radar-bench-") as tmp:
        work = Path(args.workdir) if args.workdir else Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        drop, url = work / "drop", f"duckdb:///{work / 'bench.duckdb'}"
        py = [sys.executable, "-m", "radar"]
        steps = [
            ("simulate", [*py, "simulate", str(drop), "--scale", str(args.scale), "--seed", str(args.seed), "--quiet"]),
            ("ingest", [*py, "ingest", str(drop), "--warehouse", url, "--quiet"]),
            ("score", [*py, "score", "--warehouse", url]),
        ]
        print(f"bench score: scale {args.scale}, seed {args.seed}, work folder {work}")
        for name, cmd in steps:
            seconds, rss_mb, code = measure(cmd)
            print(f"{name:<9} {seconds:8.1f} s   peak RSS {rss_mb:8.0f} MB" + ("" if code == 0 else f"   FAILED (exit {code})"))
            if code != 0:
                return code
    return 0

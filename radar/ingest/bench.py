"""`python -m radar bench ingest --scale S`: how fast, and in how much memory, do simulate and ingest run (each in its own process)?"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import pyarrow.parquet as pq

from radar.bench import Beside, bench_drop, beside_duckdb, empty, loaded_rows
from radar.config import ROOT

SAMPLE_S = 0.1  # RSS sampling period: short against runs of seconds, cheap against 2 cores


def run_measured(cmd: list[str], *, echo: bool = True, warehouse: str | None = None) -> tuple[int, float, int, str]:
    """Run a command from the project root; its exit code, wall seconds, peak RSS in bytes (process tree, sampled), stdout.

    `warehouse` reaches the command as RADAR_WAREHOUSE_URL, not on its command line, where any user could read a password."""
    env = {**os.environ, "RADAR_WAREHOUSE_URL": warehouse} if warehouse else None
    sys.stdout.flush()  # what the bench printed comes before what the command writes to a shared stderr
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env)  # `-m radar` resolves there
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
    elif out.strip() and echo:
        print("  " + out.strip().replace("\n", "\n  "))
    return proc.returncode, seconds, peak, out


def _rows(drop: Path) -> int:
    """How many rows the drop's Parquet files hold (all three tables)."""
    return sum(pq.ParquetFile(p).metadata.num_rows for p in drop.rglob("*.parquet"))


#: The plain copy the ingest is measured against: DuckDB reading the same Parquet files straight into tables, with
#: no validation, enrichment, de-duplication or rollups (argv: warehouse file, then table=file|file... pairs).
PLAIN_COPY = """
import sys, duckdb
con = duckdb.connect(sys.argv[1])
con.execute("SET enable_progress_bar = false")
for pair in sys.argv[2:]:
    table, files = pair.split("=", 1)
    con.execute(f"CREATE TABLE {table} AS SELECT * FROM read_parquet(?)", [files.split("|")])
con.close()
"""


def _copy_args(drop: Path) -> list[str]:
    """table=file|file... for each table of the drop (a table's files sit in its folder or start with its name)."""
    out = []
    for table in ("requests", "accounts", "api_keys"):
        files = sorted({*drop.glob(f"{table}*.parquet"), *drop.glob(f"{table}/*.parquet")})
        if files:
            out.append(f"{table}={'|'.join(str(f) for f in files)}")
    return out


@dataclass
class Step:
    """One timed step of a scale: seconds, peak RSS and the rows the warehouse stored (None for the plain copy)."""

    name: str
    seconds: float
    rss: int
    stored: int | None = None


@dataclass
class Measured:
    """One scale's figures: rows, plain copy and ingest seconds, peak RSS of each (and the other engine's ingest)."""

    scale: float
    rows: int
    copy_s: float
    copy_rss: int
    ingest_s: float
    ingest_rss: int
    steps: list[Step] = field(default_factory=list)

    @property
    def rows_per_s(self) -> float:
        return self.rows / self.ingest_s


def _ingest(drop: Path, url: str, name: str) -> Step | None:
    """Ingest the drop into the warehouse at `url` in its own process: the step's figures (None if the ingest failed)."""
    print(f"{name}: {drop} -> {url}")
    rc, secs, rss, _ = run_measured([sys.executable, "-m", "radar", "ingest", str(drop), "--quiet"], warehouse=url)
    return Step(name, secs, rss, loaded_rows(url)) if rc == 0 else None


def _measure(scale: float, work: Path, drop: Path, beside: Beside | None) -> Measured | None:
    """Copy the drop plainly into one DuckDB file, ingest it into another (and into the warehouse beside); the figures."""
    db, plain = work / f"bench-{scale:g}.duckdb", work / f"plain-{scale:g}.duckdb"
    for stale in (db, Path(f"{db}.wal"), plain, Path(f"{plain}.wal")):
        stale.unlink(missing_ok=True)
    rows = _rows(drop)
    print(f"plain DuckDB copy of {drop} -> {plain}")
    rc, copy_s, copy_rss, _ = run_measured([sys.executable, "-c", PLAIN_COPY, str(plain), *_copy_args(drop)])
    if rc != 0:
        return None
    duck = _ingest(drop, f"duckdb:///{db}", "DuckDB ingest")
    if duck is None:
        return None
    plain.unlink(missing_ok=True)
    m = Measured(scale, rows, copy_s, copy_rss, duck.seconds, duck.rss, [Step("plain DuckDB copy", copy_s, copy_rss), duck])
    if beside is not None:
        empty(beside)  # every scale's load starts from nothing, as the DuckDB ingest's new file does
        print(f"emptied the {beside.label} database {beside.database}")
        other = _ingest(drop, beside.url, f"{beside.label} ingest")
        if other is None:
            return None
        m.steps.append(other)
    return m


def _print_beside(results: list[Measured]) -> None:
    """Per scale, each step's seconds, rows/s, peak RSS, ratio to the plain copy and rows stored."""
    for m in results:
        print(f"scale {m.scale:g}: {m.rows:,} rows in the drop")
        print(f"  {'step':<28}{'seconds':>9}{'rows/s':>11}{'peak RSS MB':>13}{'x copy':>8}{'rows stored':>13}")
        for s in m.steps:
            stored = f"{s.stored:>13,}" if s.stored is not None else f"{'-':>13}"
            print(
                f"  {s.name:<28}{s.seconds:>9.1f}{m.rows / s.seconds:>11,.0f}{s.rss / 2**20:>13,.0f}{s.seconds / m.copy_s:>7.2f}x{stored}"
            )


def bench_ingest(args: argparse.Namespace) -> int:
    """At each scale (--scales A,B or --scale), how does our ingest compare with a plain DuckDB copy of the same files?

    Prints, per scale, the copy's and the ingest's seconds and peak RSS, their ratio and the ingest's rows/s; with two
    scales or more, each scale's rows/s against the first's (ingest should not slow down as the warehouse grows). With
    --warehouse, the same drop is also ingested there and each engine's figures are printed side by side."""
    scales = [float(x) for x in args.scales.split(",")] if getattr(args, "scales", None) else [float(args.scale)]
    results: list[Measured] = []
    with tempfile.TemporaryDirectory(prefix="radar-bench-") as tmp:
        work = (Path(args.workdir) if args.workdir else Path(tmp)).resolve()  # subprocesses run from the project root
        work.mkdir(parents=True, exist_ok=True)
        with beside_duckdb(getattr(args, "warehouse", None), work, fresh=False) as beside:
            for scale in scales:
                # one scale reads `drop` (shared with bench score and pages); several keep one drop per scale
                drop = bench_drop(work, scale, args.seed, name="drop" if len(scales) == 1 else f"drop-{scale:g}")
                m = _measure(scale, work, drop, beside) if drop is not None else None
                if m is None:
                    return 1
                results.append(m)
    if beside is not None:
        _print_beside(results)
    else:
        print(f"{'scale':>6}{'rows':>13}{'copy s':>9}{'ingest s':>10}{'ratio':>7}{'rows/s':>10}{'copy RSS MB':>13}{'ingest RSS MB':>15}")
        for m in results:
            print(
                f"{m.scale:>6g}{m.rows:>13,}{m.copy_s:>9.1f}{m.ingest_s:>10.1f}{m.ingest_s / m.copy_s:>6.2f}x"
                f"{m.rows_per_s:>10,.0f}{m.copy_rss / 2**20:>13,.0f}{m.ingest_rss / 2**20:>15,.0f}"
            )
    for m in results[1:]:
        print(f"rows/s at scale {m.scale:g} is {m.rows_per_s / results[0].rows_per_s:.0%} of rows/s at scale {results[0].scale:g}")
    return 0


#: Peak resident memory `bench longlines` holds an ingest to: the whole process (reader, worker and DuckDB buffers).
LONGLINES_BOUND_BYTES = 3 << 29  # 1.5 GB
LONG_PROMPT_CHARS = 20_000  # the typical long request: a 20 KB prompt
HUGE_PROMPT_CHARS = 30 << 20  # and one 30 MB prompt in the same file
_WORDS = [
    "derive",
    "prove",
    "the",
    "lemma",
    "then",
    "list",
    "every",
    "intermediate",
    "step",
    "and",
    "justify",
    "each",
    "claim",
    "with",
    "a",
    "worked",
    "example",
]


def _request(i: int, prompt: str) -> bytes:
    """One contract request line (JSON) carrying `prompt`."""
    row = {
        "request_id": f"long-{i:08d}",
        "ts": f"2026-02-03T{(i // 3600) % 24:02d}:{(i // 60) % 60:02d}:{i % 60:02d}Z",
        "account_id": f"acct-{i % 97}",
        "api_key_id": f"key-{i % 211}",
        "client_ip": f"198.51.100.{i % 250 + 1}",
        "model": "model-large",
        "operation": "chat",
        "input_tokens": len(prompt) // 4,
        "output_tokens": 800,
        "status": 200,
        "user_agent": "harvester/2.1",
        "prompt": prompt,
    }
    return (json.dumps(row) + "\n").encode()


def _write_longlines(path: Path, lines: int) -> tuple[int, int]:
    """A gzip of `lines` request lines with ~20 KB prompts, and one with a 30 MB prompt; its uncompressed and gzip bytes."""
    base = " ".join(_WORDS[(k * 7) % len(_WORDS)] for k in range(LONG_PROMPT_CHARS // 6))[:LONG_PROMPT_CHARS]
    size = 0
    with gzip.open(path, "wb", compresslevel=1) as f:
        for i in range(lines):
            # A distinct opening per line: every prompt is text to enrich, none a repeat joined from another.
            line = _request(i, f"task {i}: {base}")
            size += len(line)
            f.write(line)
            if i == lines // 2:
                huge = _request(lines, (base + " ") * (HUGE_PROMPT_CHARS // (len(base) + 1) + 1))
                size += len(huge)
                f.write(huge)
    return size, path.stat().st_size


def bench_longlines(args: argparse.Namespace) -> int:
    """Ingest a gzip of long JSON lines (~20 KB each, one of 30 MB) into a fresh DuckDB warehouse: rows, seconds and peak RSS.

    The number of lines is --scale x 1,000,000 (0.05: 50,000 lines, about 1 GB uncompressed). Memory must stay under
    LONGLINES_BOUND_BYTES: chunks end at RADAR_CHUNK_BYTES and prompts are stored cut to RADAR_MAX_PROMPT_CHARS."""
    from radar.config import load_settings
    from radar.warehouse import open_engine

    lines = max(1, int(args.scale * 1_000_000))
    settings = load_settings()
    with tempfile.TemporaryDirectory(prefix="radar-bench-") as tmp:
        work = (Path(args.workdir) if args.workdir else Path(tmp)).resolve()  # subprocesses run from the project root
        work.mkdir(parents=True, exist_ok=True)
        src, db = work / "requests-longlines.jsonl.gz", work / "longlines.duckdb"
        for stale in (db, Path(f"{db}.wal")):
            stale.unlink(missing_ok=True)
        raw, packed = _write_longlines(src, lines)
        print(f"wrote {src}: {lines + 1:,} lines, {raw / 2**20:,.0f} MB uncompressed, {packed / 2**20:,.1f} MB gzip")
        print(f"limits: RADAR_CHUNK_BYTES={settings.chunk_bytes:,} RADAR_MAX_PROMPT_CHARS={settings.max_prompt_chars:,}")
        rc, secs, rss, _ = run_measured([sys.executable, "-m", "radar", "ingest", str(src), "--warehouse", f"duckdb:///{db}", "--quiet"])
        if rc != 0:
            return 1
        from queries.load import stored_prompts
        from queries.run import run_all

        stored = run_all(open_engine(f"duckdb:///{db}", read_only=True), stored_prompts()).row(0, named=True)
    within = rss <= LONGLINES_BOUND_BYTES
    print(f"{'step':<9}{'rows':>10}{'seconds':>10}{'MB/s':>8}{'peak RSS MB':>13}{'bound MB':>10}")
    print(
        f"{'ingest':<9}{stored['requests']:>10,}{secs:>10.1f}{raw / 2**20 / secs:>8.1f}{rss / 2**20:>13,.0f}{LONGLINES_BOUND_BYTES / 2**20:>10,.0f}"
    )
    print(
        f"longest prompt sent {stored['longest_sent']:,} chars, stored {stored['longest_stored']:,}; "
        f"{stored['truncated']:,} stored cut (prompt_truncated)"
    )
    print(f"peak RSS within the bound: {'yes' if within else 'NO'}")
    return 0 if within and stored["requests"] == lines + 1 else 1

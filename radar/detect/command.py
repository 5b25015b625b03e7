"""`python -m radar score` and `python -m radar evaluate`: flags in, one stored run or one report out."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

import polars as pl
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from queries import detect_results
from queries.run import run_all, run_all_on
from radar.config import Settings, load_settings
from radar.detect.evaluate import TruthError, evaluate, read_truth
from radar.detect.run import DetectError, score
from radar.feedback import AllowlistError, Feedback, read_allowlist_csv
from radar.warehouse import WarehouseError, ensure_schema, hold_for_writing, open_engine


class UsageError(ValueError):
    """A flag's value cannot be used; the message says which and why."""


def _parse_ts(value: str | None, flag: str) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise UsageError(f"{flag} {value!r} is not an RFC 3339 time such as 2026-02-01T00:00:00Z.") from exc


def _feedback(args: argparse.Namespace, settings: Settings, engine: Engine) -> Feedback | None:
    """Which analyst knowledge feeds this run: the allowlist file, and the case store when there is one?"""
    fb = Feedback()
    used = False
    allowlist = getattr(args, "allowlist", None) or settings.allowlist_path
    if allowlist:
        if not Path(allowlist).exists():
            raise UsageError(f"No allowlist file at {allowlist}.")
        fb.allowlisted |= read_allowlist_csv(allowlist)
        used = True
    cases_url = getattr(args, "cases", None) or settings.cases_url
    default_file = settings.data_path / "cases.sqlite"
    if cases_url or default_file.exists():
        from radar.cases.feedback import load_feedback  # the case store is optional: import only when there is one

        cf = load_feedback(cases_url or settings.cases, engine)
        fb.allowlisted |= cf.allowlisted
        fb.dismissed |= cf.dismissed
        for kind, values in cf.confirmed_indicators.items():
            fb.confirmed_indicators.setdefault(kind, set()).update(values)
        used = True
    return fb if used else None


def write_out(frame: pl.DataFrame, path: str) -> None:
    """Write the per-account rows as CSV or Parquet, chosen by the file's extension."""
    suffix = Path(path).suffix.lower()
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        frame.write_csv(path)
    elif suffix in (".parquet", ".pq"):
        frame.write_parquet(path)
    else:
        raise UsageError(f"--out {path}: use a .csv or .parquet file name.")


def score_command(args: argparse.Namespace) -> int:
    """Compute and store a scoring run; with --out also write one row per account."""
    settings = load_settings(warehouse_url=getattr(args, "warehouse", None))
    try:
        if args.out and Path(args.out).suffix.lower() not in (".csv", ".parquet", ".pq"):
            raise UsageError(f"--out {args.out}: use a .csv or .parquet file name.")
        start, end = _parse_ts(args.start, "--start"), _parse_ts(args.end, "--end")
        engine = open_engine(settings.warehouse)
        # A run writes its result tables into the warehouse: on a DuckDB file it takes its turn with loads and the dashboard.
        with hold_for_writing(engine, wait_s=settings.lock_wait_s, on_wait=lambda m: print(m, file=sys.stderr, flush=True)):
            ensure_schema(engine)
            fb = _feedback(args, settings, engine)
            run = score(engine, start=start, end=end, feedback=fb, progress=sys.stderr.isatty())
            print(
                f"run {run.run_id}: {run.n_accounts:,} accounts, {run.n_clusters:,} clusters, {run.n_campaigns:,} campaigns in {run.seconds:.1f} s"
            )
            if args.out:
                rows = run_all(engine, detect_results.run_accounts(run.run_id))
                write_out(rows.select("account_id", "score", "cluster_id", "campaign_id", "reasons"), args.out)
                print(f"wrote {rows.height:,} account rows to {args.out}")
    except (UsageError, DetectError, AllowlistError, WarehouseError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except SQLAlchemyError as exc:
        print(
            f"error: the warehouse refused the run ({type(exc.orig if hasattr(exc, 'orig') else exc).__name__}); check --warehouse and that ingest has run.",
            file=sys.stderr,
        )
        return 2
    return 0


def evaluate_command(args: argparse.Namespace) -> int:
    """Print how a stored run (the latest by default) scores against a truth file; with --matrix, run the robustness matrix."""
    if getattr(args, "matrix", False):
        from radar.detect.matrix import matrix_command  # simulates and ingests: loaded only when asked for

        return matrix_command(args)
    if not args.truth:
        print("error: give the truth file written by `python -m radar simulate`, or --matrix.", file=sys.stderr)
        return 2
    settings = load_settings(warehouse_url=getattr(args, "warehouse", None))
    try:
        truth = read_truth(args.truth)
        engine = open_engine(settings.warehouse, read_only=True)
        with engine.connect() as conn:
            run_id = args.run
            if not run_id:
                latest = run_all_on(conn, detect_results.latest_run())
                if latest.is_empty():
                    raise DetectError("No finished scoring run in the warehouse: run `python -m radar score` first.")
                run_id = str(latest["run_id"][0])
            status = run_all_on(conn, detect_results.run_status(run_id))
            if status.is_empty() or status["status"][0] != "done":
                raise DetectError(f"Run {run_id} is not a finished run in this warehouse.")
            rows = run_all_on(conn, detect_results.run_accounts(run_id))
    except (TruthError, DetectError, WarehouseError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    result = evaluate(rows, truth)
    print(f"run {run_id}")
    print("\n".join(result.lines()))
    return 0

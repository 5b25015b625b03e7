"""The command line: argument parsing only; each subcommand's work lives in its own module."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from radar.config import settings_help

# subcommand -> "module:function"; each function takes the parsed namespace and returns an exit code.
HANDLERS = {
    "ingest": "radar.ingest.command:ingest_command",
    "simulate": "radar.simulate.command:simulate_command",
    "score": "radar.detect.command:score_command",
    "evaluate": "radar.detect.command:evaluate_command",
    "export": "radar.export.command:export_command",
    "demo": "radar.demo:demo_command",
    "grants": "radar.grants:grants_command",
    "bench": "radar.bench:bench_command",
    "quarantine": "radar.quarantine:quarantine_command",
    "rollup": "radar.ingest.rollup:rollup_command",
    "schema": "radar.schema_command:schema_command",
}


def build_parser() -> argparse.ArgumentParser:
    """What can the command line do, and with which flags?"""
    p = argparse.ArgumentParser(
        prog="python -m radar",
        description="Distillation Radar: ingest gateway telemetry, simulate campaigns, score, evaluate, export.",
        epilog="Environment:\n" + settings_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = p.add_subparsers(dest="command", required=True)
    wh = argparse.ArgumentParser(add_help=False)
    wh.add_argument(
        "--warehouse", metavar="URL", help="SQLAlchemy URL of the warehouse (default: RADAR_WAREHOUSE_URL or data/radar.duckdb)"
    )

    s = sub.add_parser("ingest", parents=[wh], help="load gateway files (Parquet, JSON Lines, CSV, OTLP spans) into the warehouse")
    s.add_argument("paths", nargs="+", metavar="PATH", help="files or folders of one or more drops")
    s.add_argument("--chunk-rows", type=int, default=None, help="rows per validated chunk (default: RADAR_INGEST_CHUNK_ROWS)")
    s.add_argument("--quiet", action="store_true", help="no progress bar")

    s = sub.add_parser("simulate", help="write a simulated drop (contract files + truth) with the February 2026 campaigns")
    s.add_argument("outdir", metavar="OUTDIR")
    s.add_argument("--scale", type=float, default=0.01, help="1.0 = the disclosed scale (~16.5M attack exchanges, 7 days)")
    s.add_argument("--seed", type=int, default=7)
    s.add_argument("--format", choices=["parquet", "jsonl", "csv"], default="parquet", help="encoding of the contract files")
    s.add_argument("--variant", metavar="NAME", help="a robustness variant (radar/simulate/variants.py; default: the standard week)")
    s.add_argument("--quiet", action="store_true", help="no progress bar")

    s = sub.add_parser("score", parents=[wh], help="compute and store a detection run (baselines, graph, clusters, campaigns)")
    s.add_argument("--out", metavar="FILE", help="also write one row per account (CSV or Parquet by extension)")
    s.add_argument("--start", help="window start, RFC 3339 (default: earliest request)")
    s.add_argument("--end", help="window end, RFC 3339 (default: latest request)")
    s.add_argument("--allowlist", metavar="CSV", help="allowlisted entities (entity_type,entity_id,reason)")
    s.add_argument("--cases", metavar="URL", help="case store URL whose allowlist and decisions feed the run (default: RADAR_CASES_URL)")

    s = sub.add_parser("evaluate", parents=[wh], help="score the latest run against simulator truth, or run the robustness matrix")
    s.add_argument("truth", metavar="TRUTH", nargs="?", help="the truth file written by `simulate` (not with --matrix)")
    s.add_argument("--run", help="run id (default: latest finished run)")
    s.add_argument("--matrix", action="store_true", help="simulate, ingest, score and evaluate every variant in its own warehouse")
    s.add_argument("--scale", type=float, default=0.2, help="matrix: simulator scale of each drop")
    s.add_argument("--seed", type=int, default=7, help="matrix: simulator seed of each drop")
    s.add_argument("--variants", metavar="A,B", help="matrix: only these variants (baseline = the standard week; default: all)")
    s.add_argument(
        "--workdir", metavar="DIR", help="matrix: keep each variant's drop and warehouse under DIR (default: a temporary folder)"
    )

    s = sub.add_parser("export", parents=[wh], help="export labeled data, indicators (STIX 2.1) or a case report")
    s.add_argument("what", choices=["labels", "stix", "report"])
    s.add_argument("--out", required=True, metavar="PATH", help="output folder (labels) or file (stix; report: .html or .pdf)")
    s.add_argument("--level", choices=["account", "request"], default="account")
    s.add_argument("--format", choices=["parquet", "csv", "jsonl"], default="parquet")
    s.add_argument("--split", choices=["campaign", "time"], default="campaign")
    s.add_argument("--campaign", help="campaign id (stix, report)")
    s.add_argument("--with-prompts", action="store_true", help="include prompt text (redacted) in request-level exports")
    s.add_argument(
        "--positives",
        choices=["analyst", "analyst+detector"],
        default="analyst",
        help="labels: analysts' positives only, or also the flagged accounts nobody reviewed",
    )
    s.add_argument("--negatives-per-positive", type=float, metavar="K", help="labels: unflagged accounts sampled per positive (default 3)")
    s.add_argument("--seed", type=int, help="labels: seed of the unflagged sample and the campaign split (default 16)")
    s.add_argument("--unlabeled", action="store_true", help="labels: also write the unlabeled accounts (their own file)")
    s.add_argument("--with-detector-outputs", action="store_true", help="labels: include the detector's scores (marked as leakage)")
    s.add_argument(
        "--tlp",
        type=str.lower,
        choices=["clear", "green", "amber", "amber+strict", "red"],
        default="amber",
        help="TLP 2.0 marking of a STIX bundle or case report (default: amber)",
    )
    s.add_argument("--cases", metavar="URL", help="case store URL (default: RADAR_CASES_URL)")

    s = sub.add_parser("demo", parents=[wh], help="simulate at demo scale, ingest and score (what `make run` does on first start)")
    s.add_argument("--scale", type=float, default=0.01)
    s.add_argument("--seed", type=int, default=7)
    s.add_argument("--force", action="store_true", help="rebuild even if the warehouse already holds data")

    s = sub.add_parser("grants", parents=[wh], help="print or apply the grants of a SELECT-only PostgreSQL role for the dashboard")
    s.add_argument("--reader", required=True, metavar="ROLE", help="the role the dashboard connects as (it must exist)")
    s.add_argument("--schema", help="schema of the warehouse tables (default: the session's, usually public)")
    s.add_argument("--apply", action="store_true", help="run the grants on the warehouse, then check the role")
    s.add_argument("--check", action="store_true", help="only report what the role could still write")

    s = sub.add_parser("quarantine", parents=[wh], help="list rows loads set aside, by file and reason, or print one row's raw line")
    s.add_argument("--file", metavar="F", help="only rows of this source file (as the load log names it)")
    s.add_argument("--reason", metavar="R", help="only rows set aside for this reason (exact text, as listed)")
    s.add_argument("--show", type=int, metavar="ROW", help="print the raw line of this row number (with --file when several files have it)")

    s = sub.add_parser("rollup", parents=[wh], help="recompute the rollups (hourly summaries the pages read) from the stored requests")
    s.add_argument("--rebuild", action="store_true", help="recompute every rollup in one transaction")
    s.add_argument("--quiet", action="store_true", help="no progress bar")

    s = sub.add_parser("schema", help="print the warehouse DDL for ClickHouse (one server, or a cluster with --cluster)")
    s.add_argument("--dialect", choices=["clickhouse"], required=True, help="the engine to print the DDL for")
    s.add_argument("--cluster", metavar="NAME", help="ON CLUSTER NAME: replicated shards and Distributed tables sharded by account")

    s = sub.add_parser("bench", help="print speed and memory figures")
    s.add_argument("what", choices=["ingest", "longlines", "score", "pages", "soak"])
    s.add_argument("--scale", type=float, default=0.05)
    s.add_argument("--seed", type=int, default=11)
    s.add_argument("--workdir", help="folder for the drop and warehouse (default: a temporary folder)")
    s.add_argument("--scales", metavar="A,B", help="ingest: measure at each of these scales in one run (default: --scale)")
    s.add_argument(
        "--warehouse",
        metavar="URL",
        help="ingest, score, pages: also measure this ClickHouse warehouse on the same drop, printed beside DuckDB "
        "(clickhousedb+chdb:///FOLDER?database=NAME: a relative FOLDER sits under --workdir, a missing one is created, the database "
        "emptied for ingest and score; clickhousedb://user@host:8123/db: a fresh database created and dropped by the bench)",
    )
    s.add_argument("--no-browser", action="store_true", help="pages: time the queries only, no Chromium renders")
    s.add_argument("--sessions", type=int, default=3, help="soak: Chromium sessions browsing at once")
    s.add_argument("--minutes", type=float, default=2.0, help="soak: how long the sessions browse while drops load")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and run the subcommand; returns the exit code."""
    args = build_parser().parse_args(argv)
    module_name, func_name = HANDLERS[args.command].split(":")
    handler = getattr(importlib.import_module(module_name), func_name)
    try:
        return int(handler(args))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130

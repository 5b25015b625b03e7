"""Which rows did loads set aside, and why? The quarantine read back (read-only) for the page and `python -m radar quarantine`."""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass

import polars as pl
from sqlalchemy import Engine

from queries import quarantine as qq
from queries.run import run_all, run_page
from radar.config import load_settings
from radar.warehouse import WarehouseError, open_engine

#: Rows listed by the command line before it says how many more there are (a terminal, not a report).
CLI_ROWS = 50


@dataclass(frozen=True)
class Quarantined:
    """What the quarantine holds for a filter: counts per reason, files with their counts, and the rows (without raw text)."""

    reasons: pl.DataFrame
    files: pl.DataFrame
    rows: pl.DataFrame


def quarantined(warehouse: Engine, *, source_file: str | None = None, reason: str | None = None) -> Quarantined:
    """What sits in quarantine (of one file, for one reason)?"""
    return Quarantined(
        reasons=run_all(warehouse, qq.quarantine_reasons(source_file=source_file)),
        files=run_all(warehouse, qq.quarantine_files()),
        rows=run_all(warehouse, qq.quarantine_rows(source_file=source_file, reason=reason)),
    )


def raw_line(warehouse: Engine, *, row_number: int, source_file: str | None = None) -> pl.DataFrame:
    """The raw text of the quarantined row with this number (in one file, or every file that has one)."""
    return run_page(warehouse, qq.quarantine_raw(source_file=source_file, row_number=row_number), row_cap=qq.quarantine_raw.row_cap).frame


def quarantine_command(args: argparse.Namespace) -> int:
    """Print quarantined rows by file and reason, counts per reason, or the raw line of one row; exit 2 on a bad warehouse."""
    settings = load_settings(warehouse_url=getattr(args, "warehouse", None))
    try:
        warehouse = open_engine(settings.warehouse, read_only=True)
        if args.show is not None:
            raw = raw_line(warehouse, row_number=args.show, source_file=args.file)
            if raw.is_empty():
                where = f" of {args.file}" if args.file else ""
                print(f"No quarantined row {args.show}{where}.", file=sys.stderr)
                return 1
            for r in raw.iter_rows(named=True):
                print(f"{r['source_file']} row {r['row_number']}: {r['reason']}")
                print(r["raw"] if r["raw"] is not None else "(the load kept no raw text for this row)")
            return 0
        found = quarantined(warehouse, source_file=args.file, reason=args.reason)
    except WarehouseError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    if found.reasons.is_empty():
        print("Nothing in quarantine" + (f" for {args.file}" if args.file else "") + ".")
        return 0
    print("Rows per reason:")
    for reason, rows, files in found.reasons.iter_rows():
        print(f"  {rows:>8,}  {reason}  ({files:,} file{'s' if files != 1 else ''})")
    print(f"\nRows ({found.rows.height:,}):")
    for r in found.rows.head(CLI_ROWS).iter_rows(named=True):
        print(f"  {r['source_file']}  row {r['row_number']}  {r['reason']}")
    if found.rows.height > CLI_ROWS:
        print(f"  ... {found.rows.height - CLI_ROWS:,} more (narrow with --file or --reason)")
    print("\nShow one row's raw line with --show ROW (and --file FILE).")
    return 0

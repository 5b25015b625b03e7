"""`python -m radar rollup --rebuild`: recompute the rollups from the stored requests, in one transaction, with progress.

Ingest keeps the rollups as it loads; a rebuild is for a warehouse loaded before they existed, for a change of their
definition (say, the prompt-length bins), or to compact them (a load appends one row per grain and chunk; a rebuild
writes one per grain).
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Connection, Engine
from tqdm import tqdm

from queries import rollups, schema
from queries.run import write
from radar.config import load_settings
from radar.ingest import load
from radar.warehouse import WarehouseError, ensure_schema, hold_for_writing, open_engine


@dataclass
class RebuildSummary:
    """What a rebuild wrote: requests read, rows of each rollup, and how long it took."""

    requests: int
    rows: dict[str, int]
    seconds: float

    def lines(self) -> list[str]:
        """The summary as printed at the end of `python -m radar rollup --rebuild`."""
        parts = ", ".join(f"{name}: {n:,} rows" for name, n in self.rows.items())
        return [f"rollups rebuilt from {self.requests:,} requests in {self.seconds:.1f}s ({parts})"]


def rebuild_rollups(engine: Engine, *, progress: bool = False, lock_wait_s: float | None = None) -> RebuildSummary:
    """Recompute every rollup from the stored requests: how many requests were read and rollup rows written?

    One transaction: readers see the old rollups until it commits, and a failure leaves them as they were. Days go
    one at a time, so the progress bar moves and the engine aggregates one day's rows at once."""
    t0 = time.perf_counter()
    wait_s = load_settings().lock_wait_s if lock_wait_s is None else lock_wait_s
    with hold_for_writing(engine, wait_s=wait_s, on_wait=_tell):
        ensure_schema(engine)
        with write(engine) as conn:
            load.prepare_session(conn)
            total, rows = rebuild_in(conn, progress=progress)
    return RebuildSummary(requests=total, rows=rows, seconds=time.perf_counter() - t0)


def rebuild_in(conn: Connection, *, progress: bool = False) -> tuple[int, dict[str, int]]:
    """Recompute every rollup inside the caller's transaction: requests read, and rows of each rollup written."""
    days = conn.execute(rollups.request_days()).all()
    total = sum(int(n) for _, n in days)
    for rollup in schema.ROLLUP_TABLES:
        conn.execute(rollups.clear(rollup))
    with tqdm(total=total, unit=" requests", unit_scale=True, disable=not progress, leave=False) as bar:
        for day, n in days:
            for rollup in schema.ROLLUP_TABLES:
                conn.execute(rollups.add_requests(rollup, day, day + timedelta(days=1)))
            bar.update(int(n))
    return total, {r.name: int(conn.execute(rollups.totals(r)).one()[0]) for r in schema.ROLLUP_TABLES}


def rebuild_if_missing(engine: Engine) -> int | None:
    """Build the rollups of a warehouse whose requests were loaded before rollups existed; requests read, None if not needed.

    Called by a load while it holds the warehouse, before its first file: the new rows then add to complete rollups."""
    with engine.connect() as conn:
        requests = bool(conn.execute(rollups.holds_rows(schema.requests)).scalar())
        summarised = bool(conn.execute(rollups.holds_rows(schema.rollup_account_hours)).scalar())
    if not requests or summarised:
        return None
    with write(engine) as conn:
        load.prepare_session(conn)
        return rebuild_in(conn)[0]


def _tell(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def rollup_command(args: argparse.Namespace) -> int:
    """Rebuild the rollups of the warehouse named on the command line; exit 0, or 1 with one sentence on failure."""
    if not args.rebuild:
        print("error: say what to do: `python -m radar rollup --rebuild`", file=sys.stderr)
        return 2
    settings = load_settings(warehouse_url=args.warehouse)
    try:
        summary = rebuild_rollups(open_engine(settings.warehouse), progress=not args.quiet, lock_wait_s=settings.lock_wait_s)
    except WarehouseError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    except Exception as e:  # the warehouse refused the rebuild (unreachable, read-only): one sentence, nothing changed
        first = (str(e).strip().splitlines() or [type(e).__name__])[0]
        print(f"error: the rollups of {settings.warehouse} could not be rebuilt (nothing changed): {first}", file=sys.stderr)
        return 1
    for line in summary.lines():
        print(line)
    return 0

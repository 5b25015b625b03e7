"""`python -m radar ingest PATH...`: load gateway files, show progress, print the summary; exit 0, 1 (a file failed) or 2 (usage)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from radar.config import load_settings
from radar.ingest.limits import Limits
from radar.ingest.pipeline import ingest_paths
from radar.warehouse import WarehouseError, open_engine


def ingest_command(args: argparse.Namespace) -> int:
    """Load the files named on the command line; which exit code says how it went?"""
    paths = [Path(p) for p in args.paths]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        print(f"error: no such file or folder: {', '.join(missing)}", file=sys.stderr)
        return 2
    settings = load_settings(warehouse_url=args.warehouse)
    chunk_rows = args.chunk_rows or settings.ingest_chunk_rows
    if chunk_rows < 1:
        print("error: --chunk-rows must be at least 1", file=sys.stderr)
        return 2
    if settings.chunk_bytes < 1 or settings.max_prompt_chars < 1:
        print("error: RADAR_CHUNK_BYTES and RADAR_MAX_PROMPT_CHARS must be at least 1", file=sys.stderr)
        return 2
    limits = Limits(rows=chunk_rows, bytes=settings.chunk_bytes, prompt_chars=settings.max_prompt_chars)
    try:
        engine = open_engine(settings.warehouse)
        summary = ingest_paths(paths, engine, limits=limits, progress=not args.quiet, lock_wait_s=settings.lock_wait_s)
    except (WarehouseError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    except Exception as e:  # the warehouse refused us before any file (unreachable server, bad URL): one sentence, no traceback
        first = (str(e).strip().splitlines() or [type(e).__name__])[0]
        print(f"error: the warehouse at {settings.warehouse} could not be used: {first}", file=sys.stderr)
        return 1
    for notice in summary.notices:
        print(notice, file=sys.stderr)
    for err in summary.errors:
        print(f"failed: {err}", file=sys.stderr)
    for line in summary.lines():
        print(line)
    return 0 if summary.ok else 1

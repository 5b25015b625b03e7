"""`python -m radar demo`: simulate a demo drop, ingest it and score it, so a new install has data to look at."""

from __future__ import annotations

import argparse
import shutil
import time

from radar.config import load_settings
from radar.warehouse import ensure_schema, open_engine


def demo_command(args: argparse.Namespace) -> int:
    """Build the demo warehouse: simulate, ingest, score; prints what it does and how long each step took."""
    from radar.detect import score
    from radar.ingest import ingest_paths
    from radar.simulate import simulate

    settings = load_settings(warehouse_url=args.warehouse)
    drop = settings.data_path / "demo-drop"
    if drop.exists():
        shutil.rmtree(drop)
    t0 = time.perf_counter()
    print(f"==> simulating a demo drop at scale {args.scale} (seed {args.seed}) into {drop}")
    simulate(drop, scale=args.scale, seed=args.seed, fmt="parquet", progress=True)
    t1 = time.perf_counter()
    engine = open_engine(settings.warehouse)
    ensure_schema(engine)
    print(f"==> ingesting into {settings.warehouse}")
    summary = ingest_paths([drop], engine, chunk_rows=settings.ingest_chunk_rows, progress=True)
    t2 = time.perf_counter()
    print("==> scoring: baselines, account graph, clusters, campaigns")
    run = score(engine, progress=True)
    t3 = time.perf_counter()
    print(f"==> demo ready: simulate {t1 - t0:.1f}s, ingest {t2 - t1:.1f}s, score {t3 - t2:.1f}s; run {run.run_id}")
    return 0 if summary.ok else 1

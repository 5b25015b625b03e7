"""`python -m radar bench WHAT`: speed and memory figures, printed (never asserted by tests)."""

from __future__ import annotations

import argparse
import importlib

BENCHES = {
    "ingest": "radar.ingest.bench:bench_ingest",
    "score": "radar.detect.bench:bench_score",
    "pages": "pagebench.bench:bench_pages",  # a tool beside the product, imported only when asked for
}


def bench_command(args: argparse.Namespace) -> int:
    """Run one benchmark and print its figures."""
    module_name, func_name = BENCHES[args.what].split(":")
    return int(getattr(importlib.import_module(module_name), func_name)(args))

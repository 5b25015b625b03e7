"""`python -m radar bench WHAT`: speed and memory figures, printed (never asserted by tests)."""

from __future__ import annotations

import argparse
import importlib

BENCHES = {
    "ingest": "radar.ingest.bench:bench_ingest",
    "longlines": "radar.ingest.bench:bench_longlines",  # long prompts: memory follows the chunk limits
    "score": "radar.detect.bench:bench_score",
    "pages": "pagebench.bench:bench_pages",  # a tool beside the product, imported only when asked for
    "soak": "pagebench.soak:bench_soak",  # Chromium sessions and a load at once, loopback only
}


def bench_command(args: argparse.Namespace) -> int:
    """Run one benchmark and print its figures."""
    module_name, func_name = BENCHES[args.what].split(":")
    return int(getattr(importlib.import_module(module_name), func_name)(args))

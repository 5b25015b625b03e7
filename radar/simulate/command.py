"""`python -m radar simulate OUTDIR --scale S --seed N [--variant NAME]`: write a simulated drop and print what was written."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from radar.simulate.drop import simulate


def simulate_command(args: argparse.Namespace) -> int:
    """Run the simulator from the command line; returns the exit code."""
    try:
        variant = getattr(args, "variant", None)
        s = simulate(Path(args.outdir), scale=args.scale, seed=args.seed, fmt=args.format, progress=not args.quiet, variant=variant)
    except (ValueError, OSError) as exc:
        print(f"simulate failed: {exc}", file=sys.stderr)
        return 2
    rate = s.requests / s.seconds if s.seconds > 0 else 0.0
    print(
        f"simulated {s.requests:,} requests ({s.attack_requests:,} from campaigns), {s.accounts:,} accounts, "
        f"{s.api_keys:,} keys into {args.outdir} in {s.seconds:.1f}s ({rate:,.0f} rows/s); truth in truth.csv"
        + (f"; variant {variant}" if variant else "")
    )
    return 0

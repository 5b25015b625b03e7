"""A whole simulated drop: population, request parts, accounts, keys and the truth file."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from tqdm import tqdm

from radar.simulate.population import build_population
from radar.simulate.traffic import batch_requests
from radar.simulate.variants import get_variant
from radar.simulate.write import EXTENSIONS, write_table

# Most request rows per part file.
PART_ROWS = 1_000_000


@dataclass(frozen=True)
class SimSummary:
    """What a simulation wrote."""

    requests: int
    accounts: int
    api_keys: int
    attack_requests: int
    seconds: float
    files: list[Path] = field(default_factory=list)


def plan_parts(n_req: np.ndarray, order: np.ndarray, cap: int = PART_ROWS) -> list[np.ndarray]:
    """Which accounts go into each part file, so that a part holds at most `cap` rows (one account never splits)?"""
    parts: list[np.ndarray] = []
    current: list[int] = []
    rows = 0
    for i in order.tolist():  # one step per account, not per request
        n = int(n_req[i])
        if current and rows + n > cap:
            parts.append(np.array(current, dtype=np.int64))
            current, rows = [], 0
        current.append(i)
        rows += n
    if current:
        parts.append(np.array(current, dtype=np.int64))
    return parts


def simulate(
    outdir: Path, *, scale: float, seed: int, fmt: str = "parquet", progress: bool = False, variant: str | None = None
) -> SimSummary:
    """Write a simulated week of gateway telemetry (contract files plus truth.csv) and say what was written.

    variant names an entry of radar.simulate.variants.VARIANTS; without one the drop is the default week."""
    chosen = get_variant(variant)
    if not scale > 0:
        raise ValueError(f"scale must be a positive number, got {scale}")
    if fmt not in EXTENSIONS:
        raise ValueError(f"format must be one of {', '.join(EXTENSIONS)}, got {fmt!r}")
    t0 = time.perf_counter()
    outdir = Path(outdir)
    req_dir = outdir / "requests"
    req_dir.mkdir(parents=True, exist_ok=True)
    for stale in req_dir.glob("part-*"):  # a previous run's parts would otherwise join this drop
        stale.unlink()
    # A variant's own draws come from a stream of their own, so the default drop's streams are never touched.
    pop = build_population(np.random.default_rng([seed, 0]), scale, chosen, np.random.default_rng([seed, 3]))
    n_req = pop.cols["n_req"]
    order = np.random.default_rng([seed, 1]).permutation(len(n_req))
    parts = plan_parts(n_req, order, PART_ROWS)
    files: list[Path] = []
    total = int(n_req.sum())
    with tqdm(total=total, unit="rows", unit_scale=True, disable=not progress, desc="simulate", leave=False) as bar:
        for i, ids in enumerate(parts):
            frame = batch_requests(pop, ids, np.random.default_rng([seed, 2, i]))
            files.append(write_table(frame, req_dir / f"part-{i:05d}", fmt))
            bar.update(frame.height)
            del frame
    files.append(write_table(pop.accounts, outdir / "accounts", fmt))
    files.append(write_table(pop.api_keys, outdir / "api_keys", fmt))
    truth = outdir / "truth.csv"
    pop.truth.write_csv(truth)
    files.append(truth)
    attack = pop.truth["label"].to_numpy() == "attack"
    return SimSummary(
        requests=total,
        accounts=pop.size,
        api_keys=pop.api_keys.height,
        attack_requests=int(n_req[attack].sum()),
        seconds=time.perf_counter() - t0,
        files=files,
    )

"""A whole simulated drop: population, request parts, accounts, keys and the truth file."""

from __future__ import annotations

import time
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl
from tqdm import tqdm

from radar.simulate.archetypes import ARCHETYPES
from radar.simulate.population import build_slice
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
    outdir: Path,
    *,
    scale: float,
    seed: int,
    fmt: str = "parquet",
    progress: bool = False,
    variant: str | None = None,
    only: Collection[str] | None = None,
) -> SimSummary:
    """Write a simulated week of gateway telemetry (contract files plus truth.csv) and say what was written.

    variant names an entry of radar.simulate.variants.VARIANTS; without one the drop is the default week. only names
    the archetypes to write (all of them by default): each archetype draws from streams of its own, so the drops of
    disjoint `only` sets, taken together, are row for row the drop of all of them."""
    chosen = get_variant(variant)
    if not scale > 0:
        raise ValueError(f"scale must be a positive number, got {scale}")
    if fmt not in EXTENSIONS:
        raise ValueError(f"format must be one of {', '.join(EXTENSIONS)}, got {fmt!r}")
    names = [a.name for a in ARCHETYPES]
    unknown = sorted(set(only or ()) - set(names))
    if unknown:
        raise ValueError(f"unknown archetype(s) {', '.join(unknown)}; known archetypes: {', '.join(names)}")
    codes = [code for code, name in enumerate(names) if only is None or name in only]
    if not codes:
        raise ValueError("no archetype to simulate: name at least one with only, or leave it out for all of them")
    t0 = time.perf_counter()
    outdir = Path(outdir)
    req_dir = outdir / "requests"
    req_dir.mkdir(parents=True, exist_ok=True)
    for stale in req_dir.glob("part-*"):  # a previous run's parts would otherwise join this drop
        stale.unlink()
    files: list[Path] = []
    accounts: list[pl.DataFrame] = []
    api_keys: list[pl.DataFrame] = []
    truths: list[pl.DataFrame] = []
    total = attack_total = 0
    with tqdm(unit="rows", unit_scale=True, disable=not progress, desc="simulate", leave=False) as bar:
        for code in codes:  # one archetype's population in memory at a time
            pop = build_slice(seed, code, scale, chosen)
            n_req = pop.cols["n_req"]
            order = np.random.default_rng([seed, 1, code]).permutation(len(n_req))
            for i, ids in enumerate(plan_parts(n_req, order, PART_ROWS)):
                frame = batch_requests(pop, ids, np.random.default_rng([seed, 2, code, i]))
                files.append(write_table(frame, req_dir / f"part-{len(files):05d}", fmt))
                bar.update(frame.height)
                del frame
            total += int(n_req.sum())
            attack_total += int(n_req.sum()) if pop.archetypes[code].campaign else 0
            accounts.append(pop.accounts)
            api_keys.append(pop.api_keys)
            truths.append(pop.truth)
            del pop
    # Random identifiers in sorted order: no row's position tells its archetype.
    account_rows = pl.concat(accounts).sort("account_id")
    key_rows = pl.concat(api_keys).sort("api_key_id")
    files.append(write_table(account_rows, outdir / "accounts", fmt))
    files.append(write_table(key_rows, outdir / "api_keys", fmt))
    truth = outdir / "truth.csv"
    pl.concat(truths).sort("account_id").write_csv(truth)
    files.append(truth)
    return SimSummary(
        requests=total,
        accounts=account_rows.height,
        api_keys=key_rows.height,
        attack_requests=attack_total,
        seconds=time.perf_counter() - t0,
        files=files,
    )

"""The matrix's warehouses: the default drop loaded once, archetype by archetype, and each variant's warehouse made from
a copy of it with only the archetypes the variant changes simulated and loaded again.

This is exact, not an approximation: every archetype draws from random streams of its own (see
radar.simulate.population.slice_streams), so the archetypes a variant leaves alone are row for row those of the
default drop, and ingest enriches each row from its own fields only.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from queries import schema
from queries.load import forget_loads
from queries.run import write
from radar.detect.evaluate import read_truth
from radar.simulate.archetypes import ARCHETYPES
from radar.warehouse import ensure_schema, open_engine

#: the telemetry tables a drop fills, and the load log that names each load's file
_LOADED = (schema.requests, schema.accounts, schema.api_keys, schema.load_log)


class DropError(ValueError):
    """A drop could not be simulated or loaded; the message says which and why."""


@dataclass(frozen=True)
class BaseDrop:
    """The default drop, loaded: its warehouse file, its truth, and which loads hold each archetype's rows."""

    db: Path
    truth: pl.DataFrame
    loads: dict[str, list[str]]  # archetype name -> load ids of its files
    simulate_s: float
    ingest_s: float


@dataclass(frozen=True)
class VariantDrop:
    """A variant's warehouse, ready to score: its file, its truth, and what building it cost."""

    db: Path
    truth: pl.DataFrame
    simulate_s: float
    ingest_s: float


def _contract_files(drop: Path) -> list[Path]:
    """The gateway files of a drop folder: the truth file stays beside the drop, never in the warehouse."""
    return [*sorted(drop.glob("accounts.*")), *sorted(drop.glob("api_keys.*")), drop / "requests"]


def _ingest(drop: Path, db: Path, what: str) -> list[str]:
    """Load a drop folder's contract files into the DuckDB file; which load ids did it write?"""
    from radar.ingest import ingest_paths  # the ingest pipeline loads only when a matrix runs

    engine = open_engine(f"duckdb:///{db}")
    try:
        ensure_schema(engine)
        loaded = ingest_paths(_contract_files(drop), engine, progress=False)
    finally:
        engine.dispose()
    if not loaded.ok:
        raise DropError(f"{what}: ingest failed: {'; '.join(loaded.errors) or 'see the load log'}")
    if loaded.rows_quarantined:
        raise DropError(f"{what}: {loaded.rows_quarantined:,} simulated rows were quarantined; the simulator broke the contract")
    return list(loaded.load_ids)


def build_base(folder: Path, *, scale: float, seed: int) -> BaseDrop:
    """What is the default drop, loaded once with each archetype's files in loads of their own?"""
    from radar.simulate import simulate

    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "base.duckdb"
    for stale in folder.glob("base.duckdb*"):  # a previous run's warehouse would add its rows to this one
        stale.unlink()
    loads: dict[str, list[str]] = {}
    truths: list[pl.DataFrame] = []
    simulate_s = ingest_s = 0.0
    for arch in ARCHETYPES:
        drop = folder / "drop" / arch.name
        t0 = time.perf_counter()
        simulate(drop, scale=scale, seed=seed, only=[arch.name])
        t1 = time.perf_counter()
        loads[arch.name] = _ingest(drop, db, f"default drop, {arch.name}")
        ingest_s += time.perf_counter() - t1
        simulate_s += t1 - t0
        truths.append(read_truth(drop / "truth.csv"))
        shutil.rmtree(drop / "requests")  # loaded: the parts are no longer needed on disk
    truth = pl.concat(truths, how="diagonal_relaxed").sort("account_id")
    return BaseDrop(db=db, truth=truth, loads=loads, simulate_s=simulate_s, ingest_s=ingest_s)


def variant_drop(base: BaseDrop, variant: str | None, targets: tuple[str, ...], folder: Path, *, scale: float, seed: int) -> VariantDrop:
    """What is this variant's warehouse? A copy of the default one with the target archetypes' rows simulated anew."""
    from radar.simulate import simulate

    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "warehouse.duckdb"
    for stale in folder.glob("warehouse.duckdb*"):
        stale.unlink()
    t0 = time.perf_counter()
    shutil.copyfile(base.db, db)
    if not targets:
        return VariantDrop(db=db, truth=base.truth, simulate_s=0.0, ingest_s=time.perf_counter() - t0)
    forget = [load_id for name in targets for load_id in base.loads[name]]
    engine = open_engine(f"duckdb:///{db}")
    try:
        with write(engine) as conn:
            for table in _LOADED:
                conn.execute(forget_loads(table, forget))
    finally:
        engine.dispose()
    t1 = time.perf_counter()
    drop = folder / "drop"
    simulate(drop, scale=scale, seed=seed, variant=variant, only=targets)
    t2 = time.perf_counter()
    _ingest(drop, db, f"{variant}, {', '.join(targets)}")
    t3 = time.perf_counter()
    changed = read_truth(drop / "truth.csv")
    kept = base.truth.filter(~pl.col("archetype").is_in(list(targets)))
    truth = pl.concat([kept, changed], how="diagonal_relaxed").sort("account_id")
    return VariantDrop(db=db, truth=truth, simulate_s=t2 - t1, ingest_s=(t1 - t0) + (t3 - t2))

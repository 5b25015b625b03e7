"""The matrix's variant warehouses: a copy of the default drop with the changed archetypes redone holds, row for row,
what the full simulation of that variant loads (requests, accounts, api_keys), and the truth says the same."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import Table, select

from queries import schema
from queries.run import run_all
from radar.detect.evaluate import read_truth
from radar.detect.matrix_drops import build_base, variant_drop
from radar.simulate.variants import VARIANTS
from radar.warehouse import ensure_schema, open_engine

ingest = pytest.importorskip("radar.ingest")
SCALE, SEED = 0.002, 11
TABLES = {
    "requests": ("request_id", schema.requests),
    "accounts": ("account_id", schema.accounts),
    "api_keys": ("api_key_id", schema.api_keys),
}


def _table(db: Path, table: Table, key: str) -> pl.DataFrame:
    """Every row of a warehouse table, by key, without the load id (a fresh id per load, whatever was loaded)."""
    engine = open_engine(f"duckdb:///{db}")
    try:
        return run_all(engine, select(table)).drop("load_id").sort(key)
    finally:
        engine.dispose()


def _full(folder: Path, variant: str) -> tuple[Path, pl.DataFrame]:
    """The variant simulated whole and loaded into a fresh warehouse, as `radar simulate` + `radar ingest` would."""
    from radar.simulate import simulate

    simulate(folder / "drop", scale=SCALE, seed=SEED, variant=variant)
    db = folder / "full.duckdb"
    engine = open_engine(f"duckdb:///{db}")
    try:
        ensure_schema(engine)
        loaded = ingest.ingest_paths([folder / "drop"], engine)
    finally:
        engine.dispose()
    assert loaded.ok and loaded.rows_quarantined == 0
    return db, read_truth(folder / "drop" / "truth.csv")


@pytest.mark.slow
def test_a_variant_warehouse_built_from_the_default_one_equals_the_full_simulation(tmp_path: Path) -> None:
    base = build_base(tmp_path / "base", scale=SCALE, seed=SEED)
    assert set(base.loads) == set(base.truth["archetype"]) and all(base.loads.values())
    # a campaign variant (every campaign style redone) and a benign one that changes a share of one archetype
    for name in ("keys_daily", "venue_network"):
        made = variant_drop(base, name, VARIANTS[name].targets, tmp_path / name, scale=SCALE, seed=SEED)
        full_db, full_truth = _full(tmp_path / f"{name}-full", name)
        for table, (key, target) in TABLES.items():
            got, want = _table(made.db, target, key), _table(full_db, target, key)
            assert got.height == want.height > 0, (name, table)
            assert got.equals(want), (name, table)
        assert made.truth.sort("account_id").equals(full_truth.sort("account_id")), name
        assert made.truth.filter(pl.col("variant") == name).height > 0
    # the variant really changed its targets: the rows differ from the default drop's where it acted
    base_keys = _table(base.db, schema.api_keys, "api_key_id")
    assert not base_keys.equals(_table(tmp_path / "keys_daily" / "warehouse.duckdb", schema.api_keys, "api_key_id"))

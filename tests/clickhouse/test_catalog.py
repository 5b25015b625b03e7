"""Every catalog question runs on the embedded ClickHouse engine and answers exactly as DuckDB does on the same seeded
warehouse (tests/queries/seed.py), through the page executor with the question's own cap."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from queries import dialect
from queries.catalog import catalog
from queries.run import run_page
from radar.warehouse import open_engine
from tests.clickhouse.compare import difference
from tests.queries.samples import arguments
from tests.queries.seed import seed_warehouse

QUESTIONS = {q.name: q for q in catalog()}
#: questions whose answer on the seeded warehouse is empty, and why (as tests/queries/test_catalog.py says)
EMPTY_ON_SEED = {"detect_edges.account_memberships"}
#: columns whose value is an engine's approximate distinct count (dialect.approx_distinct): compared within 2%
APPROXIMATE = {"active_keys", "active_accounts"}


@pytest.fixture(scope="module")
def engines(clickhouse_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Engine]]:
    """Read-only engines on the seeded warehouse, on DuckDB and on the embedded ClickHouse engine."""
    urls = {
        "duckdb": f"duckdb:///{tmp_path_factory.mktemp('seed-duck') / 'radar.duckdb'}",
        "clickhouse": f"clickhousedb+chdb:///{clickhouse_folder}?database=seeded_catalog",
    }
    out = {}
    for name, url in urls.items():
        seed_warehouse(url)
        out[name] = open_engine(url, read_only=True)
    yield out
    for e in out.values():
        e.dispose()


def test_the_clickhouse_engine_is_clickhouse(engines: dict[str, Engine]) -> None:
    assert dialect.dialect_name(engines["clickhouse"]) == dialect.CLICKHOUSE


@pytest.mark.parametrize("name", sorted(QUESTIONS))
def test_every_question_runs_on_clickhouse_and_answers_as_duckdb(name: str, engines: dict[str, Engine]) -> None:
    q = QUESTIONS[name]
    stmt = q(**arguments(q))
    got: dict[str, Any] = {k: run_page(e, stmt, timeout_s=60, row_cap=q.row_cap).frame for k, e in engines.items()}
    ch, duck = got["clickhouse"], got["duckdb"]
    assert ch.columns == list(stmt.selected_columns.keys())
    assert ch.height > 0 or name in EMPTY_ON_SEED, f"{name} returned no rows on ClickHouse"
    approx = tuple(c for c in ch.columns if c in APPROXIMATE)
    for c in approx:
        assert ch[c].to_list() == pytest.approx(duck[c].to_list(), rel=0.02), c
    assert difference(ch, duck, drop=approx) is None, difference(ch, duck, drop=approx)

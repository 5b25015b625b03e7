"""One simulated drop, ingested and scored on DuckDB, PostgreSQL and the embedded ClickHouse engine: the overview,
keys, clusters and campaign pages' figures are the same on all three.

Each engine scores its own warehouse (`radar.detect.score`), so equal campaign and cluster figures also say that
scoring reads the same features on every engine. Only what a run cannot share is left out: run ids and load times.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pagebench.bench import arguments, bench_context
from queries import catalog
from queries.run import run_page
from radar.detect import score
from radar.ingest import ingest_paths
from radar.simulate import simulate
from radar.warehouse import open_engine
from tests.clickhouse.compare import difference
from tests.pg import PostgresServer

PAGES = ("overview", "keys", "clusters", "campaign")
#: per question, the columns no two runs share: when the loads happened
RUN_SPECIFIC = {"overview.load_status": ("last_load",)}
#: columns whose value is an engine's approximate distinct count (dialect.approx_distinct): within 2% of each other
APPROXIMATE = ("active_keys", "active_accounts")


@pytest.fixture(scope="module")
def answers(tmp_path_factory: pytest.TempPathFactory, clickhouse_folder: Path, pg_server: PostgresServer) -> dict[str, dict[str, Any]]:
    """Each engine's answer to every question of the four pages, for the same drop and each engine's own run."""
    drop = tmp_path_factory.mktemp("drop")
    simulate(drop, scale=0.003, seed=20260214, fmt="parquet", progress=False)
    urls = {
        "duckdb": f"duckdb:///{tmp_path_factory.mktemp('duck') / 'radar.duckdb'}",
        "postgresql": pg_server.new_database(),
        "clickhouse": f"clickhousedb+chdb:///{clickhouse_folder}?database=same_figures",
    }
    out: dict[str, dict[str, Any]] = {}
    for name, url in urls.items():
        engine = open_engine(url)
        assert ingest_paths([drop], engine).ok
        score(engine)
        reader = open_engine(url, read_only=True)
        ctx = bench_context(reader)
        assert "campaign_id" in ctx, f"no campaign found on {name}: the drop is too small to compare campaign pages"
        out[name] = {"context": ctx}
        for page in PAGES:
            for q in catalog.for_page(page):
                frame = run_page(reader, q(**arguments(q, ctx)), row_cap=q.row_cap).frame
                out[name][q.name] = frame.drop([c for c in frame.columns if c == "run_id"])
        reader.dispose()
        engine.dispose()
    return out


@pytest.mark.slow
def test_the_three_engines_open_the_same_campaign(answers: dict[str, dict[str, Any]]) -> None:
    picked = {name: {k: v for k, v in a["context"].items() if k != "run_id"} for name, a in answers.items()}
    assert picked["clickhouse"] == picked["duckdb"] == picked["postgresql"]


@pytest.mark.slow
@pytest.mark.parametrize("other", ["duckdb", "postgresql"])
@pytest.mark.parametrize("name", sorted(q.name for page in PAGES for q in catalog.for_page(page)))
def test_page_figures_are_equal_on_clickhouse(name: str, other: str, answers: dict[str, dict[str, Any]]) -> None:
    ch, ref = answers["clickhouse"][name], answers[other][name]
    approx = tuple(c for c in APPROXIMATE if c in ch.columns)
    for c in approx:
        assert ch[c].to_list() == pytest.approx(ref[c].to_list(), rel=0.02), c
    drop = RUN_SPECIFIC.get(name, ()) + approx
    assert difference(ch, ref, drop=drop) is None, difference(ch, ref, drop=drop)

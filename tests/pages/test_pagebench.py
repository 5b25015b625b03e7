"""The page bench times exactly the catalog's questions per page, with arguments taken from its selection by name."""

from __future__ import annotations

import pytest

from app_state import PAGES
from pagebench.bench import BenchError, arguments, bench_context, catalog_pages, time_queries
from queries import key_baselines, overview
from radar.warehouse import open_engine
from tests.queries import seed


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    url = f"duckdb:///{tmp_path_factory.mktemp('bench') / 'radar.duckdb'}"
    seed.seed_warehouse(url)
    e = open_engine(url, read_only=True)
    yield e
    e.dispose()


def test_bench_selection_is_the_riskiest_campaign_of_the_latest_run(engine) -> None:  # type: ignore[no-untyped-def]
    ctx = bench_context(engine)
    assert (ctx["run_id"], ctx["campaign_id"], ctx["cluster_id"]) == (seed.RUN_ID, "C1", "CL1")
    assert ctx["api_key_id"].startswith("kx") and ctx["end"] == seed.END and ctx["start"] == seed.START


def test_every_page_question_is_timed(engine) -> None:  # type: ignore[no-untyped-def]
    pages = catalog_pages()
    # every investigation page of the navigation asks catalog questions, so every one is benched
    assert {p.url_path for p in PAGES if p.section == "Investigate"} <= set(pages)
    times = time_queries(engine, bench_context(engine))
    assert list(times) == pages and all(t > 0 for t in times.values())


def test_arguments_by_name_and_a_loud_failure_for_a_missing_one() -> None:
    ctx = {"start": seed.START, "end": seed.END, "run_id": "r1", "model": None, "unrelated": 1}
    assert arguments(overview.flagged_counts, ctx) == {"start": seed.START, "end": seed.END, "run_id": "r1"}
    assert arguments(overview.traffic_kpis, ctx) == {"start": seed.START, "end": seed.END, "run_id": "r1", "model": None}
    with pytest.raises(BenchError, match="key_baselines.key_profile needs `api_key_id`"):
        arguments(key_baselines.key_profile, ctx)

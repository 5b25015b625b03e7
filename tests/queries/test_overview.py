"""Overview builders on DuckDB and PostgreSQL, checked against the seeded warehouse's known numbers."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from queries import detect_results, overview, schema
from queries.run import run_page
from radar.warehouse import open_engine
from tests.queries import seed


def test_traffic_kpis_count_everything_and_the_flagged_share(rows) -> None:
    k = rows(overview.traffic_kpis(seed.START, seed.END, run_id=seed.RUN_ID)).row(0, named=True)
    assert k["requests"] == seed.TOTAL_CALLS == 3084
    assert k["active_keys"] == seed.N_KEYS
    assert k["active_accounts"] == seed.N_ACCOUNTS
    assert k["flagged_requests"] == seed.C1_CALLS + seed.C2_CALLS
    # every campaign account alerts in the seeded run, and no other account does
    assert k["flagged_output_tokens"] == seed.C1_OUTPUT_TOKENS + seed.C2_CALLS * 600
    assert k["output_tokens"] == seed.BENIGN_CALLS * 200 + seed.C1_OUTPUT_TOKENS + seed.C2_CALLS * 600


def test_traffic_kpis_respect_window_and_model(rows) -> None:
    day3 = seed.START + timedelta(days=2)
    k = rows(overview.traffic_kpis(day3, seed.END, run_id=seed.RUN_ID, model="model-b")).row(0, named=True)
    assert k["requests"] == 11 * 72  # model-b only on day 3, where the revoked key is silent
    k0 = rows(overview.traffic_kpis(seed.START, seed.END)).row(0, named=True)
    assert k0["flagged_requests"] == 0 and k0["requests"] == seed.TOTAL_CALLS


def test_flagged_counts(rows) -> None:
    c = rows(overview.flagged_counts(seed.START, seed.END, run_id=seed.RUN_ID)).row(0, named=True)
    assert c["campaigns"] == 2
    assert c["flagged_keys"] == 12 + 3
    later = rows(overview.flagged_counts(seed.END + timedelta(days=1), seed.END + timedelta(days=2), run_id=seed.RUN_ID)).row(0, named=True)
    assert later["campaigns"] == 0


def test_traffic_over_time_splits_flagged_hourly(rows) -> None:
    f = rows(overview.traffic_over_time(seed.START, seed.END, run_id=seed.RUN_ID))
    assert int(f["calls"].sum()) == seed.TOTAL_CALLS
    flagged = f.filter(f["flagged"])
    assert int(flagged["calls"].sum()) == seed.C1_CALLS + seed.C2_CALLS
    assert flagged.height == 72  # every hour of three days
    assert int(f.filter(~f["flagged"])["calls"].max()) == 16  # 8 benign keys x 2 calls in office hours


def test_top_campaigns_ranked_by_score(rows) -> None:
    f = rows(overview.top_campaigns(seed.START, seed.END, run_id=seed.RUN_ID))
    assert f["campaign_id"].to_list() == ["C1", "C2"]
    assert f["calls"].to_list() == [seed.C1_CALLS, seed.C2_CALLS]


def test_load_status_and_extent(rows) -> None:
    s = rows(overview.load_status()).row(0, named=True)
    assert (s["files"], s["quarantined"], s["rows_loaded"]) == (1, 2, seed.TOTAL_CALLS)
    e = rows(overview.data_extent()).row(0, named=True)
    assert e["requests"] == seed.TOTAL_CALLS and e["first_ts"].date() == seed.START.date()
    assert rows(detect_results.latest_run())["run_id"].to_list() == [seed.RUN_ID]
    assert rows(overview.model_list())["model"].to_list() == ["model-a", "model-b"]


def test_traffic_without_a_run_is_all_unflagged(rows) -> None:
    f = rows(overview.traffic_over_time(seed.START, seed.END))
    assert int(f["calls"].sum()) == seed.TOTAL_CALLS and not any(f["flagged"].to_list())


def test_flagged_means_stored_alerting_not_campaign_membership(warehouse_url: str) -> None:
    """An analyst dismissed campaign account x01 (alerting false) and lone account b03 alerts: flags follow `alerting`."""
    seed.seed_warehouse(warehouse_url)
    a = schema.account_scores
    with open_engine(warehouse_url).begin() as conn:
        conn.execute(update(a).where(a.c.account_id == "x01").values(alerting=False))
        conn.execute(update(a).where(a.c.account_id == "b03").values(alerting=True))
    engine = open_engine(warehouse_url, read_only=True)
    x01_calls, b03_calls = 108 + 216, 48  # kx01a is revoked half-way; b03 is one office-hours key
    k = run_page(engine, overview.traffic_kpis(seed.START, seed.END, run_id=seed.RUN_ID)).frame.row(0, named=True)
    assert k["flagged_requests"] == seed.C1_CALLS - x01_calls + seed.C2_CALLS + b03_calls
    assert k["flagged_output_tokens"] == (seed.C1_CALLS - x01_calls) * 1000 + seed.C2_CALLS * 600 + b03_calls * 200
    c = run_page(engine, overview.flagged_counts(seed.START, seed.END, run_id=seed.RUN_ID)).frame.row(0, named=True)
    assert c["flagged_keys"] == 12 - 2 + 3 + 1 and c["campaigns"] == 2
    f = run_page(engine, overview.traffic_over_time(seed.START, seed.END, run_id=seed.RUN_ID)).frame
    assert int(f.filter(f["flagged"])["calls"].sum()) == k["flagged_requests"]
    engine.dispose()

"""Analysts' decisions reach the next detection run: allowlist from the case store, confirmed campaigns' indicators."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
from sqlalchemy import select

from queries import schema
from queries.run import run_all
from queries.triage_queue import triage_accounts, triage_campaigns
from radar.cases.allowlist import add_allowlist
from radar.cases.feedback import load_feedback
from radar.cases.labels import latest_run_id
from radar.cases.store import open_case_store, save_case
from radar.warehouse import ensure_schema, open_engine
from tests.cases.actors import lead


def test_case_store_decisions_feed_the_next_run(tmp_path: Path) -> None:
    from radar.detect import score
    from radar.ingest import ingest_paths
    from radar.simulate import simulate

    simulate(tmp_path / "drop", scale=0.002, seed=5, fmt="parquet", progress=False)
    wh = open_engine(f"duckdb:///{tmp_path / 'radar.duckdb'}")
    ensure_schema(wh)
    ingest_paths([tmp_path / "drop"], wh, chunk_rows=500_000, progress=False)
    score(wh)
    rid = latest_run_id(wh)
    assert rid is not None
    campaigns = run_all(wh, triage_campaigns(rid))
    assert campaigns.height >= 1
    top = str(campaigns["entity_id"][0])
    quiet = str(run_all(wh, triage_accounts(rid)).filter(pl.col("campaign_id").is_null())["entity_id"][-1])

    cases_url = f"sqlite:///{tmp_path / 'cases.sqlite'}"
    cs = open_case_store(cases_url)
    save_case(
        cs, "campaign", top, {"status": "confirmed", "disposition": "true_positive_extraction"}, expected_version=0, actor=lead("ana")
    )
    add_allowlist(cs, [("account", quiet, "internal evaluation")], actor=lead("ana"))
    fb = load_feedback(cases_url, warehouse=wh)
    with wh.connect() as conn:
        recorded = json.loads(
            conn.execute(
                select(schema.campaigns.c.indicators).where(schema.campaigns.c.run_id == rid, schema.campaigns.c.campaign_id == top)
            ).scalar_one()
        )
    assert {k: {str(v) for v in vs} for k, vs in recorded.items()} == fb.confirmed_indicators
    assert ("account", quiet) in fb.allowlisted

    second = score(wh, feedback=fb)
    with wh.connect() as conn:
        flagged = conn.execute(
            select(schema.account_scores.c.allowlisted).where(
                schema.account_scores.c.run_id == second.run_id, schema.account_scores.c.account_id == quiet
            )
        ).scalar_one()
    assert flagged is True

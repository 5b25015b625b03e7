"""End to end on a small simulated drop: simulate, ingest, score, evaluate against the simulator's truth."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import select

from queries import detect_results
from queries.run import run_all_on
from radar.detect import score
from radar.detect.evaluate import evaluate, read_truth
from radar.simulate.archetypes import ARCHETYPES
from radar.warehouse import ensure_schema, open_engine

#: every benign population of the simulator, the hard negatives (eval harness, institution NAT, agentic coder,
#: SaaS integration) among them; and every campaign
BENIGN = tuple(a.name for a in ARCHETYPES if not a.campaign)
CAMPAIGNS = tuple(a.name for a in ARCHETYPES if a.campaign)


@pytest.mark.slow
def test_detection_meets_its_thresholds_on_a_simulated_drop(tmp_path: Path) -> None:
    from radar.ingest import ingest_paths
    from radar.simulate import simulate

    drop = tmp_path / "drop"
    simulate(drop, scale=0.02, seed=20260214, fmt="parquet", progress=False)
    eng = open_engine(f"duckdb:///{tmp_path / 'w.duckdb'}")
    ensure_schema(eng)
    assert ingest_paths([drop], eng, progress=False).ok
    run = score(eng)
    assert run.n_campaigns >= 1
    with eng.connect() as conn:
        rows = run_all_on(conn, detect_results.run_accounts(run.run_id))
        assert run_all_on(conn, select(detect_results.latest_run().subquery()))["run_id"][0] == run.run_id
    result = evaluate(rows, read_truth(drop / "truth.csv"))
    assert result.n_attackers > 100 and result.n_benign > 500
    assert result.recall_at_fpr >= 0.95
    assert result.average_precision >= 0.95
    # a campaign whose sub-operations share no infrastructure at all (no prefix, card, sign-up IP, client
    # fingerprint or ASN, uncorrelated timing) is kept as separate clusters, each flagged on its own: so at
    # least half of each campaign sits in one cluster, and nearly all of it sits in campaign clusters
    assert result.campaign_in_one_cluster and min(result.campaign_in_one_cluster.values()) >= 0.5
    truth = read_truth(drop / "truth.csv").filter(pl.col("attacker"))
    in_campaigns = truth.join(rows, on="account_id", how="left")["campaign_id"].is_not_null().mean()
    assert float(in_campaigns or 0.0) >= 0.95  # type: ignore[arg-type]
    # every archetype must be in the evaluated drop, or its threshold below would pass unchecked
    missing = sorted(set(BENIGN + CAMPAIGNS) - set(result.flagged_by_archetype))
    assert not missing, f"archetypes absent from the evaluated drop: {missing}"
    for archetype in BENIGN:
        assert result.flagged_by_archetype[archetype] <= 0.02, archetype
    # a campaign is flagged for most of its accounts at the alert score (recall above is at 1% false positives)
    for archetype in CAMPAIGNS:
        assert result.flagged_by_archetype[archetype] >= 0.5, archetype

"""Stored runs on DuckDB and PostgreSQL: reproducible ids and scores, one transaction, failed runs leave no results."""

from __future__ import annotations

import polars as pl
import pytest
from sqlalchemy import func, select, text

from queries import schema
from queries.run import run_all_on
from radar.detect import score
from radar.warehouse import ensure_schema, open_engine
from tests.detect import world


def test_runs_are_stored_and_reproducible(warehouse_url: str) -> None:
    eng = open_engine(warehouse_url)
    world.build(eng)
    r1 = score(eng)
    r2 = score(eng)
    assert r1.run_id != r2.run_id
    assert (r1.n_accounts, r1.n_campaigns) == (114, 1)
    a = schema.account_scores
    with eng.connect() as conn:
        runs = run_all_on(conn, select(schema.score_runs.c.run_id, schema.score_runs.c.status).order_by(schema.score_runs.c.run_id))
        s1 = run_all_on(
            conn, select(a.c.account_id, a.c.score, a.c.cluster_id, a.c.campaign_id).where(a.c.run_id == r1.run_id).order_by(a.c.account_id)
        )
        s2 = run_all_on(
            conn, select(a.c.account_id, a.c.score, a.c.cluster_id, a.c.campaign_id).where(a.c.run_id == r2.run_id).order_by(a.c.account_id)
        )
        n_links = conn.execute(
            select(func.count()).select_from(schema.cluster_links).where(schema.cluster_links.c.run_id == r1.run_id)
        ).scalar()
        n_keys = conn.execute(select(func.count()).select_from(schema.key_scores).where(schema.key_scores.c.run_id == r1.run_id)).scalar()
    assert runs["status"].to_list() == ["done", "done"]
    assert s1.height == 114 and n_keys == 115 and (n_links or 0) > 12
    assert s1.equals(s2)
    hydra = s1.filter(pl.col("account_id").is_in(world.HYDRA))
    assert hydra["score"].min() >= 0.6 and hydra["campaign_id"].n_unique() == 1


def test_failed_run_is_marked_and_leaves_no_partial_results(warehouse_url: str) -> None:
    eng = open_engine(warehouse_url)
    world.build(eng)
    with eng.begin() as conn:
        conn.execute(text("DROP TABLE campaigns"))  # the last table written: everything before it must roll back
    with pytest.raises(Exception):  # noqa: B017 - the driver's own error for the missing table
        score(eng)
    with eng.connect() as conn:
        status = conn.execute(select(schema.score_runs.c.status)).scalars().all()
        n = conn.execute(select(func.count()).select_from(schema.account_scores)).scalar()
    assert status == ["failed"]
    assert n == 0
    ensure_schema(eng)
    assert score(eng).n_campaigns == 1

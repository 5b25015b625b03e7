"""The summaries a scoring run stores equal the same figures aggregated from raw requests (numbers, not shapes).

A simulated drop is ingested and scored through the real path (radar.detect.score stores the summaries in the run's
transaction); each campaign page question, now read from summaries, is compared with the raw-request aggregate the
page used to compute, over the run's window.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from typing import Any

import polars as pl
import pytest
from sqlalchemy import Engine, String, and_, case, cast, func, literal, select

from queries import campaign as cp
from queries import clusters as cl
from queries import dialect, schema
from queries.run import run_all
from radar.detect import score
from radar.ingest import ingest_paths
from radar.simulate import simulate
from radar.warehouse import ensure_schema, open_engine


@pytest.fixture(scope="module")
def scored(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Engine, str, Any, Any]]:
    d = tmp_path_factory.mktemp("summaries")
    simulate(d / "drop", scale=0.002, seed=5, fmt="parquet", progress=False)
    engine = open_engine(f"duckdb:///{d / 'w.duckdb'}")
    ensure_schema(engine)
    assert ingest_paths([d / "drop"], engine, progress=False).ok
    run = score(engine)
    assert run.n_campaigns >= 1, "the simulated drop must hold a campaign for this test to compare anything"
    s = schema.score_runs
    w = run_all(engine, select(s.c.window_start, s.c.window_end).where(s.c.run_id == run.run_id)).row(0)
    # the page's window: whole UTC days covering the run's window (the sidebar picks days)
    start = datetime.combine(w[0].date(), time(0), tzinfo=UTC)
    end = datetime.combine(w[1].date() + timedelta(days=1), time(0), tzinfo=UTC)
    yield engine, run.run_id, start, end
    engine.dispose()


def _campaigns(engine: Engine, run_id: str) -> list[str]:
    return [str(c) for c in run_all(engine, cp.campaign_list(run_id=run_id))["campaign_id"].to_list()]


def _members(run_id: str, campaign_id: str) -> Any:
    a = schema.account_scores
    return select(a.c.account_id).where(a.c.run_id == run_id, a.c.campaign_id == campaign_id)


def _sorted(frame: pl.DataFrame) -> list[tuple[Any, ...]]:
    return sorted(frame.rows())


def test_harvest_and_model_mix_equal_raw_requests(scored: tuple[Engine, str, Any, Any]) -> None:
    engine, run_id, start, end = scored
    r, ak = schema.requests, schema.api_keys
    for cid in _campaigns(engine, run_id):
        members = _members(run_id, cid)
        first = select(func.min(ak.c.revoked_at)).where(ak.c.account_id.in_(members)).scalar_subquery()
        after = and_(first.is_not(None), r.c.ts >= first)
        phase = case((after, literal(schema.AFTER_ACTION)), else_=literal(schema.BEFORE_ACTION))
        raw = run_all(
            engine,
            select(r.c.model, phase, func.count(), func.sum(r.c.input_tokens), func.sum(r.c.output_tokens))
            .where(r.c.ts >= start, r.c.ts < end, r.c.account_id.in_(members))
            .group_by(r.c.model, phase),
        )
        got = run_all(engine, cp.campaign_harvest(start, end, run_id=run_id, campaign_id=cid)).drop("first_action")
        assert _sorted(got) == _sorted(raw) and got.height > 0
        day = dialect.trunc_day(r.c.ts)
        raw_mix = run_all(
            engine,
            select(day, r.c.model, func.count()).where(r.c.ts >= start, r.c.ts < end, r.c.account_id.in_(members)).group_by(day, r.c.model),
        )
        assert _sorted(run_all(engine, cp.campaign_model_mix(start, end, run_id=run_id, campaign_id=cid))) == _sorted(raw_mix)


def test_capability_profile_equals_raw_requests(scored: tuple[Engine, str, Any, Any]) -> None:
    engine, run_id, start, end = scored
    r, a = schema.requests, schema.account_scores
    for cid in _campaigns(engine, run_id):
        side = case(
            (a.c.campaign_id == cid, literal("campaign")),
            (a.c.campaign_id.is_(None), literal("benign baseline")),
            else_=literal("other campaigns"),
        )
        cap = func.coalesce(r.c.capability, literal("other"))
        raw = run_all(
            engine,
            select(side, cap, func.count(), func.count(case((r.c.cot.is_(True), 1))))
            .select_from(r.outerjoin(a, (a.c.account_id == r.c.account_id) & (a.c.run_id == run_id)))
            .where(r.c.ts >= start, r.c.ts < end)
            .group_by(side, cap),
        )
        got = run_all(engine, cp.campaign_capability_profile(start, end, run_id=run_id, campaign_id=cid))
        assert _sorted(got) == _sorted(raw)


def test_infrastructure_equals_raw_requests(scored: tuple[Engine, str, Any, Any]) -> None:
    engine, run_id, start, end = scored
    r = schema.requests
    for cid in _campaigns(engine, run_id):
        got = run_all(engine, cp.campaign_infrastructure(run_id=run_id, campaign_id=cid))
        assert got.height > 0
        for facet in set(got["facet"].to_list()):
            raw = run_all(
                engine,
                select(cast(r.c[facet], String).label("value"), func.count().label("calls"), func.count(func.distinct(r.c.account_id)))
                .where(r.c.ts >= start, r.c.ts < end, r.c.account_id.in_(_members(run_id, cid)), r.c[facet].is_not(None))
                .group_by(r.c[facet])
                .order_by(func.count().desc(), cast(r.c[facet], String))
                .limit(8),
            )
            assert got.filter(pl.col("facet") == facet).drop("facet").rows() == raw.rows()


def test_timeline_equals_raw_requests_for_the_accounts_drawn(scored: tuple[Engine, str, Any, Any]) -> None:
    engine, run_id, start, end = scored
    r = schema.requests
    for cid in _campaigns(engine, run_id):
        got = run_all(engine, cp.campaign_timeline(start, end, run_id=run_id, campaign_id=cid))
        drawn = sorted(set(got["account_id"].to_list()))
        assert 0 < len(drawn) <= 30
        hour = dialect.trunc_hour(r.c.ts)
        raw = run_all(
            engine,
            select(r.c.account_id, hour, func.count())
            .where(r.c.ts >= start, r.c.ts < end, r.c.account_id.in_(drawn))
            .group_by(r.c.account_id, hour),
        )
        assert _sorted(got) == _sorted(raw)
        # the drawn accounts are the busiest members: none left out made more calls than the quietest drawn
        per = run_all(
            engine,
            select(r.c.account_id, func.count().label("calls"))
            .where(r.c.ts >= start, r.c.ts < end, r.c.account_id.in_(_members(run_id, cid)))
            .group_by(r.c.account_id),
        )
        quietest = per.filter(pl.col("account_id").is_in(drawn))["calls"].min()
        left_out = per.filter(~pl.col("account_id").is_in(drawn))["calls"].max()
        assert left_out is None or left_out <= quietest  # type: ignore[operator]


def test_cluster_attributes_equal_the_links(scored: tuple[Engine, str, Any, Any]) -> None:
    engine, run_id, _, _ = scored
    lk = schema.cluster_links
    clusters = run_all(engine, cl.cluster_ranking(run_id=run_id, include_allowlisted=True))["cluster_id"].to_list()
    assert clusters
    for cluster_id in clusters[:5]:
        n = func.count(func.distinct(lk.c.account_id))
        raw = run_all(
            engine,
            select(lk.c.edge_type, lk.c.value, n)
            .where(lk.c.run_id == run_id, lk.c.cluster_id == cluster_id)
            .group_by(lk.c.edge_type, lk.c.value)
            .order_by(n.desc(), lk.c.edge_type, lk.c.value)
            .limit(40),
        )
        assert run_all(engine, cl.cluster_attributes(run_id=run_id, cluster_id=cluster_id)).rows() == raw.rows()


def test_sample_prompts_are_stored_redacted(scored: tuple[Engine, str, Any, Any]) -> None:
    engine, run_id, _, _ = scored
    t = schema.campaign_prompt_samples
    stored = run_all(engine, select(t.c.campaign_id, t.c.prompt).where(t.c.run_id == run_id))
    per = stored.group_by("campaign_id").len()
    assert per["len"].max() <= 15  # type: ignore[operator]
    assert not stored.filter(pl.col("prompt").str.contains(r"[\w.+-]+@[\w-]+\.[\w.]+")).height  # no e-mail address survives

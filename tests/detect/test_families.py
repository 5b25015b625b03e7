"""The three families of evidence on small hand-built data with known answers: synchrony and automation from the
warehouse (DuckDB and PostgreSQL), the harvest floor, peers a campaign cannot dominate, and a key's scripted
component scored on its own under 80% cover traffic."""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime, timedelta
from typing import Any

import polars as pl
import pytest
from sqlalchemy import insert

from queries import detect_activity, detect_features, schema
from queries.run import run_all
from radar.detect import activity, clusters, features, peers, reasons
from radar.warehouse import ensure_schema, open_engine
from tests.detect.world import _req

T0 = datetime(2026, 2, 2, tzinfo=UTC)
WEEK_H = 168


def _load(url: str, reqs: list[dict[str, Any]], keys: list[dict[str, Any]] | None = None) -> Any:
    engine = open_engine(url)
    ensure_schema(engine)
    with engine.begin() as c:
        c.execute(insert(schema.requests), reqs)
        if keys:
            c.execute(insert(schema.api_keys), keys)
    return engine


def _timed_world() -> list[dict[str, Any]]:
    """Ten accounts firing together in the same 40 hours of the week, ten independent accounts of equal volume
    (40 random hours each), one round-the-clock script, one person keeping office hours."""
    rnd = random.Random(7)
    reqs: list[dict[str, Any]] = []
    shared_hours = sorted(rnd.sample(range(WEEK_H), 40))

    def add(acc: str, hour: int, minute: int = 5) -> None:
        reqs.append(
            _req(
                f"q{len(reqs):06d}",
                acc,
                f"k-{acc}",
                T0 + timedelta(hours=hour, minutes=minute),
                prefix="10.0.0.0/24",
                tpl="t",
                cot=False,
                cap="other",
            )
        )

    for i in range(10):
        for h in shared_hours:
            add(f"sync{i}", h, minute=i)
        for h in rnd.sample(range(WEEK_H), 40):
            add(f"ind{i}", h)
    for h in range(WEEK_H):  # a script: every hour of the week
        add("script", h)
    for d in range(7):  # a person: 9:00 to 17:00 UTC on each day, in bursts of one to eight calls an hour
        for h in range(9, 17):
            for m in range(rnd.choice((1, 1, 2, 8))):
                add("person", 24 * d + h, minute=m)
    return reqs


@pytest.fixture()
def timed_buckets(warehouse_url: str) -> pl.DataFrame:
    engine = _load(warehouse_url, _timed_world())
    try:
        return run_all(engine, detect_activity.account_buckets(T0, T0 + timedelta(days=8)))
    finally:
        engine.dispose()


def test_buckets_count_each_account_hour(timed_buckets: pl.DataFrame) -> None:
    per = timed_buckets.group_by("account_id").agg(pl.len().alias("hours"), pl.col("calls").sum())
    got = {r["account_id"]: (r["hours"], r["calls"]) for r in per.iter_rows(named=True)}
    assert got["script"] == (WEEK_H, WEEK_H)
    assert got["person"][0] == 56 and got["person"][1] > 56
    assert got["sync0"] == (40, 40) and got["ind3"] == (40, 40)


def test_accounts_acting_in_step_are_synchronised_far_beyond_chance(timed_buckets: pl.DataFrame) -> None:
    ids = [f"sync{i}" for i in range(10)] + [f"ind{i}" for i in range(10)]
    assigned = pl.DataFrame({"account_id": ids, "cluster_id": ["cl-sync"] * 10 + ["cl-ind"] * 10})
    s = {r["cluster_id"]: r for r in activity.synchrony(timed_buckets, assigned).iter_rows(named=True)}
    # every shared hour holds all ten: 9 others observed where independent accounts active 40 of 168 hours share ~2
    assert s["cl-sync"]["sync_lift"] > 3.0 and s["cl-sync"]["synchrony"] > 0.8
    assert 0.6 < s["cl-ind"]["sync_lift"] < 1.6 and s["cl-ind"]["synchrony"] < 0.35


def test_round_the_clock_script_is_automated_and_office_hours_are_not(timed_buckets: pl.DataFrame) -> None:
    keys = pl.DataFrame(schema={"api_key_id": pl.String, "created_at": pl.Datetime("us", "UTC"), "revoked_at": pl.Datetime("us", "UTC")})
    acc = pl.DataFrame(schema={"api_key_id": pl.String, "account_id": pl.String})
    a = {r["account_id"]: r for r in activity.automation(timed_buckets, keys, acc).iter_rows(named=True)}
    assert a["script"]["round_the_clock"] > 0.95 and a["script"]["long_sessions"] == 1.0
    assert a["script"]["metronome"] == 1.0  # one call every hour: no spread at all
    assert a["script"]["automation"] > 0.95
    assert a["person"]["round_the_clock"] == 0.0 and a["person"]["long_sessions"] == 0.0
    assert a["person"]["automation"] < 0.2


def test_keys_rotated_daily_are_automation() -> None:
    created = [T0 + timedelta(days=d) for d in range(6)]
    keys = pl.DataFrame(
        {
            "api_key_id": [f"r{d}" for d in range(6)] + ["keep"],
            "created_at": [*created, T0 - timedelta(days=90)],
            "revoked_at": [c + timedelta(days=1) for c in created] + [None],
        }
    )
    owners = pl.DataFrame({"api_key_id": keys["api_key_id"], "account_id": ["rot"] * 6 + ["kept"]})
    buckets = pl.DataFrame({"account_id": ["rot", "kept"], "bucket": [1, 1], "calls": [1, 1]})
    a = {r["account_id"]: r for r in activity.automation(buckets, keys, owners).iter_rows(named=True)}
    assert a["rot"]["key_rotation"] == 1.0 and a["rot"]["automation"] == 1.0
    assert a["kept"]["key_rotation"] == 0.0


def _cluster_accounts(cid: str, n: int, *, calls: int, output: int, behaviour: float) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "account_id": [f"{cid}-{i}" for i in range(n)],
            "cluster_id": [cid] * n,
            "n_keys": [1] * n,
            "calls": [calls] * n,
            "output_tokens": [output] * n,
            "behaviour": [behaviour] * n,
            "automation": [0.0] * n,
            "cot_share": [0.5] * n,
            "shared_template_share": [0.9] * n,
            "refusal_share": [0.0] * n,
            "verification": ["email"] * n,
            "created_at": [T0 + timedelta(minutes=i) for i in range(n)],
            "first_ts": [T0] * n,
            "last_ts": [T0 + timedelta(days=2)] * n,
            "org_id": pl.Series([None] * n, dtype=pl.String),
        }
    )


def test_a_coordinated_cohort_that_harvests_little_is_never_a_campaign() -> None:
    # seventy light accounts signed up in one burst, all on the same tutorial templates: 5,600 calls in all, each
    # taking what a typical account takes; and a hydra of equal coordination whose heads each take twenty times that
    cohort = _cluster_accounts("cohort", 70, calls=80, output=30_000, behaviour=0.3)
    hydra = _cluster_accounts("hydra", 70, calls=800, output=600_000, behaviour=0.3)
    mem = pl.DataFrame(
        {
            "edge_type": ["template"] * 140,
            "value": ["tut"] * 70 + ["harness"] * 70,
            "account_id": [*cohort["account_id"], *hydra["account_id"]],
        }
    ).with_columns(pl.lit(70, dtype=pl.Int64).alias("n_accounts"))
    cl = clusters.cluster_frame(pl.concat([cohort, hydra]), mem, None, typical_output=30_000.0)
    got = {r["cluster_id"]: r for r in cl.iter_rows(named=True)}
    assert got["cohort"]["control"] > 0.4 and got["hydra"]["control"] == pytest.approx(got["cohort"]["control"])
    assert got["cohort"]["harvest"] == 0.0 and got["cohort"]["score"] == 0.0
    assert got["hydra"]["harvest"] == 1.0 and got["hydra"]["score"] > 0.6


def test_a_harvest_spread_thin_over_thousands_of_heads_is_still_a_harvest() -> None:
    # the operator who read the per-member floor: 3,000 heads each taking 1.3x a typical account (900 typical
    # accounts' output beyond ordinary use in all), beside a cohort of 300 people each at 1.3x (90 in all) and one of
    # 70 at a typical account's take
    thin = _cluster_accounts("thin", 3_000, calls=60, output=39_000, behaviour=0.3)
    class_ = _cluster_accounts("class", 300, calls=60, output=39_000, behaviour=0.3)
    cohort = _cluster_accounts("cohort", 70, calls=80, output=30_000, behaviour=0.3)
    frames = [thin, class_, cohort]
    mem = pl.concat(
        [
            pl.DataFrame({"edge_type": "template", "value": f"tpl-{f['cluster_id'][0]}", "account_id": f["account_id"]}).with_columns(
                pl.lit(f.height, dtype=pl.Int64).alias("n_accounts")
            )
            for f in frames
        ]
    )
    cl = clusters.cluster_frame(pl.concat(frames), mem, None, typical_output=30_000.0)
    got = {r["cluster_id"]: r for r in cl.iter_rows(named=True)}
    assert got["thin"]["harvest_ratio"] == pytest.approx(1.3)
    assert got["thin"]["harvest_excess"] == pytest.approx(900.0)
    # per member alone the thin harvest would count for log(1.3)/log(4) = 0.19; in all it is nearly full
    assert got["thin"]["harvest"] > 0.9 and got["thin"]["score"] > 0.6
    assert got["class"]["harvest_excess"] == pytest.approx(90.0)
    assert got["class"]["harvest"] == pytest.approx(math.log(1.3) / math.log(4.0))  # below the excess floor: per member only
    assert got["cohort"]["harvest"] == 0.0 and got["cohort"]["score"] == 0.0
    sentence = " ".join(text for _, text in reasons.family_reasons(got["thin"]))
    assert "900 typical accounts' output beyond ordinary use" in sentence


def _tool_accounts(prefix: str, n: int, cot: float, tpl: float) -> pl.DataFrame:
    rnd = random.Random(len(prefix) + n)
    return pl.DataFrame(
        {
            "account_id": [f"{prefix}{i}" for i in range(n)],
            "calls": [200] * n,
            "tool_share": [0.9] * n,
            "cot_share": [min(1.0, max(0.0, cot + rnd.uniform(-0.03, 0.03))) for _ in range(n)],
            "shared_template_share": [min(1.0, max(0.0, tpl + rnd.uniform(-0.03, 0.03))) for _ in range(n)],
            "top_capability_share": [0.6] * n,
            "refusal_share": [0.01] * n,
            "output_input_ratio": [2.0] * n,
            "anon_ip_share": [0.1] * n,
            "output_tokens": [1000] * n,
        }
    )


def test_a_campaign_half_of_its_peer_group_still_scores_as_a_campaign() -> None:
    camp = _tool_accounts("c", 40, cot=0.8, tpl=0.9).with_columns(pl.lit("cl-camp").alias("cluster_id"))
    coders = _tool_accounts("d", 40, cot=0.05, tpl=0.05).with_columns(pl.lit(None, dtype=pl.String).alias("cluster_id"))
    everyone = pl.concat([camp, coders])
    plain, _ = peers.evidence(everyone, everyone)
    keys = everyone.select("account_id", pl.col("account_id").alias("api_key_id"), *[c for c in everyone.columns if c != "account_id"])
    clean, _, _ = features.rescore(everyone, keys)
    camp_plain = plain.filter(pl.col("cluster_id") == "cl-camp")
    camp_clean = clean.filter(pl.col("cluster_id") == "cl-camp")
    # half the peer group is the campaign: the median sits between the two halves and its spread is wide
    assert camp_plain["ev_cot_share"].max() < 0.6 and camp_plain["behaviour"].mean() < 0.3  # type: ignore[operator]
    # judged against the accounts outside it, the campaign is at full strength on both signals it shows (reasoning
    # and shared templates: two of the four weight units it could reach here, the rest being equal to its peers')
    assert camp_clean["ev_cot_share"].min() == 1.0 and camp_clean["ev_shared_template_share"].min() == 1.0
    assert camp_clean["behaviour"].min() == pytest.approx(0.5)
    assert clean.filter(pl.col("cluster_id").is_null())["behaviour"].max() < 0.1  # type: ignore[operator]


def test_a_verified_organisations_integration_is_judged_against_its_own_kind() -> None:
    people = _tool_accounts("p", 40, cot=0.05, tpl=0.05).with_columns(
        pl.lit("phone").alias("verification"), pl.lit(None, dtype=pl.String).alias("org_id"), pl.lit(0.0).alias("anon_ip_share")
    )
    saas = _tool_accounts("s", 12, cot=0.05, tpl=0.9).with_columns(
        pl.lit("organisation").alias("verification"), pl.lit("org-x").alias("org_id"), pl.lit(1.0).alias("anon_ip_share")
    )
    everyone = pl.concat([people, saas])
    ev, _ = peers.evidence(everyone, everyone)
    s = ev.filter(pl.col("verification") == "organisation")
    assert set(s["peer"].to_list()) == {"org_tools"}
    # a fixed system prompt shared across the organisation's integrations is what its kind does: no evidence
    assert s["ev_shared_template_share"].max() < 0.25  # type: ignore[operator]
    # fewer than MIN_ORG_PEERS integrations: judged with individuals, and their shared templates stand out
    few, _ = peers.evidence(pl.concat([people, saas.head(5)]), pl.concat([people, saas.head(5)]))
    assert few.filter(pl.col("verification") == "organisation")["ev_shared_template_share"].min() > 0.9  # type: ignore[operator]


def _interleaved_world() -> list[dict[str, Any]]:
    """Forty ordinary accounts; three harness accounts sharing templates; one proxy key whose calls are 80% ordinary
    chat and 20% the harness's templates with chain-of-thought and long outputs."""
    rnd = random.Random(3)
    reqs: list[dict[str, Any]] = []

    def add(acc: str, key: str, **kw: Any) -> None:
        reqs.append(_req(f"q{len(reqs):06d}", acc, key, T0 + timedelta(minutes=7 * len(reqs)), prefix="10.1.0.0/24", **kw))

    for i in range(40):
        for j in range(30):
            add(f"u{i}", f"k-u{i}", tpl=f"own-{i}-{j}" if j % 6 else "popular", cot=rnd.random() < 0.05, cap="writing", out=300)
    for i in range(3):
        for j in range(30):
            add(f"h{i}", f"k-h{i}", tpl=f"harness-{j % 3}", cot=True, cap="reasoning", out=2000)
    for j in range(200):
        scripted = j % 5 == 0
        add(
            "proxy",
            "k-proxy",
            tpl=f"harness-{j % 3}" if scripted else f"own-p-{j}",
            cot=scripted,
            cap="reasoning",
            out=2000 if scripted else 300,
        )
    return reqs


def test_a_key_under_80_percent_cover_traffic_still_shows_its_extraction_component(warehouse_url: str) -> None:
    engine = _load(warehouse_url, _interleaved_world())
    try:
        keys = run_all(engine, detect_features.key_features(T0, T0 + timedelta(days=30), min_accounts=3, max_accounts=20))
    finally:
        engine.dispose()
    proxy = keys.filter(pl.col("api_key_id") == "k-proxy").row(0, named=True)
    assert proxy["calls"] == 200 and proxy["comp_calls"] == 40 and proxy["comp_cot"] == 40
    assert proxy["comp_output_tokens"] == 40 * 2000
    derived = features._derive(keys).with_columns(pl.lit(0.5).alias("top_capability_share"))
    ev, _ = peers.evidence(derived, derived)
    p = ev.filter(pl.col("api_key_id") == "k-proxy").row(0, named=True)
    assert p["other_calls"] == 160
    # the whole key is diluted four to one; its scripted component, scored on its own, is as strong as the
    # harness accounts' own keys on what they ask and take
    harness = ev.filter(pl.col("api_key_id").str.starts_with("k-h"))
    assert p["ev_comp_cot_share"] == 1.0 and p["ev_comp_output_input_ratio"] == 1.0
    assert p["behaviour_component"] >= harness["behaviour_component"].min()  # type: ignore[operator]
    assert p["ev_cot_share"] < 1.0 and p["behaviour_whole"] < p["behaviour_component"]
    assert p["behaviour"] == p["behaviour_component"]
    users = ev.filter(pl.col("api_key_id").str.starts_with("k-u"))
    assert users["behaviour"].max() < 0.3  # type: ignore[operator]


def test_the_key_split_is_stored_with_the_key_results(warehouse_url: str) -> None:
    from sqlalchemy import select

    from radar.detect import score

    reqs = _interleaved_world()
    engine = _load(warehouse_url, reqs)
    accounts = sorted({r["account_id"] for r in reqs})
    with engine.begin() as c:
        c.execute(insert(schema.accounts), [{"account_id": a, "created_at": T0 - timedelta(days=40), "load_id": "L"} for a in accounts])
    try:
        run = score(engine)
        with engine.connect() as conn:
            k = schema.key_scores
            got = conn.execute(
                select(k.c.api_key_id, k.c.extraction_calls, k.c.other_calls, k.c.component_score, k.c.reasons).where(
                    k.c.run_id == run.run_id
                )
            ).all()
    finally:
        engine.dispose()
    by_key = {r.api_key_id: r for r in got}
    proxy = by_key["k-proxy"]
    assert (proxy.extraction_calls, proxy.other_calls) == (40, 160)
    assert proxy.component_score > 0.6
    assert "scored apart from its 160 other calls" in proxy.reasons
    assert (by_key["k-u0"].extraction_calls, by_key["k-u0"].other_calls) == (0, 30) and by_key["k-u0"].component_score == 0.0

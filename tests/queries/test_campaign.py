"""Campaign builders on DuckDB and PostgreSQL, with the seeded warehouse's known numbers (read from the run's summaries)."""

from __future__ import annotations

from datetime import timedelta

from queries import campaign as cp
from tests.queries import seed

W = {"run_id": seed.RUN_ID, "campaign_id": "C1"}


def test_list_summary_members_keys(rows) -> None:
    assert rows(cp.campaign_list(run_id=seed.RUN_ID))["campaign_id"].to_list() == ["C1", "C2"]
    s = rows(cp.campaign_summary(**W)).row(0, named=True)
    assert (s["cluster_id"], s["n_accounts"], s["calls"]) == ("CL1", 6, seed.C1_CALLS)
    assert rows(cp.campaign_members(**W)).height == 6
    keys = rows(cp.campaign_keys(**W))
    assert keys.height == 12 and keys.filter(keys["revoked_at"].is_not_null())["api_key_id"].to_list() == ["kx01a"]


def test_timeline_limits_to_busiest_accounts(rows) -> None:
    t = rows(cp.campaign_timeline(seed.START, seed.END, top=3, **W))
    assert sorted(set(t["account_id"].to_list())) == ["x02", "x03", "x04"]  # x01 lost half a key's calls
    assert t.height == 3 * 72 and set(t["calls"].to_list()) == {6}


def test_capability_profile_against_benign_baseline(rows) -> None:
    p = {
        (r["population"], r["capability"]): r["calls"]
        for r in rows(cp.campaign_capability_profile(seed.START, seed.END, **W)).iter_rows(named=True)
    }
    assert p == {
        ("campaign", "reasoning"): seed.C1_CALLS,
        ("benign baseline", "writing"): 192,
        ("benign baseline", "coding"): 192,
        ("other campaigns", "coding"): seed.C2_CALLS,
    }


def test_infrastructure_indicators(rows) -> None:
    f = rows(cp.campaign_infrastructure(**W))
    got = {r["facet"]: (r["value"], r["calls"], r["accounts"]) for r in f.iter_rows(named=True)}
    assert got["ip_prefix"] == ("203.0.113.0/24", seed.C1_CALLS, 6)
    assert got["asn"] == ("64500", seed.C1_CALLS, 6)
    assert got["ip_class"][0] == "datacenter" and got["user_agent"][0] == "httpx/0.27"
    one_model = {r["facet"]: r["calls"] for r in rows(cp.campaign_infrastructure(model="model-b", **W)).iter_rows(named=True)}
    assert one_model["ip_prefix"] == 792  # 11 keys x 72 calls on 12 Feb


def test_harvest_before_and_after_first_revocation(rows) -> None:
    h = rows(cp.campaign_harvest(seed.START, seed.END, **W))
    by_phase: dict[str, int] = {}
    for r in h.iter_rows(named=True):
        by_phase[r["phase"]] = by_phase.get(r["phase"], 0) + r["exchanges"]
        assert r["first_action"] == seed.REVOKED_AT
    assert by_phase == {"before any action": seed.C1_BEFORE, "after first revocation": seed.C1_CALLS - seed.C1_BEFORE}
    assert int(h["output_tokens"].sum()) == seed.C1_OUTPUT_TOKENS
    none_revoked = rows(cp.campaign_harvest(seed.START, seed.END, run_id=seed.RUN_ID, campaign_id="C2"))
    assert set(none_revoked["phase"].to_list()) == {"before any action"} and int(none_revoked["exchanges"].sum()) == seed.C2_CALLS


def test_model_mix_shows_the_pivot(rows) -> None:
    mix = {(r["day"].day, r["model"]): r["calls"] for r in rows(cp.campaign_model_mix(seed.START, seed.END, **W)).iter_rows(named=True)}
    assert mix == {(10, "model-a"): 864, (11, "model-a"): 828, (12, "model-b"): 792}


def test_sample_prompts_are_few_and_stored_redacted(rows) -> None:
    p = rows(cp.campaign_sample_prompts(**W))
    assert p.height == 2 and set(p["template_fp"].to_list()) == {"tpl-A"}  # first and last of the one template
    assert p["ts"].to_list() == [seed.DAY0 + timedelta(seconds=7), seed.END - timedelta(hours=1) + timedelta(seconds=46)]
    text = " ".join(p["prompt"].to_list())
    assert "evil.ops@example.com" not in text and "[EMAIL]" in text and "[PHONE]" in text and "[API KEY]" in text
    assert rows(cp.campaign_sample_prompts(model="model-a", **W))["ts"].to_list() == [seed.DAY0 + timedelta(seconds=7)]


def test_timeline_profile_harvest_and_mix_follow_the_window_and_model(rows) -> None:
    day12 = seed.START + timedelta(days=2)
    t = rows(cp.campaign_timeline(day12, seed.END, model="model-b", **W))
    assert int(t["calls"].sum()) == 792 and t["hour"].min() == day12
    assert rows(cp.campaign_timeline(day12, seed.END, model="model-a", **W)).is_empty()
    h = rows(cp.campaign_harvest(day12, seed.END, **W))
    assert h["phase"].to_list() == ["after first revocation"] and h["exchanges"].to_list() == [792]
    p = rows(cp.campaign_capability_profile(day12, seed.END, model="model-a", **W))
    assert p.filter(p["population"] == "campaign").is_empty() and int(p["calls"].sum()) == 128 + 72


def test_summaries_are_marked_per_campaign(rows) -> None:
    assert rows(cp.campaign_summarised(**W))["first_revocation"].to_list() == [seed.REVOKED_AT]
    assert rows(cp.campaign_summarised(run_id=seed.RUN_ID, campaign_id="C9")).is_empty()

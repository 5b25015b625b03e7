"""Each simulator variant changes what it says it changes, measured on the files it writes, and nothing leaks its name."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from radar.ingest import enrich
from radar.ingest.enrich import capability, cot, template_fp
from radar.simulate import SimSummary, simulate
from radar.simulate.archetypes import ARCHETYPES
from radar.simulate.infra import COUNTRY_CODES, COUNTRY_TZ
from radar.simulate.paraphrase import CLOSERS, CONTEXT, FRAMES, OPENERS, SWAPS
from radar.simulate.variants import FAMILIES, VARIANTS, get_variant

Make = Callable[..., tuple[Path, SimSummary]]
SCALE, SEED = 0.005, 5
WINDOW_START = datetime(2026, 2, 9, tzinfo=UTC)
_cache: dict[str | None, dict[str, pl.DataFrame]] = {}


def _drop(make_drop: Make, variant: str | None) -> dict[str, pl.DataFrame]:
    """The drop's tables (requests joined to truth as `calls`), read once per variant."""
    if variant not in _cache:
        folder, _ = make_drop(SCALE, SEED, "parquet", variant)
        requests = pl.concat([pl.read_parquet(p) for p in sorted((folder / "requests").glob("part-*.parquet"))])
        truth = pl.read_csv(folder / "truth.csv", infer_schema=False).with_columns(pl.col("variant").fill_null(""))
        _cache[variant] = {
            "requests": requests,
            "accounts": pl.read_parquet(folder / "accounts.parquet"),
            "api_keys": pl.read_parquet(folder / "api_keys.parquet"),
            "truth": truth,
            "calls": requests.join(truth, on="account_id"),
        }
    return _cache[variant]


def _campaign(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.filter(pl.col("label") == "attack")


def _prompts(frame: pl.DataFrame) -> pl.DataFrame:
    """Calls with a logged prompt, with the ingest's capability, chain-of-thought flag and template fingerprint."""
    p = frame.filter(pl.col("prompt").is_not_null())
    return p.with_columns(
        capability(pl.col("prompt"), pl.col("has_image"), pl.col("tool_count"), pl.col("finish_reason")).alias("cap"),
        cot(pl.col("prompt")).alias("is_cot"),
        template_fp(p["prompt"]).alias("fp"),
    )


def _drop_prompts(d: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """_prompts of every call of the drop, computed once per drop."""
    if "prompts" not in d:
        d["prompts"] = _prompts(d["calls"])
    return d["prompts"]


def _shared_template_share(d: dict[str, pl.DataFrame], who: pl.Expr) -> float:
    """Share of the chosen calls whose template fingerprint at least 3 accounts of the drop use (the detector's notion)."""
    p = _drop_prompts(d)
    reach = p.group_by("fp").agg(pl.col("account_id").n_unique().alias("holders"))
    return float(p.filter(who).join(reach, on="fp")["holders"].ge(3).mean())  # type: ignore[arg-type]


def _prefixes(requests: pl.DataFrame) -> pl.DataFrame:
    """Distinct (account, /24 or /48 prefix) memberships."""
    ip = pl.col("client_ip")
    prefix = pl.when(ip.str.contains(r"^\d+\.")).then(ip.str.extract(r"^(\d+\.\d+\.\d+)\.")).otherwise(ip.str.extract(r"^(\w+:\w+:\w+):"))
    return requests.select("account_id", prefix.alias("prefix")).unique()


def _shared_membership_rate(m: pl.DataFrame) -> float:
    """Share of (account, prefix) memberships whose prefix another account of the same set also uses."""
    holders = m.group_by("prefix").agg(pl.col("account_id").n_unique().alias("n"))
    return float(m.join(holders, on="prefix")["n"].ge(2).mean())  # type: ignore[arg-type]


def _individuals_like(m: pl.DataFrame, truth: pl.DataFrame, memberships: int) -> pl.DataFrame:
    """Memberships of randomly ordered individuals, as many as the compared set holds (sharing grows with that number)."""
    ind = m.join(truth.filter(pl.col("archetype") == "individual").select("account_id"), on="account_id")
    order = ind.group_by("account_id").len().sort("account_id").sample(fraction=1.0, shuffle=True, seed=3)
    keep = order.filter(pl.col("len").cum_sum() <= memberships)["account_id"]
    return ind.filter(pl.col("account_id").is_in(keep.implode()))


def test_registry_names_targets_and_families() -> None:
    names = {a.name for a in ARCHETYPES}
    campaigns = {a.name for a in ARCHETYPES if a.campaign}
    benign_targets = []
    for v in VARIANTS.values():
        assert v.change and set(v.targets) <= names and set(v.families) <= set(FAMILIES), v.name
        if v.kind == "campaign":
            assert set(v.targets) == campaigns, v.name  # one drop per variant: every campaign style at once
        else:
            assert v.kind == "benign" and len(v.targets) == 1 and v.families, v.name
            benign_targets += v.targets
    assert set(benign_targets) == names - campaigns  # at least one look-alike trait for every benign archetype
    assert get_variant(None) is None and get_variant("no_cot") is VARIANTS["no_cot"]
    with pytest.raises(ValueError, match="known variants: no_shared_infra"):
        get_variant("no_such_variant")


def test_truth_names_the_changed_accounts_and_gateway_files_do_not(make_drop: Make) -> None:
    base, v = _drop(make_drop, None), _drop(make_drop, "venue_network")
    assert (base["truth"]["variant"] == "").all()
    changed = v["truth"].filter(pl.col("variant") != "")
    assert set(changed["variant"]) == {"venue_network"} and set(changed["archetype"]) == {"agentic_coder"}
    for table in ("requests", "accounts", "api_keys"):
        assert v[table].schema == base[table].schema, table
        for col, dtype in v[table].schema.items():
            if dtype == pl.String:
                assert not v[table][col].drop_nulls().str.contains("venue_network", literal=True).any(), (table, col)
    for col, pattern in (
        ("account_id", r"^acct_[0-9a-f]{16}$"),
        ("api_key_id", r"^key_[0-9a-f]{20}$"),
        ("request_id", r"^req_[0-9a-f]{24}$"),
    ):
        assert v["requests"][col].str.contains(pattern).all(), col


def test_no_shared_infra_shares_cards_addresses_and_prefixes_only_as_individuals_do(make_drop: Make) -> None:
    for name, expect_shared in ((None, True), ("no_shared_infra", False)):
        d = _drop(make_drop, name)
        acc = d["accounts"].join(d["truth"], on="account_id")
        camp, ind = _campaign(acc), acc.filter(pl.col("archetype") == "individual")
        m = _prefixes(d["requests"])
        camp_m = m.join(camp.select("account_id"), on="account_id")
        camp_rate = _shared_membership_rate(camp_m)
        ind_rate = _shared_membership_rate(_individuals_like(m, d["truth"], camp_m.height))
        card = camp["payment_fingerprint"].drop_nulls().is_duplicated().mean()
        ind_card = ind["payment_fingerprint"].drop_nulls().is_duplicated().mean()
        signup = camp["signup_ip"].is_duplicated().mean()
        if expect_shared:  # the default campaigns: the measures do see an operator's shared infrastructure
            assert camp_rate > 0.5 and card > 0.5 and signup > 0.1, (camp_rate, card, signup)
        else:
            assert camp_rate <= 1.5 * ind_rate + 0.02, (camp_rate, ind_rate)
            assert card <= ind_card + 0.01 and signup <= ind["signup_ip"].is_duplicated().mean() + 0.01  # type: ignore[operator]


def _night_share(d: dict[str, pl.DataFrame]) -> float:
    """Share of campaign calls made between 01:00 and 06:00 in the account's own country."""
    tz = pl.DataFrame({"country": COUNTRY_CODES, "tz": COUNTRY_TZ.tolist()})
    home = d["accounts"].select("account_id", "country").join(tz, on="country")
    c = _campaign(d["calls"]).select("account_id", "ts").join(home, on="account_id")
    local = (c["ts"].dt.hour().cast(pl.Int64) + c["tz"]) % 24
    return float(((local >= 1) & (local < 6)).mean())  # type: ignore[arg-type]


def test_diurnal_timing_leaves_a_night_trough(make_drop: Make) -> None:
    base, human = _night_share(_drop(make_drop, None)), _night_share(_drop(make_drop, "diurnal_timing"))
    assert human < 0.5 * (5 / 24), human  # under half of what round-the-clock calls would put in five night hours
    assert base > 2 * human, (base, human)


def test_paraphrased_prompts_have_many_fingerprints_and_keep_what_is_asked(make_drop: Make) -> None:
    base, para = _drop(make_drop, None), _drop(make_drop, "paraphrased")
    is_campaign = pl.col("label") == "attack"
    b_share, p_share = _shared_template_share(base, is_campaign), _shared_template_share(para, is_campaign)
    assert p_share < b_share / 3, (b_share, p_share)
    bp, pp = _campaign(_drop_prompts(base)), _campaign(_drop_prompts(para))
    for campaign in ("a", "b", "c"):
        fps = pp.filter(pl.col("campaign") == campaign)
        assert fps["fp"].n_unique() > 0.8 * fps.height, campaign
    assert abs(float(bp["is_cot"].mean()) - float(pp["is_cot"].mean())) < 0.02  # type: ignore[arg-type]
    mix = bp.group_by("cap").len().join(pp.group_by("cap").len(), on="cap", how="full", coalesce=True).fill_null(0)
    diff = (mix["len"] / bp.height - mix["len_right"] / pp.height).abs().max()
    assert diff < 0.03, mix  # type: ignore[operator]


def test_paraphrase_words_add_or_remove_no_capability_or_reasoning_vocabulary() -> None:
    vocabularies = [enrich._VISION, enrich._CENSORSHIP, enrich._RUBRIC, enrich._CODING, enrich._AGENTIC]
    vocabularies += [enrich._REASONING, enrich._WRITING, enrich._COT]
    added = [*OPENERS, *(b for b, _ in FRAMES), *(a for _, a in FRAMES), *CONTEXT, *CLOSERS]
    for rx in vocabularies:
        assert not [w for w in added if re.search(rx, w.lower())], rx
        assert not [(a, b) for a, b in SWAPS if bool(re.search(rx, a.lower())) != bool(re.search(rx, b.lower()))], rx


def test_no_cot_leaves_campaigns_asking_for_steps_no_more_than_individuals(make_drop: Make) -> None:
    def shares(d: dict[str, pl.DataFrame]) -> tuple[float, float]:
        p = _drop_prompts(d)
        return float(p.filter(pl.col("label") == "attack")["is_cot"].mean()), float(
            p.filter(pl.col("archetype") == "individual")["is_cot"].mean()
        )  # type: ignore[arg-type]

    (b_camp, b_ind), (v_camp, v_ind) = shares(_drop(make_drop, None)), shares(_drop(make_drop, "no_cot"))
    assert b_camp > 1.2 * b_ind, (b_camp, b_ind)
    assert v_camp < 0.5 * v_ind, (v_camp, v_ind)


@pytest.mark.parametrize(("name", "share"), [("cover_20", 0.2), ("cover_50", 0.5), ("cover_80", 0.8)])
def test_cover_traffic_makes_the_stated_share_of_campaign_calls_ordinary_chat(make_drop: Make, name: str, share: float) -> None:
    # Campaign templates never ask for writing or customer support; ordinary chat asks for them as often as
    # individuals do, so the campaign's share of such calls over the individuals' estimates the cover share.
    p = _drop_prompts(_drop(make_drop, name))
    chat = pl.col("cap").is_in(["writing", "other"])
    camp = float(p.filter(pl.col("label") == "attack").select(chat.mean()).item())
    ind = float(p.filter(pl.col("archetype") == "individual").select(chat.mean()).item())
    assert abs(camp / ind - share) < 0.1, (camp / ind, share)


def test_keys_daily_gives_each_key_a_day(make_drop: Make) -> None:
    base, daily = _drop(make_drop, None), _drop(make_drop, "keys_daily")
    for d, at_least, at_most in ((base, 1, 2), (daily, 5, 8)):
        keys = d["api_keys"].join(_campaign(d["truth"]), on="account_id")
        median = float(keys.group_by("account_id").len()["len"].median())  # type: ignore[arg-type]
        assert at_least <= median <= at_most, median
    used = _campaign(daily["calls"]).group_by("api_key_id").agg(pl.col("ts").min().alias("first"), pl.col("ts").max().alias("last"))
    used = used.join(daily["api_keys"], on="api_key_id")
    assert ((used["last"] - used["first"]) <= timedelta(hours=25)).mean() > 0.95  # type: ignore[operator]
    assert (used["created_at"] <= used["first"]).all()
    revoked = used.filter(pl.col("revoked_at").is_not_null())
    assert revoked.height and (revoked["last"] <= revoked["revoked_at"]).all()


def _wave_share(created: pl.Series) -> float:
    """Largest share of the accounts signed up within one 48-hour window."""
    ts = np.sort(created.dt.epoch("s").to_numpy())
    ends = np.searchsorted(ts, ts + 48 * 3600, side="right")
    return float((ends - np.arange(len(ts))).max() / len(ts))


def test_aged_accounts_sign_up_weeks_before_use_without_waves(make_drop: Make) -> None:
    base = _campaign(_drop(make_drop, None)["accounts"].join(_drop(make_drop, None)["truth"], on="account_id"))
    aged = _campaign(_drop(make_drop, "aged_accounts")["accounts"].join(_drop(make_drop, "aged_accounts")["truth"], on="account_id"))
    age = aged.select((pl.lit(WINDOW_START) - pl.col("created_at")).dt.total_days())[:, 0]
    assert age.min() >= 21 and age.max() <= 70, (age.min(), age.max())  # type: ignore[operator]
    b, a = _wave_share(base["created_at"]), _wave_share(aged["created_at"])
    assert a < 0.15 and b > 2 * a, (b, a)


def test_event_attendees_sign_up_together_with_their_own_cards(make_drop: Make) -> None:
    d = _drop(make_drop, "event_signup_burst")
    acc = d["accounts"].join(d["truth"], on="account_id")
    attendees, others = acc.filter(pl.col("variant") != ""), acc.filter((pl.col("archetype") == "individual") & (pl.col("variant") == ""))
    assert attendees.height >= 20
    assert attendees["created_at"].max() - attendees["created_at"].min() <= timedelta(hours=3)  # type: ignore[operator]
    assert _wave_share(others["created_at"]) < 0.1  # everyone else keeps joining over the years
    assert attendees["country"].n_unique() == 1
    assert not attendees["payment_fingerprint"].drop_nulls().is_duplicated().any() and not attendees["signup_ip"].is_duplicated().any()


def test_venue_coders_call_from_one_network_but_signed_up_elsewhere(make_drop: Make) -> None:
    d = _drop(make_drop, "venue_network")
    coders = d["truth"].filter(pl.col("archetype") == "agentic_coder")
    venue = coders.filter(pl.col("variant") != "")["account_id"]
    m = _prefixes(d["requests"]).join(coders, on="account_id")
    at_venue = m.filter(pl.col("account_id").is_in(venue.implode()))
    assert at_venue["prefix"].n_unique() == 1 and at_venue["account_id"].n_unique() == len(venue) >= 10
    assert not m.filter(~pl.col("account_id").is_in(venue.implode()))["prefix"].is_in(at_venue["prefix"].implode()).any()
    signup = d["accounts"].filter(pl.col("account_id").is_in(venue.implode()))["signup_ip"]
    assert signup.n_unique() == len(venue)


def test_tutorial_templates_make_students_share_prompts(make_drop: Make) -> None:
    students = pl.col("archetype") == "institution_nat"
    base, course = (
        _shared_template_share(_drop(make_drop, None), students),
        _shared_template_share(_drop(make_drop, "tutorial_templates"), students),
    )
    assert course > base + 0.2, (base, course)


def test_cot_tutoring_integrations_ask_for_steps(make_drop: Make) -> None:
    def share(d: dict[str, pl.DataFrame]) -> float:
        return float(_drop_prompts(d).filter(pl.col("archetype") == "saas_integration")["is_cot"].mean())  # type: ignore[arg-type]

    assert share(_drop(make_drop, None)) < 0.05 and share(_drop(make_drop, "cot_tutoring")) > 0.3


def test_verified_org_fleet_runs_round_the_clock_on_many_keys(make_drop: Make) -> None:
    def habits(d: dict[str, pl.DataFrame]) -> tuple[float, float]:
        calls = d["calls"].filter(pl.col("archetype") == "eval_harness")
        hours = calls.group_by("account_id").agg(pl.col("ts").dt.hour().n_unique().alias("h"))["h"].median()
        keys = d["api_keys"].join(d["truth"].filter(pl.col("archetype") == "eval_harness"), on="account_id")
        return float(hours), float(keys.group_by("account_id").len()["len"].mean())  # type: ignore[arg-type]

    (b_hours, b_keys), (f_hours, f_keys) = habits(_drop(make_drop, None)), habits(_drop(make_drop, "verified_org_fleet"))
    assert f_hours >= 22 and b_hours < f_hours, (b_hours, f_hours)
    assert f_keys >= 8 and f_keys > b_keys + 3, (b_keys, f_keys)
    d = _drop(make_drop, "verified_org_fleet")
    used = d["calls"].filter(pl.col("archetype") == "eval_harness").join(d["api_keys"], on="api_key_id")
    assert (used["created_at"] <= used["ts"]).all()


def test_simulate_refuses_an_unknown_variant(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown variant"):
        simulate(tmp_path, scale=0.001, seed=1, variant="nope")


@pytest.mark.parametrize("name", list(VARIANTS))
def test_a_variant_leaves_every_other_archetype_row_for_row_as_the_default_drop(make_drop: Make, name: str) -> None:
    base, v = _drop(make_drop, None), _drop(make_drop, name)
    kept = pl.col("archetype").is_in(VARIANTS[name].targets).not_()
    for table, key in (("calls", "request_id"), ("accounts", "account_id"), ("api_keys", "api_key_id")):
        frames = []
        for d in (base, v):
            rows = d[table] if table == "calls" else d[table].join(d["truth"], on="account_id")
            frames.append(rows.filter(kept).drop("variant").sort(key))
        assert frames[0].height > 0 and frames[0].equals(frames[1]), (name, table)
    changed = v["calls"].filter(~kept).drop("variant").sort("request_id")
    assert not changed.equals(base["calls"].filter(~kept).drop("variant").sort("request_id")), name


def _campaign_accounts(d: dict[str, pl.DataFrame]) -> pl.DataFrame:
    return _campaign(d["accounts"].join(d["truth"], on="account_id"))


def _chat_share(p: pl.DataFrame, who: pl.Expr) -> float:
    """Share of the chosen prompts asking for writing or customer support (what ordinary chat asks most)."""
    return float(p.filter(who).select(pl.col("cap").is_in(["writing", "other"]).mean()).item())


def test_low_and_slow_spreads_the_same_harvest_over_five_times_the_accounts(make_drop: Make) -> None:
    base, slow = _drop(make_drop, None), _drop(make_drop, "low_and_slow")
    b_acc, s_acc = _campaign_accounts(base), _campaign_accounts(slow)
    assert s_acc.height >= 4.5 * b_acc.height, (b_acc.height, s_acc.height)
    b_calls, s_calls = _campaign(base["calls"]), _campaign(slow["calls"])
    assert abs(s_calls.height / b_calls.height - 1) < 0.05  # the same harvest
    b_med = float(b_calls.group_by("account_id").len()["len"].median())  # type: ignore[arg-type]
    s_med = float(s_calls.group_by("account_id").len()["len"].median())  # type: ignore[arg-type]
    assert s_med <= 0.3 * b_med, (b_med, s_med)
    assert s_acc["payment_fingerprint"].drop_nulls().is_duplicated().mean() > 0.5  # type: ignore[operator]  # still one operator's cards


def test_broad_sweep_asks_for_capabilities_as_the_benign_mix_does(make_drop: Make) -> None:
    ind = pl.col("archetype") == "individual"
    base, broad = _drop_prompts(_drop(make_drop, None)), _drop_prompts(_drop(make_drop, "broad_sweep"))

    def top(p: pl.DataFrame) -> float:
        return float(p["cap"].value_counts(normalize=True)["proportion"].max())  # type: ignore[arg-type]

    attack = pl.col("label") == "attack"
    assert top(base.filter(attack)) > top(base.filter(ind)) + 0.15  # the default campaigns concentrate
    assert top(broad.filter(attack)) <= top(broad.filter(ind)) + 0.1
    assert _chat_share(broad, attack) > 0.6 * _chat_share(broad, ind)
    assert _shared_template_share(_drop(make_drop, "broad_sweep"), attack) > 0.4  # still filled templates


def test_aged_verified_accounts_are_old_verified_and_each_their_own(make_drop: Make) -> None:
    acc = _campaign_accounts(_drop(make_drop, "aged_verified"))
    age = acc.select((pl.lit(WINDOW_START) - pl.col("created_at")).dt.total_days())[:, 0]
    assert age.min() >= 21 and age.max() <= 70  # type: ignore[operator]
    assert acc["verification"].is_in(["payment", "organisation"]).mean() >= 0.8  # type: ignore[operator]
    assert acc["email_domain"].n_unique() == acc["org_id"].n_unique() == acc.height
    assert not acc["payment_fingerprint"].drop_nulls().is_duplicated().any()


def test_reseller_keys_carry_the_harvest_on_a_few_verified_cloud_accounts(make_drop: Make) -> None:
    base, res = _drop(make_drop, None), _drop(make_drop, "reseller_keys")
    acc = _campaign_accounts(res)
    assert acc.height <= _campaign_accounts(base).height / 10
    assert abs(_campaign(res["calls"]).height / _campaign(base["calls"]).height - 1) < 0.05
    assert acc["org_id"].is_not_null().all() and acc["verification"].is_in(["payment", "organisation"]).all()
    assert (acc.select((pl.lit(WINDOW_START) - pl.col("created_at")).dt.total_days())[:, 0] >= 60).all()
    calls = _campaign(res["calls"])
    assert (calls["ip_class"] == "datacenter").mean() > 0.9  # type: ignore[operator]
    hours = calls.group_by("account_id").agg(pl.col("ts").dt.hour().n_unique().alias("h"))["h"].median()
    assert hours is not None and hours >= 22  # type: ignore[operator]
    keys = res["api_keys"].join(acc.select("account_id"), on="account_id").group_by("account_id").len()["len"]
    assert keys.mean() >= 3  # type: ignore[operator]
    p = _drop_prompts(res)
    cover = _chat_share(p, pl.col("label") == "attack") / _chat_share(p, pl.col("archetype") == "individual")
    assert abs(cover - 0.3) < 0.1, cover  # the reseller's other customers' chat


def test_university_course_signs_up_in_the_first_lecture_and_rushes_before_the_deadline(make_drop: Make) -> None:
    students = pl.col("archetype") == "institution_nat"
    base, course = _drop(make_drop, None), _drop(make_drop, "university_course")
    acc = course["accounts"].join(course["truth"], on="account_id").filter(students)
    near = acc.with_columns(
        ((pl.col("created_at") - pl.col("created_at").median().over("org_id")).dt.total_minutes().abs() <= 120).alias("near")
    )
    assert near["near"].mean() >= 0.7  # type: ignore[operator]
    assert near.filter("near")["created_at"].min() >= WINDOW_START  # type: ignore[operator]  # a course starting this week

    def rush(d: dict[str, pl.DataFrame]) -> float:
        return float(d["calls"].filter(students)["ts"].dt.weekday().is_in([3, 4]).mean())  # type: ignore[arg-type]

    assert rush(course) > 0.6 and rush(base) < 0.45, (rush(base), rush(course))  # Wednesday and Thursday
    assert _shared_template_share(course, students) > _shared_template_share(base, students) + 0.2


def test_batch_eval_job_runs_one_key_round_the_clock_with_batches_and_steps(make_drop: Make) -> None:
    saas = pl.col("archetype") == "saas_integration"
    d = _drop(make_drop, "batch_eval_job")
    calls = d["calls"].filter(saas)
    assert (d["api_keys"].join(d["truth"].filter(saas), on="account_id").group_by("account_id").len()["len"] == 1).all()
    hours = calls.group_by("account_id").agg(pl.col("ts").dt.hour().n_unique().alias("h"))["h"].min()
    assert hours == 24
    assert 0.4 < (calls["operation"] == "batch").mean() < 0.6  # type: ignore[operator]
    assert float(_drop_prompts(d).filter(saas)["is_cot"].mean()) > 0.4  # type: ignore[arg-type]


def test_benchmark_lab_runs_shared_benchmarks_and_moves_to_the_new_model(make_drop: Make) -> None:
    lab = pl.col("archetype") == "institution_nat"
    base, d = _drop(make_drop, None), _drop(make_drop, "benchmark_lab")
    acc = d["accounts"].join(d["truth"], on="account_id").filter(lab)
    assert acc.group_by("org_id").len()["len"].max() <= 25  # type: ignore[operator]
    assert _shared_template_share(d, lab) > _shared_template_share(base, lab) + 0.1
    assert float(_drop_prompts(d).filter(lab)["is_cot"].mean()) > 0.4  # type: ignore[arg-type]
    late = d["calls"].filter(lab & (pl.col("ts") >= WINDOW_START + timedelta(days=4)))
    assert (late["model"] == "atlas-large-3.5").mean() > 0.5  # type: ignore[operator]

"""Clusters scored as a whole: each account light, the cluster heavy, under common control, extracting."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

import polars as pl

from radar.detect.own_prompts import own_holders

#: accounts at which cluster size counts as full evidence of a hydra (one actor, many accounts)
SIZE_FULL = 20
#: window within which sign-ups count as one burst
BURST_WINDOW = timedelta(hours=48)
#: verification tiers that cost an attacker nothing per account
LOW_VERIFICATION = ("none", "email")
#: how much one shared organisation lowers the hydra evidence of its accounts
ORG_DISCOUNT = 0.75
#: how fast mean behaviour evidence saturates into extraction evidence (0.1 mean evidence -> 0.39, 0.3 -> 0.78)
EXTRACTION_GAIN = 5.0
#: sign-up attributes that only common control explains when several accounts share them
CONTROL_KINDS = ("payment", "signup_ip", "email_burst")
#: how much synchronised activity and shared prompt families each add to the control evidence of shared
#: infrastructure (noisy-or): strong, but each alone is also what one venue's or one course's users show
SYNC_WEIGHT = 0.6
FAMILY_WEIGHT = 0.5
#: harvest floor. A cluster whose members each took no more output than HARVEST_BASE typical accounts of the
#: uncontaminated reference harvested nothing beyond ordinary use, however coordinated (a tutorial's cohort);
#: HARVEST_FULL times as much is a harvest in full. The ratio is taken per member so that it holds at any scale.
HARVEST_BASE = 1.0
HARVEST_FULL = 4.0
#: ...and in absolute terms: HARVEST_FULL_CALLS exchanges is the smallest fine-tuning set shown to teach a model
#: an assistant's behaviour (LIMA, Zhou et al. 2023: 1,000 curated examples); a tenth of that teaches nothing
HARVEST_MIN_CALLS = 100
HARVEST_FULL_CALLS = 1_000
#: ...and beyond ordinary use in all: what the members took above what as many typical accounts take, counted in
#: typical accounts' output. An operation that spreads its harvest thin (each head barely above a typical account)
#: still takes, over thousands of heads, what hundreds of heavy users would. A cohort of people working together (a
#: class, a team, an event's attendees: a few hundred at most, each near ordinary use) stays within a few dozen
#: typical accounts' worth beyond ordinary even in a deadline rush, so HARVEST_EXCESS_BASE is more than any cohort
#: takes, and HARVEST_EXCESS_FULL ten times that.
HARVEST_EXCESS_BASE = 100.0
HARVEST_EXCESS_FULL = 1_000.0
#: how much automation adds: the cluster score is base ** (1 - AUTOMATION_LIFT x automation), so a scripted
#: cluster scores higher, while automation alone (base 0) never makes a campaign
AUTOMATION_LIFT = 0.3


def _burst_share(created: list[datetime | None]) -> float:
    """What share of the accounts signed up within one BURST_WINDOW?"""
    ts = sorted(t for t in created if t is not None)
    if len(ts) < 2:
        return 0.0
    best, j = 1, 0
    for i in range(len(ts)):
        while ts[i] - ts[j] > BURST_WINDOW:
            j += 1
        best = max(best, i - j + 1)
    return best / len(created)


def cluster_frame(
    accounts: pl.DataFrame, memberships: pl.DataFrame, activity: pl.DataFrame | None = None, typical_output: float = 0.0
) -> pl.DataFrame:
    """How big, how heavy, how controlled, how automated and how extractive is each cluster? One row per cluster.

    activity: cluster_id, sync_lift, synchrony (activity.synchrony); typical_output: the median output tokens of an
    account of the uncontaminated reference (the harvest floor's unit)."""
    a = accounts.filter(pl.col("cluster_id").is_not_null())
    if a.is_empty():
        return pl.DataFrame(
            schema={
                "cluster_id": pl.String,
                "n_accounts": pl.Int64,
                "n_keys": pl.Int64,
                "calls": pl.Int64,
                "output_tokens": pl.Int64,
                "score": pl.Float64,
                "hydra": pl.Float64,
                "extraction": pl.Float64,
                "behaviour": pl.Float64,
            }
        )
    calls = pl.col("calls").cast(pl.Float64)
    agg = a.group_by("cluster_id").agg(
        pl.len().alias("n_accounts"),
        pl.col("n_keys").sum().alias("n_keys"),
        pl.col("calls").sum().alias("calls"),
        pl.col("output_tokens").sum().alias("output_tokens"),
        pl.col("calls").median().alias("median_calls"),
        (pl.col("calls").max() / pl.col("calls").sum()).alias("top_share"),
        pl.col("behaviour").mean().alias("behaviour"),
        pl.col("automation").fill_null(0.0).mean().alias("automation")
        if "automation" in accounts.columns
        else pl.lit(0.0).alias("automation"),
        ((pl.col("cot_share") * calls).sum() / calls.sum()).alias("cot_share"),
        ((pl.col("shared_template_share") * calls).sum() / calls.sum()).alias("shared_template_share"),
        ((pl.col("refusal_share") * calls).sum() / calls.sum()).alias("refusal_share"),
        pl.col("verification").fill_null("none").is_in(LOW_VERIFICATION).mean().alias("low_verification_share"),
        pl.col("created_at").alias("created"),
        pl.col("first_ts").min().alias("first_seen"),
        pl.col("last_ts").max().alias("last_seen"),
        pl.col("org_id").drop_nulls().n_unique().alias("n_orgs"),
        (pl.col("org_id").drop_nulls().value_counts(sort=True).struct.field("count").first().fill_null(0) / pl.len()).alias("org_share"),
    )
    agg = agg.with_columns(pl.col("created").map_elements(_burst_share, return_dtype=pl.Float64).alias("burst_share")).drop("created")
    ctrl = control_ties(a, memberships)
    # a tie inside one declared organisation is its own practice (a vendor's accounts on the company card, a
    # campus's students on its network): only ties across organisations show an operator (as in account scores)
    shared = ctrl.filter(pl.col("cross_org")).group_by("cluster_id").agg(pl.col("account_id").n_unique().alias("controlled_accounts"))
    pay = (
        ctrl.filter(pl.col("edge_type") == "payment")
        .group_by("cluster_id")
        .agg(pl.col("account_id").n_unique().alias("payment_accounts"), pl.col("value").n_unique().alias("payment_instruments"))
    )
    agg = agg.join(shared, on="cluster_id", how="left").join(pay, on="cluster_id", how="left").fill_null(0)
    agg = _families(agg, accounts, memberships, activity, typical_output)
    return agg.sort("cluster_id")


def _log_ramp(x: pl.Expr, low: float, full: float) -> pl.Expr:
    return ((pl.max_horizontal(x, 1e-9) / low).log() / math.log(full / low)).clip(0.0, 1.0)


def _families(
    agg: pl.DataFrame, a: pl.DataFrame, memberships: pl.DataFrame, activity: pl.DataFrame | None, typical_output: float
) -> pl.DataFrame:
    """Control, automation and extraction per cluster, each 0-1, and the score they combine into."""
    n = pl.col("n_accounts").cast(pl.Float64)
    size = (n.log() / math.log(SIZE_FULL)).clip(0.0, 1.0)
    spread = (1.0 - pl.col("top_share")).clip(0.0, 1.0)
    control = pl.col("controlled_accounts").cast(pl.Float64) / n
    # one declared organisation holding the accounts is an institution's or vendor's fleet more often than a hydra
    org = 1.0 - ORG_DISCOUNT * pl.col("org_share")
    infra = (spread + control + pl.col("low_verification_share") + pl.col("burst_share")) / 4.0
    fam = prompt_families(a, memberships)
    agg = agg.join(fam, on="cluster_id", how="left")
    if activity is not None and not activity.is_empty():
        agg = agg.join(activity, on="cluster_id", how="left")
    for c in ("family_share", "synchrony", "sync_lift"):
        if c not in agg.columns:
            agg = agg.with_columns(pl.lit(0.0).alias(c))
    agg = agg.with_columns(pl.col("family_share", "synchrony", "sync_lift").fill_null(0.0))
    miss = (1.0 - infra) * (1.0 - SYNC_WEIGHT * pl.col("synchrony")) * (1.0 - FAMILY_WEIGHT * pl.col("family_share"))
    agg = agg.with_columns((size * org * infra).alias("hydra"), (size * org * (1.0 - miss)).alias("control"))
    per_member = pl.col("output_tokens").cast(pl.Float64) / n / max(typical_output, 1.0)
    excess = (n * (per_member - 1.0)).clip(0.0, None)  # typical accounts' output taken beyond ordinary use, all members
    harvest = pl.min_horizontal(
        pl.max_horizontal(_log_ramp(per_member, HARVEST_BASE, HARVEST_FULL), _log_ramp(excess, HARVEST_EXCESS_BASE, HARVEST_EXCESS_FULL)),
        _log_ramp(pl.col("calls").cast(pl.Float64), HARVEST_MIN_CALLS, HARVEST_FULL_CALLS),
    )
    agg = agg.with_columns(per_member.alias("harvest_ratio"), excess.alias("harvest_excess"), harvest.alias("harvest"))
    agg = agg.with_columns(
        extraction(pl.col("behaviour")).alias("extraction_signals"),
        (extraction(pl.col("behaviour")) * pl.col("harvest")).alias("extraction"),
    )
    base = (pl.col("control") * pl.col("extraction")).sqrt()
    return agg.with_columns(base.pow(1.0 - AUTOMATION_LIFT * pl.col("automation")).alias("score"))


def family_holders(accounts: pl.DataFrame, memberships: pl.DataFrame) -> pl.DataFrame:
    """Which clustered accounts send one of their cluster's own prompt families (a template, near-duplicate or
    similar prompt that FAMILY_MIN or more members send and that is rare outside clusters, own_prompts)? account_id,
    cluster_id."""
    groups = accounts.select("account_id", pl.col("cluster_id").alias("group"))
    return own_holders(memberships, groups).select("account_id", pl.col("group").alias("cluster_id"))


def prompt_families(accounts: pl.DataFrame, memberships: pl.DataFrame) -> pl.DataFrame:
    """What share of each cluster's members send one of its prompt families? cluster_id, family_share."""
    held = family_holders(accounts, memberships)
    n = accounts.filter(pl.col("cluster_id").is_not_null()).group_by("cluster_id").len()
    return (
        n.join(held.group_by("cluster_id").len().rename({"len": "held"}), on="cluster_id", how="left")
        .with_columns((pl.col("held").fill_null(0).cast(pl.Float64) / pl.col("len").cast(pl.Float64)).alias("family_share"))
        .select("cluster_id", "family_share")
    )


def control_ties(accounts: pl.DataFrame, memberships: pl.DataFrame, group: str = "cluster_id") -> pl.DataFrame:
    """Which sign-up facts (payment instrument, sign-up IP, rare-domain burst) does each grouped account share with
    another member of its group? account_id, <group>, edge_type, value, and cross_org: shared with a member
    outside the account's own declared organisation (a vendor's accounts sharing the company card are not)."""
    cols = ["account_id", group, *(["org_id"] if "org_id" in accounts.columns else [])]
    a = accounts.filter(pl.col(group).is_not_null()).select(cols)
    if "org_id" not in a.columns:
        a = a.with_columns(pl.lit(None, dtype=pl.String).alias("org_id"))
    key = [group, "edge_type", "value"]
    own_org = pl.when(pl.col("org_id").is_null()).then(1).otherwise(pl.len().over([*key, "org_id"]))
    return (
        memberships.filter(pl.col("edge_type").is_in(CONTROL_KINDS))
        .join(a, on="account_id")
        .filter(pl.len().over(key) >= 2)
        .with_columns((pl.len().over(key) > own_org).alias("cross_org"))
        .select("account_id", group, "edge_type", "value", "cross_org")
    )


def extraction(behaviour: pl.Expr) -> pl.Expr:
    """How sure is the extraction evidence, 0-1, from mean behaviour evidence (saturating: several signals
    half-way above peers is already strong evidence)?"""
    return 1.0 - (-EXTRACTION_GAIN * behaviour).exp()

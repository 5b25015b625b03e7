"""Per-account and per-key behaviour, fetched from the warehouse and turned into peer-relative evidence."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

import polars as pl
from sqlalchemy import Connection

from queries import detect_activity, detect_edges, detect_features
from queries.run import run_all_on
from radar.detect.activity import automation
from radar.detect.peers import MIN_PEERS, SHRINK_CALLS, evidence
from radar.detect.similar import similar_prompt_memberships

__all__ = ["SHRINK_CALLS", "Inputs", "load_inputs", "rescore", "typical_output"]

#: a value held by more than this share of all active accounts is a commons (webmail, big ISP, popular SDK)
COMMON_SHARE = 0.2
#: ...but never fewer than this many accounts, so a small warehouse still links small groups
COMMON_MIN = 5
#: a template counts as shared (coordinated prompting) when at least this many accounts use it
SHARED_TEMPLATE_MIN_ACCOUNTS = 3
#: a second-pass reference smaller than this (a warehouse of little but clusters) falls back to everyone
MIN_REFERENCE = MIN_PEERS
#: accounts in a cluster at least this large are left out of the second pass's peer reference: an operation's
#: accounts (half of a peer group, in a large campaign) must not pull the median they are judged against
REFERENCE_CLUSTER_MIN = 3


@dataclass
class Inputs:
    """Everything one scoring run reads from the warehouse."""

    accounts: pl.DataFrame  # one row per active account: behaviour, sign-up facts, evidence
    keys: pl.DataFrame  # one row per active key
    memberships: pl.DataFrame  # edge_type, value, account_id, n_accounts
    capabilities: pl.DataFrame  # account_id, capability, calls
    buckets: pl.DataFrame  # account_id, bucket (hour), calls: when each account was active
    n_accounts: int
    common_cap: int
    peers: dict[str, float]  # population medians, for reasons


def commons_cap(n_accounts: int) -> int:
    """Above how many accounts is a shared value a commons that links nobody?"""
    return max(COMMON_MIN, math.ceil(COMMON_SHARE * n_accounts))


def _capability_mix(caps: pl.DataFrame) -> pl.DataFrame:
    if caps.is_empty():
        return pl.DataFrame(
            schema={
                "account_id": pl.String,
                "top_capability": pl.String,
                "top_capability_share": pl.Float64,
                "capability_entropy": pl.Float64,
                "capability_mix": pl.String,
            }
        )
    caps = caps.with_columns(pl.col("calls").cast(pl.Float64))
    caps = caps.with_columns((pl.col("calls") / pl.col("calls").sum().over("account_id")).alias("p"))
    top = caps.sort(["account_id", "p", "capability"], descending=[False, True, False]).group_by("account_id", maintain_order=True).first()
    ent = caps.group_by("account_id").agg(
        (-(pl.col("p") * pl.col("p").log())).sum().alias("capability_entropy"), pl.len().alias("n_capabilities")
    )
    mix = (
        caps.sort("capability")
        .group_by("account_id")
        .agg(
            pl.concat_str([pl.col("capability"), pl.col("p").round(3).cast(pl.String)], separator="=").str.join(",").alias("capability_mix")
        )
    )
    return (
        top.select("account_id", pl.col("capability").alias("top_capability"), pl.col("p").alias("top_capability_share"))
        .join(ent, on="account_id")
        .join(mix, on="account_id")
    )


def _ratio(num: str, den: str) -> pl.Expr:
    return pl.col(num).cast(pl.Float64) / pl.max_horizontal(pl.col(den).cast(pl.Float64), 1.0)


def _derive(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(
        _ratio("output_tokens", "input_tokens").alias("output_input_ratio"),
        (pl.col("n_templates").cast(pl.Float64) / pl.col("calls").cast(pl.Float64)).alias("template_ratio"),
        _ratio("comp_output_tokens", "comp_input_tokens").alias("comp_output_input_ratio"),
        _ratio("comp_cot", "comp_calls").alias("comp_cot_share"),
        _ratio("comp_refusals", "comp_calls").alias("comp_refusal_share"),
        _ratio("comp_anon", "comp_calls").alias("comp_anon_ip_share"),
        (pl.col("calls") - pl.col("comp_calls")).alias("other_calls"),
    )


MEAN_FEATURES = (
    "cot_share",
    "refusal_share",
    "shared_template_share",
    "extraction_share",
    "followup_share",
    "tool_share",
    "anon_ip_share",
    "prompt_chars_mean",
)


#: the scripted component's counts, summed from keys to accounts
COMPONENT_SUMS = ("comp_calls", "comp_cot", "comp_refusals", "comp_anon", "comp_input_tokens", "comp_output_tokens")


def accounts_from_keys(keys: pl.DataFrame) -> pl.DataFrame:
    """What did each account do? Sums and call-weighted means over its keys (template and hour counts are upper bounds)."""
    w = pl.col("calls").cast(pl.Float64)
    return keys.group_by("account_id").agg(
        pl.col("calls").sum(),
        pl.col("input_tokens").sum(),
        pl.col("output_tokens").sum(),
        pl.len().alias("n_keys"),
        pl.col("hours_of_day").max(),
        pl.col("n_templates").sum(),
        pl.col("first_ts").min(),
        pl.col("last_ts").max(),
        *[pl.col(c).sum() for c in COMPONENT_SUMS],
        *[((pl.col(f).cast(pl.Float64) * w).sum() / w.sum()).alias(f) for f in MEAN_FEATURES],
    )


def load_inputs(conn: Connection, start: datetime, end: datetime) -> Inputs:
    """What did every active account and key do in the window, and which attribute values do accounts share?"""
    n = int(run_all_on(conn, detect_features.window_accounts(start, end))["n"][0] or 0)
    cap = commons_cap(n)
    kw = {"min_accounts": SHARED_TEMPLATE_MIN_ACCOUNTS, "max_accounts": cap}
    keys = _derive(run_all_on(conn, detect_features.key_features(start, end, **kw)))
    acc = _derive(accounts_from_keys(keys))
    cap_calls = run_all_on(conn, detect_features.account_capabilities(start, end))
    caps = _capability_mix(cap_calls)
    prof = run_all_on(conn, detect_features.account_profiles())
    mem = run_all_on(conn, detect_edges.memberships(start, end, max_accounts=cap))
    mem = pl.concat([mem, similar_prompt_memberships(conn, start, end, max_accounts=cap)], how="vertical_relaxed")
    acc = acc.join(caps, on="account_id", how="left").with_columns(pl.col("top_capability_share").fill_null(1.0))
    if prof.is_empty():
        prof = pl.DataFrame(schema={c: pl.String for c in prof.columns})
    acc = acc.join(prof.with_columns(pl.col("account_id").cast(pl.String)), on="account_id", how="left")
    buckets = run_all_on(conn, detect_activity.account_buckets(start, end))
    key_prof = run_all_on(conn, detect_features.key_profiles()).select("api_key_id", "created_at", "revoked_at")
    auto = automation(buckets, key_prof, keys.select("api_key_id", "account_id"))
    acc = acc.join(auto, on="account_id", how="left").with_columns(pl.col("automation").fill_null(0.0))
    acc, medians = evidence(acc, acc)
    keys = keys.join(acc.select("account_id", "top_capability_share", "verification", "org_id"), on="account_id", how="left")
    keys, _ = evidence(keys, keys)
    mem = mem.filter(pl.col("account_id").is_in(acc["account_id"].implode()))
    return Inputs(
        accounts=acc.sort("account_id"),
        keys=keys.sort("api_key_id"),
        memberships=mem,
        capabilities=cap_calls,
        buckets=buckets,
        n_accounts=n,
        common_cap=cap,
        peers=medians,
    )


def _evidence_cols(frame: pl.DataFrame) -> list[str]:
    return [
        c
        for c in frame.columns
        if c.startswith("ev_") or c.endswith("_adj") or c in ("peer", "behaviour", "behaviour_whole", "behaviour_component")
    ]


def rescore(accounts: pl.DataFrame, keys: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame, dict[str, float]]:
    """How far above uncontaminated peers is each account and key? The second pass, once clusters are known: the
    reference leaves out every account in a cluster of REFERENCE_CLUSTER_MIN or more (and their keys), so that a
    large operation cannot pull the medians it is judged against toward itself. accounts need cluster_id."""
    size = pl.len().over("cluster_id")
    clean = accounts.filter(pl.col("cluster_id").is_null() | (size < REFERENCE_CLUSTER_MIN))
    if clean.height < MIN_REFERENCE:
        clean = accounts  # too few accounts outside clusters to be a reference: judge against everyone
    acc, medians = evidence(accounts.drop(_evidence_cols(accounts)), clean.drop(_evidence_cols(clean)))
    k = keys.drop(_evidence_cols(keys))
    ref_keys = k.filter(pl.col("account_id").is_in(clean["account_id"].implode()))
    k, _ = evidence(k, ref_keys if ref_keys.height >= MIN_REFERENCE else k)
    return acc, k, medians


def typical_output(accounts: pl.DataFrame) -> float:
    """How many output tokens does a typical account take in the window? The median over accounts outside any
    cluster of REFERENCE_CLUSTER_MIN or more (the harvest floor's unit, which an operation cannot inflate)."""
    clean = accounts.filter(pl.col("cluster_id").is_null() | (pl.len().over("cluster_id") < REFERENCE_CLUSTER_MIN))
    ref = clean if clean.height >= MIN_REFERENCE else accounts
    return float(ref["output_tokens"].median() or 0.0)  # type: ignore[arg-type]

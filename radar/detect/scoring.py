"""Risk 0-1 per account, key and cluster: cluster evidence first, own behaviour second, analyst knowledge last."""

from __future__ import annotations

import polars as pl

from queries.schema import ALERT_SCORE
from radar.detect.clusters import LOW_VERIFICATION, control_ties, extraction
from radar.detect.features import SHRINK_CALLS
from radar.feedback import Feedback

#: an entity alone (in no cluster) can reach at most this much from its own behaviour: a single heavy,
#: CoT-heavy account is an evaluation customer far more often than a hydra
ALONE_WEIGHT = 0.4
#: within a cluster, how much an account's own behaviour (relative to its cluster's) modulates the cluster score
OWN_SHARE = 0.5
#: how much a key's own extraction (relative to its account's) decides how much of the account's risk it carries
KEY_OWN_SHARE = 0.5
#: share of an entity's calls carrying a campaign's templates at which it counts fully as that campaign's
#: traffic: a reseller's key is judged by the extraction it carries, not diluted by its cover traffic
CAMPAIGN_SHARE_FULL = 0.3
#: calls, as a multiple of its cluster's median account, beyond which an account is too heavy to be a hydra head
HEAVY_RATIO = 5.0
#: a verified account (phone, payment, organisation) that shares no sign-up fact with members of its cluster
#: outside its own organisation paid its own way in: a server or a home user on infrastructure the operation also uses more often than one of its heads
BYSTANDER_DISCOUNT = 0.7
#: a member that sends none of its cluster's prompt families, where most members do (FAMILY_MAJORITY), does not
#: run the cluster's harness: a home user or a coder behind an exit the operation also uses
OUTSIDER_DISCOUNT = 0.6
FAMILY_MAJORITY = 0.5
#: score at and above which an entity alerts: the one threshold the stored `alerting` column and the overview share
ALERT = ALERT_SCORE
#: clusters at least this large and this risky become campaigns
CAMPAIGN_MIN_ACCOUNTS = 3
CAMPAIGN_MIN_SCORE = 0.5
#: confirmed-campaign indicators: each shared kind lifts an account by this much (ban-evasion lineage)
LINEAGE_STEP = 0.25
LINEAGE_BASE = 0.45
#: feedback indicator kinds -> account-graph edge types (campaign indicators are stored under edge types already)
INDICATOR_EDGE = {"email_domain": "email_burst", "user_agent": "ua_sysprompt"}
#: indicator kinds also matched against sign-up facts directly (a lone new account's card is in no shared group yet)
INDICATOR_COLUMNS = {"payment": ("payment_fingerprint",), "signup_ip": ("signup_ip", "signup_prefix"), "email_domain": ("email_domain",)}


def lineage(memberships: pl.DataFrame, profiles: pl.DataFrame, feedback: Feedback | None) -> pl.DataFrame:
    """Which accounts share indicators of a confirmed campaign, and how many of each kind? account_id, kind, n."""
    empty = pl.DataFrame(schema={"account_id": pl.String, "kind": pl.String, "n": pl.UInt32})
    if feedback is None or not feedback.confirmed_indicators:
        return empty
    rows: list[pl.DataFrame] = []
    for kind, values in sorted(feedback.confirmed_indicators.items()):
        vals = pl.Series(sorted(values), dtype=pl.String).implode()
        m = memberships.filter(pl.col("edge_type") == INDICATOR_EDGE.get(kind, kind))
        if kind == "user_agent":
            m = m.with_columns(pl.col("value").str.split(" | ").list.first().alias("value"))
        parts = [m.filter(pl.col("value").is_in(vals)).select("account_id", pl.col("value").cast(pl.String))]
        for col in INDICATOR_COLUMNS.get(kind, ()):
            if col in profiles.columns:
                parts.append(
                    profiles.filter(pl.col(col).cast(pl.String).is_in(vals)).select(
                        "account_id", pl.col(col).cast(pl.String).alias("value")
                    )
                )
        hit = pl.concat(parts).unique()
        if not hit.is_empty():
            rows.append(
                hit.group_by("account_id")
                .agg(pl.col("value").n_unique().cast(pl.UInt32).alias("n"))
                .with_columns(pl.lit(kind).alias("kind"))
            )
    return pl.concat([r.select("account_id", "kind", "n") for r in rows]) if rows else empty


def _flags(ids: pl.Expr, kind: str, feedback: Feedback | None, which: str) -> pl.Expr:
    if feedback is None:
        return pl.lit(False)
    pairs = getattr(feedback, which)
    vals = sorted(v for k, v in pairs if k == kind)
    return ids.is_in(pl.Series(vals, dtype=pl.String).implode()) if vals else pl.lit(False)


def account_scores(
    accounts: pl.DataFrame,
    clusters: pl.DataFrame,
    lineage_hits: pl.DataFrame,
    feedback: Feedback | None,
    memberships: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """How risky is each account, 0-1, and is it allowlisted or dismissed? memberships (the graph's shared values)
    tell which members share sign-up facts with their cluster; without them every member counts as tied."""
    fam = pl.col("family_share") if "family_share" in clusters.columns else pl.lit(0.0)
    c = clusters.select(
        "cluster_id", pl.col("score").alias("cluster_score"), pl.col("extraction").alias("cluster_extraction"), fam.alias("cluster_family")
    )
    a = accounts.join(c, on="cluster_id", how="left")
    held = pl.col("in_family").fill_null(False) if "in_family" in a.columns else pl.lit(True)
    outsider = pl.when((pl.col("cluster_family").fill_null(0.0) >= FAMILY_MAJORITY) & ~held).then(OUTSIDER_DISCOUNT).otherwise(1.0)
    if memberships is not None:
        # ties count across organisations only: a vendor's accounts sharing the company card are one customer
        ties = control_ties(a, memberships).filter(pl.col("cross_org"))
        tied = ties.select("account_id").unique().with_columns(pl.lit(True).alias("tied"))
        a = a.join(tied, on="account_id", how="left").with_columns(pl.col("tied").fill_null(False))
    else:
        a = a.with_columns(pl.lit(True).alias("tied"))
    verified = ~pl.col("verification").fill_null("none").is_in(LOW_VERIFICATION)
    bystander = pl.when(verified & ~pl.col("tied")).then(BYSTANDER_DISCOUNT).otherwise(1.0)
    rel = (extraction(pl.col("behaviour")) / pl.max_horizontal(pl.col("cluster_extraction"), 1e-6)).clip(0.0, 1.0)
    # a hydra's heads are light: an account far heavier than its cluster's median is a bystander (a server-side
    # integration on shared hosting, say) unless it carries the campaign's own templates (see interleaving)
    ratio = pl.col("calls").cast(pl.Float64) / pl.max_horizontal(pl.col("calls").median().over("cluster_id").cast(pl.Float64), 1.0)
    light = (HEAVY_RATIO / pl.max_horizontal(ratio, HEAVY_RATIO)).sqrt()
    in_cluster = pl.col("cluster_score") * ((1.0 - OWN_SHARE) + OWN_SHARE * rel) * light * bystander * outsider
    alone = ALONE_WEIGHT * pl.col("behaviour")
    a = a.with_columns(pl.max_horizontal(in_cluster.fill_null(0.0), alone).alias("score")).drop("tied", "cluster_family")
    if not lineage_hits.is_empty():
        lin = lineage_hits.group_by("account_id").agg(pl.col("kind").n_unique().alias("lineage_kinds"))
        a = a.join(lin, on="account_id", how="left").with_columns(pl.col("lineage_kinds").fill_null(0))
        lift = (
            pl.when(pl.col("lineage_kinds") > 0)
            .then((LINEAGE_BASE + LINEAGE_STEP * pl.col("lineage_kinds")).clip(0.0, 0.95))
            .otherwise(0.0)
        )
        a = a.with_columns(pl.max_horizontal("score", lift).alias("score"))
    else:
        a = a.with_columns(pl.lit(0).alias("lineage_kinds"))
    org_allow = _flags(pl.col("org_id"), "org", feedback, "allowlisted")
    allow = _flags(pl.col("account_id"), "account", feedback, "allowlisted") | org_allow.fill_null(False)
    dismissed = _flags(pl.col("account_id"), "account", feedback, "dismissed") | _flags(
        pl.col("campaign_id"), "campaign", feedback, "dismissed"
    ).fill_null(False)
    a = a.with_columns(pl.col("score").clip(0.0, 1.0), allow.alias("allowlisted"), dismissed.alias("dismissed"))
    return alerting(a)


def key_scores(keys: pl.DataFrame, accounts: pl.DataFrame, feedback: Feedback | None) -> pl.DataFrame:
    """How risky is each key: its account's risk, raised by the extraction it carries (share, not diluted)?"""
    acc = accounts.select(
        "account_id", pl.col("score").alias("account_score"), pl.col("behaviour").alias("account_behaviour"), "allowlisted"
    )
    k = keys.join(acc, on="account_id", how="left")
    own = ALONE_WEIGHT * pl.col("behaviour")
    # a key carries its account's risk in proportion to the extraction it shows relative to its account, so a
    # reseller's extraction key stands out from its clean keys instead of being averaged with them
    rel = (pl.col("behaviour") / pl.max_horizontal(pl.col("account_behaviour").fill_null(0.0), 1e-6)).clip(0.0, 1.0)
    inherited = pl.col("account_score").fill_null(0.0) * ((1.0 - KEY_OWN_SHARE) + KEY_OWN_SHARE * rel)
    k = k.with_columns(pl.max_horizontal(inherited, own).clip(0.0, 1.0).alias("score"))
    allow = pl.col("allowlisted").fill_null(False) | _flags(pl.col("api_key_id"), "api_key", feedback, "allowlisted")
    return k.with_columns(allow.alias("allowlisted"))


def campaign_clusters(clusters: pl.DataFrame) -> pl.DataFrame:
    """Which clusters are campaigns (large enough and risky enough)?"""
    if clusters.is_empty():
        return clusters
    return clusters.filter((pl.col("n_accounts") >= CAMPAIGN_MIN_ACCOUNTS) & (pl.col("score") >= CAMPAIGN_MIN_SCORE))


def interleaving(frame: pl.DataFrame, usage: pl.DataFrame, on: str) -> pl.DataFrame:
    """Raise entities that carry a campaign's templates in part of their traffic (a reseller's key, a proxy account).

    usage: api_key_id, account_id, campaign_id, campaign_score, campaign_calls. Adds campaign_share (the largest
    share of the entity's calls carrying one campaign's templates) and lifts the score by it.
    """
    if usage.is_empty():
        return frame.with_columns(pl.lit(0.0).alias("campaign_share"), pl.lit(None, dtype=pl.String).alias("carried_campaign"))
    u = usage.group_by(on, "campaign_id").agg(pl.col("campaign_calls").sum(), pl.col("campaign_score").first())
    u = u.join(frame.select(on, "calls"), on=on).with_columns(
        (pl.col("campaign_calls").cast(pl.Float64) / pl.col("calls").cast(pl.Float64)).alias("campaign_share")
    )
    # a handful of calls carrying a campaign's template proves little: the lift's share is shrunk by SHRINK_CALLS
    shrunk = pl.col("campaign_calls").cast(pl.Float64) / (pl.col("calls").cast(pl.Float64) + SHRINK_CALLS)
    u = u.with_columns((pl.col("campaign_score") * (shrunk / CAMPAIGN_SHARE_FULL).clip(0.0, 1.0)).alias("lift"))
    best = u.sort([on, "lift", "campaign_id"], descending=[False, True, False]).group_by(on, maintain_order=True).first()
    f = frame.join(best.select(on, "campaign_share", "lift", pl.col("campaign_id").alias("carried_campaign")), on=on, how="left")
    return f.with_columns(
        pl.max_horizontal("score", pl.col("lift").fill_null(0.0)).alias("score"), pl.col("campaign_share").fill_null(0.0)
    ).drop("lift")


def alerting(frame: pl.DataFrame) -> pl.DataFrame:
    """Which entities alert: at or above the threshold, and neither allowlisted nor dismissed?"""
    return frame.with_columns(((pl.col("score") >= ALERT) & ~pl.col("allowlisted") & ~pl.col("dismissed")).alias("alerting"))

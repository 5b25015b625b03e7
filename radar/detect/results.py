"""The stored shape of a run: result-table frames built from scored accounts, keys and clusters."""

from __future__ import annotations

import hashlib
import json

import polars as pl

from radar.detect import reasons as rsn

#: at most this many shared values per cluster and edge type are stored as links and indicators
LINKS_PER_KIND = 50
#: feature columns stored as JSON with each account and key
ACCOUNT_FEATURES = (
    "calls",
    "input_tokens",
    "output_tokens",
    "n_keys",
    "hours_of_day",
    "n_templates",
    "cot_share",
    "refusal_share",
    "shared_template_share",
    "extraction_share",
    "followup_share",
    "tool_share",
    "anon_ip_share",
    "prompt_chars_mean",
    "output_input_ratio",
    "template_ratio",
    "top_capability",
    "top_capability_share",
    "capability_entropy",
    "n_capabilities",
    "verification",
    "behaviour",
    "cluster_score",
    "lineage_kinds",
    "campaign_share",
    "comp_calls",
    "behaviour_component",
    "active_hours",
    "round_the_clock",
    "longest_run",
    "dispersion",
    "metronome",
    "long_sessions",
    "rotated_keys",
    "key_rotation",
    "automation",
)
KEY_FEATURES = (
    "calls",
    "output_tokens",
    "extraction_share",
    "cot_share",
    "shared_template_share",
    "refusal_share",
    "n_templates",
    "hours_of_day",
    "output_input_ratio",
    "behaviour",
    "behaviour_whole",
    "behaviour_component",
    "comp_cot_share",
    "comp_output_input_ratio",
    "campaign_share",
)


def campaign_id_for(first_member: str) -> str:
    """Which stable id names a campaign? A hash of its smallest member account, so analysts' cases keep pointing at it."""
    return "camp-" + hashlib.sha1(first_member.encode()).hexdigest()[:12]


def _json(frame: pl.DataFrame, cols: tuple[str, ...]) -> pl.Expr:
    present = [c for c in cols if c in frame.columns]
    return pl.struct([pl.col(c).round(4) if frame.schema[c].is_float() else pl.col(c) for c in present]).struct.json_encode()


def links(memberships: pl.DataFrame, assigned: pl.DataFrame) -> pl.DataFrame:
    """Which shared values tie each cluster together? cluster_id, account_id, edge_type, value, weight, in_cluster."""
    m = memberships.join(assigned.filter(pl.col("cluster_id").is_not_null()), on="account_id")
    m = m.with_columns(pl.len().over(["cluster_id", "edge_type", "value"]).alias("in_cluster")).filter(pl.col("in_cluster") >= 2)
    top = (
        m.select("cluster_id", "edge_type", "value", "in_cluster")
        .unique()
        .sort(["cluster_id", "edge_type", "in_cluster", "value"], descending=[False, False, True, False])
        .group_by(["cluster_id", "edge_type"], maintain_order=True)
        .head(LINKS_PER_KIND)
    )
    return m.join(top.select("cluster_id", "edge_type", "value"), on=["cluster_id", "edge_type", "value"]).sort(
        ["cluster_id", "edge_type", "value", "account_id"]
    )


def campaigns_frame(
    camp: pl.DataFrame, scored: pl.DataFrame, link_rows: pl.DataFrame, caps: pl.DataFrame, cluster_sentences: dict[str, list[str]]
) -> pl.DataFrame:
    """One record per campaign: its accounts' totals, capability profile, indicators and reasons."""
    rows = []
    for c in camp.iter_rows(named=True):
        cid = c["cluster_id"]
        members = scored.filter(pl.col("cluster_id") == cid)
        prof = caps.filter(pl.col("account_id").is_in(members["account_id"].implode())).group_by("capability").agg(pl.col("calls").sum())
        total = max(int(prof["calls"].sum() or 0), 1)
        profile = {r["capability"]: round(r["calls"] / total, 3) for r in prof.sort("capability").iter_rows(named=True)}
        lk = link_rows.filter(pl.col("cluster_id") == cid).select("edge_type", "value", "in_cluster").unique()
        indicators = {
            k: lk.filter(pl.col("edge_type") == k).sort(["in_cluster", "value"], descending=[True, False])["value"].to_list()
            for k in sorted(set(lk["edge_type"].to_list()))
        }
        rows.append(
            {
                "campaign_id": campaign_id_for(str(members["account_id"].min())),
                "cluster_id": cid,
                "score": float(c["score"]),
                "n_accounts": int(c["n_accounts"]),
                "n_keys": int(c["n_keys"]),
                "calls": int(c["calls"]),
                "output_tokens": int(c["output_tokens"]),
                "first_seen": c["first_seen"],
                "last_seen": c["last_seen"],
                "capability_profile": json.dumps(profile),
                "indicators": json.dumps(indicators),
                "reasons": json.dumps(cluster_sentences.get(cid, [])),
            }
        )
    return pl.DataFrame(rows) if rows else pl.DataFrame(schema={"campaign_id": pl.String, "cluster_id": pl.String})


def account_rows(
    scored: pl.DataFrame, peers: dict[str, float], cluster_sentences: dict[str, list[str]], lineage: dict[str, list[str]]
) -> pl.DataFrame:
    """account_scores rows: score, cluster, campaign, flags, reasons and the feature values as JSON."""
    reasons = [json.dumps(rsn.account_reasons(r, peers, cluster_sentences, lineage)) for r in scored.iter_rows(named=True)]
    return scored.with_columns(pl.Series("reasons", reasons, dtype=pl.String), _json(scored, ACCOUNT_FEATURES).alias("features"))


def key_rows(keys: pl.DataFrame, peers: dict[str, float]) -> pl.DataFrame:
    """key_scores rows: score, extraction share, reasons and the feature values as JSON."""
    reasons = [json.dumps(rsn.key_reasons(r, peers)) for r in keys.iter_rows(named=True)]
    return keys.with_columns(
        pl.Series("reasons", reasons, dtype=pl.String),
        _json(keys, KEY_FEATURES).alias("features"),
        pl.col("comp_calls").alias("extraction_calls"),
        pl.col("other_calls"),
        pl.col("behaviour_component").alias("component_score"),
    )

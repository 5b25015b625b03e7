"""Per-account and per-key behaviour, fetched from the warehouse and turned into peer-relative evidence."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

import polars as pl
from sqlalchemy import Connection

from queries import detect_edges, detect_features
from queries.run import run_all_on

#: a value held by more than this share of all active accounts is a commons (webmail, big ISP, popular SDK)
COMMON_SHARE = 0.2
#: ...but never fewer than this many accounts, so a small warehouse still links small groups
COMMON_MIN = 5
#: a template counts as shared (coordinated prompting) when at least this many accounts use it
SHARED_TEMPLATE_MIN_ACCOUNTS = 3
#: pseudo-calls pulling a light account's shares toward the population median (a 3-call account proves little)
SHRINK_CALLS = 8.0
#: share of calls carrying tool definitions from which an entity is judged against tool-driven peers
TOOL_PEER_SHARE = 0.5
#: a peer group smaller than this is judged against everyone
MIN_PEERS = 30
#: robust z at which one signal counts as full evidence
Z_FULL = 4.0

#: extraction signals: feature -> (weight, floor of the robust spread). Directional: only "more" is suspicious.
SIGNALS: dict[str, tuple[float, float]] = {
    "cot_share": (1.0, 0.05),
    "shared_template_share": (1.0, 0.05),
    "top_capability_share": (0.5, 0.05),
    "refusal_share": (0.5, 0.02),
    "output_input_ratio": (0.5, 0.25),
    "anon_ip_share": (0.5, 0.05),
}
SHARE_FEATURES = ("cot_share", "shared_template_share", "top_capability_share", "refusal_share", "anon_ip_share")


@dataclass
class Inputs:
    """Everything one scoring run reads from the warehouse."""

    accounts: pl.DataFrame  # one row per active account: behaviour, sign-up facts, evidence
    keys: pl.DataFrame  # one row per active key
    memberships: pl.DataFrame  # edge_type, value, account_id, n_accounts
    capabilities: pl.DataFrame  # account_id, capability, calls
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


def _shrink(frame: pl.DataFrame, medians: dict[str, float]) -> pl.DataFrame:
    """Pull each light entity's shares toward the population median in proportion to how few calls it made."""
    n = pl.col("calls").cast(pl.Float64)
    return frame.with_columns(
        [((pl.col(f) * n + medians[f] * SHRINK_CALLS) / (n + SHRINK_CALLS)).alias(f"{f}_adj") for f in SHARE_FEATURES if f in frame.columns]
    )


def peer_group(frame: pl.DataFrame) -> pl.Expr:
    """Which peers is an entity judged against? Tool-driven (agentic) traffic and conversational traffic differ
    by nature: an agent concentrates on one capability from a server; a chat user does not."""
    return pl.when(pl.col("tool_share").fill_null(0.0) >= TOOL_PEER_SHARE).then(pl.lit("tools")).otherwise(pl.lit("chat"))


def evidence(frame: pl.DataFrame, reference: pl.DataFrame) -> tuple[pl.DataFrame, dict[str, float]]:
    """How far above its peers (median/MAD of `reference` in its peer group) is each entity on each extraction signal, 0-1?

    Adds one `ev_<signal>` column per signal and `behaviour` (their weighted mean); returns the population medians.
    A peer group smaller than MIN_PEERS is judged against the whole population.
    """
    medians = {f: float(reference[f].median() or 0.0) for f in SIGNALS}  # type: ignore[arg-type]
    frame = _shrink(frame, medians).with_columns(peer_group(frame).alias("peer"))
    ref = _shrink(reference, medians).with_columns(peer_group(reference).alias("peer"))
    sizes = ref.group_by("peer").len()
    small = set(sizes.filter(pl.col("len") < MIN_PEERS)["peer"].to_list())
    ref = ref.with_columns(pl.when(pl.col("peer").is_in(sorted(small))).then(pl.lit("all")).otherwise(pl.col("peer")).alias("peer"))
    frame = frame.with_columns(pl.when(pl.col("peer").is_in(sorted(small))).then(pl.lit("all")).otherwise(pl.col("peer")).alias("peer"))
    ref = pl.concat([ref, ref.with_columns(pl.lit("all").alias("peer"))]) if small else ref
    total_w = sum(w for w, _ in SIGNALS.values())
    for f, (_w, floor) in SIGNALS.items():
        src = f"{f}_adj" if f in SHARE_FEATURES else f
        stats = ref.group_by("peer").agg(pl.col(src).median().alias("_med"))
        stats = stats.join(
            ref.join(stats, on="peer").group_by("peer").agg((pl.col(src) - pl.col("_med")).abs().median().alias("_mad")), on="peer"
        )
        frame = frame.join(stats, on="peer", how="left")
        spread = pl.max_horizontal(1.4826 * pl.col("_mad").fill_null(0.0), pl.lit(floor))
        frame = frame.with_columns((((pl.col(src) - pl.col("_med")) / spread) / Z_FULL).clip(0.0, 1.0).fill_null(0.0).alias(f"ev_{f}"))
        frame = frame.drop("_med", "_mad")
    frame = frame.with_columns((pl.sum_horizontal([pl.col(f"ev_{f}") * w for f, (w, _) in SIGNALS.items()]) / total_w).alias("behaviour"))
    return frame, medians


def _derive(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(
        (pl.col("output_tokens").cast(pl.Float64) / pl.max_horizontal(pl.col("input_tokens").cast(pl.Float64), 1.0)).alias(
            "output_input_ratio"
        ),
        (pl.col("n_templates").cast(pl.Float64) / pl.col("calls").cast(pl.Float64)).alias("template_ratio"),
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
    acc = acc.join(caps, on="account_id", how="left").with_columns(pl.col("top_capability_share").fill_null(1.0))
    if prof.is_empty():
        prof = pl.DataFrame(schema={c: pl.String for c in prof.columns})
    acc = acc.join(prof.with_columns(pl.col("account_id").cast(pl.String)), on="account_id", how="left")
    acc, medians = evidence(acc, acc)
    keys = keys.join(acc.select("account_id", "top_capability_share"), on="account_id", how="left")
    keys, _ = evidence(keys, keys)
    mem = mem.filter(pl.col("account_id").is_in(acc["account_id"].implode()))
    return Inputs(
        accounts=acc.sort("account_id"),
        keys=keys.sort("api_key_id"),
        memberships=mem,
        capabilities=cap_calls,
        n_accounts=n,
        common_cap=cap,
        peers=medians,
    )

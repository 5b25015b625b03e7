"""Peer-relative extraction evidence: how far above peers an entity (or its scripted component) is on each signal.

Peers an attack cannot dominate: the reference is passed in, so a second pass can leave out every account that sits
in a sizeable cluster (a campaign cannot pull its own reference toward itself), and accounts of a verified
organisation serving from a cloud network are judged against other such integrations, not against individuals.
"""

from __future__ import annotations

import polars as pl

#: pseudo-calls pulling a light account's shares toward the population median (a 3-call account proves little)
SHRINK_CALLS = 8.0
#: share of calls carrying tool definitions from which an entity is judged against tool-driven peers
TOOL_PEER_SHARE = 0.5
#: a peer group smaller than this is judged against its parent group (and that, if small, against everyone)
MIN_PEERS = 30
#: verified organisations' integrations are few by nature; this many already show what concentration is ordinary
#: for a server-side integration (a fixed system prompt, one topic), so they get a peer group of their own sooner
MIN_ORG_PEERS = 10
#: share of calls from datacenter addresses from which a verified organisation's account is a server integration
SERVER_SHARE = 0.5
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
#: the signals a scripted component (its calls on shared templates) is scored on: what it asks and what it takes,
#: not whether it is templated (it is, by definition), where it calls from (infrastructure, not content) nor the
#: account's capability mix (an account-level figure). It is judged against the reference's own scripted
#: components (what ordinary accounts' calls on shared templates look like), not against whole accounts.
COMPONENT_SIGNALS = ("cot_share", "refusal_share", "output_input_ratio")
_PARENT = {"org_tools": "tools", "org_chat": "chat", "tools": "all", "chat": "all", "all": "all"}


def peer_group(frame: pl.DataFrame) -> pl.Expr:
    """Which peers is an entity judged against? Tool-driven (agentic) traffic and conversational traffic differ by
    nature (an agent concentrates on one capability from a server; a chat user does not), and a verified
    organisation's server integration is concentrated by design: it is judged against its own kind."""
    tools = pl.col("tool_share").fill_null(0.0) >= TOOL_PEER_SHARE
    base = pl.when(tools).then(pl.lit("tools")).otherwise(pl.lit("chat"))
    if "verification" not in frame.columns or "org_id" not in frame.columns:
        return base
    server = (
        (pl.col("verification").fill_null("") == "organisation")
        & pl.col("org_id").is_not_null()
        & (pl.col("anon_ip_share").fill_null(0.0) >= SERVER_SHARE)
    )
    return pl.when(server).then(pl.lit("org_") + base).otherwise(base)


def _resolve(peer: pl.Series) -> dict[str, str]:
    """Which group is each raw peer group judged in, given how many reference entities each holds? A small base
    group falls back to everyone; a small organisation group to its base group."""
    sizes = dict(zip(*peer.value_counts().to_dict(as_series=False).values(), strict=True))
    out = {g: g if sizes.get(g, 0) >= MIN_PEERS else "all" for g in ("tools", "chat")}
    for g in ("org_tools", "org_chat"):
        out[g] = g if sizes.get(g, 0) >= MIN_ORG_PEERS else out[_PARENT[g]]
    return out


def shrink(frame: pl.DataFrame, medians: dict[str, float], calls: str = "calls", prefix: str = "") -> pl.DataFrame:
    """Pull each light entity's shares toward the population median in proportion to how few calls it made."""
    n = pl.col(calls).cast(pl.Float64)
    return frame.with_columns(
        [
            ((pl.col(prefix + f) * n + medians[f] * SHRINK_CALLS) / (n + SHRINK_CALLS)).fill_nan(medians[f]).alias(f"{prefix}{f}_adj")
            for f in SHARE_FEATURES
            if prefix + f in frame.columns
        ]
    )


def peer_stats(reference: pl.DataFrame) -> tuple[pl.DataFrame, dict[str, float], dict[str, str]]:
    """Median and MAD of each signal per peer group of the reference (and over everyone, as group "all")."""
    medians = {f: float(reference[f].median() or 0.0) for f in SIGNALS}  # type: ignore[arg-type]
    ref = shrink(reference, medians).with_columns(peer_group(reference).alias("peer"))
    resolve = _resolve(ref["peer"])
    ref = pl.concat([ref, ref.with_columns(pl.lit("all").alias("peer"))])
    parts = []
    for f in SIGNALS:
        src = f"{f}_adj" if f in SHARE_FEATURES else f
        med = ref.group_by("peer").agg(pl.col(src).median().alias("med"))
        mad = ref.join(med, on="peer").group_by("peer").agg((pl.col(src) - pl.col("med")).abs().median().alias("mad"))
        parts.append(med.join(mad, on="peer").with_columns(pl.lit(f).alias("signal")))
    return pl.concat(parts), medians, resolve


def _score(frame: pl.DataFrame, stats: pl.DataFrame, signals: tuple[str, ...], prefix: str, out: str) -> pl.DataFrame:
    total_w = sum(SIGNALS[f][0] for f in signals)
    for f in signals:
        src = f"{prefix}{f}_adj" if f in SHARE_FEATURES else prefix + f
        s = stats.filter(pl.col("signal") == f).select("peer", pl.col("med").alias("_med"), pl.col("mad").alias("_mad"))
        frame = frame.join(s, on="peer", how="left")
        spread = pl.max_horizontal(1.4826 * pl.col("_mad").fill_null(0.0), pl.lit(SIGNALS[f][1]))
        z = ((pl.col(src) - pl.col("_med")) / spread) / Z_FULL
        frame = frame.with_columns(z.clip(0.0, 1.0).fill_null(0.0).fill_nan(0.0).alias(f"ev_{prefix}{f}")).drop("_med", "_mad")
    weighted = pl.sum_horizontal([pl.col(f"ev_{prefix}{f}") * SIGNALS[f][0] for f in signals]) / total_w
    return frame.with_columns(weighted.alias(out))


def evidence(frame: pl.DataFrame, reference: pl.DataFrame) -> tuple[pl.DataFrame, dict[str, float]]:
    """How far above its peers (median/MAD of `reference` in its peer group) is each entity on each extraction signal, 0-1?

    Adds `ev_<signal>` per signal and `behaviour_whole` (their weighted mean over all its calls); where the frame
    has a scripted component (comp_calls > 0), `ev_comp_<signal>` and `behaviour_component` score those calls on
    their own against the same peers, and `behaviour` is the larger of the two, so cover traffic cannot dilute it.
    Returns the population medians (for reasons).
    """
    stats, medians, resolve = peer_stats(reference)
    frame = shrink(frame, medians).with_columns(peer_group(frame).replace_strict(resolve, default="all").alias("peer"))
    frame = _score(frame, stats, tuple(SIGNALS), "", "behaviour_whole")
    if "comp_calls" in frame.columns:
        frame = shrink(frame, medians, calls="comp_calls", prefix="comp_")
        comp_stats = stats
        ref_comp = reference.filter(pl.col("comp_calls") > 0)
        if ref_comp.height >= MIN_PEERS:
            as_whole = ref_comp.drop([f for f in SIGNALS if f in ref_comp.columns and f"comp_{f}" in ref_comp.columns])
            as_whole = as_whole.rename({f"comp_{f}": f for f in SIGNALS if f"comp_{f}" in ref_comp.columns}).drop("calls")
            comp_stats, _, _ = peer_stats(as_whole.rename({"comp_calls": "calls"}))
        frame = _score(frame, comp_stats, COMPONENT_SIGNALS, "comp_", "behaviour_component")
        frame = frame.with_columns(
            pl.when(pl.col("comp_calls") > 0).then(pl.col("behaviour_component")).otherwise(0.0).alias("behaviour_component")
        )
    else:
        frame = frame.with_columns(pl.lit(0.0).alias("behaviour_component"))
    return frame.with_columns(pl.max_horizontal("behaviour_whole", "behaviour_component").alias("behaviour")), medians

"""The account graph: accounts joined through the rare attribute values they share, cut into clusters by Leiden."""

from __future__ import annotations

import hashlib

import igraph as ig
import leidenalg as la
import polars as pl

#: how much one shared value of each kind says about common control (payment instruments are strongest:
#: a card is rarely shared by unrelated people; an ASN or near-duplicate prompt much more often)
KIND_WEIGHT = {
    "payment": 3.0,
    "signup_ip": 2.0,
    "email_burst": 1.5,
    "ua_sysprompt": 1.0,
    "prefix": 1.0,
    "template": 1.0,
    "near_dup": 0.5,
    "asn": 0.3,
}
#: Leiden's seed: the same data always gives the same clusters
LEIDEN_SEED = 42
#: resolution of the configuration-model quality Leiden maximises; below 1 it prefers larger communities,
#: so one actor's sub-groups (accounts paid by different cards, rotated prefixes) stay in one cluster
RESOLUTION = 0.1


def weighted_memberships(memberships: pl.DataFrame, n_accounts: int) -> pl.DataFrame:
    """How much does each shared value weigh? kind weight x IDF (log of active accounts over holders)."""
    if memberships.is_empty():
        return memberships.with_columns(pl.lit(0.0).alias("weight"))
    kind_w = pl.col("edge_type").replace_strict(KIND_WEIGHT, default=0.5, return_dtype=pl.Float64)
    idf = (pl.lit(float(max(n_accounts, 2))) / pl.col("n_accounts").cast(pl.Float64)).log()
    return memberships.with_columns((kind_w * idf.clip(lower_bound=0.0)).alias("weight")).filter(pl.col("weight") > 0)


def cluster_id_for(members: list[str]) -> str:
    """Which stable id names a cluster? A hash of its smallest member, so ids survive re-runs."""
    return "cl-" + hashlib.sha1(min(members).encode()).hexdigest()[:12]


def communities(account_ids: list[str], memberships: pl.DataFrame) -> pl.DataFrame:
    """Which community does each account fall in? Returns account_id, community (int; -1 = linked to nobody).

    The graph is bipartite (account -- shared value), so a value held by thousands of accounts costs one
    edge per holder instead of all pairs; Leiden (modularity, seeded) then groups accounts with their values.
    """
    if memberships.is_empty():
        return pl.DataFrame(
            {"account_id": account_ids, "community": [-1] * len(account_ids)}, schema={"account_id": pl.String, "community": pl.Int64}
        )
    acc_index = {a: i for i, a in enumerate(account_ids)}
    vals = memberships.select((pl.col("edge_type") + pl.lit("\x1f") + pl.col("value").cast(pl.String)).alias("node")).to_series()
    uniq = vals.unique(maintain_order=True).sort()
    val_index = {v: len(account_ids) + i for i, v in enumerate(uniq.to_list())}
    src = [acc_index[a] for a in memberships["account_id"].to_list()]
    dst = [val_index[v] for v in vals.to_list()]
    g = ig.Graph(n=len(account_ids) + len(val_index), edges=list(zip(src, dst, strict=True)), directed=False)
    g.es["weight"] = memberships["weight"].to_list()
    part = la.find_partition(
        g, la.RBConfigurationVertexPartition, weights="weight", resolution_parameter=RESOLUTION, seed=LEIDEN_SEED, n_iterations=-1
    )
    membership = part.membership[: len(account_ids)]
    degree = g.degree(range(len(account_ids)))
    comm = [m if d > 0 else -1 for m, d in zip(membership, degree, strict=True)]
    return pl.DataFrame({"account_id": account_ids, "community": comm}, schema={"account_id": pl.String, "community": pl.Int64})


def assign_clusters(account_ids: list[str], memberships: pl.DataFrame, n_accounts: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Which cluster (stable id, or null when alone) is each account in? Returns (assignments, weighted memberships)."""
    wm = weighted_memberships(memberships, n_accounts)
    comm = communities(account_ids, wm)
    sized = (
        comm.filter(pl.col("community") >= 0).group_by("community").agg(pl.col("account_id").min().alias("first"), pl.len().alias("size"))
    )
    sized = sized.filter(pl.col("size") >= 2)
    ids = sized.with_columns(
        pl.col("first").map_elements(lambda a: cluster_id_for([a]), return_dtype=pl.String).alias("cluster_id")
    ).select("community", "cluster_id")
    out = comm.join(ids, on="community", how="left").select("account_id", "cluster_id")
    return out, wm

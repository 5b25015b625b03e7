"""Prompt-content similarity across accounts: which accounts send rewordings of one prompt (a similar-prompt family)?

Exact template fingerprints stop colliding once an operator has every prompt reworded (a new opening, a line of
context, a closing, a few phrases swapped per call). Ingest puts each prompt in SIMILAR_BANDS LSH buckets over its
content words (radar/ingest/enrich.py), so rewordings of one prompt share buckets; the warehouse counts the accounts
per bucket (queries/detect_similar.py). A bucket reached by MIN_ACCOUNTS accounts or more, and by no more than the
commons cap, is a prompt family; the account graph reads it as memberships of edge type EDGE_KIND.
"""

from __future__ import annotations

from datetime import datetime

import igraph as ig
import polars as pl
from sqlalchemy import Connection

from queries import detect_similar
from queries.run import run_all_on

#: the edge type of similar-prompt memberships in the account graph
EDGE_KIND = "similar_prompt"
#: a family links accounts only when at least this many use it: two accounts rewording one popular request meet by
#: chance; three or more sending the same rewordings is coordinated prompting (the same bar as shared templates)
MIN_ACCOUNTS = 3
#: an account's families are its most used buckets only: a campaign's few harness prompts are what it repeats, its
#: long tail of one-off rewordings says nothing and would grow the answer with the traffic
TOP_PER_ACCOUNT = 5

#: two buckets are one family when at least this many accounts send prompts of both: a pair of accounts repeating
#: the same two rare rewordings is one harness's output, and rewordings of one wrapper spread over many buckets
MERGE_SHARED = 2
#: ...and when those are at least this share of the smaller bucket's holders: two popular buckets of hundreds of
#: accounts always have a couple in common by chance, which must not chain every family into one
MERGE_OVERLAP = 0.5

_SCHEMA = {"edge_type": pl.String, "value": pl.String, "account_id": pl.String, "n_accounts": pl.Int64}


def families(buckets: pl.DataFrame, *, max_accounts: int | None = None) -> pl.DataFrame:
    """Which prompt families do the buckets make? memberships rows: edge_type, value (family id), account_id, n_accounts.

    buckets: band, value (the bucket), account_id, n_accounts (accounts reaching the bucket in the whole window).
    The rewordings of one wrapper fill many buckets (each band, and each rewording's own pair of MinHash values);
    buckets that MERGE_SHARED or more accounts both hold, and MERGE_OVERLAP of the smaller's holders, are one family
    (connected components), named by its first bucket. A family's reach is its largest bucket's or its distinct holders', whichever is more; families reaching
    more than `max_accounts` are a commons and dropped."""
    if buckets.is_empty():
        return pl.DataFrame(schema=_SCHEMA)
    b = buckets.select(
        pl.concat_str([pl.col("band").cast(pl.String), pl.col("value").cast(pl.String)], separator=":").alias("bucket"),
        pl.col("account_id").cast(pl.String),
        pl.col("n_accounts").cast(pl.Int64),
    ).unique()
    names = b.select("bucket").unique().sort("bucket").with_row_index("i")
    b = b.join(names, on="bucket")
    # each account holds a few buckets (TOP_PER_ACCOUNT), so the pairs of its buckets stay few
    pairs = (
        b.select("account_id", "i")
        .join(b.select("account_id", pl.col("i").alias("j")), on="account_id")
        .filter(pl.col("i") < pl.col("j"))
        .group_by("i", "j")
        .len()
    )
    held = b.group_by("i").agg(pl.col("account_id").n_unique().alias("n"))
    pairs = (
        pairs.join(held, on="i")
        .join(held.rename({"i": "j", "n": "m"}), on="j")
        .filter((pl.col("len") >= MERGE_SHARED) & (pl.col("len") >= MERGE_OVERLAP * pl.min_horizontal("n", "m")))
    )
    g = ig.Graph(n=names.height, edges=list(zip(pairs["i"].to_list(), pairs["j"].to_list(), strict=True)), directed=False)
    comp = pl.DataFrame({"i": names["i"], "c": g.connected_components().membership}, schema={"i": pl.UInt32, "c": pl.Int64})
    b = b.join(comp, on="i").with_columns(pl.col("bucket").min().over("c").alias("family"))
    reach = b.group_by("family").agg(
        pl.max_horizontal(pl.col("n_accounts").max(), pl.col("account_id").n_unique()).alias("reach"),
        pl.col("account_id").n_unique().alias("holders"),
    )
    # a family held by one account of the answer links nobody in it (the others ranked it below their own top)
    out = b.join(reach.filter(pl.col("holders") >= 2), on="family")
    if max_accounts is not None:
        out = out.filter(pl.col("reach") <= max_accounts)
    return (
        out.select(
            pl.lit(EDGE_KIND).alias("edge_type"),
            ("sp-" + pl.col("family")).alias("value"),
            "account_id",
            pl.col("reach").alias("n_accounts"),
        )
        .unique()
        .sort("value", "account_id")
    )


def similar_prompt_memberships(conn: Connection, start: datetime, end: datetime, *, max_accounts: int) -> pl.DataFrame:
    """Which accounts share a similar-prompt family in the window? memberships rows of edge type EDGE_KIND, families
    used by MIN_ACCOUNTS to `max_accounts` accounts (the commons cap: a popular SDK's prompt links nobody)."""
    stmt = detect_similar.similar_memberships(
        start, end, min_accounts=MIN_ACCOUNTS, max_accounts=max_accounts, top_per_account=TOP_PER_ACCOUNT
    )
    return families(run_all_on(conn, stmt), max_accounts=max_accounts)

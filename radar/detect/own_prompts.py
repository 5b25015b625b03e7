"""A group's own prompts: the prompt families many of its accounts send and the ordinary population does not.

One operator's accounts run one harness: the same wrapper prompts, the same client with the same system prompt,
whatever cards or addresses each account uses. Ordinary users share prompts too (a popular tutorial, an SDK's
default), but a commons is sent mostly by accounts outside any group. So a prompt value is a group's own when
FAMILY_MIN or more of the group's accounts send it and most of everyone who sends it (FAMILY_PURITY) sits in a
group: the rare-in-the-population test that lets shared prompt families count as control evidence without shared
infrastructure. A campaign split over several groups keeps its prompts its own in each (its accounts are grouped
somewhere), while a tutorial template sent by a hundred unrelated users is nobody's.
"""

from __future__ import annotations

import polars as pl

#: prompt-content kinds that show the same prompt families across accounts
FAMILY_KINDS = ("template", "near_dup", "similar_prompt")
#: a prompt family is one held by at least this many members (three independent people rarely share a rare prompt)
FAMILY_MIN = 3
#: ...and of which at least this share of everyone who sends it sits in a group: most of its senders are grouped
#: accounts, so it is no commons of ordinary users (a popular template is sent mostly by accounts in no group)
FAMILY_PURITY = 0.5
#: ...and that the group's accounts send at least this many times as often as the accounts in no group do: rare in
#: the population, not a commons that a large operation happens to flood (SynchroTrap and CopyCatch count a shared
#: action as evidence only several times beyond what independent accounts show; the synchrony bar uses the same)
FAMILY_LIFT = 4.0
#: groups smaller than this are pairs and chance triples, not groups a prompt can belong to (the same bar as the
#: uncontaminated peer reference's)
GROUP_MIN = 3


def own_values(memberships: pl.DataFrame, groups: pl.DataFrame, kinds: tuple[str, ...] = FAMILY_KINDS) -> pl.DataFrame:
    """Which prompt values are each group's own? edge_type, value, group, holders (the group's accounts sending it).

    memberships: edge_type, value, account_id, n_accounts (accounts sending the value in the whole window);
    groups: account_id, group, for every account of the population (null group for an account in no group)."""
    g = groups.select("account_id", "group").with_columns(
        pl.when(pl.len().over("group") >= GROUP_MIN).then(pl.col("group")).otherwise(None).alias("group")
    )
    ungrouped = float(max(g.filter(pl.col("group").is_null()).height, 1))  # (no ungrouped account: no sender either)
    g = g.filter(pl.col("group").is_not_null())
    sizes = g.group_by("group").len().rename({"len": "size"})
    m = memberships.filter(pl.col("edge_type").is_in(kinds)).select("edge_type", "value", "account_id", "n_accounts").unique()
    m = m.join(g, on="account_id")
    key = ["edge_type", "value"]
    grouped = pl.len().over(key).cast(pl.Float64)
    # the population count can undercount where the answer was cut per account (similar-prompt families): the
    # grouped senders seen here are a floor of it
    senders = pl.max_horizontal(pl.col("n_accounts").cast(pl.Float64), grouped)
    m = m.with_columns((grouped / senders).alias("purity"), ((senders - grouped) / ungrouped).alias("ref_rate"))
    own = m.group_by(*key, "group").agg(pl.len().alias("holders"), pl.col("purity", "ref_rate").first()).join(sizes, on="group")
    # a value no ungrouped account sends is rare in the population whatever the group's rate
    rate = pl.col("holders").cast(pl.Float64) / pl.col("size").cast(pl.Float64)
    rare = (pl.col("ref_rate") <= 0.0) | (rate >= FAMILY_LIFT * pl.col("ref_rate"))
    keep = (pl.col("holders") >= FAMILY_MIN) & (pl.col("purity") >= FAMILY_PURITY) & rare
    return own.filter(keep).select(*key, "group", "holders")


def own_holders(memberships: pl.DataFrame, groups: pl.DataFrame, kinds: tuple[str, ...] = FAMILY_KINDS) -> pl.DataFrame:
    """Which grouped accounts send one of their group's own prompt values? account_id, group."""
    own = own_values(memberships, groups, kinds).select("edge_type", "value", "group")
    g = groups.filter(pl.col("group").is_not_null()).select("account_id", "group")
    m = memberships.filter(pl.col("edge_type").is_in(kinds)).select("edge_type", "value", "account_id").join(g, on="account_id")
    return m.join(own, on=["edge_type", "value", "group"]).select("account_id", "group").unique()

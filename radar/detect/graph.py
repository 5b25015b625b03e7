"""The account graph: accounts joined through the rare attribute values they share, cut into clusters by Leiden."""

from __future__ import annotations

import hashlib

import igraph as ig
import leidenalg as la
import polars as pl

from radar.detect.clusters import control_ties
from radar.detect.own_prompts import own_values

#: how much one shared value of each kind says about common control (a payment instrument is strongest:
#: a card is rarely shared by unrelated people; an ASN or a prompt template far more often)
KIND_WEIGHT = {
    "payment": 3.0,
    "signup_ip": 2.0,
    "email_burst": 1.5,
    "ua_sysprompt": 1.0,
    "prefix": 1.0,
    "template": 0.5,
    "near_dup": 0.3,
    "similar_prompt": 0.3,  # a family of rewordings says as much as a near-duplicate bucket
    "asn": 0.3,
}
#: independent coincidences each shared value counts as. Two accounts are linked only when they share
#: at least LINK_MIN of them: one residential prefix in common is chance, a prefix and a sign-up burst is not.
#: A shared card is proof enough alone. Templates, near-duplicates and ASNs are common among unrelated
#: users, so they describe behaviour and clusters but do not link accounts.
LINK_UNITS = {"payment": 2, "signup_ip": 1, "email_burst": 1, "ua_sysprompt": 1, "prefix": 1}
LINK_MIN = 2
#: shared /24 prefixes count as separate coincidences only between accounts whose address histories overlap: the
#: shared prefixes are at least this share (Salton cosine, shared / sqrt(prefixes of one x prefixes of the other)) of
#: both histories. Two accounts that each roam over forty prefixes of a large proxy or mobile pool meet on two of
#: them by chance (about 0.05); accounts run from one operator's exits, or one household, reuse the same few
#: (0.4 and up). Below it, however many prefixes a pair shares count as one coincidence, like a single shared prefix.
PREFIX_COSINE = 0.2
#: an account is clustered only if it is linked to at least this many accounts that are themselves so linked
CORE_K = 5
#: an account outside the core joins a group it is linked to by at least this many of the group's members
ATTACH_MIN = 2
#: values held by more accounts than this are linked as a sparse ring (each holder to its next RING_K
#: holders in one hashed order of accounts, the same for every value, so two accounts that hold several such
#: values together are neighbours in each and their coincidences add up) instead of all pairs, which would be
#: quadratic
PAIR_CAP = 400
RING_K = 8
#: two groups of accounts that share at least this many distinct link-worthy values (several prefixes of one
#: proxy pool, say) are one operation, even where no single pair of accounts shares two
MERGE_VALUES = 3
#: the kinds whose shared values merge groups (all link-worthy kinds, and the harness kinds below)
MERGE_KINDS = (*LINK_UNITS, "template", "near_dup")
#: ...and only groups that behave alike: the less extractive group's mean behaviour evidence must be at least
#: this share of the other's. Residential proxy exits are real homes, so a proxy operation shares prefixes (and
#: webmail sign-up days) with the ordinary users behind them; sharing infrastructure without sharing the
#: behaviour does not make them one operation.
MERGE_ALIKE = 0.5
#: prompt templates and near-duplicate buckets also merge groups (HARNESS_VALUES of them suffice), but only
#: groups whose mean behaviour evidence is at least HARNESS_MERGE_MIN: extractive groups sending the same rare
#: prompts run one harness, whereas ordinary users share popular templates all the time
HARNESS_KINDS = ("template", "near_dup", "similar_prompt")
#: between extractive accounts (behaviour evidence of at least HARNESS_MERGE_MIN each) a rare prompt they both
#: send counts as one coincidence: two accounts that both extract and share two rare prompts run one harness, even
#: with no card, address or sign-up day in common (ordinary users never enter these links)
HARNESS_LINK_UNITS = {k: 1 for k in HARNESS_KINDS}
HARNESS_MERGE_MIN = 0.3
HARNESS_VALUES = 2
#: an account linked to nobody that sends this many of one group's own exact prompts (own_prompts: sent by many of
#: its members, rare outside groups) runs the group's harness whatever its own figures say: twice what two
#: extractive accounts need (HARNESS_VALUES), since an ordinary user who happens to send one rare prompt of a group
#: seldom sends a second and third as well. Exact means a template fingerprint or a fixed client with a fixed
#: system prompt (ua_sysprompt): near-duplicate and similar-prompt buckets also gather ordinary users' prompts on
#: the same subject, so they count only between extractive accounts.
OWN_ATTACH_VALUES = 2 * HARNESS_VALUES
OWN_EXACT_KINDS = ("template", "ua_sysprompt")
OWN_ATTACH_KINDS = (*HARNESS_KINDS, "ua_sysprompt")
#: ...and only groups that are each under common control: at least this share of their accounts share a card,
#: a sign-up IP or a sign-up burst with another member outside their own organisation. Home users and an
#: institution's staff do not; every cell of a hydra does.
MERGE_CONTROL = 0.5
#: Leiden's seed: the same data always gives the same clusters
LEIDEN_SEED = 42
#: resolution of the configuration-model quality Leiden maximises: low, so an actor's sub-groups (accounts paid
#: by different cards, rotated prefixes, waves) mostly stay together, yet not so low that a handful of chance
#: links between two dense groups (home users whose residential addresses a proxy network also exits from)
#: makes them one community; sub-groups that share infrastructure and behave alike are merged afterwards
RESOLUTION = 0.05


def weighted_memberships(memberships: pl.DataFrame, n_accounts: int) -> pl.DataFrame:
    """How much does each shared value weigh? kind weight x IDF (log of active accounts over holders)."""
    if memberships.is_empty():
        return memberships.with_columns(pl.lit(0.0).alias("weight"))
    kind_w = pl.col("edge_type").replace_strict(KIND_WEIGHT, default=0.5, return_dtype=pl.Float64)
    idf = (pl.lit(float(max(n_accounts, 2))) / pl.col("n_accounts").cast(pl.Float64)).log()
    return memberships.with_columns((kind_w * idf.clip(lower_bound=0.0)).alias("weight")).filter(pl.col("weight") > 0)


def cluster_id_for(first_member: str) -> str:
    """Which stable id names a cluster? A hash of its smallest member, so ids survive re-runs."""
    return "cl-" + hashlib.sha1(first_member.encode()).hexdigest()[:12]


def harness_memberships(wm: pl.DataFrame, profile: pl.DataFrame | None) -> pl.DataFrame:
    """Which rare prompts do extractive accounts share with other extractive accounts? The harness kinds' memberships
    restricted to accounts of behaviour evidence at least HARNESS_MERGE_MIN and in no declared organisation, re-counted among them (edge_type
    prefixed "harness:" so they link with HARNESS_LINK_UNITS)."""
    if profile is None or wm.is_empty():
        return wm.clear()
    # an organisation's staff sending the same prompts follow its own practice: harness links join only accounts
    # that no declared organisation holds
    free = pl.col("org_id").is_null() if "org_id" in profile.columns else pl.lit(True)
    ext = profile.filter((pl.col("behaviour").fill_null(0.0) >= HARNESS_MERGE_MIN) & free).select("account_id")
    h = wm.filter(pl.col("edge_type").is_in(HARNESS_KINDS) & (pl.col("n_accounts") <= PAIR_CAP)).join(ext, on="account_id")
    h = h.with_columns(pl.len().over("edge_type", "value").cast(wm.schema["n_accounts"]).alias("n_accounts")).filter(
        pl.col("n_accounts") >= 2
    )
    return h.with_columns(("harness:" + pl.col("edge_type")).alias("edge_type")).select(wm.columns)


def account_pairs(wm: pl.DataFrame, index: dict[str, int]) -> pl.DataFrame:
    """Which account pairs share link-worthy values, with summed weight and coincidence units? i, j, weight, units,
    and card: the pair shares a payment instrument. Harness memberships (harness_memberships) count too."""
    units = {**LINK_UNITS, **{f"harness:{k}": u for k, u in HARNESS_LINK_UNITS.items()}}
    m = wm.filter(pl.col("edge_type").is_in(list(units))).with_columns(
        pl.col("account_id").replace_strict(index, return_dtype=pl.Int64).alias("i"),
        pl.col("edge_type").replace_strict(units, return_dtype=pl.Int64).alias("units"),
        (pl.col("edge_type") == "payment").alias("card"),
    )
    # prefix coincidences are counted apart (column "prefix"), so a roamer's chance meetings fold into one
    m = m.with_columns(
        pl.when(pl.col("edge_type") == "prefix").then(0).otherwise(pl.col("units")).alias("units"),
        (pl.col("edge_type") == "prefix").cast(pl.Int64).alias("prefix"),
    )
    keys = ["edge_type", "value"]
    small = m.filter(pl.col("n_accounts") <= PAIR_CAP)
    full = (
        small.select(*keys, "i", "weight", "units", "prefix", "card")
        .join(small.select(*keys, pl.col("i").alias("j")), on=keys)
        .filter(pl.col("i") < pl.col("j"))
    )
    big = m.filter(pl.col("n_accounts") > PAIR_CAP).with_columns(pl.col("account_id").hash(seed=LEIDEN_SEED).alias("h")).sort([*keys, "h"])
    big = big.with_columns(pl.int_range(pl.len()).over(keys).alias("pos"), pl.len().over(keys).alias("n"))
    rings = []
    for step in range(1, RING_K + 1):
        nxt = big.select(*keys, ((pl.col("pos") + step) % pl.col("n")).alias("pos"), pl.col("i").alias("j"))
        rings.append(big.select(*keys, "pos", "i", "weight", "units", "prefix", "card").join(nxt, on=[*keys, "pos"]).drop("pos"))
    cols = ("weight", "units", "prefix", "card")
    parts = [full.select("i", "j", *cols)] + [
        r.select(pl.min_horizontal("i", "j").alias("i"), pl.max_horizontal("i", "j").alias("j"), *cols) for r in rings
    ]
    pairs = pl.concat(parts).filter(pl.col("i") != pl.col("j"))
    pairs = pairs.group_by("i", "j").agg(pl.col("weight", "units", "prefix").sum(), pl.col("card").any())
    held = m.filter(pl.col("edge_type") == "prefix").group_by("i").agg(pl.len().alias("k"))
    pairs = pairs.join(held, on="i", how="left").join(held.rename({"i": "j", "k": "kj"}), on="j", how="left")
    cosine = pl.col("prefix") / (pl.col("k") * pl.col("kj")).cast(pl.Float64).sqrt()
    unit = LINK_UNITS["prefix"]  # each shared prefix of overlapping histories; all of them together as one, otherwise
    prefix_units = pl.when(pl.col("prefix") == 0).then(0).when(cosine >= PREFIX_COSINE).then(pl.col("prefix") * unit).otherwise(unit)
    return pairs.select("i", "j", "weight", (pl.col("units") + prefix_units).alias("units"), "card").sort("i", "j")


def communities(account_ids: list[str], wm: pl.DataFrame, profile: pl.DataFrame | None = None) -> list[int]:
    """Which community does each account fall in (-1 = linked to nobody)? Leiden, seeded, on pruned pair links."""
    index = {a: i for i, a in enumerate(account_ids)}
    linking = pl.concat([wm, harness_memberships(wm, profile)]) if not wm.is_empty() else wm
    pairs = account_pairs(linking, index).filter(pl.col("units") >= LINK_MIN) if not wm.is_empty() else None
    if pairs is None or pairs.is_empty():
        return [-1] * len(account_ids)
    g = ig.Graph(n=len(account_ids), edges=list(zip(pairs["i"].to_list(), pairs["j"].to_list(), strict=True)), directed=False)
    g.es["weight"] = pairs["weight"].to_list()
    # keep the CORE_K-core: an account linked to fewer than CORE_K others is a bystander touching a group by
    # chance (a residential prefix a proxy also used); a hydra's heads are each linked to many heads. A shared
    # card is no chance, so card links stay whatever the core: a hydra of five accounts on one card is a hydra.
    core = g.coreness()
    card = pairs["card"].to_list()
    g.delete_edges([e.index for e in g.es if (core[e.source] < CORE_K or core[e.target] < CORE_K) and not card[e.index]])
    part = la.find_partition(
        g, la.RBConfigurationVertexPartition, weights="weight", resolution_parameter=RESOLUTION, seed=LEIDEN_SEED, n_iterations=-1
    )
    degree = g.degree()
    comm = merge_groups([m if d > 0 else -1 for m, d in zip(part.membership, degree, strict=True)], wm, index, profile)
    return attach_harness(attach_periphery(comm, pairs), wm, index, profile)


def attach_periphery(comm: list[int], pairs: pl.DataFrame) -> list[int]:
    """Which group does each account outside the core join? The one it is linked to by ATTACH_MIN or more
    members (its strongest such group); a leaf never bridges two groups, so chance links cannot chain."""
    c = pl.DataFrame({"i": list(range(len(comm))), "c": comm}, schema={"i": pl.Int64, "c": pl.Int64})
    both = pl.concat([pairs.select("i", "j", "weight"), pairs.select(pl.col("j").alias("i"), pl.col("i").alias("j"), "weight")])
    links = both.join(c.filter(pl.col("c") < 0).select("i"), on="i").join(c.rename({"i": "j"}).filter(pl.col("c") >= 0), on="j")
    candidates = links.group_by("i", "c").agg(pl.len().alias("n"), pl.col("weight").sum()).filter(pl.col("n") >= ATTACH_MIN)
    return _join_strongest(comm, candidates, "weight")


def _join_strongest(comm: list[int], candidates: pl.DataFrame, strength: str) -> list[int]:
    """Each account i among the candidates (i, c, strength) joins its group c of greatest strength (ties: lowest c)."""
    best = candidates.sort(["i", strength, "c"], descending=[False, True, False]).group_by("i", maintain_order=True).first()
    out = list(comm)
    for i, group in zip(best["i"].to_list(), best["c"].to_list(), strict=True):
        out[i] = group
    return out


def _group_stats(c: pl.DataFrame, wm: pl.DataFrame, profile: pl.DataFrame | None) -> pl.DataFrame:
    """Per group c: mean behaviour evidence b and the share t of members with a cross-organisation control tie."""
    if profile is None:
        return c.group_by("c").agg(pl.lit(0.0).alias("b"), pl.lit(1.0).alias("t"))
    p = c.join(profile.select("account_id", "behaviour", "org_id"), on="account_id", how="left")
    tied = control_ties(p, wm, group="c").filter(pl.col("cross_org")).select("account_id").unique()
    p = p.with_columns(pl.col("account_id").is_in(tied["account_id"].implode()).alias("tied"))
    return p.group_by("c").agg(pl.col("behaviour").fill_null(0.0).mean().alias("b"), pl.col("tied").mean().alias("t"))


def attach_harness(comm: list[int], wm: pl.DataFrame, index: dict[str, int], profile: pl.DataFrame | None = None) -> list[int]:
    """Which group does an account linked to nobody join? For an extractive account (behaviour evidence of at least
    HARNESS_MERGE_MIN), the group under common control whose extractive members send HARNESS_VALUES or more of the
    same rare prompts (the harness merge of merge_groups, for an account a campaign runs without a shared card,
    address or sign-up day); for any account, the group whose own prompts (own_prompts: sent by many of its members,
    rare outside groups) it sends OWN_ATTACH_VALUES or more of. Common control shows in shared sign-up facts, or in
    prompts of the group's own that most of its members outside a declared organisation send."""
    if profile is None:
        return comm
    c = pl.DataFrame(
        {"i": list(range(len(comm))), "c": comm, "account_id": list(index)}, schema={"i": pl.Int64, "c": pl.Int64, "account_id": pl.String}
    )
    c = c.join(profile.select("account_id", pl.col("behaviour").fill_null(0.0), "org_id"), on="account_id", how="left")
    extractive = pl.col("behaviour") >= HARNESS_MERGE_MIN
    members = c.filter(pl.col("c") >= 0)
    loners = c.filter(pl.col("c") < 0).select("i", "account_id", extractive.alias("extractive"))
    if members.is_empty() or loners.is_empty():
        return comm
    groups = c.select("account_id", pl.when(pl.col("c") >= 0).then(pl.col("c")).otherwise(None).alias("group"))
    own = own_values(wm, groups, OWN_ATTACH_KINDS).select("edge_type", "value", pl.col("group").alias("c"))
    # an organisation's staff sending its own prompts follow its practice: they show no operator behind the group
    free = members.filter(pl.col("org_id").is_null()).select("account_id", "c")
    sent = wm.filter(pl.col("edge_type").is_in(OWN_ATTACH_KINDS)).select("edge_type", "value", "account_id").join(free, on="account_id")
    by_prompts = sent.join(own, on=["edge_type", "value", "c"]).group_by("c").agg(pl.col("account_id").n_unique().alias("held"))
    sizes = members.group_by("c").len()
    prompt_ctl = sizes.join(by_prompts, on="c").filter(pl.col("held") >= MERGE_CONTROL * pl.col("len")).select("c")
    infra_ctl = _group_stats(members.select("i", "c", "account_id"), wm, profile).filter(pl.col("t") >= MERGE_CONTROL).select("c")
    controlled = pl.concat([infra_ctl, prompt_ctl]).unique()
    if controlled.is_empty():
        return comm
    hv = wm.filter(pl.col("edge_type").is_in(OWN_ATTACH_KINDS) & (pl.col("n_accounts") <= PAIR_CAP)).select(
        "edge_type", "value", "account_id"
    )
    senders = members.filter(extractive)
    harness = hv.filter(pl.col("edge_type").is_in(HARNESS_KINDS)).join(senders.select("account_id", "c"), on="account_id")
    theirs = pl.concat([harness.select("edge_type", "value", "c", pl.lit(False).alias("own")), own.with_columns(pl.lit(True).alias("own"))])
    theirs = theirs.group_by("edge_type", "value", "c").agg(pl.col("own").any()).join(controlled, on="c")
    mine = hv.join(loners, on="account_id").select("i", "extractive", "edge_type", "value").unique()
    exact = pl.col("edge_type").is_in(OWN_EXACT_KINDS) & pl.col("own")
    counts = (
        mine.join(theirs, on=["edge_type", "value"])
        .group_by("i", "c")
        .agg(pl.len(), exact.sum().alias("exact"), pl.col("extractive").first())
    )
    joins = (pl.col("extractive") & (pl.col("len") >= HARNESS_VALUES)) | (pl.col("exact") >= OWN_ATTACH_VALUES)
    return _join_strongest(comm, counts.filter(joins).select("i", "c", "len"), "len")


def merge_groups(comm: list[int], wm: pl.DataFrame, index: dict[str, int], profile: pl.DataFrame | None = None) -> list[int]:
    """Which communities are one operation? Merges those sharing MERGE_VALUES or more distinct link-worthy values,
    or (both extractive) the same harness templates, when both are under common control (MERGE_CONTROL) and
    their mean behaviour evidence is alike (MERGE_ALIKE). profile: account_id, behaviour, org_id; without it,
    shared infrastructure alone decides."""
    ids = list(index)
    c = pl.DataFrame(
        {"i": list(range(len(comm))), "c": comm, "account_id": ids}, schema={"i": pl.Int64, "c": pl.Int64, "account_id": pl.String}
    )
    c = c.filter(pl.col("c") >= 0)
    m = (
        wm.filter(pl.col("edge_type").is_in(list(MERGE_KINDS)) & (pl.col("n_accounts") <= PAIR_CAP))
        .join(c.select("account_id", "c"), on="account_id")
        .select("edge_type", "value", "c")
        .unique()
    )
    stats = _group_stats(c, wm, profile)
    shared = m.join(m.rename({"c": "d"}), on=["edge_type", "value"]).filter(pl.col("c") < pl.col("d"))
    shared = shared.join(stats, on="c").join(stats.rename({"c": "d", "b": "bd", "t": "td"}), on="d")
    harness = pl.col("edge_type").is_in(HARNESS_KINDS)
    # a shared harness counts between extractive groups only
    same_harness = (pl.col("b") >= HARNESS_MERGE_MIN) & (pl.col("bd") >= HARNESS_MERGE_MIN)
    shared = (
        shared.filter(~harness | same_harness)
        .group_by("c", "d", harness.alias("harness"))
        .agg(pl.len(), pl.col("b", "bd", "t", "td").first())
    )
    shared = shared.filter(
        (pl.col("len") >= pl.when(pl.col("harness")).then(HARNESS_VALUES).otherwise(MERGE_VALUES))
        & (pl.min_horizontal("t", "td") >= MERGE_CONTROL)
        & (pl.min_horizontal("b", "bd") >= MERGE_ALIKE * pl.max_horizontal("b", "bd"))
    )
    if shared.is_empty():
        return comm
    g = ig.Graph(n=max(comm) + 1, edges=list(zip(shared["c"].to_list(), shared["d"].to_list(), strict=True)), directed=False)
    merged = g.connected_components().membership
    return [merged[x] if x >= 0 else -1 for x in comm]


def assign_clusters(
    account_ids: list[str], memberships: pl.DataFrame, n_accounts: int, profile: pl.DataFrame | None = None
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Which cluster (stable id, or null when alone) is each account in? Returns (assignments, weighted memberships).
    profile: account_id, behaviour (0-1) and org_id, so that only groups under common control that behave alike merge."""
    wm = weighted_memberships(memberships, n_accounts)
    comm = pl.DataFrame(
        {"account_id": account_ids, "community": communities(account_ids, wm, profile)},
        schema={"account_id": pl.String, "community": pl.Int64},
    )
    sized = (
        comm.filter(pl.col("community") >= 0).group_by("community").agg(pl.col("account_id").min().alias("first"), pl.len().alias("size"))
    )
    ids = sized.filter(pl.col("size") >= 2).with_columns(
        pl.col("first").map_elements(cluster_id_for, return_dtype=pl.String).alias("cluster_id")
    )
    return comm.join(ids.select("community", "cluster_id"), on="community", how="left").select("account_id", "cluster_id"), wm

"""The account graph on hand-built memberships: what links, what is chance, what merges."""

from __future__ import annotations

import polars as pl

from radar.detect import graph


def _world() -> tuple[list[str], pl.DataFrame]:
    a = [f"a{i}" for i in range(8)]
    b = [f"b{i}" for i in range(6)]
    rows: list[tuple[str, str, str]] = []
    rows += [("payment", "card-a", x) for x in a] + [("signup_ip", "203.0.113.5", x) for x in a]
    rows += [("payment", "card-b", x) for x in b] + [("signup_ip", "198.51.100.7", x) for x in b]
    # group b shares three proxy prefixes with group a, never two with the same account
    rows += [("prefix", f"p{k}", x) for k, x in ((1, "a0"), (1, "b0"), (2, "a1"), (2, "b1"), (3, "a2"), (3, "b2"))]
    # x: one chance coincidence pair with a0 only; y: two coincidences each with a3 and a4
    rows += [("prefix", "px1", "x"), ("prefix", "px1", "a0"), ("prefix", "px2", "x"), ("prefix", "px2", "a0")]
    rows += [("prefix", "py1", "y"), ("prefix", "py1", "a3"), ("ua_sysprompt", "tool|s1", "y"), ("ua_sysprompt", "tool|s1", "a3")]
    rows += [("prefix", "py2", "y"), ("prefix", "py2", "a4"), ("ua_sysprompt", "tool|s2", "y"), ("ua_sysprompt", "tool|s2", "a4")]
    # z and w: ordinary users sharing one residential prefix (one coincidence: not a link)
    rows += [("prefix", "home", "z"), ("prefix", "home", "w")]
    ids = sorted({r[2] for r in rows})
    f = pl.DataFrame(rows, schema=["edge_type", "value", "account_id"], orient="row")
    return ids, f.with_columns(pl.len().over(["edge_type", "value"]).cast(pl.Int64).alias("n_accounts"))


def test_hydra_links_chance_does_not_and_groups_sharing_a_proxy_pool_merge() -> None:
    ids, mem = _world()
    assigned, wm = graph.assign_clusters(ids, mem, n_accounts=1000)
    c = dict(zip(assigned["account_id"].to_list(), assigned["cluster_id"].to_list(), strict=True))
    group = c["a0"]
    assert group is not None and group == graph.cluster_id_for("a0")
    assert all(c[f"a{i}"] == group for i in range(8))
    assert all(c[f"b{i}"] == group for i in range(6))  # merged: three shared prefixes
    assert c["y"] == group  # linked by two coincidences to two members: attached
    assert c["x"] is None  # linked to a single member: a bystander, not attached
    assert c["z"] is None and c["w"] is None
    # a card shared by 8 of 1,000 accounts weighs more than a prefix shared by 2 (kind weight x IDF)
    w = dict(zip((wm["edge_type"] + ":" + wm["value"]).to_list(), wm["weight"].to_list(), strict=True))
    assert w["payment:card-a"] > w["prefix:home"] > 0


def test_same_input_same_clusters() -> None:
    ids, mem = _world()
    first, _ = graph.assign_clusters(ids, mem, n_accounts=1000)
    again, _ = graph.assign_clusters(list(reversed(ids)), mem.reverse(), n_accounts=1000)
    assert first.sort("account_id").equals(again.sort("account_id"))


def _profile(ids: list[str], behaviour: dict[str, float], org: dict[str, str] | None = None) -> pl.DataFrame:
    return pl.DataFrame(
        {"account_id": ids, "behaviour": [behaviour[a] for a in ids], "org_id": [(org or {}).get(a) for a in ids]},
        schema={"account_id": pl.String, "behaviour": pl.Float64, "org_id": pl.String},
    )


def test_groups_sharing_infrastructure_merge_only_when_under_control_and_alike() -> None:
    ids, mem = _world()
    extractive = {a: 0.4 for a in ids}
    # group b behaves like ordinary users: sharing three proxy prefixes with group a does not make it a's
    ordinary = {a: (0.02 if a.startswith("b") else 0.4) for a in ids}
    # group b is one organisation's staff on its company card: no common control across organisations
    staff = {f"b{i}": "org-b" for i in range(6)}
    for behaviour, org, merged in ((extractive, None, True), (ordinary, None, False), (extractive, staff, False)):
        assigned, _ = graph.assign_clusters(ids, mem, n_accounts=1000, profile=_profile(ids, behaviour, org))
        c = dict(zip(assigned["account_id"].to_list(), assigned["cluster_id"].to_list(), strict=True))
        assert all(c[f"a{i}"] == c["a0"] for i in range(8))
        assert all(c[f"b{i}"] == c["b0"] for i in range(6))
        assert (c["b0"] == c["a0"]) is merged


def test_accounts_holding_several_crowded_values_together_are_linked() -> None:
    # 500 accounts exit from the same two proxy prefixes: each prefix is too crowded for all pairs, so holders
    # are ringed; one order of accounts for every value makes the two coincidences of a pair add up to a link
    ids = [f"acct{i:03d}" for i in range(500)]
    rows = [("prefix", p, a) for p in ("p1", "p2") for a in ids]
    mem = pl.DataFrame(rows, schema=["edge_type", "value", "account_id"], orient="row").with_columns(
        pl.lit(len(ids), dtype=pl.Int64).alias("n_accounts")
    )
    assert len(ids) > graph.PAIR_CAP
    wm = graph.weighted_memberships(mem, n_accounts=10_000)
    pairs = graph.account_pairs(wm, {a: i for i, a in enumerate(ids)})
    assert pairs.height == len(ids) * graph.RING_K
    assert (pairs["units"] == 2).all()


def test_extractive_groups_sending_the_same_rare_prompts_are_one_harness() -> None:
    # two cells of one operation: each pays with its own card and signs up from its own IP, no shared
    # infrastructure, but both send the same two rare prompt templates
    a = [f"a{i}" for i in range(8)]
    b = [f"b{i}" for i in range(8)]
    rows: list[tuple[str, str, str]] = []
    rows += [("payment", "card-a", x) for x in a] + [("signup_ip", "203.0.113.5", x) for x in a]
    rows += [("payment", "card-b", x) for x in b] + [("signup_ip", "198.51.100.7", x) for x in b]
    rows += [("template", t, x) for t in ("tpl-1", "tpl-2") for x in (a[0], b[0])]
    ids = sorted(a + b)
    mem = pl.DataFrame(rows, schema=["edge_type", "value", "account_id"], orient="row").with_columns(
        pl.len().over(["edge_type", "value"]).cast(pl.Int64).alias("n_accounts")
    )
    for level, merged in ((0.5, True), (0.1, False)):  # ordinary users share templates all the time
        assigned, _ = graph.assign_clusters(ids, mem, n_accounts=1000, profile=_profile(ids, {x: level for x in ids}))
        c = dict(zip(assigned["account_id"].to_list(), assigned["cluster_id"].to_list(), strict=True))
        assert all(c[x] == c["a0"] for x in a) and all(c[x] == c["b0"] for x in b)
        assert (c["a0"] == c["b0"]) is merged


def test_an_extractive_account_linked_to_nobody_joins_the_controlled_group_whose_rare_prompts_it_sends() -> None:
    # a hydra on one card; a lone account with its own card, address and sign-up day sends two of the hydra's
    # rare prompt templates; another lone account sends only one of them
    a = [f"a{i}" for i in range(8)]
    rows: list[tuple[str, str, str]] = [("payment", "card-a", x) for x in a] + [("signup_ip", "203.0.113.5", x) for x in a]
    rows += [("template", t, x) for t in ("tpl-1", "tpl-2") for x in a[:3]]
    rows += [("template", "tpl-1", "lone"), ("template", "tpl-2", "lone"), ("template", "tpl-1", "once")]
    ids = sorted([*a, "lone", "once"])
    mem = pl.DataFrame(rows, schema=["edge_type", "value", "account_id"], orient="row").with_columns(
        pl.len().over(["edge_type", "value"]).cast(pl.Int64).alias("n_accounts")
    )
    # an ordinary user sending the same prompts stays alone; so does a hydra of one organisation's staff
    staff = {x: "org-a" for x in a}
    for lone_level, org, joins in ((0.5, None, True), (0.1, None, False), (0.5, staff, False)):
        behaviour = {x: (lone_level if x in ("lone", "once") else 0.5) for x in ids}
        assigned, _ = graph.assign_clusters(ids, mem, n_accounts=1000, profile=_profile(ids, behaviour, org))
        c = dict(zip(assigned["account_id"].to_list(), assigned["cluster_id"].to_list(), strict=True))
        assert all(c[x] == c["a0"] for x in a) and c["a0"] is not None
        assert (c["lone"] == c["a0"]) is joins
        assert c["once"] is None


def test_roamers_meeting_on_two_prefixes_by_chance_are_not_linked_but_reusers_are() -> None:
    # r1 and r2 each roam over forty prefixes of a big mobile pool and meet on two (cosine 2/40 = 0.05);
    # h1 and h2 use three prefixes each, two of them the same (cosine 2/3)
    rows = [("prefix", f"pool-{k}", "r1") for k in range(40)] + [("prefix", f"pool-{k}", "r2") for k in range(38, 78)]
    rows += [("prefix", p, "h1") for p in ("q1", "q2", "q3")] + [("prefix", p, "h2") for p in ("q1", "q2", "q4")]
    ids = ["h1", "h2", "r1", "r2"]
    mem = pl.DataFrame(rows, schema=["edge_type", "value", "account_id"], orient="row").with_columns(
        pl.len().over(["edge_type", "value"]).cast(pl.Int64).alias("n_accounts")
    )
    wm = graph.weighted_memberships(mem, n_accounts=10_000)
    pairs = graph.account_pairs(wm, {a: i for i, a in enumerate(ids)})
    units = {(ids[i], ids[j]): u for i, j, u in zip(pairs["i"], pairs["j"], pairs["units"], strict=True)}
    assert 2 / 40 < graph.PREFIX_COSINE <= 2 / 3
    assert units[("r1", "r2")] == 1 < graph.LINK_MIN  # two chance meetings count as one coincidence
    assert units[("h1", "h2")] == 2 >= graph.LINK_MIN

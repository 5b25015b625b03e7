"""A group's own prompts on hand-built memberships: rare in the population, sent by many of the group, and what they
do for control without shared infrastructure (family holders in a cluster, a loner joining the group it runs with)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import polars as pl

from radar.detect import clusters, graph
from radar.detect.own_prompts import FAMILY_LIFT, own_holders, own_values


def _mem(rows: list[tuple[str, str, str]]) -> pl.DataFrame:
    f = pl.DataFrame(rows, schema=["edge_type", "value", "account_id"], orient="row")
    return f.with_columns(pl.len().over(["edge_type", "value"]).cast(pl.Int64).alias("n_accounts"))


def _population() -> tuple[pl.DataFrame, pl.DataFrame]:
    """A group g of 20 accounts among 200 ungrouped users, and the prompts they send."""
    g = [f"g{i}" for i in range(20)]
    users = [f"u{i}" for i in range(200)]
    rows: list[tuple[str, str, str]] = []
    rows += [("template", "harness", x) for x in g[:5]]  # five of the group, nobody else: its own
    rows += [("template", "pair", x) for x in g[:2]]  # two of the group only: too few to be a family
    # a tutorial: four of the group and sixty users send it (mostly ungrouped senders: a commons)
    rows += [("template", "tutorial", x) for x in g[:4] + users[:60]]
    # a popular subject's bucket the group floods (15 of 20) while 45 of the 200 users send it too: most senders are
    # in the group, but the group sends it only 3.3 times as often as the users do (0.75 vs 0.225)
    rows += [("near_dup", "subject", x) for x in g[:15] + users[:45]]
    groups = pl.DataFrame(
        {"account_id": g + users, "group": ["g"] * 20 + [None] * 200}, schema={"account_id": pl.String, "group": pl.String}
    )
    return _mem(rows), groups


def test_a_groups_own_prompt_is_rare_in_the_population_and_sent_by_several_of_it() -> None:
    mem, groups = _population()
    own = own_values(mem, groups)
    assert own.select("value", "group", "holders").rows() == [("harness", "g", 5)]
    # the flooded subject falls short of the lift only: with a third as many users sending it (10 times their rate),
    # it is the group's own
    rare = mem.filter(~((pl.col("value") == "subject") & pl.col("account_id").is_in([f"u{i}" for i in range(15, 45)])))
    rare = rare.with_columns(pl.len().over("edge_type", "value").cast(pl.Int64).alias("n_accounts"))
    assert (15 / 20) / (15 / 200) >= FAMILY_LIFT > (15 / 20) / (45 / 200)
    assert sorted(own_values(rare, groups)["value"].to_list()) == ["harness", "subject"]
    held = own_holders(mem, groups)
    assert sorted(held["account_id"].to_list()) == [f"g{i}" for i in range(5)]


def test_a_small_crews_own_prompt_counts_inside_a_large_cluster() -> None:
    # one cluster of 200: 180 heads on one prompt family, 20 heads of a second crew on a prompt of their own (10% of
    # the cluster) and 20 bystanders on an ordinary tutorial that 300 users outside any cluster send as well
    heads = [f"h{i}" for i in range(180)]
    crew = [f"k{i}" for i in range(20)]
    by = [f"b{i}" for i in range(20)]
    users = [f"u{i}" for i in range(300)]
    rows = [("template", "main", x) for x in heads] + [("template", "crew", x) for x in crew]
    rows += [("template", "tutorial", x) for x in by + users]
    accounts = pl.DataFrame(
        {"account_id": heads + crew + by + users, "cluster_id": ["cl"] * 220 + [None] * 300},
        schema={"account_id": pl.String, "cluster_id": pl.String},
    )
    held = set(clusters.family_holders(accounts, _mem(rows))["account_id"].to_list())
    assert held == set(heads) | set(crew)
    share = clusters.prompt_families(accounts, _mem(rows)).row(0, named=True)
    assert share["family_share"] == 200 / 220


def _profile(ids: list[str], behaviour: dict[str, float]) -> pl.DataFrame:
    return pl.DataFrame(
        {"account_id": ids, "behaviour": [behaviour.get(a, 0.5) for a in ids], "org_id": [None] * len(ids)},
        schema={"account_id": pl.String, "behaviour": pl.Float64, "org_id": pl.String},
    )


def test_a_loner_sending_four_of_a_groups_own_exact_prompts_joins_it_without_shared_infrastructure() -> None:
    # a hydra on residential exits only: each pair of neighbouring heads shares two proxy prefixes (a link), but no
    # card, sign-up IP or sign-up day, so no shared sign-up fact shows common control; all its heads send the same
    # client with a fixed system prompt and three rare templates
    a = [f"a{i}" for i in range(10)]
    rows: list[tuple[str, str, str]] = []
    for i, x in enumerate(a):
        for j in (1, 2, 3):
            y = a[(i + j) % len(a)]
            rows += [("prefix", f"p{k}-{min(x, y)}-{max(x, y)}", x) for k in (1, 2)]
    exact = [("ua_sysprompt", "sdk | sys-1"), ("template", "t1"), ("template", "t2"), ("template", "t3")]
    rows += [(k, v, x) for k, v in exact for x in a]
    # head: a light head of the hydra on its own card and address, sending all four; twice: only two of them;
    # pulled: an extractive head sending two of them (two extractive accounts sharing two rare prompts run one
    # harness); echo: four near-duplicate buckets of the hydra's prompts, an ordinary user on the same subjects
    rows += [(k, v, "head") for k, v in exact]
    rows += [(k, v, x) for k, v in exact[:2] for x in ("twice", "pulled")]
    rows += [("near_dup", f"nd{k}", x) for k in range(4) for x in [*a, "echo"]]
    users = [f"u{i}" for i in range(100)]
    rows += [("prefix", f"home-{i}", u) for i, u in enumerate(users)]  # the population around them, linked to nobody
    ids = sorted({r[2] for r in rows})
    behaviour = {"head": 0.1, "twice": 0.1, "echo": 0.1} | {u: 0.05 for u in users}
    # the graph reads pairs with their weight: rare values weigh more (n_accounts is the whole window's count)
    assigned, _ = graph.assign_clusters(ids, _mem(rows), n_accounts=len(ids), profile=_profile(ids, behaviour))
    c = dict(zip(assigned["account_id"].to_list(), assigned["cluster_id"].to_list(), strict=True))
    assert c["a0"] is not None and all(c[x] == c["a0"] for x in a)
    assert c["head"] == c["a0"] and c["pulled"] == c["a0"]
    assert c["twice"] is None and c["echo"] is None
    assert all(c[u] is None for u in users)


def _cohort(cid: str, n: int, org: str | None) -> pl.DataFrame:
    t0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
    return pl.DataFrame(
        {
            "account_id": [f"{cid}-{i}" for i in range(n)],
            "cluster_id": [cid] * n,
            "n_keys": [1] * n,
            "calls": [500] * n,
            "output_tokens": [300_000] * n,
            "behaviour": [0.5] * n,
            "automation": [0.0] * n,
            "cot_share": [0.7] * n,
            "shared_template_share": [0.6] * n,
            "refusal_share": [0.0] * n,
            "verification": ["organisation"] * n,
            "created_at": [t0 + timedelta(minutes=i) for i in range(n)],
            "first_ts": [t0] * n,
            "last_ts": [t0 + timedelta(days=4)] * n,
            "org_id": pl.Series([org] * n, dtype=pl.String),
        }
    )


def test_an_organisations_own_network_is_no_operators_control() -> None:
    # the same cohort twice: 60 accounts signed up from one address, all on three prompts nobody else sends; once as
    # one declared organisation's members (a course on its campus), once as accounts of no organisation: a sign-up
    # address shared inside one organisation is its own network, not a tie between accounts of one operator
    rows: list[tuple[str, str, str]] = []
    for cid in ("course", "crowd"):
        rows += [("signup_ip", f"ip-{cid}", f"{cid}-{i}") for i in range(60)]
        rows += [("template", f"{cid}-t{k}", f"{cid}-{i}") for k in range(3) for i in range(60)]
    accounts = pl.concat([_cohort("course", 60, "org-campus"), _cohort("crowd", 60, None)])
    cl = {r["cluster_id"]: r for r in clusters.cluster_frame(accounts, _mem(rows), None, typical_output=30_000.0).iter_rows(named=True)}
    assert cl["crowd"]["controlled_accounts"] == 60 and cl["course"]["controlled_accounts"] == 0
    # both send their own prompts (rare outside them), which counts as control evidence in both
    assert cl["crowd"]["family_share"] == 1.0 and cl["course"]["family_share"] == 1.0
    assert cl["course"]["control"] < 0.5 * cl["crowd"]["control"]
    assert cl["course"]["score"] < cl["crowd"]["score"]

"""Cluster builders on DuckDB and PostgreSQL, with the seeded warehouse's known numbers."""

from __future__ import annotations

from queries import clusters as cl
from tests.queries import seed


def test_cluster_ranking_and_summary(rows) -> None:
    f = rows(cl.cluster_ranking(run_id=seed.RUN_ID))
    assert f["cluster_id"].to_list() == ["CL1", "CL2", "CL3"]
    assert f["campaign_id"].to_list() == ["C1", "C2", None]
    s = rows(cl.cluster_summary(run_id=seed.RUN_ID, cluster_id="CL2")).row(0, named=True)
    assert (s["n_accounts"], s["calls"], s["campaign_id"]) == (3, seed.C2_CALLS, "C2")


def test_members_keys_and_links(rows) -> None:
    m = rows(cl.cluster_members(run_id=seed.RUN_ID, cluster_id="CL1"))
    assert m.height == 6 and int(m["calls"].sum()) == seed.C1_CALLS
    k = rows(cl.cluster_keys(run_id=seed.RUN_ID, cluster_id="CL1"))
    assert k.height == 12
    links = rows(cl.cluster_links(run_id=seed.RUN_ID, cluster_id="CL1", edge_types=("payment",)))
    assert links.height == 6 and sorted(set(links["value"].to_list())) == ["pay-1", "pay-2"]


def test_edge_types_attributes_and_overlap(rows) -> None:
    kinds = {
        r["edge_type"]: (r["accounts"], r["values"])
        for r in rows(cl.cluster_edge_types(run_id=seed.RUN_ID, cluster_id="CL1")).iter_rows(named=True)
    }
    assert kinds == {"prefix": (6, 1), "asn": (6, 1), "payment": (6, 2), "template": (6, 1)}
    attrs = rows(cl.cluster_attributes(run_id=seed.RUN_ID, cluster_id="CL1"))
    assert attrs.height == 5 and attrs["accounts"].to_list() == [6, 6, 6, 3, 3]
    pairs = {
        (r["value_a"], r["value_b"]): r["accounts"]
        for r in rows(cl.attribute_overlap(run_id=seed.RUN_ID, cluster_id="CL1")).iter_rows(named=True)
    }
    assert len(pairs) == 9
    assert pairs[("64500", "203.0.113.0/24")] == 6 and pairs[("pay-1", "tpl-A")] == 3
    assert ("pay-1", "pay-2") not in pairs  # no account has both payment instruments

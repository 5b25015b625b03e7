"""A decision and its labels commit together or not at all, with the same rules from every caller, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Connection, insert
from sqlalchemy.exc import DBAPIError

from queries import schema
from radar.cases import decisions
from radar.cases.decisions import campaign_members, decide, decide_many
from radar.cases.labels import labels_frame, write_labels
from radar.cases.store import CaseConflict, CaseError, audit_trail, case_table, get_case, open_case_store, save_case
from tests.cases import seed
from tests.cases.actors import lead
from tests.cases.seed import CAMPAIGN_MEMBERS, seed_warehouse

TP = "true_positive_extraction"
CONFIRM = {"status": "confirmed", "disposition": TP}


def test_a_campaign_decision_saves_the_case_and_labels_its_members_in_one_go(cases_url: str, duckdb_url: str) -> None:
    wh = seed_warehouse(duckdb_url)
    e = open_case_store(cases_url)
    out = decide(e, wh, "campaign", "C1", CONFIRM, label=TP, expected_version=0, actor=lead("ana"))
    assert (out.case["status"], out.case["version"], out.case_changed, out.labeled) == ("confirmed", 1, True, True)
    assert (out.member_run, out.accounts, out.keys) == (seed.RUN_ID, 4, 8)
    labels = labels_frame(e)
    assert sorted(labels.filter(labels["entity_type"] == "account")["entity_id"].to_list()) == CAMPAIGN_MEMBERS["C1"]
    assert labels.filter(labels["entity_type"] == "api_key").height == 8
    campaign = labels.filter(labels["entity_type"] == "campaign").row(0, named=True)
    assert (campaign["source"], json.loads(campaign["provenance"])) == ("analyst", {"run_id": seed.RUN_ID})
    trail = audit_trail(e)
    # Confirming the campaign also resolves its 4 accounts' and 8 keys' cases, one audit row each.
    assert out.resolved == 12 and out.kept == 0
    assert trail["action"].value_counts().sort("action").rows() == [
        ("case.create", 1),
        ("case.resolve", 12),
        ("label.propagate", 12),
        ("label.set", 1),
    ]
    # Deciding the same again changes nothing and writes no audit row.
    again = decide(e, wh, "campaign", "C1", CONFIRM, label=TP, expected_version=1, actor=lead("ana"))
    assert (again.case_changed, again.labeled, again.accounts, again.keys) == (False, False, 0, 0)
    assert audit_trail(e).height == trail.height


def test_the_same_rules_hold_for_one_item_and_for_a_bulk_action(cases_url: str, duckdb_url: str) -> None:
    wh = seed_warehouse(duckdb_url)
    e = open_case_store(cases_url)
    bulk = decide_many(e, wh, "campaign", ["C1", "C2"], {"status": "confirmed"}, label=TP, actor=lead("bo"))
    assert (bulk.items, bulk.cases, bulk.labels, bulk.accounts, bulk.keys) == (2, 2, 2, 6, 12)
    one = labels_frame(e, "account").filter(labels_frame(e, "account")["entity_id"] == "a5").row(0, named=True)
    assert (one["source"], json.loads(one["provenance"])["run_id"]) == ("campaign:C2", seed.RUN_ID)
    with pytest.raises(CaseError, match="Clusters carry no label"):
        decide(e, wh, "cluster", "KC1", {"status": "confirmed"}, label=TP, expected_version=0, actor=lead("bo"))
    with pytest.raises(CaseError, match="Clusters carry no label"):
        decide_many(e, wh, "cluster", ["KC1"], {"status": "confirmed"}, label=TP, actor=lead("bo"))
    assert get_case(e, "cluster", "KC1") is None
    # An account's label is the analyst's own; it reaches nobody else.
    acc = decide(e, wh, "account", "a9", {"status": "investigating"}, label="benign_positive_allowed", expected_version=0, actor=lead("bo"))
    assert (acc.labeled, acc.member_run, acc.accounts) == (True, None, 0)


def test_members_come_from_the_latest_run_that_found_the_campaign(cases_url: str, duckdb_url: str) -> None:
    wh = seed_warehouse(duckdb_url)
    later = seed.T0 + timedelta(days=8)
    with wh.begin() as conn:
        conn.execute(
            insert(schema.score_runs).values(
                run_id="r-later", started_at=later, finished_at=later, window_start=seed.T0, window_end=later, params="{}", status="done"
            )
        )
        conn.execute(
            insert(schema.account_scores),
            [{"run_id": "r-later", "account_id": a, "score": 0.9, "campaign_id": "C1", "allowlisted": False} for a in ("a1", "a2")],
        )
    assert campaign_members(wh, "C1").accounts == ["a1", "a2"]
    assert campaign_members(wh, "C2").run_id == seed.RUN_ID  # the later run does not find C2: its members stay
    assert campaign_members(wh, "C-unknown").run_id is None
    e = open_case_store(cases_url)
    out = decide(e, wh, "campaign", "C2", label=TP, expected_version=None, actor=lead("ana"))
    assert (out.member_run, out.accounts, out.keys, out.case_changed, out.case) == (seed.RUN_ID, 2, 4, False, {})


def _count_rows(url: str) -> dict[str, int]:
    e = open_case_store(url)
    return {"cases": case_table(e).height, "labels": labels_frame(e).height, "audit": audit_trail(e).height}


def test_a_failure_midway_through_propagation_saves_nothing(cases_url: str, duckdb_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    wh = seed_warehouse(duckdb_url)
    e = open_case_store(cases_url)
    save_case(e, "campaign", "C1", {"status": "investigating", "assignee": "ana"}, expected_version=0, actor=lead("ana"))
    before = _count_rows(cases_url)

    def failing(conn: Connection, level: str, entity_ids: Iterable[str], label: str, **kw: Any) -> int:
        ids = list(entity_ids)
        if level != "api_key":
            return write_labels(conn, level, ids, label, **kw)
        # The keys' step writes half its rows, then the store goes away.
        write_labels(conn, level, ids[: len(ids) // 2], label, **kw)
        raise OSError("disk I/O error")

    monkeypatch.setattr(decisions, "write_labels", failing)
    with pytest.raises(OSError, match="disk I/O"):
        decide(e, wh, "campaign", "C1", CONFIRM, label=TP, expected_version=1, actor=lead("bo"))
    case = get_case(e, "campaign", "C1")
    assert case is not None and (case["status"], case["version"], case["updated_by"]) == ("investigating", 1, "ana")
    assert labels_frame(e).is_empty()
    assert _count_rows(cases_url) == before
    assert audit_trail(e).filter(audit_trail(e)["who"] == "bo").is_empty()
    # The same for a bulk action.
    with pytest.raises(OSError, match="disk I/O"):
        decide_many(e, wh, "campaign", ["C1", "C2"], CONFIRM, label=TP, actor=lead("bo"))
    assert _count_rows(cases_url) == before
    monkeypatch.undo()
    # With the store back, the same decision goes through whole.
    out = decide(e, wh, "campaign", "C1", CONFIRM, label=TP, expected_version=1, actor=lead("bo"))
    assert (out.case["version"], out.accounts, out.keys) == (2, 4, 8)


def test_a_conflict_saves_no_label(cases_url: str, duckdb_url: str) -> None:
    wh = seed_warehouse(duckdb_url)
    e = open_case_store(cases_url)
    save_case(e, "campaign", "C1", {"status": "investigating"}, expected_version=0, actor=lead("ana"))
    save_case(e, "campaign", "C1", {"status": "dismissed"}, expected_version=1, actor=lead("cy"))
    with pytest.raises(CaseConflict, match="cy changed this case"):
        decide(e, wh, "campaign", "C1", CONFIRM, label=TP, expected_version=1, actor=lead("bo"))
    assert labels_frame(e).is_empty()
    assert get_case(e, "campaign", "C1")["status"] == "dismissed"  # type: ignore[index]


def test_a_member_id_the_store_rejects_saves_nothing(pg_url: str, duckdb_url: str) -> None:
    """PostgreSQL enforces the id length the case store declares; one bad member id fails the whole decision."""
    wh = seed_warehouse(duckdb_url)
    bad = "a" * 250
    with wh.begin() as conn:
        conn.execute(
            insert(schema.account_scores).values(run_id=seed.RUN_ID, account_id=bad, score=0.9, campaign_id="C1", allowlisted=False)
        )
    e = open_case_store(pg_url)
    with pytest.raises(DBAPIError):
        decide(e, wh, "campaign", "C1", CONFIRM, label=TP, expected_version=0, actor=lead("bo"))
    assert get_case(e, "campaign", "C1") is None
    assert _count_rows(pg_url) == {"cases": 0, "labels": 0, "audit": 0}

"""Case edits, bulk actions, labels with provenance, allowlist and feedback, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import insert

from queries import schema
from queries.run import run_all
from queries.triage_queue import triage_accounts
from radar.cases.allowlist import allowlist_frame, import_allowlist_csv, import_allowlist_text
from radar.cases.decisions import decide_many, propagate_campaign_label
from radar.cases.feedback import load_feedback
from radar.cases.labels import effective_labels, labels_frame, set_labels
from radar.cases.store import CaseConflict, CaseError, audit_trail, case_statuses, open_case_store, save_case
from radar.feedback import AllowlistError
from tests.cases.actors import lead
from tests.cases.seed import CAMPAIGN_MEMBERS, seed_warehouse


def test_every_change_is_audited_with_before_and_after(cases_url: str) -> None:
    e = open_case_store(cases_url)
    save_case(e, "campaign", "C1", {"status": "investigating", "assignee": "ana"}, expected_version=0, actor=lead("ana"))
    s = save_case(
        e, "campaign", "C1", {"status": "confirmed", "disposition": "true_positive_extraction"}, expected_version=1, actor=lead("bo")
    )
    assert s["version"] == 2
    # Saving the same values again changes nothing and writes no audit row.
    save_case(e, "campaign", "C1", {"status": "confirmed"}, expected_version=2, actor=lead("bo"))
    trail = audit_trail(e, "campaign", "C1")
    assert trail["action"].to_list() == ["case.save", "case.create"]
    assert trail["who"].to_list() == ["bo", "ana"]
    before, after = json.loads(trail["before"][0]), json.loads(trail["after"][0])
    assert (before["status"], after["status"], after["disposition"]) == ("investigating", "confirmed", "true_positive_extraction")
    with pytest.raises(CaseConflict) as err:
        save_case(e, "campaign", "C1", {"status": "dismissed"}, expected_version=1, actor=lead("cy"))
    assert err.value.current["version"] == 2 and "bo changed this case" in str(err.value)
    with pytest.raises(CaseError):
        save_case(e, "campaign", "C1", {"status": "closed"}, expected_version=2, actor=lead("cy"))
    statuses = case_statuses(e, "campaign")
    assert statuses.columns == ["entity_id", "status", "assignee", "disposition", "version", "updated_at", "updated_by"]
    assert statuses.row(0)[:5] == ("C1", "confirmed", "ana", "true_positive_extraction", 2)


def test_bulk_action_reaches_every_matching_entity_not_only_visible_rows(cases_url: str, duckdb_url: str) -> None:
    wh = seed_warehouse(duckdb_url)
    e = open_case_store(cases_url)
    matching = run_all(wh, triage_accounts("run-1", min_score=0.5))["entity_id"].to_list()
    visible = matching[:2]  # what a page of two rows would show
    assert len(matching) == 6 and len(visible) == 2
    save_case(e, "account", matching[0], {"status": "confirmed"}, expected_version=0, actor=lead("ana"))
    changed = decide_many(e, wh, "account", matching, {"status": "confirmed", "disposition": "true_positive_extraction"}, actor=lead("bo"))
    # The item ana already confirmed is a decision: the bulk action leaves it alone unless asked explicitly.
    assert (changed.items, changed.cases, changed.labels, changed.skipped) == (6, 5, 0, 1)
    st = case_statuses(e, "account")
    assert sorted(st.filter(st["status"] == "confirmed")["entity_id"].to_list()) == sorted(matching)
    assert st.filter(st["entity_id"] == matching[0]).row(0)[1:4] == ("confirmed", None, None)
    trail = audit_trail(e, "account")
    assert trail.filter(trail["who"] == "bo").height == 5
    forced = decide_many(e, wh, "account", matching, {"disposition": "true_positive_extraction"}, actor=lead("bo"), overwrite_decided=True)
    assert (forced.cases, forced.skipped) == (1, 0)
    assert decide_many(e, wh, "account", matching, {"status": "confirmed"}, actor=lead("bo")).cases == 0


def test_campaign_label_reaches_members_with_provenance(cases_url: str, duckdb_url: str) -> None:
    wh = seed_warehouse(duckdb_url)
    e = open_case_store(cases_url)
    n_acc, n_key = propagate_campaign_label(e, wh, "C1", "true_positive_extraction", actor=lead("ana"))
    assert (n_acc, n_key) == (4, 8)
    acc = labels_frame(e, "account")
    assert sorted(acc["entity_id"].to_list()) == CAMPAIGN_MEMBERS["C1"]
    assert set(acc["source"].to_list()) == {"campaign:C1"}
    assert json.loads(acc["provenance"][0]) == {"campaign_id": "C1", "run_id": "run-1", "label": "true_positive_extraction"}
    # An analyst's own label wins over the propagated one.
    set_labels(e, "account", ["a2"], "benign_positive_allowed", actor=lead("bo"))
    eff = {r["entity_id"]: r for r in effective_labels(e, "account").iter_rows(named=True)}
    assert eff["a2"]["label"] == "benign_positive_allowed" and eff["a2"]["label_source"] == "analyst"
    assert eff["a1"]["label_source"] == "campaign:C1"
    trail = audit_trail(e)
    assert trail.filter(trail["action"] == "label.propagate").height == 12


def test_allowlist_import_and_feedback(cases_url: str, duckdb_url: str, tmp_path: Path) -> None:
    wh = seed_warehouse(duckdb_url)
    e = open_case_store(cases_url)
    good = tmp_path / "allow.csv"
    good.write_text("entity_type,entity_id,reason\norg,o-eval,evaluation partner\naccount,a9,\n", encoding="utf-8")
    assert import_allowlist_csv(e, good, actor=lead("ana")) == 2
    bad = tmp_path / "bad.csv"
    bad.write_text("entity_type,entity_id\nplanet,x\n", encoding="utf-8")
    with pytest.raises(AllowlistError):
        import_allowlist_csv(e, bad, actor=lead("ana"))
    save_case(
        e, "campaign", "C1", {"status": "confirmed", "disposition": "true_positive_extraction"}, expected_version=0, actor=lead("ana")
    )
    save_case(e, "campaign", "C2", {"status": "confirmed", "disposition": "benign_positive_allowed"}, expected_version=0, actor=lead("ana"))
    save_case(e, "account", "a7", {"status": "dismissed"}, expected_version=0, actor=lead("ana"))
    fb = load_feedback(cases_url, warehouse=wh)
    assert fb.allowlisted == {("org", "o-eval"), ("account", "a9")}
    assert fb.dismissed == {("account", "a7")}
    assert fb.confirmed_indicators["prefix"] == {"203.0.113.0/24", "2001:db8:1::/48"}
    assert fb.confirmed_indicators["payment"] == {"pm_card_4242"}  # C2 is benign: its indicators stay out
    assert load_feedback(cases_url).confirmed_indicators == {}
    # A later run that no longer contains C1 does not make its confirmed indicators disappear.
    later = datetime(2026, 3, 1, tzinfo=UTC)
    with wh.begin() as conn:
        conn.execute(
            insert(schema.score_runs).values(
                run_id="run-2", started_at=later, finished_at=later, window_start=later, window_end=later, params="{}", status="done"
            )
        )
    assert load_feedback(cases_url, warehouse=wh).confirmed_indicators["asn"] == {"64500"}


def test_an_uploaded_allowlist_is_checked_whole_before_anything_loads(cases_url: str) -> None:
    e = open_case_store(cases_url)
    upload = "\ufeffentity_type,entity_id,reason\r\napi_key,k-eval,partner key\r\norg,o-int,internal\r\n".encode()
    assert import_allowlist_text(e, upload, name="allow.csv", actor=lead("ana")) == 2
    assert allowlist_frame(e).select("entity_type", "entity_id", "reason").rows() == [
        ("api_key", "k-eval", "partner key"),
        ("org", "o-int", "internal"),
    ]
    with pytest.raises(AllowlistError, match="allow2.csv:3"):
        import_allowlist_text(e, b"entity_type,entity_id\naccount,a1\naccount,\n", name="allow2.csv", actor=lead("ana"))
    with pytest.raises(AllowlistError, match="not UTF-8"):
        import_allowlist_text(e, "entity_type,entity_id\naccount,caf\u00e9\n".encode("latin-1"), name="latin.csv", actor=lead("ana"))
    assert allowlist_frame(e).height == 2  # neither bad file loaded a line
    assert audit_trail(e)["action"].to_list() == ["allowlist.add", "allowlist.add"]

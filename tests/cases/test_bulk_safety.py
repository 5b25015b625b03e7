"""One model of a decision: a campaign's verdict resolves its members, and bulk actions never overwrite a decision unasked."""

from __future__ import annotations

import json

import polars as pl

from radar.cases.bulk import split_decided
from radar.cases.decisions import decide, decide_many
from radar.cases.labels import effective_labels, set_labels
from radar.cases.queue import QueueFilter, matching_ids
from radar.cases.store import audit_trail, case_statuses, case_table, open_case_store, save_case
from tests.cases.actors import analyst, lead
from tests.cases.seed import ALL_ACCOUNTS, CAMPAIGN_MEMBERS, RUN_ID, seed_warehouse

TP, BENIGN = "true_positive_extraction", "benign_positive_allowed"


def test_confirming_a_campaign_resolves_its_members_but_keeps_their_own_decisions(cases_url: str, duckdb_url: str) -> None:
    wh = seed_warehouse(duckdb_url)
    e = open_case_store(cases_url)
    # ana already decided a2 herself (a false positive); the campaign's verdict must not replace that.
    save_case(
        e, "account", "a2", {"status": "dismissed", "disposition": "false_positive_detection_logic"}, expected_version=0, actor=analyst()
    )
    out = decide(e, wh, "campaign", "C1", {"status": "confirmed", "disposition": TP}, label=TP, expected_version=0, actor=analyst("ana"))
    # 3 undecided accounts + 8 keys resolved; a2 kept.
    assert (out.resolved, out.kept) == (11, 1)
    acc = case_statuses(e, "account").sort("entity_id")
    assert acc.select("entity_id", "status", "disposition").rows() == [
        ("a1", "confirmed", TP),
        ("a2", "dismissed", "false_positive_detection_logic"),
        ("a3", "confirmed", TP),
        ("a4", "confirmed", TP),
    ]
    keys = case_statuses(e, "api_key")
    assert keys.height == 8 and set(keys["status"]) == {"confirmed"}
    resolve = audit_trail(e).filter(pl.col("action") == "case.resolve")
    assert resolve.height == 11
    assert {json.loads(a)["campaign_id"] for a in resolve["after"]} == {"C1"}
    # The label in force on a2 is still the campaign's (no own label), but its case keeps ana's verdict.
    dismissing = decide(e, wh, "campaign", "C2", {"status": "dismissed", "disposition": BENIGN}, expected_version=0, actor=analyst("ana"))
    assert (dismissing.resolved, dismissing.kept, dismissing.accounts) == (2 + 4, 0, 0)
    assert set(case_statuses(e, "account").filter(pl.col("entity_id").is_in(CAMPAIGN_MEMBERS["C2"]))["disposition"]) == {BENIGN}


def test_bulk_benign_on_undecided_low_risk_items_changes_no_confirmed_decision(cases_url: str, duckdb_url: str) -> None:
    wh = seed_warehouse(duckdb_url)
    e = open_case_store(cases_url)
    decide(e, wh, "campaign", "C1", {"status": "confirmed", "disposition": TP}, label=TP, expected_version=0, actor=lead())
    confirmed_before = case_table(e, "account").filter(pl.col("status") == "confirmed").sort("entity_id")
    # "Status = new" alone would have matched the confirmed members before; "undecided only" never does.
    everyone = matching_ids(e, wh, QueueFilter("account", RUN_ID))
    assert sorted(everyone) == sorted(ALL_ACCOUNTS)
    split = split_decided(e, "account", everyone)
    assert sorted(split.decided) == CAMPAIGN_MEMBERS["C1"]
    undecided_low = matching_ids(e, wh, QueueFilter("account", RUN_ID, max_score=0.5, undecided_only=True, without_campaign=True))
    assert sorted(undecided_low) == ["a7", "a8", "a9"]
    bulk = decide_many(e, wh, "account", everyone, {"status": "dismissed", "disposition": BENIGN}, label=BENIGN, actor=lead("bo"))
    assert (bulk.items, bulk.cases, bulk.labels, bulk.skipped) == (9, 5, 5, 4)
    confirmed_after = case_table(e, "account").filter(pl.col("entity_id").is_in(CAMPAIGN_MEMBERS["C1"])).sort("entity_id")
    assert confirmed_after.rows() == confirmed_before.rows()
    eff = effective_labels(e, "account")
    assert set(eff.filter(pl.col("entity_id").is_in(CAMPAIGN_MEMBERS["C1"]))["label"]) == {TP}
    assert not audit_trail(e, "account").filter(pl.col("who") == "bo", pl.col("entity_id").is_in(CAMPAIGN_MEMBERS["C1"])).height
    # Asked explicitly, the lead may change decided items too; the count to confirm is known beforehand.
    forced = decide_many(e, wh, "account", ["a1"], {"notes": "reviewed again"}, actor=lead("bo"), overwrite_decided=True)
    assert (forced.cases, forced.skipped) == (1, 0)


def test_an_own_label_without_a_case_counts_as_a_decision(cases_url: str, duckdb_url: str) -> None:
    wh = seed_warehouse(duckdb_url)
    e = open_case_store(cases_url)
    set_labels(e, "account", ["a9"], TP, actor=analyst())
    split = split_decided(e, "account", ["a8", "a9"])
    assert (split.undecided, split.decided) == (["a8"], ["a9"])
    bulk = decide_many(e, wh, "account", ["a8", "a9"], label=BENIGN, actor=lead())
    assert (bulk.labels, bulk.skipped) == (1, 1)
    assert dict(effective_labels(e, "account").select("entity_id", "label").rows()) == {"a8": BENIGN, "a9": TP}

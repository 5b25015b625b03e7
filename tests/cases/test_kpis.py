"""SOC figures from a case store whose every change happened at a known time: exact medians, counts and rates."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import insert

from queries import schema
from radar.cases import bulk, labels, store
from radar.cases.decisions import decide
from radar.cases.kpis import load_kpis, reason_kind
from radar.cases.store import open_case_store, save_case
from tests.cases import seed
from tests.cases.actors import analyst, lead
from tests.cases.seed import seed_warehouse

#: When run-1 finished: the moment detection found C1, C2 and C3.
FOUND = seed.T0 + timedelta(days=7, minutes=1)


class Clock:
    """The case store's clock, set by the test before each change."""

    def __init__(self) -> None:
        self.at = FOUND

    def __call__(self) -> datetime:
        return self.at


@pytest.fixture()
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    c = Clock()
    for module in (store, bulk, labels):
        monkeypatch.setattr(module, "now", c)
    yield c


def test_kpis_on_known_timestamps(cases_url: str, duckdb_url: str, clock: Clock) -> None:
    wh = seed_warehouse(duckdb_url)
    with wh.begin() as conn:
        conn.execute(
            insert(schema.campaigns).values(
                run_id=seed.RUN_ID, campaign_id="C3", cluster_id="KC3", score=0.6, n_accounts=1, reasons=json.dumps(["untouched"])
            )
        )
    e = open_case_store(cases_url)
    clock.at = FOUND + timedelta(hours=1)
    save_case(e, "campaign", "C1", {"status": "investigating"}, expected_version=0, actor=analyst("ana"))
    clock.at = FOUND + timedelta(hours=3)
    tp = "true_positive_extraction"
    decide(e, wh, "campaign", "C1", {"status": "confirmed", "disposition": tp}, label=tp, expected_version=1, actor=analyst("ana"))
    clock.at = FOUND + timedelta(hours=5)
    fp = "false_positive_detection_logic"
    decide(e, wh, "campaign", "C2", {"status": "dismissed", "disposition": fp}, expected_version=0, actor=lead("bo"))
    clock.at = FOUND + timedelta(hours=6)
    save_case(e, "account", "a9", {"status": "confirmed"}, expected_version=0, actor=lead("bo"))

    k = load_kpis(e, wh)
    assert (k.campaigns_found, k.open_campaigns) == (3, 1)  # C3 is still open
    # First triage: C1 after 1 h, C2 after 5 h -> median 3 h. Decision: C1 after 3 h, C2 after 5 h -> median 4 h.
    assert k.median_to_first_triage_s == 3 * 3600
    assert k.median_to_decision_s == 4 * 3600
    # The 12 + 6 member resolutions are part of the campaigns' decisions, not decisions of their own.
    assert k.decisions_per_analyst.rows() == [("bo", 2), ("ana", 1)]
    # C1 (true positive) and C2 (false positive) fired the same reason: 1 false positive of 2 decided.
    kind = reason_kind("4 accounts share a /24 and a payment fingerprint")
    assert kind == "# accounts share a /# and a payment fingerprint"
    assert k.fp_by_reason.rows() == [(kind, 2, 1, 0.5)]


def test_kpis_of_an_empty_case_store(sqlite_cases_url: str, duckdb_url: str) -> None:
    k = load_kpis(open_case_store(sqlite_cases_url), seed_warehouse(duckdb_url))
    assert (k.campaigns_found, k.open_campaigns, k.median_to_first_triage_s, k.median_to_decision_s) == (2, 2, None, None)
    assert k.decisions_per_analyst.is_empty() and k.fp_by_reason.is_empty()

"""A campaign larger than a page's row cap is confirmed and labeled whole: labels and bulk actions read uncapped."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import polars as pl
import pytest

from queries import schema
from queries.catalog import PAGE_ROW_CAP
from queries.detect_store import bulk_insert
from queries.membership import campaign_accounts
from queries.run import run_page
from radar.cases.decisions import decide
from radar.cases.labels import labels_frame
from radar.cases.queue import QueueFilter, matching_ids
from radar.cases.store import audit_trail, case_table, open_case_store
from radar.warehouse import ensure_schema, open_engine
from tests.cases.actors import lead

RUN = "run-big"
N_ACCOUNTS = PAGE_ROW_CAP + 500
T0 = datetime(2026, 2, 1, tzinfo=UTC)


@pytest.fixture()
def big_warehouse(duckdb_url: str):  # type: ignore[no-untyped-def]
    """A DuckDB warehouse whose one run found campaign BIG with 50,500 accounts, one key each, seeded in bulk."""
    engine = open_engine(duckdb_url)
    ensure_schema(engine)
    ids = [f"acct-{i:06d}" for i in range(N_ACCOUNTS)]
    accounts = pl.DataFrame(
        {"run_id": RUN, "account_id": ids, "score": 0.9, "cluster_id": "K-BIG", "campaign_id": "BIG", "allowlisted": False}
    )
    keys = pl.DataFrame(
        {"run_id": RUN, "api_key_id": [f"key-{i:06d}" for i in range(N_ACCOUNTS)], "account_id": ids, "score": 0.8, "allowlisted": False}
    )
    with engine.begin() as conn:
        bulk_insert(
            conn,
            schema.score_runs,
            pl.DataFrame(
                {
                    "run_id": [RUN],
                    "started_at": [T0 + timedelta(days=7)],
                    "finished_at": [T0 + timedelta(days=7, minutes=5)],
                    "window_start": [T0],
                    "window_end": [T0 + timedelta(days=7)],
                    "status": ["done"],
                }
            ),
        )
        bulk_insert(conn, schema.account_scores, accounts)
        bulk_insert(conn, schema.key_scores, keys)
        bulk_insert(
            conn,
            schema.campaigns,
            pl.DataFrame({"run_id": [RUN], "campaign_id": ["BIG"], "cluster_id": ["K-BIG"], "score": [0.99], "n_accounts": [N_ACCOUNTS]}),
        )
    yield engine
    engine.dispose()


def test_confirming_a_campaign_beyond_the_page_cap_labels_every_member(big_warehouse, sqlite_cases_url: str) -> None:  # type: ignore[no-untyped-def]
    # The page executor would cut this campaign short; the decision must not.
    assert run_page(big_warehouse, campaign_accounts(RUN, campaign_id="BIG"), row_cap=PAGE_ROW_CAP).truncated
    cases = open_case_store(sqlite_cases_url)
    t = time.perf_counter()
    out = decide(
        cases,
        big_warehouse,
        "campaign",
        "BIG",
        {"status": "confirmed", "disposition": "true_positive_extraction"},
        label="true_positive_extraction",
        expected_version=0,
        actor=lead("ana"),
    )
    elapsed = time.perf_counter() - t
    assert (out.accounts, out.keys, out.member_run) == (N_ACCOUNTS, N_ACCOUNTS, RUN)
    labels = labels_frame(cases)
    counts = dict(labels.group_by("entity_type").len().rows())
    assert counts == {"campaign": 1, "account": N_ACCOUNTS, "api_key": N_ACCOUNTS}
    assert labels.filter(pl.col("entity_type") == "account")["entity_id"].n_unique() == N_ACCOUNTS
    assert audit_trail(cases, limit=10 * N_ACCOUNTS).filter(pl.col("action") == "label.propagate").height == 2 * N_ACCOUNTS
    # Confirming also resolves every member's case (one case.resolve audit row each), in the same transaction.
    assert (out.resolved, out.kept) == (2 * N_ACCOUNTS, 0)
    statuses = case_table(cases)
    assert dict(statuses.group_by("entity_type").len().rows()) == {"campaign": 1, "account": N_ACCOUNTS, "api_key": N_ACCOUNTS}
    assert set(statuses["status"]) == {"confirmed"}
    # Bulk inserts: about 200k labels and member cases and 200k audit rows in a handful of executemany statements, not
    # 400k round trips; the bar doubled with the work when member cases joined the labels (60 s for the labels alone).
    assert elapsed < 120, f"confirming {N_ACCOUNTS:,} members took {elapsed:.1f} s"
    # A bulk action on the triage queue reaches every member too, not the page's first 50,000.
    members = matching_ids(cases, big_warehouse, QueueFilter("account", RUN, campaign_id="BIG"))
    assert len(members) == N_ACCOUNTS

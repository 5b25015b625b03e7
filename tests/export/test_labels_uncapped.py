"""An export reads through the batch executor: a campaign larger than a page's row cap is exported whole."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy import Engine, insert

from queries import case_schema, schema
from queries.catalog import PAGE_ROW_CAP
from queries.run import write
from radar.cases.labels import effective_labels
from radar.cases.store import open_case_store
from radar.export.labels import export_labels
from radar.export.writers import read_back
from radar.warehouse import ensure_schema, open_engine

RUN_ID, CAMPAIGN = "run-big", "CBIG"
T0 = datetime(2026, 2, 1, tzinfo=UTC)
#: More members than a page may show, so a capped read would silently drop some of them.
MEMBERS = PAGE_ROW_CAP + 500


def _seed_big_campaign(url: str) -> list[str]:
    """A warehouse whose one finished run holds one campaign of MEMBERS accounts (bulk-loaded); returns their ids."""
    engine = open_engine(url)
    ensure_schema(engine)
    ids = [f"acct{i:06d}" for i in range(MEMBERS)]
    scores = pl.DataFrame(
        {
            "run_id": RUN_ID,
            "account_id": ids,
            "score": [0.5 + (i % 50) / 100 for i in range(MEMBERS)],
            "cluster_id": "KBIG",
            "campaign_id": CAMPAIGN,
            "allowlisted": False,
            "reasons": json.dumps(["shared payment fingerprint"]),
            "calls": [10 + i % 7 for i in range(MEMBERS)],
            "output_tokens": 4000,
            "n_keys": 1,
            "alerting": True,
            "features": [json.dumps({"cot_share": (i % 10) / 10}) for i in range(MEMBERS)],
        },
        schema_overrides={"n_keys": pl.Int32},
    ).select(c.name for c in schema.account_scores.columns)
    with write(engine) as conn:
        conn.execute(
            insert(schema.score_runs),
            [
                {
                    "run_id": RUN_ID,
                    "started_at": T0 + timedelta(days=7),
                    "finished_at": T0 + timedelta(days=7, minutes=5),
                    "window_start": T0,
                    "window_end": T0 + timedelta(days=7),
                    "params": "{}",
                    "status": "done",
                }
            ],
        )
        conn.execute(
            insert(schema.campaigns),
            [{"run_id": RUN_ID, "campaign_id": CAMPAIGN, "cluster_id": "KBIG", "score": 0.97, "n_accounts": MEMBERS, "n_keys": MEMBERS}],
        )
        # DuckDB's own bulk path (an Arrow table appended as a relation): tens of thousands of rows in well under a second.
        conn.connection.driver_connection.from_arrow(scores.to_arrow()).insert_into(schema.account_scores.name)  # type: ignore[union-attr]
    return ids


def _seed_member_labels(url: str, ids: list[str]) -> Engine:
    """A case store in which every member carries the label propagated from the campaign (one bulk insert)."""
    cases = open_case_store(url)
    label: dict[str, Any] = {"entity_type": "account", "source": f"campaign:{CAMPAIGN}", "label": "true_positive_extraction"}
    label |= {"provenance": json.dumps({"run_id": RUN_ID, "campaign_id": CAMPAIGN}), "analyst": "ana", "labeled_at": T0 + timedelta(days=8)}
    with write(cases) as conn:
        conn.execute(insert(case_schema.labels), [label | {"entity_id": a} for a in ids])
    return cases


def test_account_export_holds_every_member_of_a_campaign_larger_than_the_page_cap(tmp_path: Path) -> None:
    url = f"duckdb:///{tmp_path / 'radar.duckdb'}"
    ids = _seed_big_campaign(url)
    cases = _seed_member_labels(f"sqlite:///{tmp_path / 'cases.sqlite'}", ids)
    assert effective_labels(cases, "account").height == MEMBERS

    res = export_labels(cases, open_engine(url, read_only=True), tmp_path / "out", level="account", fmt="parquet", split="campaign")

    back = pl.concat([read_back(res.files["train"]), read_back(res.files["test"])])
    assert MEMBERS > PAGE_ROW_CAP
    assert sum(res.counts.values()) == back.height == MEMBERS
    assert back["account_id"].n_unique() == MEMBERS and set(back["account_id"]) == set(ids)
    assert set(back["label"]) == {"true_positive_extraction"} and set(back["label_source"]) == {f"campaign:{CAMPAIGN}"}
    # Features decoded from every stored row, not only the first page of them.
    assert back.filter(pl.col("account_id") == ids[-1])["f_cot_share"][0] == ((MEMBERS - 1) % 10) / 10
    assert f"| train | {MEMBERS:,} | {MEMBERS:,} | 1 |" in res.card.read_text(encoding="utf-8")

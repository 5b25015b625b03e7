"""Compiled SQL of the triage and export builders, per dialect, against golden files in tests/export/snapshots/.

After an intended change, regenerate with RADAR_UPDATE_SNAPSHOTS=1 and review the diff.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from duckdb_engine import Dialect as DuckDBDialect
from sqlalchemy.dialects import postgresql

from queries import cases, export_labels

SNAPSHOTS = Path(__file__).parent / "snapshots"
S, E = datetime(2026, 2, 10, tzinfo=UTC), datetime(2026, 2, 17, tzinfo=UTC)

BUILDERS: dict[str, Callable[[], Any]] = {
    "triage_keys": lambda: cases.triage_keys("r1", min_score=0.5, campaign_id="c1"),
    "campaign_keys": lambda: cases.campaign_keys("r1", campaign_id="c1"),
    "campaign_indicators": lambda: cases.campaign_indicators(campaign_ids=["c1", "c2"]),
    "entity_activity": lambda: cases.entity_activity(S, E, run_id="r1", entity_type="campaign", entity_id="c1"),
    "export_accounts": lambda: export_labels.export_accounts(S, E, run_id="r1"),
    "export_requests": lambda: export_labels.export_requests(S, E, account_ids=["a1", "a2"], with_prompts=True),
    "export_campaign_activity": lambda: export_labels.export_campaign_activity(S, E, run_id="r1", campaign_id="c1"),
}
DIALECTS = {"duckdb": DuckDBDialect(), "postgresql": postgresql.dialect()}


@pytest.mark.parametrize("dialect_name", sorted(DIALECTS))
@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_compiled_sql_matches_snapshot(name: str, dialect_name: str) -> None:
    sql = str(BUILDERS[name]().compile(dialect=DIALECTS[dialect_name])).strip() + "\n"
    path = SNAPSHOTS / f"{name}.{dialect_name}.sql"
    if os.environ.get("RADAR_UPDATE_SNAPSHOTS") == "1":
        path.write_text(sql)
    assert path.exists(), f"no snapshot {path.name}: run with RADAR_UPDATE_SNAPSHOTS=1 and review it"
    assert sql == path.read_text(), f"{name} compiles differently on {dialect_name}; review and regenerate the snapshot"


def test_export_values_are_bound_not_formatted() -> None:
    sql = str(export_labels.export_requests(S, E, account_ids=["x'); drop table requests; --"]).compile(dialect=postgresql.dialect()))
    assert "drop table" not in sql and "%(" in sql

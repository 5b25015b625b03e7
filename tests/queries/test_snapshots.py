"""Compiled SQL of the builders that matter, per dialect, against golden files in tests/queries/snapshots/.

A changed query shows up as a diff in review. After an intended change, regenerate with
RADAR_UPDATE_SNAPSHOTS=1 and commit the new files.
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

from queries import campaign, clusters, key_baselines, overview

SNAPSHOTS = Path(__file__).parent / "snapshots"
S, E = datetime(2026, 2, 10, tzinfo=UTC), datetime(2026, 2, 17, tzinfo=UTC)

BUILDERS: dict[str, Callable[[], Any]] = {
    "traffic_kpis": lambda: overview.traffic_kpis(S, E, run_id="r1", model="m"),
    "traffic_over_time": lambda: overview.traffic_over_time(S, E, run_id="r1"),
    "flagged_counts": lambda: overview.flagged_counts(S, E, run_id="r1"),
    "key_baselines": lambda: key_baselines.key_baselines(S, E, api_key_id="k1"),
    "peer_hourly_band": lambda: key_baselines.peer_hourly_band(S, E),
    "key_interarrival": lambda: key_baselines.key_interarrival(S, E, api_key_id="k1"),
    "cluster_ranking": lambda: clusters.cluster_ranking(run_id="r1"),
    "attribute_overlap": lambda: clusters.attribute_overlap(run_id="r1", cluster_id="c1", edge_types=("asn", "prefix")),
    "campaign_harvest": lambda: campaign.campaign_harvest(S, E, run_id="r1", campaign_id="c1"),
    "campaign_infrastructure": lambda: campaign.campaign_infrastructure(S, E, run_id="r1", campaign_id="c1"),
    "campaign_timeline": lambda: campaign.campaign_timeline(S, E, run_id="r1", campaign_id="c1"),
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


def test_values_are_bound_not_formatted() -> None:
    sql = str(key_baselines.flagged_keys(run_id="r1", search="evil'; drop table requests; --").compile(dialect=postgresql.dialect()))
    assert "drop table" not in sql and "%(" in sql

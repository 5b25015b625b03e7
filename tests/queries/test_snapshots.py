"""Compiled SQL of every catalog question on DuckDB, PostgreSQL and ClickHouse, against golden files in snapshots/.

One file per question and dialect, named after the question: `overview.traffic_kpis.duckdb.sql`. A changed query
shows up as a diff in review. After an intended change, regenerate with RADAR_UPDATE_SNAPSHOTS=1 (which also deletes
the files of questions that no longer exist) and commit the new files.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from clickhouse_connect.cc_sqlalchemy.dialect import ClickHouseDialect
from duckdb_engine import Dialect as DuckDBDialect
from sqlalchemy import Select, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Dialect

from queries import dialect, key_baselines, schema
from queries.catalog import Bound, Question, catalog
from tests.queries.samples import MissingSample, arguments

SNAPSHOTS = Path(__file__).parent / "snapshots"
UPDATE = os.environ.get("RADAR_UPDATE_SNAPSHOTS") == "1"
DIALECTS: dict[str, Dialect] = {"duckdb": DuckDBDialect(), "postgresql": postgresql.dialect(), "clickhouse": ClickHouseDialect()}
QUESTIONS = {q.name: q for q in catalog()}


def _compiled(q: Question[Any], dialect_name: str) -> str:
    return str(q(**arguments(q)).compile(dialect=DIALECTS[dialect_name])).strip() + "\n"


@pytest.mark.parametrize("dialect_name", sorted(DIALECTS))
@pytest.mark.parametrize("name", sorted(QUESTIONS))
def test_compiled_sql_matches_snapshot(name: str, dialect_name: str) -> None:
    sql = _compiled(QUESTIONS[name], dialect_name)
    path = SNAPSHOTS / f"{name}.{dialect_name}.sql"
    if UPDATE:
        path.write_text(sql)
    assert path.exists(), f"no snapshot {path.name}: run with RADAR_UPDATE_SNAPSHOTS=1 and review it"
    assert sql == path.read_text(), f"{name} compiles differently on {dialect_name}; review and regenerate the snapshot"


def test_every_snapshot_belongs_to_a_question() -> None:
    expected = {f"{name}.{d}.sql" for name in QUESTIONS for d in DIALECTS}
    stale = sorted(p.name for p in SNAPSHOTS.glob("*.sql") if p.name not in expected)
    if UPDATE:
        for name in stale:
            (SNAPSHOTS / name).unlink()
        return
    assert not stale, f"snapshots of no catalog question (renamed or removed?): {stale}; regenerate with RADAR_UPDATE_SNAPSHOTS=1"


def test_clickhouse_compilations_are_the_dialects_own() -> None:
    q = QUESTIONS["key_baselines.key_active_hours"]
    sql = _compiled(q, "clickhouse")
    assert DIALECTS["clickhouse"].name == dialect.CLICKHOUSE
    assert "toStartOfDay(" in sql and "toHour(" in sql and "date_trunc" not in sql


def test_a_question_with_no_sample_for_a_required_parameter_names_it() -> None:
    def widget_usage(start: datetime, end: datetime, *, widget_id: str, limit: int = 10) -> Select[Any]:
        """How often was each widget used? (a question the samples do not cover)"""
        return select(schema.requests.c.request_id).limit(limit)

    q = Question(widget_usage, bound=Bound.WINDOW, row_cap=10, pages=())
    with pytest.raises(MissingSample, match=r"widget_usage requires widget_id: add a sample value"):
        arguments(q)


@pytest.mark.parametrize("dialect_name", sorted(DIALECTS))
def test_values_are_bound_not_formatted(dialect_name: str) -> None:
    evil = "evil'; drop table requests; --"
    compiled = key_baselines.flagged_keys(run_id="r1", search=evil).compile(dialect=DIALECTS[dialect_name])
    assert "drop table" not in str(compiled)
    assert any(evil in str(v) for v in compiled.params.values())  # it travels as a bound parameter instead

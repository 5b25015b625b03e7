"""Harvest before vs after action, on a case store whose every change happened at a known time and a warehouse whose
every request's hour is known (tests/cases/seed.py: C1's accounts call in hours 0-19 of day 0, C2's on day 3)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from radar.cases import bulk, labels, store
from radar.cases.decisions import decide
from radar.cases.harvest import first_actions, harvest_around_action, load_harvest
from radar.cases.store import open_case_store, save_case
from tests.cases import seed
from tests.cases.actors import analyst, lead
from tests.cases.seed import seed_warehouse

ROOT = Path(__file__).resolve().parents[2]
TP, FP = "true_positive_extraction", "false_positive_detection_logic"


class Clock:
    """The case store's clock, set by the test before each change."""

    def __init__(self) -> None:
        self.at = seed.T0

    def __call__(self) -> datetime:
        return self.at


@pytest.fixture()
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    c = Clock()
    for module in (store, bulk, labels):
        monkeypatch.setattr(module, "now", c)
    yield c


def _tokens(hours: range) -> int:
    """Output tokens of one seeded account over these hours of its active day (request n falls in hour n, 400 + n tokens)."""
    return sum(400 + n for n in hours)


def test_harvest_splits_at_the_first_decision(
    sqlite_cases_url: str, duckdb_url: str, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    wh = seed_warehouse(duckdb_url)
    e = open_case_store(sqlite_cases_url)
    clock.at = seed.T0 + timedelta(hours=2)
    save_case(e, "campaign", "C1", {"status": "investigating"}, expected_version=0, actor=analyst("ana"))  # not an action yet
    clock.at = seed.T0 + timedelta(hours=10, minutes=30)
    decide(e, wh, "campaign", "C1", {"status": "confirmed", "disposition": TP}, label=TP, expected_version=1, actor=analyst("ana"))
    clock.at = seed.T0 + timedelta(hours=15)
    save_case(e, "campaign", "C1", {"notes": "revoked keys"}, expected_version=2, actor=analyst("ana"))  # later edits change nothing
    clock.at = seed.T0 + timedelta(days=1)
    decide(e, wh, "campaign", "C2", {"status": "dismissed", "disposition": FP}, expected_version=0, actor=lead("bo"))

    got = load_harvest(e, wh, seed.RUN_ID).sort("campaign_id")
    assert got["campaign_id"].to_list() == ["C1", "C2"]  # no decision on any other campaign
    c1, c2 = got.row(0, named=True), got.row(1, named=True)
    assert c1["acted_at"] == datetime(2026, 2, 1, 10, 30, tzinfo=UTC)
    # The action's own hour (10) counts as before: 4 accounts x hours 0-10 before, hours 11-19 after.
    assert (c1["calls_before"], c1["calls_after"]) == (4 * 11, 4 * 9)
    assert (c1["output_tokens_before"], c1["output_tokens_after"]) == (4 * _tokens(range(11)), 4 * _tokens(range(11, 20)))
    # C2 was dismissed a day before its 2 accounts called at all: everything is after the action.
    assert (c2["calls_before"], c2["calls_after"], c2["output_tokens_before"]) == (0, 2 * 20, 0)
    assert c2["output_tokens_after"] == 2 * _tokens(range(20))

    # The KPIs page shows the same figures.
    wh.dispose()
    monkeypatch.setenv("RADAR_WAREHOUSE_URL", duckdb_url)
    monkeypatch.setenv("RADAR_CASES_URL", sqlite_cases_url)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page("pages/kpis.py")
    at.run()
    assert not at.exception, [x.value for x in at.exception]
    metrics = {m.label: m.value for m in at.metric}
    after = 4 * _tokens(range(11, 20)) + 2 * _tokens(range(20))
    assert metrics["Output tokens before action"] == f"{4 * _tokens(range(11)):,}"
    assert metrics["Output tokens after action"] == f"{after:,}"
    table = next(d.value for d in at.dataframe if "Output tokens after" in d.value.columns)
    assert table["Campaign"].to_list() == ["C1", "C2"] and table["First decision"].to_list() == ["2026-02-01 10:30", "2026-02-02 00:00"]


def test_harvest_is_empty_without_any_decision() -> None:
    hourly = pl.DataFrame(
        {"campaign_id": ["C1"], "hour": [datetime(2026, 2, 1, tzinfo=UTC)], "calls": [5], "output_tokens": [2_000]},
    )
    trail = pl.DataFrame(
        {"entity_type": ["campaign"], "entity_id": ["C1"], "action": ["case.create"], "after": ['{"status": "investigating"}']},
        schema_overrides={"after": pl.String},
    ).with_columns(pl.lit(datetime(2026, 2, 1, 3, tzinfo=UTC)).alias("at"))
    assert first_actions(trail).is_empty()
    assert harvest_around_action(hourly, first_actions(trail)).is_empty()

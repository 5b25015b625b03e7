"""The campaign and cluster pages read the run's summaries: no statement they execute touches the requests table."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from sqlalchemy import Engine, event
from streamlit.testing.v1 import AppTest

from radar.ingest.rollup import rebuild_rollups
from radar.warehouse import open_engine
from tests.queries import seed

ROOT = Path(__file__).resolve().parents[2]
REQUESTS = re.compile(r'\bFROM\s+"?requests"?\b|\bJOIN\s+"?requests"?\b', re.IGNORECASE)


@pytest.fixture(scope="module")
def seeded_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("summary-pages")
    url = f"duckdb:///{d / 'radar.duckdb'}"
    seed.seed_warehouse(url)
    engine = open_engine(url)
    rebuild_rollups(engine)  # the shared sidebar reads the rollups; a rebuild recomputes them from requests (idempotent)
    engine.dispose()
    return d


@pytest.fixture()
def statements(seeded_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every SQL statement any engine executes while the test runs (caches cleared first, so the page really asks)."""
    monkeypatch.setenv("RADAR_WAREHOUSE_URL", f"duckdb:///{seeded_dir / 'radar.duckdb'}")
    monkeypatch.setenv("RADAR_CASES_URL", f"sqlite:///{seeded_dir / 'cases.sqlite'}")
    monkeypatch.setenv("RADAR_DATA_DIR", str(seeded_dir))
    st.cache_data.clear()
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    event.listen(Engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", record)


@pytest.mark.parametrize(
    ("page", "params"),
    [
        ("pages/campaign.py", {"campaign": "C1"}),
        ("pages/campaign.py", {"campaign": "C1", "section": "Infrastructure", "model": "model-b"}),
        ("pages/campaign.py", {"campaign": "C1", "section": "Members"}),
        ("pages/campaign.py", {"campaign": "C1", "section": "Sample prompts"}),
        ("pages/clusters.py", {"cluster": "CL1"}),
        ("pages/clusters.py", {"cluster": "CL2", "edges": "prefix"}),
    ],
)
def test_page_reads_no_requests(page: str, params: dict[str, str], statements: list[str]) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    at.switch_page(page)
    at.run()
    assert not at.exception and not at.error, [e.value for e in [*at.exception, *at.error]]
    own = list(statements)  # the shared sidebar's too: it reads rollups, so every statement of the page run counts
    summary_tables = ("campaign_timeline_hours", "cluster_attribute_counts", "cluster_links", "campaign_infrastructure_top")
    assert any(t in s for s in own for t in summary_tables), "the page ran none of its own queries (a stale cache?)"
    assert not [s for s in own if REQUESTS.search(s)]


def test_the_infrastructure_tab_follows_the_model_filter(statements: list[str]) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for k, v in {"campaign": "C1", "section": "Infrastructure", "model": "model-b"}.items():
        at.query_params[k] = v
    at.switch_page("pages/campaign.py")
    at.run()
    prefix = next(d.value for d in at.dataframe if "value" in d.value.columns and "203.0.113.0/24" in list(d.value["value"]))
    assert list(prefix["calls"]) == [792] and list(prefix["accounts"]) == [6]

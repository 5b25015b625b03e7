"""Every page of the dashboard under AppTest on the embedded ClickHouse engine, reading the seeded warehouse
(tests/queries/seed.py) through its read-only engine; the overview and keys pages show the seed's known figures."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app_state import PAGES
from tests.queries import seed

ROOT = Path(__file__).resolve().parents[2]
NAVIGATION = [p.path for p in PAGES]
DEFAULT = next(p.path for p in PAGES if p.default)


@pytest.fixture(scope="module")
def seeded_url(clickhouse_folder: Path) -> str:
    url = f"clickhousedb+chdb:///{clickhouse_folder}?database=pages_seeded"
    seed.seed_warehouse(url)
    return url


@pytest.fixture()
def dashboard(seeded_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RADAR_WAREHOUSE_URL", seeded_url)
    monkeypatch.setenv("RADAR_CASES_URL", f"sqlite:///{tmp_path / 'cases.sqlite'}")
    monkeypatch.setenv("RADAR_DATA_DIR", str(tmp_path))


def _open(page: str, **params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    for k, v in params.items():
        at.query_params[k] = v
    if page != DEFAULT:
        at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


@pytest.mark.usefixtures("dashboard")
@pytest.mark.parametrize("page", NAVIGATION)
def test_every_page_on_the_clickhouse_warehouse(page: str) -> None:
    at = _open(page)
    assert at.title and at.title[0].value, "the page drew no title"


@pytest.mark.usefixtures("dashboard")
def test_overview_and_keys_figures_on_clickhouse() -> None:
    metrics = {m.label: m.value for m in _open("pages/overview.py").metric}
    assert metrics["Requests"] == f"{seed.TOTAL_CALLS:,}" and metrics["Campaigns"] == "2" and metrics["Flagged keys"] == "15"
    assert metrics["Rows in quarantine"] == "2"
    keys = _open("pages/keys.py", key="kx01a")
    assert keys.header[0].value == "Key kx01a"
    assert {m.label: m.value for m in keys.metric}["Calls (run window)"] == "108"

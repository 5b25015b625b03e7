"""Input from the URL and the case store is shown as text: no page crashes on it, and none of it renders as a link or image.

A link can carry anything: dates far outside the data, and Markdown or HTML in every id parameter. A note saved
in the case store with an image in it must not make the analyst's browser fetch the image's address.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app_state import PAGES
from tests.pages.markup import live_markup, rendered, shown
from tests.queries import seed

ROOT = Path(__file__).resolve().parents[2]
NAVIGATION = [p.path for p in PAGES]
IMAGE = "![x](http://attacker.example/beacon.png)"
HOSTILE = f"{IMAGE}[open](javascript:alert(1))<img src=x onerror=alert(1)>**bold**"
#: Every parameter any page reads from the URL, each given something it did not expect.
PARAMS = {
    "from": "9999-12-31",
    "to": "0001-01-01",
    "min": "nan",
    **{
        name: HOSTILE
        for name in ("model", "allowlisted", "etype", "id", "key", "q", "cluster", "campaign", "edges", "status", "assignee", "level")
    },
    "format": HOSTILE,
    "split": HOSTILE,
}


@pytest.fixture(scope="module")
def seeded_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("pages-hostile")
    seed.seed_warehouse(f"duckdb:///{d / 'radar.duckdb'}")
    return d


@pytest.fixture()
def env(seeded_dir: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("RADAR_WAREHOUSE_URL", f"duckdb:///{seeded_dir / 'radar.duckdb'}")
    monkeypatch.setenv("RADAR_CASES_URL", f"sqlite:///{seeded_dir / 'cases.sqlite'}")
    monkeypatch.setenv("RADAR_DATA_DIR", str(seeded_dir))
    monkeypatch.setenv("RADAR_ANALYST", "tess")
    return f"sqlite:///{seeded_dir / 'cases.sqlite'}"


def _open(page: str, **params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update(params)
    at.run()
    if page != "pages/overview.py":
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("page", NAVIGATION)
def test_every_page_takes_a_hostile_link_and_shows_it_as_text(page: str, env: str) -> None:
    at = _open(page, **PARAMS)
    texts = rendered(at)
    assert texts, "the page drew nothing"
    assert live_markup(texts) == [], "URL text reached Markdown unescaped"
    assert not any("attacker.example" in t and "http\\:" not in t for t in texts)


def test_dates_outside_the_data_are_clamped_to_it_with_a_notice(env: str) -> None:
    last_day = f"{128 + 11 * 72 + 72:,}"  # the seeded warehouse's requests on its last day, 2026-02-12
    late = _open("pages/overview.py", **{"from": "9999-12-31"})
    assert {m.label: m.value for m in late.metric}["Requests"] == last_day
    assert "reaches outside the telemetry" in shown(late.sidebar.info[0].value)
    assert late.query_params["from"] == "2026-02-12"  # the link now names the window shown
    early = _open("pages/overview.py", to="0001-01-01")
    assert early.sidebar.date_input(key="flt_to").value == early.sidebar.date_input(key="flt_from").value
    assert "reaches outside the telemetry" in shown(early.sidebar.info[0].value)
    turned = _open("pages/overview.py", **{"from": "2026-02-12", "to": "2026-02-10"})
    assert {m.label: m.value for m in turned.metric}["Requests"] == f"{seed.TOTAL_CALLS:,}"
    assert "ended before it started" in shown(turned.sidebar.info[0].value)


def test_a_note_with_an_image_renders_as_text_on_the_case_page(env: str) -> None:
    # Saved through the case page itself, by the local analyst: the note then comes back from the case store.
    at = _open("pages/case.py", etype="campaign", id="C1")
    at.text_area(key="case_notes:campaign:C1").input(f"see {IMAGE}")
    at.text_input(key="case_reason:campaign:C1").input("[open](javascript:alert(1))")
    at.text_input(key="case_assignee:campaign:C1").input("<b>x</b>")
    [b for b in at.button if b.label == "Save"][0].click()
    at.run()
    assert not at.exception
    at = _open("pages/case.py", etype="campaign", id="C1")
    texts = rendered(at)
    assert live_markup(texts) == []
    assert any(f"see {IMAGE}" in shown(t) for t in texts), "the note is not shown at all"
    assert any("[open](javascript:alert(1))" in shown(t) for t in texts)

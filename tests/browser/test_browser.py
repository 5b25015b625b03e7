"""The dashboard in real Chromium (Debian's, headless, every non-local request blocked) over a small seeded warehouse."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app_state import PAGES
from pagebench.harness import click_and_wait, launch_chromium, offline_context, serve_dashboard, wait_until_idle
from tests.queries import seed

pytestmark = pytest.mark.browser
# Set once the page switches (a selection rerun that opens another page starts a new script run with a new URL).
_ARM_SWITCH = "() => { window.__radarSwitched = false; const start = location.pathname;"
_ARM_SWITCH += " setInterval(() => { if (location.pathname !== start) window.__radarSwitched = true; }, 100); }"
playwright_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    d = tmp_path_factory.mktemp("browser")
    url = f"duckdb:///{d / 'radar.duckdb'}"
    seed.seed_warehouse(url)
    with serve_dashboard(url, f"sqlite:///{d / 'cases.sqlite'}", log_path=d / "streamlit.log") as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as pw:
        b = launch_chromium(pw)
        yield b
        b.close()


@pytest.fixture()
def page(browser: Any) -> Iterator[tuple[Any, list[str]]]:
    blocked: list[str] = []
    context = offline_context(browser, blocked)
    p = context.new_page()
    p.set_default_timeout(30_000)
    yield p, blocked
    context.close()


def _open(p: Any, url: str) -> None:
    p.goto(url)
    wait_until_idle(p, timeout_ms=180_000)  # a fresh server's first page pays every import; on a busy machine, minutes
    assert p.locator("[role='dialog']").count() == 0, "Streamlit showed a dialog (e.g. page not found)"


def _shot(p: Any, path: Path, height: int = 2600) -> None:
    """A screenshot of the whole page: Streamlit scrolls inside its own container, so the viewport grows instead."""
    p.set_viewport_size({"width": 1500, "height": height})
    p.wait_for_timeout(700)  # charts re-lay out to the new size
    p.screenshot(path=str(path))
    p.set_viewport_size({"width": 1500, "height": 1000})


#: Streamlit's data grid: header and row height in CSS pixels (its defaults), and the row-marker column's centre.
GRID_ROW_PX, GRID_MARKER_X = 35, 14


def click_row(p: Any, table_key: str, row: int) -> None:
    """Click the selection marker of one row of the table with this key, as an analyst does (the grid is a canvas)."""
    grid = p.locator(f".st-key-{table_key} [data-testid='stDataFrame']").first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    assert box is not None, f"table {table_key} is not drawn"
    y = box["y"] + GRID_ROW_PX * (row + 1) + GRID_ROW_PX / 2
    p.mouse.move(box["x"] + GRID_MARKER_X + 40, y)  # hovering the row shows its marker
    p.mouse.click(box["x"] + GRID_MARKER_X, y)


def _graph_pixels(p: Any) -> int:
    """How many pixels does the pyvis canvas inside its frame cover (0 when it did not render)?"""
    frame = p.frame_locator("iframe").first
    canvas = frame.locator("canvas").first
    canvas.wait_for(state="visible", timeout=30_000)
    return int(canvas.evaluate("c => c.width * c.height"))


INVESTIGATE = [
    ("", "", ["Top campaigns by risk", "Traffic over time", "Rows in quarantine"]),
    ("keys", "?key=kx02a", ["Key kx02a", "Hourly volume against the peer baseline", "Why this score"]),
    ("clusters", "?cluster=CL1", ["Cluster CL1", "Member accounts"]),
    ("campaign", "?campaign=C1&from=2026-02-10&to=2026-02-12", ["Campaign C1", "Cost is estimated at list price", "Sample prompts"]),
]


@pytest.mark.parametrize(("name", "query", "expected"), INVESTIGATE, ids=[p[0] or "overview" for p in INVESTIGATE])
def test_each_page_by_url(
    page: tuple[Any, list[str]], base_url: str, artifacts_dir: Path, name: str, query: str, expected: list[str]
) -> None:
    p, blocked = page
    _open(p, f"{base_url}/{name}{query}")
    main = p.locator("[data-testid='stMain']")
    for text in expected:
        main.get_by_text(text).first.wait_for(state="visible")
    assert p.locator("[data-testid='stException']").count() == 0
    if name == "clusters":  # the pyvis canvas drew inside its frame
        assert _graph_pixels(p) > 100_000
    _shot(p, artifacts_dir / f"page-{name or 'overview'}.png")
    assert blocked == [], f"the page tried to reach the internet: {blocked[:3]}"


@pytest.mark.parametrize("name", [p.url_path for p in PAGES if p.section == "Triage"])
def test_triage_pages_open(page: tuple[Any, list[str]], base_url: str, artifacts_dir: Path, name: str) -> None:
    p, blocked = page
    _open(p, f"{base_url}/{name}")
    assert p.locator("[data-testid='stException']").count() == 0
    _shot(p, artifacts_dir / f"page-{name or 'overview'}.png")
    assert blocked == []


def test_overview_to_campaign_to_cluster_graph_to_key(page: tuple[Any, list[str]], base_url: str, artifacts_dir: Path) -> None:
    p, blocked = page
    _open(p, f"{base_url}/")
    _shot(p, artifacts_dir / "flow-overview.png")
    p.evaluate(_ARM_SWITCH)
    click_row(p, "overview_campaigns", 0)  # the riskiest campaign's row
    p.wait_for_function("() => window.__radarSwitched === true", timeout=60_000)
    wait_until_idle(p)
    p.get_by_role("heading", name="Campaign C1").wait_for(timeout=30_000)
    assert "campaign=C1" in p.url
    click_and_wait(p, p.get_by_role("link", name="Cluster graph CL1"))
    assert p.get_by_role("heading", name="Cluster CL1").is_visible()
    assert "cluster=CL1" in p.url
    assert _graph_pixels(p) > 100_000
    _shot(p, artifacts_dir / "flow-cluster-graph.png")
    click_and_wait(p, p.get_by_role("link", name="Open its top key kx01a"))
    assert p.get_by_role("heading", name="Key kx01a").is_visible()
    assert "key=kx01a" in p.url
    _shot(p, artifacts_dir / "flow-key.png")
    # the link the analyst would paste reproduces the view in a fresh session
    fresh = p.context.new_page()
    fresh.goto(p.url)
    wait_until_idle(fresh)
    assert fresh.get_by_role("heading", name="Key kx01a").is_visible()
    assert blocked == []


def test_a_click_on_a_graph_node_opens_the_account(page: tuple[Any, list[str]], base_url: str, artifacts_dir: Path) -> None:
    p, blocked = page
    _open(p, f"{base_url}/clusters?cluster=CL1")
    assert _graph_pixels(p) > 100_000
    frame = p.frame_locator("iframe").first
    # Where vis.js drew the first account node, relative to its canvas.
    canvas = frame.locator("canvas").first
    spot = canvas.evaluate(
        """() => { const id = nodes.getIds().find(i => i.startsWith('acct:'));
                   const xy = network.canvasToDOM(network.getPositions([id])[id]);
                   return {id: id, x: xy.x, y: xy.y}; }"""
    )
    account = spot["id"].removeprefix("acct:")
    with p.context.expect_page(timeout=30_000) as opened:
        canvas.click(position={"x": spot["x"], "y": spot["y"]})
    tab = opened.value
    wait_until_idle(tab)
    assert f"q={account}" in tab.url and "/keys" in tab.url
    assert tab.get_by_role("heading", name="Keys", exact=True).is_visible()
    _shot(tab, artifacts_dir / "graph-click-account.png")
    assert blocked == []


def test_a_page_counts_as_drawn_only_once_its_run_is_done_and_its_dom_is_still(page: tuple[Any, list[str]], base_url: str) -> None:
    """What the page bench times: a run that began on the page (counted from the document's start, so the state a
    fresh page shows before its first run cannot pass for its end), then a DOM left still for QUIET_MS."""
    from pagebench.harness import QUIET_MS, wait_until_drawn

    p, _ = page
    url = f"{base_url}/campaign?campaign=C1"
    for _ in range(2):  # the second open is served from the query cache
        p.goto(url)
        quiet = wait_until_drawn(p)
        assert quiet >= QUIET_MS / 1000
        assert p.evaluate("() => [window.__radarEarly, window.__radarRuns >= 1]") == [True, True]
        assert p.get_by_role("heading", name="Campaign C1").is_visible()
        p.locator("[data-testid='stSidebar']").get_by_text("Show allowlisted entities").wait_for(timeout=30_000)


def test_the_graph_library_is_served_by_the_dashboard(page: tuple[Any, list[str]], base_url: str) -> None:
    """The graph frames load vis-network from the dashboard's own static folder, as a script the browser caches."""
    import urllib.request

    from components.graph import LIBRARY, LIBRARY_URL

    p, _ = page
    _open(p, f"{base_url}/clusters?cluster=CL1")  # a graph page publishes the library
    with urllib.request.urlopen(f"{base_url}/{LIBRARY_URL}vis-network.min.js", timeout=10) as resp:
        assert resp.status == 200
        assert "javascript" in resp.headers["Content-Type"]
        assert resp.read() == (LIBRARY / "vis-network.min.js").read_bytes()


def test_a_deep_link_on_a_fresh_server_runs_through_app_py(tmp_path: Path, browser: Any) -> None:
    """A fresh server's first request is a link to /keys: it must get app.py's navigation, not Streamlit's legacy pages/ layout."""
    url = f"duckdb:///{tmp_path / 'radar.duckdb'}"
    seed.seed_warehouse(url)
    blocked: list[str] = []
    context = offline_context(browser, blocked)
    try:
        with serve_dashboard(url, f"sqlite:///{tmp_path / 'cases.sqlite'}", log_path=tmp_path / "streamlit.log") as base:
            p = context.new_page()
            _open(p, f"{base}/keys?key=kx02a")
            p.get_by_role("heading", name="Key kx02a").wait_for(state="visible")
            nav = p.locator("[data-testid='stSidebarNav']").inner_text()
            assert all(spec.title in nav for spec in PAGES), nav  # app.py's titles, not file names
            assert p.title() == "Distillation Radar"  # app.py's page config ran
    finally:
        context.close()
    assert blocked == []

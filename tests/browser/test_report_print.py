"""In real Chromium (Debian's, headless): the case report file opens with no network, looks right on screen and in print.

Keeps a screenshot, a print-preview screenshot and the printed PDF under test-artifacts/, and checks that the page
asked for nothing but its own file.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pagebench.harness import CHROMIUM, launch_chromium
from radar.cases.actor import Actor
from radar.cases.decisions import decide
from radar.cases.store import open_case_store
from radar.cli import main
from radar.export.pdf import chromium_path
from radar.export.report import campaign_report
from radar.warehouse import open_engine
from tests.export import world

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """The world's campaign, confirmed; (folder, warehouse URL, case-store URL)."""
    d = tmp_path_factory.mktemp("report_print")
    wh_url, cases_url = f"duckdb:///{d / 'radar.duckdb'}", f"sqlite:///{d / 'cases.sqlite'}"
    wh = world.seed_world(wh_url)
    cs = open_case_store(cases_url)
    changes = {"status": "confirmed", "disposition": "true_positive_extraction", "reason": "one card, one harness"}
    decide(
        cs,
        wh,
        "campaign",
        world.CAMPAIGN,
        changes,
        label="true_positive_extraction",
        expected_version=0,
        actor=Actor("bo", "lead", "local"),
    )
    wh.dispose()
    cs.dispose()
    return d, wh_url, cases_url


@pytest.fixture(scope="module")
def report_file(stores: tuple[Path, str, str]) -> Path:
    """The HTML case report of the world's confirmed campaign, written to a file."""
    d, wh_url, cases_url = stores
    path = d / "report.html"
    wh, cs = open_engine(wh_url, read_only=True), open_case_store(cases_url)
    path.write_text(campaign_report(cs, wh, world.CAMPAIGN), encoding="utf-8")
    wh.dispose()
    return path


def test_export_writes_a_pdf_through_chromium(stores: tuple[Path, str, str], artifacts_dir: Path) -> None:
    """`export report --out X.pdf` prints the report with Chromium (runs before the module's own browser starts)."""
    if chromium_path() is None:
        pytest.skip("Chromium is not installed (run `make system-deps`).")
    d, wh_url, cases_url = stores
    out = d / "report.pdf"
    args = ["export", "report", "--campaign", world.CAMPAIGN, "--out", str(out), "--warehouse", wh_url, "--cases", cases_url]
    assert main(args) == 0
    pdf = out.read_bytes()
    assert pdf.startswith(b"%PDF-") and pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") >= 2
    (artifacts_dir / "report-export.pdf").write_bytes(pdf)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (run `make system-deps`).")
    with playwright_api.sync_playwright() as pw:
        b = launch_chromium(pw)
        yield b
        b.close()


def test_report_opens_offline_and_prints(browser: Any, report_file: Path, artifacts_dir: Path) -> None:
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    requested: list[str] = []
    refused: list[str] = []
    context.on("request", lambda r: requested.append(r.url))

    def _refuse(route: Any) -> None:
        refused.append(route.request.url)
        route.abort()

    context.route("**/*", lambda route: route.continue_() if route.request.url == report_file.as_uri() else _refuse(route))
    page = context.new_page()
    page.goto(report_file.as_uri())
    expect = playwright_api.expect
    expect(page.get_by_role("heading", name=f"Case report: campaign {world.CAMPAIGN}")).to_be_visible()
    for heading in ("Summary", "Timeline", "Member accounts", "Actions taken", "Harvest and estimated cost", "Decision trail"):
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
    assert page.locator("svg.chart").count() == 3
    assert page.locator("table").count() >= 8
    page.screenshot(path=str(artifacts_dir / "report-screen.png"), full_page=True)

    page.emulate_media(media="print")
    # print rules in force: table headers repeat on each page, members begin a new page, rows are not split
    assert page.evaluate("getComputedStyle(document.querySelector('thead')).display") == "table-header-group"
    assert page.evaluate("getComputedStyle(document.querySelector('section.page')).breakBefore") == "page"
    assert page.evaluate("getComputedStyle(document.querySelector('tr')).breakInside") == "avoid"
    # nothing runs off the printed page's right edge (A4 less 12 mm margins is about 705 CSS px)
    page.set_viewport_size({"width": 705, "height": 1000})
    widest = page.evaluate("Math.max(...[...document.querySelectorAll('table, svg')].map(e => e.getBoundingClientRect().right))")
    assert widest <= 705 + 1
    page.screenshot(path=str(artifacts_dir / "report-print.png"), full_page=True)
    pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    (artifacts_dir / "report-print.pdf").write_bytes(pdf)
    assert pdf.startswith(b"%PDF-") and pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") >= 2
    context.close()
    assert refused == [] and requested == [report_file.as_uri()]

"""In real Chromium: an analyst opens the riskiest campaign by clicking its row on the overview, opens a member by clicking
its row, confirms the campaign from its own page, sees its members resolved, bulk-marks the remaining undecided low-risk
accounts benign without changing a confirmed decision, reads the audit timeline, and downloads the export."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

from pagebench.harness import serve_dashboard
from queries.run import run_all
from queries.triage_queue import triage_campaigns
from radar.cases.labels import latest_run_id
from radar.cases.store import audit_trail, case_table, open_case_store
from radar.warehouse import ensure_schema, open_engine
from tests.browser.test_browser import click_row

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, str]]:
    """A tiny simulated drop, ingested and scored, served by `streamlit run app.py`; yields (base URL, campaign, cases URL)."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed at /usr/bin/chromium (run `make system-deps`).")
    from radar.detect import score
    from radar.ingest import ingest_paths
    from radar.simulate import simulate

    tmp = tmp_path_factory.mktemp("triage_flow")
    wh_url, cases_url = f"duckdb:///{tmp / 'radar.duckdb'}", f"sqlite:///{tmp / 'cases.sqlite'}"
    simulate(tmp / "drop", scale=0.002, seed=7, fmt="parquet", progress=False)
    engine = open_engine(wh_url)
    ensure_schema(engine)
    ingest_paths([tmp / "drop"], engine, chunk_rows=500_000, progress=False)
    score(engine)
    rid = latest_run_id(engine)
    assert rid is not None
    campaign = str(run_all(engine, triage_campaigns(rid))["entity_id"][0])
    engine.dispose()
    # The flow includes a bulk action, which only a lead may take.
    env = {"RADAR_ANALYST": "tess", "RADAR_ANALYST_ROLE": "lead", "RADAR_DATA_DIR": str(tmp)}
    with serve_dashboard(wh_url, cases_url, env=env, timeout_s=90) as base:
        yield base, campaign, cases_url


def _choose(scope, label: str, option: str) -> None:  # type: ignore[no-untyped-def]
    """Pick `option` in the select box labelled `label` (retrying if the menu closed before the click landed)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    _settle(scope.page)
    box = scope.get_by_test_id("stSelectbox").filter(has_text=label).first
    for _ in range(3):
        box.click()
        try:
            scope.page.get_by_role("option", name=option, exact=True).first.click(timeout=5_000)
            break
        except PlaywrightTimeout:
            scope.page.keyboard.press("Escape")


def _settle(page, timeout_ms: float = 30_000) -> None:  # type: ignore[no-untyped-def]
    """Wait until the page's script run has finished, so widgets are not re-drawn under the pointer."""
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout_ms)
    page.wait_for_timeout(300)


def _click_row(page, table_key: str, row: int) -> None:  # type: ignore[no-untyped-def]
    """Click one row's selection marker once the page's script run has finished (see `tests.browser.test_browser.click_row`)."""
    _settle(page)
    click_row(page, table_key, row)


def _shot(page, path: Path) -> None:  # type: ignore[no-untyped-def]
    """Screenshot once the script run has finished (no skeletons from a run still in flight)."""
    _settle(page)
    page.screenshot(path=str(path), full_page=True)


def test_confirm_resolve_bulk_benign_audit_and_export(served: tuple[str, str, str], artifacts_dir: Path, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, campaign, cases_url = served
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 1000}, accept_downloads=True)
        page.route(re.compile(r"^https?://(?!localhost|127\.0\.0\.1).*"), lambda route: route.abort())
        page.set_default_timeout(30_000)
        expect.set_options(timeout=30_000)  # a shared 2-core machine renders slowly

        # 1. Open the riskiest campaign by clicking its row on the overview.
        page.goto(base)
        # The server's first run imports the whole stack (tens of seconds on a busy 2-core machine).
        expect(page.get_by_text("Top campaigns by risk")).to_be_visible(timeout=120_000)
        _settle(page, 120_000)
        _shot(page, artifacts_dir / "overview.png")
        _click_row(page, "overview_campaigns", 0)
        expect(page.get_by_role("heading", name=f"Campaign {campaign}")).to_be_visible()
        assert f"campaign={campaign}" in page.url
        _shot(page, artifacts_dir / "campaign.png")

        # 2. Open a member account from the campaign's member table by clicking its row.
        page.get_by_role("tab", name="Members").click()
        expect(page.get_by_text(re.compile(r"Accounts \(\d+\) · click a row"))).to_be_visible()
        _click_row(page, "campaign_accounts", 0)
        expect(page.get_by_role("heading", name="Keys", exact=True)).to_be_visible()
        assert re.search(r"[?&]q=", page.url)
        _shot(page, artifacts_dir / "member-keys.png")

        # 3. Back on the campaign page, confirm it as extraction: its label reaches its members, their cases resolve.
        page.go_back()
        expect(page.get_by_role("heading", name=f"Campaign {campaign}")).to_be_visible()
        page.get_by_role("button", name="Confirm: extraction").click()
        saved = page.get_by_text(re.compile(r"Labeled the campaign, \d+ accounts and \d+ keys"))
        expect(saved).to_be_visible()
        resolved = int(re.search(r"Resolved (\d+) member cases", saved.inner_text()).group(1))  # type: ignore[union-attr]
        assert resolved > 0
        expect(page.get_by_text(re.compile(r"Case: Confirmed · True positive: extraction"))).to_be_visible()
        _shot(page, artifacts_dir / "campaign-confirmed.png")

        # 4. Its accounts show as resolved: none is left undecided.
        page.goto(f"{base}/triage?etype=account&campaign={campaign}")
        members = page.get_by_text(re.compile(r"\d+ accounts match the filter · 0 undecided left"))
        expect(members).to_be_visible()
        n = int(re.search(r"(\d+) accounts match", members.inner_text()).group(1))  # type: ignore[union-attr]
        _shot(page, artifacts_dir / "triage-members-resolved.png")

        # 5. Bulk-mark the remaining undecided low-risk accounts benign; the confirmation states the count.
        page.goto(f"{base}/triage?etype=account&undecided=1&max=0.3")
        low = page.get_by_text(re.compile(r"[\d,]+ accounts match the filter"))
        expect(low).to_be_visible()
        n_low = int(re.search(r"([\d,]+) accounts match", low.inner_text()).group(1).replace(",", ""))  # type: ignore[union-attr]
        assert n_low > 0
        bulk = page.get_by_test_id("stForm").nth(1)
        _choose(bulk, "Set status", "Dismissed")
        _choose(bulk, "Set disposition", "Benign: allowed use")
        _choose(bulk, "Set label", "Benign: allowed use")
        bulk.get_by_role("button", name="Review the change").click()
        expect(page.get_by_text(f"This changes {n_low:,} undecided accounts")).to_be_visible()
        _shot(page, artifacts_dir / "triage-bulk-review.png")
        page.get_by_role("button", name=f"Confirm: change {n_low:,}").click()
        expect(page.get_by_text(f"Changed {n_low:,} cases and {n_low:,} labels")).to_be_visible()
        _shot(page, artifacts_dir / "triage-bulk.png")

        # 6. The audit timeline on the case pages reads as changes in words.
        page.goto(f"{base}/case?etype=campaign&id={campaign}")
        expect(page.get_by_text("Opened the case").first).to_be_visible()
        expect(page.get_by_text("Set the label").first).to_be_visible()
        expect(page.get_by_text("Status set to Confirmed").first).to_be_visible()
        _shot(page, artifacts_dir / "case.png")
        page.goto(f"{base}/kpis")
        expect(page.get_by_text("Median time to decision")).to_be_visible()
        _shot(page, artifacts_dir / "kpis.png")

        # 7. Download the labeled export and read the Parquet back.
        page.goto(f"{base}/export")
        page.get_by_role("button", name="Prepare the export").click()
        expect(page.get_by_text(re.compile(r"account-level export: \d+ train"))).to_be_visible()
        with page.expect_download() as dl:
            page.get_by_role("button", name="Download all (zip)").click()
        target = tmp_path / "export.zip"
        dl.value.save_as(target)
        _shot(page, artifacts_dir / "export.png")

        # 8. The case report opens with every network request refused, and prints.
        page.get_by_role("button", name="Prepare indicators and report").click()
        # Counting each indicator's accounts inside and outside the campaign reads the run's window: slow on a busy machine.
        expect(page.get_by_role("button", name="Download case report (HTML)")).to_be_visible(timeout=180_000)
        with page.expect_download() as dl_report:
            page.get_by_role("button", name="Download case report (HTML)").click()
        report = tmp_path / "report.html"
        dl_report.value.save_as(report)
        offline = browser.new_page()
        asked: list[str] = []
        offline.route(re.compile(r"^(?!file:).*"), lambda route: (asked.append(route.request.url), route.abort()))
        offline.goto(report.as_uri())
        expect(offline.get_by_role("heading", name=f"Case report: campaign {campaign}")).to_be_visible()
        assert offline.locator("svg.chart").count() >= 2
        assert asked == []
        offline.emulate_media(media="print")
        offline.pdf(path=str(artifacts_dir / "case-report.pdf"), format="A4")
        browser.close()

    # No confirmed decision changed, and the audit trail holds every change.
    store = open_case_store(cases_url)
    accounts = case_table(store, "account")
    confirmed = accounts.filter(pl.col("status") == "confirmed")
    assert confirmed.height == n and set(confirmed["disposition"]) == {"true_positive_extraction"}
    assert set(confirmed["version"]) == {1}  # resolved once, never touched again
    benign = accounts.filter(pl.col("disposition") == "benign_positive_allowed")
    assert benign.height == n_low and not set(benign["entity_id"]) & set(confirmed["entity_id"])
    trail = audit_trail(store, limit=1_000_000)
    counts = dict(trail.group_by("action").len().rows())
    assert counts["case.resolve"] == resolved
    assert counts["case.create"] == 1 + n_low  # the campaign's case, then one per bulk-changed account
    assert counts["label.set"] == 1 + n_low and counts["label.propagate"] >= n

    with zipfile.ZipFile(target) as zf:
        names = set(zf.namelist())
        assert {"train.parquet", "test.parquet", "dataset_card.md"} <= names
        frame = pl.concat([pl.read_parquet(io.BytesIO(zf.read(n))) for n in ("train.parquet", "test.parquet")], how="diagonal_relaxed")
    exported = frame.filter(pl.col("campaign_id") == campaign)
    assert exported.height == n
    assert set(exported["label"]) == {"true_positive_extraction"}
    assert set(exported["label_source"]) == {f"campaign:{campaign}"} and set(exported["labeled_by"]) == {"tess"}

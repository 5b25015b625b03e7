"""Can a case report be a PDF too? Printed from its HTML by headless Chromium (Debian's), every network request refused.

Playwright drives the browser (it is in requirements.txt); Chromium is the Debian package `make test` installs. Where
either is missing, the export says so in one sentence and the HTML report, which prints the same way from any browser,
remains.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from radar.cases.store import CaseError

#: the browser `scripts/system-deps.sh` installs
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    """Where is a Chromium to print with (None when there is none)?"""
    return CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")


def html_to_pdf(html: str, out: Path) -> list[str]:
    """Print this self-contained HTML to an A4 PDF at `out` with its print style sheet; returns the requests refused."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        raise CaseError("Writing a PDF needs Playwright (pip install -r requirements.txt); write the report as .html instead.") from exc
    exe = chromium_path()
    if exe is None:
        raise CaseError("Writing a PDF needs Chromium (apt-get install chromium); write the report as .html and print it from a browser.")
    refused: list[str] = []

    def _refuse(route: Any) -> None:
        refused.append(route.request.url)
        route.abort()

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page()
            page.route("**/*", _refuse)
            page.set_content(html, wait_until="load")
            page.emulate_media(media="print")
            page.pdf(path=str(out), format="A4", print_background=True, prefer_css_page_size=True)
        finally:
            browser.close()
    return refused

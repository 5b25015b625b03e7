"""How do tests and the bench drive the dashboard? Through a real server and an offline browser.

A `streamlit run` server on a free port, and a headless Chromium that refuses every request not
addressed to the loopback interface.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Names other than the loopback ones do not resolve: nothing can leave the machine, and no request routing is needed
    # (Playwright turns the HTTP cache off for a routed context, which would make every page load refetch the app).
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
]
LOCAL_PREFIXES = ("http://127.0.0.1", "http://localhost", "ws://127.0.0.1", "ws://localhost", "data:", "blob:", "about:")


def free_port() -> int:
    """Which loopback port is free right now?"""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve_dashboard(
    warehouse_url: str, cases_url: str, *, log_path: Path | None = None, timeout_s: float = 60.0, env: Mapping[str, str] | None = None
) -> Iterator[str]:
    """Serve app.py with `streamlit run` on a free port against the given warehouse; yields the base URL, stops the server after."""
    port = free_port()
    env = {**os.environ, **(env or {}), "RADAR_WAREHOUSE_URL": warehouse_url, "RADAR_CASES_URL": cases_url}
    cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port), "--server.address", "127.0.0.1",
           "--server.headless", "true", "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]  # fmt: skip
    log = open(log_path or os.devnull, "w")  # noqa: SIM115 - closed in finally
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + timeout_s
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"the dashboard server exited with code {proc.returncode}; see {log_path or 'its log'}")
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                pass
            if time.time() > deadline:
                raise RuntimeError(f"the dashboard server did not answer within {timeout_s:.0f} s")
            time.sleep(0.25)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def launch_chromium(playwright: Any) -> Any:
    """Headless Debian Chromium with background networking off."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


def offline_context(browser: Any, blocked: list[str] | None = None) -> Any:
    """A browser context, with the HTTP cache on as in an analyst's browser, that records every request not addressed to
    this machine in `blocked` (the browser `launch_chromium` starts resolves no host name but the loopback ones)."""
    context = browser.new_context(viewport={"width": 1500, "height": 1000})

    def _seen(request: Any) -> None:
        if blocked is not None and not request.url.startswith(LOCAL_PREFIXES):
            blocked.append(request.url)

    context.on("request", _seen)
    context.add_init_script(_TRACK_RUNS)
    return context


#: From the document's start: how many script runs the page has finished (running, then not running: a page just
#: opened is "not running" before its first run has even begun, so that state alone says nothing), and when its DOM
#: last changed (the browser draws the elements a run sent after the run has finished).
_TRACK_RUNS = """(() => {
  window.__radarRuns = 0;
  // attached before the page's own scripts ran: a run cannot have come and gone unseen
  window.__radarEarly = document.readyState === 'loading';
  window.__radarLastChange = performance.now();
  let running = false, app = null;
  new MutationObserver(() => {
    window.__radarLastChange = performance.now();
    app = app && app.isConnected ? app : document.querySelector("[data-testid='stApp']");
    const state = app && app.getAttribute('data-test-script-state');
    if (state === 'running') running = true;
    else if (running && state === 'notRunning') { running = false; window.__radarRuns += 1; }
  }).observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
})();"""
#: The page's first script run has finished (a page the counter joined late, or a context without it: its state alone).
_FIRST_RUN_DONE = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  const idle = !!app && app.getAttribute('data-test-script-state') === 'notRunning';
  return idle && (!window.__radarEarly || window.__radarRuns > 0);
}"""
#: How long the DOM must stay unchanged after a run for the page to count as drawn: React renders in slices between
#: which nothing in the DOM changes, and on a busy machine a page's render phase can run past half a second.
QUIET_MS = 1000


def wait_until_idle(page: Any, *, timeout_ms: float = 60_000) -> None:
    """Wait until the page's Streamlit script run has finished (in an `offline_context`, a run that began on this page)
    and the page shows its title."""
    page.wait_for_function(_FIRST_RUN_DONE, timeout=timeout_ms)
    page.wait_for_selector("[data-testid='stMain'] h1", timeout=timeout_ms)


def wait_until_drawn(page: Any, *, timeout_ms: float = 60_000) -> float:
    """Wait until the page's run has finished and its DOM has not changed for QUIET_MS (in an `offline_context`);
    returns how many seconds ago the DOM last changed, so a caller timing the page can take that quiet wait back off."""
    wait_until_idle(page, timeout_ms=timeout_ms)
    if not page.evaluate("() => window.__radarEarly === true"):
        raise RuntimeError("the page was not watched from its start (open it in an offline_context page): its drawing cannot be timed")
    page.wait_for_function(f"() => performance.now() - window.__radarLastChange >= {QUIET_MS}", timeout=timeout_ms, polling=50)
    return float(page.evaluate("() => performance.now() - window.__radarLastChange")) / 1000.0


_ARM = """() => {
  window.__radarRan = false;
  const app = document.querySelector("[data-testid='stApp']");
  new MutationObserver(() => {
    if (app.getAttribute('data-test-script-state') === 'running') window.__radarRan = true;
  }).observe(app, {attributes: true});
}"""
_RAN = """() => window.__radarRan === true &&
  document.querySelector("[data-testid='stApp']").getAttribute('data-test-script-state') === 'notRunning'"""


def click_and_wait(page: Any, locator: Any, *, timeout_ms: float = 60_000) -> None:
    """Click, then wait for the script run the click triggers to start and finish (no fixed sleeps)."""
    page.evaluate(_ARM)
    locator.click()
    page.wait_for_function(_RAN, timeout=timeout_ms)
    wait_until_idle(page, timeout_ms=timeout_ms)

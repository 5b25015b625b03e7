"""`python -m radar bench pages`: how fast do the pages answer? Query times per page, first render and a filter change in Chromium.

Also the dashboard harness the browser tests use: a `streamlit run` server on a free port, and a headless
Chromium that refuses every request not addressed to the loopback interface.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
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
]
LOCAL_PREFIXES = ("http://127.0.0.1", "http://localhost", "ws://127.0.0.1", "ws://localhost", "data:", "blob:", "about:")


def free_port() -> int:
    """Which loopback port is free right now?"""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve_dashboard(warehouse_url: str, cases_url: str, *, log_path: Path | None = None, timeout_s: float = 60.0) -> Iterator[str]:
    """Serve app.py with `streamlit run` on a free port against the given warehouse; yields the base URL, stops the server after."""
    port = free_port()
    env = {**os.environ, "RADAR_WAREHOUSE_URL": warehouse_url, "RADAR_CASES_URL": cases_url}
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
    """A browser context that aborts every request not addressed to this machine (recorded in `blocked`)."""
    context = browser.new_context(viewport={"width": 1500, "height": 1000})

    def _route(route: Any) -> None:
        url = route.request.url
        if url.startswith(LOCAL_PREFIXES):
            route.continue_()
        else:
            if blocked is not None:
                blocked.append(url)
            route.abort()

    context.route("**/*", _route)
    return context


IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
RUNNING = "[data-testid='stApp'][data-test-script-state='running']"


def wait_until_idle(page: Any, *, timeout_ms: float = 60_000) -> None:
    """Wait until the Streamlit script run has finished and the page shows its title."""
    page.wait_for_selector(IDLE, timeout=timeout_ms)
    page.wait_for_selector("[data-testid='stMain'] h1", timeout=timeout_ms)


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


# --- the bench --------------------------------------------------------------------------------------

PAGE_QUERIES: dict[str, list[str]] = {
    "overview": [
        "overview.traffic_kpis",
        "overview.flagged_counts",
        "overview.traffic_over_time",
        "overview.top_campaigns",
        "overview.load_status",
    ],
    "keys": [
        "key_baselines.flagged_keys",
        "key_baselines.key_profile",
        "key_baselines.key_baselines",
        "key_baselines.peer_hourly_band",
        "key_baselines.key_interarrival",
        "key_baselines.key_active_hours",
        "key_baselines.prompt_lengths",
        "key_baselines.capability_mix",
        "key_baselines.template_concentration",
    ],  # fmt: skip
    "clusters": [
        "clusters.cluster_ranking",
        "clusters.cluster_summary",
        "clusters.cluster_edge_types",
        "clusters.cluster_members",
        "clusters.cluster_attributes",
        "clusters.attribute_overlap",
    ],
    "campaign": [
        "campaign.campaign_summary",
        "campaign.campaign_timeline",
        "campaign.campaign_capability_profile",
        "campaign.campaign_infrastructure",
        "campaign.campaign_harvest",
        "campaign.campaign_model_mix",
        "campaign.campaign_sample_prompts",
        "campaign.campaign_members",
        "campaign.campaign_keys",
    ],  # fmt: skip
}


def _call(name: str, ctx: dict[str, Any]) -> Any:
    import importlib
    import inspect

    module, _, func = name.rpartition(".")
    fn = getattr(importlib.import_module(f"queries.{module}"), func)
    params = inspect.signature(fn).parameters
    return fn(**{k: v for k, v in ctx.items() if k in params})


def time_queries(engine: Any, ctx: dict[str, Any]) -> dict[str, float]:
    """How long does each page's set of queries take, uncached, in seconds?"""
    from queries.run import run

    out: dict[str, float] = {}
    for page, names in PAGE_QUERIES.items():
        t0 = time.perf_counter()
        for name in names:
            run(engine, _call(name, ctx))
        out[page] = time.perf_counter() - t0
    return out


def bench_context(engine: Any) -> dict[str, Any]:
    """The selection the bench opens: the default window, the riskiest campaign, its cluster and its top key."""
    from datetime import UTC, datetime, timedelta
    from datetime import time as dtime

    from queries import campaign, overview
    from queries.run import run

    extent = run(engine, overview.data_extent()).frame.row(0, named=True)
    run_id = str(run(engine, overview.latest_run()).frame["run_id"][0])
    last = extent["last_ts"].date()
    start = datetime.combine(max(extent["first_ts"].date(), last - timedelta(days=6)), dtime(0), tzinfo=UTC)
    end = datetime.combine(last + timedelta(days=1), dtime(0), tzinfo=UTC)
    camps = run(engine, campaign.campaign_list(run_id=run_id)).frame
    ctx: dict[str, Any] = {"start": start, "end": end, "run_id": run_id, "model": None}
    if camps.height:
        cid = str(camps["campaign_id"][0])
        summary = run(engine, campaign.campaign_summary(run_id=run_id, campaign_id=cid)).frame.row(0, named=True)
        keys = run(engine, campaign.campaign_keys(run_id=run_id, campaign_id=cid)).frame
        ctx.update(campaign_id=cid, cluster_id=summary["cluster_id"], api_key_id=str(keys["api_key_id"][0]) if keys.height else "")
    return ctx


def time_browser(base: str, ctx: dict[str, Any]) -> dict[str, float]:
    """First render of each page in Chromium (fresh session, cold query cache, after one warm-up page), then a
    filter change on the overview, in seconds."""
    from playwright.sync_api import sync_playwright

    urls = {
        "overview": f"{base}/",  # the default page lives at the root URL
        "keys": f"{base}/keys?key={ctx.get('api_key_id', '')}",
        "clusters": f"{base}/clusters?cluster={ctx.get('cluster_id', '')}",
        "campaign": f"{base}/campaign?campaign={ctx.get('campaign_id', '')}",
    }
    out: dict[str, float] = {}
    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        context = offline_context(browser)
        page = context.new_page()
        # the server's first page pays its one-time imports; an analyst's link reaches a server already serving
        t0 = time.perf_counter()
        page.goto(f"{base}/export")
        wait_until_idle(page)
        out["server warm-up (/export)"] = time.perf_counter() - t0
        for name, url in urls.items():
            t0 = time.perf_counter()
            page.goto(url)
            wait_until_idle(page)
            out[f"{name} first render"] = time.perf_counter() - t0
        page.goto(urls["overview"])
        wait_until_idle(page)
        sidebar = page.locator("[data-testid='stSidebar']")
        t0 = time.perf_counter()
        click_and_wait(page, sidebar.get_by_text("Show allowlisted entities"))  # "Show allowlisted entities": a rerun with a new filter
        out["overview filter change"] = time.perf_counter() - t0
        box = sidebar.locator("[data-testid='stSelectbox']").first
        box.click()
        options = page.get_by_role("option")
        if options.count() > 1:
            t0 = time.perf_counter()
            click_and_wait(page, options.nth(1))
            out["overview model change"] = time.perf_counter() - t0
        browser.close()
    return out


def bench_pages(args: argparse.Namespace) -> int:
    """Build a warehouse at the given scale (simulate, ingest, score), then print page query and render times."""
    from radar.detect import score
    from radar.ingest import ingest_paths
    from radar.simulate import simulate
    from radar.warehouse import ensure_schema, open_engine

    work = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="radar-pagebench-"))
    work.mkdir(parents=True, exist_ok=True)
    url = f"duckdb:///{work / 'radar.duckdb'}"
    t0 = time.perf_counter()
    if not (work / "radar.duckdb").exists():
        print(f"==> building a warehouse at scale {args.scale} (seed {args.seed}) in {work}")
        simulate(work / "drop", scale=args.scale, seed=args.seed, fmt="parquet", progress=True)
        engine = open_engine(url)
        ensure_schema(engine)
        ingest_paths([work / "drop"], engine, progress=True)
        score(engine, progress=True)
        engine.dispose()
    else:
        print(f"==> reusing the warehouse in {work}")
    t1 = time.perf_counter()
    engine = open_engine(url, read_only=True)
    ctx = bench_context(engine)
    from queries import overview
    from queries.run import run

    rows = int(run(engine, overview.data_extent()).frame["requests"][0])
    print(
        f"==> warehouse ready in {t1 - t0:.1f} s: {rows:,} requests; campaign {ctx.get('campaign_id')}, cluster {ctx.get('cluster_id')}, key {ctx.get('api_key_id')}"
    )
    queries = time_queries(engine, ctx)
    engine.dispose()
    print("page queries (uncached, s):")
    for page, secs in queries.items():
        print(f"  {page:<10} {secs:6.2f}")
    with serve_dashboard(url, f"sqlite:///{work / 'cases.sqlite'}", log_path=work / "streamlit.log") as base:
        renders = time_browser(base, ctx)
    print("Chromium (s):")
    for what, secs in renders.items():
        print(f"  {what:<26} {secs:6.2f}")
    print("goals at scale 0.25: first render <= 2 s, filter change <= 1 s")
    return 0

"""`python -m radar bench pages`: how fast do the pages answer? Query times per page, first render and a filter change in Chromium.

The queries timed per page are exactly the catalog's (`queries.catalog.for_page`), with arguments
filled by parameter name from the bench's selection, so a new question is timed without a hand-kept list.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import UTC, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from pagebench.harness import click_and_wait, launch_chromium, offline_context, serve_dashboard, wait_until_idle
from queries import catalog
from queries.catalog import Question
from queries.run import run_all, run_page


class BenchError(RuntimeError):
    """The bench cannot ask a question: its builder needs a value the bench's selection does not hold."""


def catalog_pages() -> list[str]:
    """Which pages ask catalog questions, in name order (the shared sidebar counts as a page)?"""
    return sorted({page for q in catalog.catalog() for page in q.pages})


def arguments(question: Question[Any], ctx: dict[str, Any]) -> dict[str, Any]:
    """The question's arguments, by parameter name, from the bench selection (optional ones left at their defaults)."""
    args: dict[str, Any] = {}
    for name, param in question.parameters().items():
        if name in ctx:
            args[name] = ctx[name]
        elif param.default is param.empty:
            held = ", ".join(sorted(ctx)) or "nothing"
            raise BenchError(f"{question.name} needs `{name}`, which the bench selection does not hold (it holds {held})")
    return args


def time_queries(engine: Engine, ctx: dict[str, Any], *, timeout_s: float = 30.0) -> dict[str, float]:
    """How long does each page's set of catalog questions take, uncached, in seconds (capped and timed out as on the page)?"""
    out: dict[str, float] = {}
    for page in catalog_pages():
        questions = catalog.for_page(page)
        calls = [(q, arguments(q, ctx)) for q in questions]  # fail before timing anything
        t0 = time.perf_counter()
        for q, args in calls:
            run_page(engine, q(**args), timeout_s=timeout_s, row_cap=q.row_cap)
        out[page] = time.perf_counter() - t0
    return out


def bench_context(engine: Engine) -> dict[str, Any]:
    """The selection the bench opens: the default window, the latest run, the riskiest campaign, its cluster and its top key."""
    from queries import campaign, detect_results, overview

    extent = run_all(engine, overview.data_extent()).row(0, named=True)
    runs = run_all(engine, detect_results.latest_run())
    if extent["last_ts"] is None or runs.is_empty():
        raise BenchError("the warehouse holds no telemetry or no finished detection run; the bench builds one unless --workdir reuses it")
    run_id = str(runs["run_id"][0])
    last = extent["last_ts"].date()
    start = datetime.combine(max(extent["first_ts"].date(), last - timedelta(days=6)), dtime(0), tzinfo=UTC)
    end = datetime.combine(last + timedelta(days=1), dtime(0), tzinfo=UTC)
    ctx: dict[str, Any] = {"start": start, "end": end, "run_id": run_id, "model": None}
    camps = run_all(engine, campaign.campaign_list(run_id=run_id))
    if camps.height:
        cid = str(camps["campaign_id"][0])
        summary = run_all(engine, campaign.campaign_summary(run_id=run_id, campaign_id=cid)).row(0, named=True)
        keys = run_all(engine, campaign.campaign_keys(run_id=run_id, campaign_id=cid))
        ctx.update(campaign_id=cid, cluster_id=summary["cluster_id"], entity_type="campaign", entity_id=cid)
        if keys.height:
            ctx["api_key_id"] = str(keys["api_key_id"][0])
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
        click_and_wait(page, sidebar.get_by_text("Show allowlisted entities"))  # a rerun with a new filter
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
    from queries import overview
    from radar.config import load_settings
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
    rows = int(run_all(engine, overview.data_extent())["requests"][0])
    print(
        f"==> warehouse ready in {t1 - t0:.1f} s: {rows:,} requests; "
        f"campaign {ctx.get('campaign_id')}, cluster {ctx.get('cluster_id')}, key {ctx.get('api_key_id')}"
    )
    queries = time_queries(engine, ctx, timeout_s=load_settings().query_timeout_s)
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

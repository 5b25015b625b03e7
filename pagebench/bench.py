"""`python -m radar bench pages`: how fast do the pages answer? Query times per page against a reference, and renders in Chromium.

The queries timed per page are exactly the catalog's (`queries.catalog.for_page`), with arguments
filled by parameter name from the bench's selection, so a new question is timed without a hand-kept list.
Each page's reference is the summary or rollup tables it reads, read directly with hand-written SQL on the
same warehouse in the same run (`REFERENCE_SQL` of any `queries` module); the ratio says what the page's own
questions cost above that floor. In Chromium each page is timed at first render, at a render again (a reload,
served from the cache), at a filter change and at a model change.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text

from pagebench.harness import click_and_wait, launch_chromium, offline_context, serve_dashboard, wait_until_drawn
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


def reference_sql() -> dict[str, tuple[str, ...]]:
    """Which hand-written statements read each page's summary or rollup tables (from every queries module's REFERENCE_SQL)?"""
    import importlib
    import pkgutil

    import queries

    out: dict[str, tuple[str, ...]] = {}
    for info in pkgutil.iter_modules(queries.__path__):
        for page, stmts in getattr(importlib.import_module(f"queries.{info.name}"), "REFERENCE_SQL", {}).items():
            out[page] = out.get(page, ()) + tuple(stmts)
    return out


def time_references(engine: Engine, ctx: dict[str, Any], *, rows: dict[str, int] | None = None) -> dict[str, float]:
    """How long does reading each page's summary or rollup tables directly take, in seconds (every row fetched)?

    `rows`, when given, receives the number of rows each page's reference fetched (the same on every engine)."""
    out: dict[str, float] = {}
    for page, stmts in reference_sql().items():
        fetched = 0
        t0 = time.perf_counter()
        with engine.connect() as conn:
            for sql in stmts:
                stmt = text(sql)
                fetched += len(conn.execute(stmt, {k: ctx.get(k) for k in stmt.compile().params}).fetchall())
        out[page] = time.perf_counter() - t0
        if rows is not None:
            rows[page] = fetched
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


def _page_urls(base: str, ctx: dict[str, Any]) -> dict[str, str]:
    return {
        "overview": f"{base}/",  # the default page lives at the root URL
        "keys": f"{base}/keys?key={ctx.get('api_key_id', '')}",
        "clusters": f"{base}/clusters?cluster={ctx.get('cluster_id', '')}",
        "campaign": f"{base}/campaign?campaign={ctx.get('campaign_id', '')}",
    }


def _drawn(page: Any, t0: float) -> float:
    """Seconds from t0 until the page's DOM last changed, once its run has finished (see `wait_until_drawn`)."""
    quiet = wait_until_drawn(page)
    return time.perf_counter() - t0 - quiet


def time_browser(base: str, ctx: dict[str, Any]) -> dict[str, dict[str, float]]:
    """Per page, in seconds: first render in Chromium (fresh session, cold query cache, after one warm-up page), a render
    again (the same link reloaded, answered from the cache), a filter change and a model change in the sidebar.

    Each figure runs until the page is drawn: its script run has finished and the last change to its DOM is made (the
    browser keeps drawing what a run sent after the run ends); the quiet wait that shows it was the last is not counted."""
    from playwright.sync_api import sync_playwright

    out: dict[str, dict[str, float]] = {}
    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        context = offline_context(browser)
        page = context.new_page()
        # the server's first page pays its one-time imports; an analyst's link reaches a server already serving
        t0 = time.perf_counter()
        page.goto(f"{base}/export")
        out["server warm-up (/export)"] = {"first render": _drawn(page, t0)}
        for name, url in _page_urls(base, ctx).items():
            times: dict[str, float] = {}
            for what in ("first render", "render again"):
                t0 = time.perf_counter()
                page.goto(url)
                times[what] = _drawn(page, t0)
            sidebar = page.locator("[data-testid='stSidebar']")
            toggle = sidebar.get_by_text("Show allowlisted entities")
            if toggle.count():  # a page that stopped early (no data for its selection) draws no filters
                t0 = time.perf_counter()
                click_and_wait(page, toggle)  # a rerun with a new filter
                times["filter change"] = _drawn(page, t0)
            boxes = sidebar.locator("[data-testid='stSelectbox']")
            if boxes.count():
                boxes.first.click()
            # another model than the one shown (the sidebar's choice may carry over from the page before): a rerun
            options = page.get_by_role("option", selected=False)
            if boxes.count() and options.count():
                t0 = time.perf_counter()
                click_and_wait(page, options.first)
                times["model change"] = _drawn(page, t0)
            else:
                page.keyboard.press("Escape")
            out[name] = times
        browser.close()
    return out


RENDERS = ("first render", "render again", "filter change", "model change")


def _cell(value: float | None) -> str:
    return f"{value:8.2f}" if value is not None else f"{'-':>8}"


@dataclass
class EngineTimes:
    """One engine's figures in a page bench: the selection it opened, its query, reference and Chromium times."""

    label: str
    url: str
    ctx: dict[str, Any]
    requests: int
    queries: dict[str, float] = field(default_factory=dict)
    references: dict[str, float] = field(default_factory=dict)
    reference_rows: dict[str, int] = field(default_factory=dict)
    renders: dict[str, dict[str, float]] = field(default_factory=dict)


def _ready(url: str) -> dict[str, Any] | None:
    """The bench selection on the warehouse at `url`, or None when it holds no telemetry or no finished run yet."""
    from sqlalchemy.exc import DBAPIError

    from radar.warehouse import WarehouseError, open_engine

    try:
        engine = open_engine(url, read_only=True)
    except WarehouseError:  # no file or folder yet
        return None
    try:
        return bench_context(engine)
    except (BenchError, WarehouseError, DBAPIError):  # no run, no database (chDB) or no tables yet: build it
        return None
    finally:
        engine.dispose()


def _measure_queries(e: EngineTimes, timeout_s: float) -> None:
    """Time the engine's page queries and references on its own selection; its engine is closed after."""
    from queries import overview
    from radar.warehouse import open_engine

    engine = open_engine(e.url, read_only=True)
    try:
        e.requests = int(run_all(engine, overview.data_extent())["requests"][0])
        e.queries = time_queries(engine, e.ctx, timeout_s=timeout_s)
        e.references = time_references(engine, e.ctx, rows=e.reference_rows)
    finally:
        engine.dispose()  # chDB: one process at a time on a folder, and the dashboard server opens it next


def _print_queries(engines: list[EngineTimes]) -> None:
    """Per page and engine: queries and reference seconds and their ratio; rows the references fetched; each engine
    beside DuckDB's query time."""
    print("page queries, uncached (s), against reading the page's summary/rollup tables directly (reference):")
    widths = [max(len(e.label) + 2, 9) for e in engines]
    head = "".join(f" {e.label + ' q':>{w}} {'ref':>7} {'ratio':>6}" for e, w in zip(engines, widths, strict=True))
    beside = "".join(f" {e.label + ' / DuckDB':>{len(e.label) + 9}}" for e in engines[1:])
    print(f"  {'page':<10}{head} {'ref rows':>12}{beside}")
    for page, duck_s in engines[0].queries.items():
        line = f"  {page:<10}"
        for e, w in zip(engines, widths, strict=True):
            q, ref = e.queries[page], e.references.get(page)
            line += f" {q:>{w}.3f}" + (f" {ref:>7.3f} {q / ref:>6.1f}" if ref else f" {'-':>7} {'-':>6}")
        line += f" {'/'.join(str(e.reference_rows[page]) for e in engines if page in e.reference_rows) or '-':>12}"
        line += "".join(f" {e.queries[page] / duck_s:>{len(e.label) + 8}.1f}x" for e in engines[1:])
        print(line)


def _print_renders(engines: list[EngineTimes]) -> None:
    print("Chromium (s):")
    print(f"  {'page':<26} {'engine':<18}" + "".join(f"{r:>15}" for r in RENDERS))
    for e in engines:
        for page, times in e.renders.items():
            print(f"  {page:<26} {e.label:<18}" + "".join(f"{_cell(times.get(r)):>15}" for r in RENDERS))


def bench_pages(args: argparse.Namespace) -> int:
    """Build a warehouse at the given scale (simulate, ingest, score) or reuse the work folder's, then print page query
    and render times; with --warehouse, on that warehouse too, from the same drop, side by side."""
    from radar.bench import bench_drop, beside_duckdb, build_warehouse
    from radar.config import load_settings

    work = (Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="radar-pagebench-"))).resolve()
    work.mkdir(parents=True, exist_ok=True)
    duck_url = f"duckdb:///{work / 'radar.duckdb'}"
    t0 = time.perf_counter()
    with beside_duckdb(getattr(args, "warehouse", None), work, fresh=False) as beside:
        targets = [("DuckDB", duck_url)] + ([(beside.label, beside.url)] if beside else [])
        engines: list[EngineTimes] = []
        for label, url in targets:
            ctx = _ready(url)
            if ctx is None:
                drop = bench_drop(work, float(args.scale), args.seed)
                if drop is None:
                    return 1
                print(f"==> building the {label} warehouse at scale {args.scale} (seed {args.seed}) from {drop}")
                build_warehouse(url, drop)
                ctx = _ready(url)
                if ctx is None:
                    print(f"error: the {label} warehouse holds no finished detection run after building it", file=sys.stderr)
                    return 1
            else:
                print(f"==> reusing the {label} warehouse ({url})")
            engines.append(EngineTimes(label, url, ctx, 0))
        timeout_s = load_settings().query_timeout_s
        for e in engines:
            _measure_queries(e, timeout_s)
            print(
                f"==> {e.label}: {e.requests:,} requests; campaign {e.ctx.get('campaign_id')}, "
                f"cluster {e.ctx.get('cluster_id')}, key {e.ctx.get('api_key_id')}"
            )
        print(f"==> warehouses ready and timed in {time.perf_counter() - t0:.1f} s")
        _print_queries(engines)
        if not getattr(args, "no_browser", False):
            for e in engines:
                log = work / ("streamlit.log" if e is engines[0] else "streamlit-beside.log")
                with serve_dashboard(e.url, f"sqlite:///{work / 'cases.sqlite'}", log_path=log) as base:
                    e.renders = time_browser(base, e.ctx)
            _print_renders(engines)
    print("goals at scale 1.0: first render <= 2.0 s, render again <= 1.0 s, filter or model change <= 1.0 s, page queries <= 0.5 s")
    return 0

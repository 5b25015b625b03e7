"""`python -m radar bench soak`: does the dashboard stay up while analysts browse and a load runs?

Headless Chromium sessions cycle through every page of the navigation while `python -m radar ingest` loads a
second drop into the same warehouse, and a watcher asks the server's health endpoint every half second. The
soak prints per-page render times, the health checks lost (an answer later than 5 s counts as lost) and what
each session saw: exception text, error boxes, and pages that waited for the load and refreshed by themselves.
Everything runs on the loopback interface.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pagebench.harness import ROOT, launch_chromium, offline_context, wait_until_idle

#: How often the watcher asks the health endpoint, and how long an answer may take before the check counts as lost.
HEALTH_EVERY_S = 0.5
HEALTH_TIMEOUT_S = 5.0
#: How long a page that waits for a load may take to refresh by itself once the load is over.
REFRESH_TIMEOUT_S = 60.0
LOAD_RUNNING_SELECTOR = "[data-testid='stAlertContentInfo']:has-text('A load is running')"
PROBLEM_SELECTOR = "[data-testid='stException'], [data-testid='stAlertContentError']"


@dataclass
class Load:
    """One `python -m radar ingest` run during the soak: when it started and ended, its exit code and what it printed."""

    drop: Path
    started_s: float
    seconds: float
    code: int
    output: str


@dataclass
class Soak:
    """What the soak saw: render times per page, problems on pages, pages that waited for a load, health checks, loads."""

    seconds: dict[str, list[float]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    waited: list[float] = field(default_factory=list)
    health_ok: int = 0
    health_lost: list[str] = field(default_factory=list)
    health_worst_s: float = 0.0
    loads: list[Load] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def visits(self) -> int:
        """How many page renders finished?"""
        return sum(len(v) for v in self.seconds.values())


def page_urls(base: str, ctx: dict[str, Any]) -> dict[str, str]:
    """Every page of the navigation, opened on the selection an analyst would carry to it (the default page at the root URL)."""
    from app_state import PAGES

    selection = {
        "keys": f"?key={ctx.get('api_key_id', '')}",
        "clusters": f"?cluster={ctx.get('cluster_id', '')}",
        "campaign": f"?campaign={ctx.get('campaign_id', '')}",
        "case": f"?etype=campaign&id={ctx.get('campaign_id', '')}",
    }
    return {p.url_path: f"{base}/" if p.default else f"{base}/{p.url_path}{selection.get(p.url_path, '')}" for p in PAGES}


def _watch_health(base: str, stop: threading.Event, out: Soak) -> None:
    """Ask the health endpoint every HEALTH_EVERY_S until stopped; record answers, their worst delay and every loss."""
    while not stop.is_set():
        t0 = time.perf_counter()
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=HEALTH_TIMEOUT_S) as resp:
                ok = resp.status == 200
        except Exception as exc:  # refused, reset, timed out or garbled: a lost check, whatever the cause
            ok, why = False, f"{type(exc).__name__}: {exc}"
        else:
            why = "" if ok else "not 200"
        took = time.perf_counter() - t0
        with out.lock:
            out.health_worst_s = max(out.health_worst_s, took)
            if ok and took <= HEALTH_TIMEOUT_S:
                out.health_ok += 1
            else:
                out.health_lost.append(f"{why or 'late'} after {took:.1f} s")
        stop.wait(max(0.0, HEALTH_EVERY_S - took))


def _browse(urls: dict[str, str], first: int, stop: threading.Event, out: Soak) -> None:
    """One analyst: a fresh browser opening every page in turn (starting at page `first`) until stopped."""
    from playwright.sync_api import sync_playwright

    names = list(urls)
    with sync_playwright() as pw:  # one Playwright per thread: its sync API is not thread-safe
        browser = launch_chromium(pw)
        blocked: list[str] = []
        page = offline_context(browser, blocked).new_page()
        i = first
        while not stop.is_set():
            name = names[i % len(names)]
            i += 1
            t0 = time.perf_counter()
            try:
                page.goto(urls[name])
                wait_until_idle(page)
                took = time.perf_counter() - t0
                if page.locator(LOAD_RUNNING_SELECTOR).count():
                    # The page says a load is running: it must refresh by itself, without the analyst reloading.
                    page.wait_for_selector(LOAD_RUNNING_SELECTOR, state="detached", timeout=REFRESH_TIMEOUT_S * 1000)
                    wait_until_idle(page)
                    with out.lock:
                        out.waited.append(time.perf_counter() - t0)
                shown = [t.strip().splitlines()[0][:200] for t in page.locator(PROBLEM_SELECTOR).all_inner_texts() if t.strip()]
            except Exception as exc:  # a page that never finished is a problem to report, not a reason to stop the soak
                shown, took = [f"did not finish: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}"], time.perf_counter() - t0
            with out.lock:
                out.seconds.setdefault(name, []).append(took)
                out.problems += [f"{name}: {s}" for s in shown]
                out.problems += [f"{name}: tried to reach {u}" for u in blocked]
            blocked.clear()
        browser.close()


def run_load(drop: Path, warehouse_url: str, started_s: float) -> Load:
    """Load one drop with the command line, as an operator would, in its own process."""
    t0 = time.perf_counter()
    cmd = [sys.executable, "-m", "radar", "ingest", str(drop), "--warehouse", warehouse_url, "--quiet"]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    return Load(drop, started_s, time.perf_counter() - t0, done.returncode, (done.stdout + done.stderr).strip())


def soak(
    base: str,
    warehouse_url: str,
    urls: dict[str, str],
    *,
    sessions: int,
    seconds: float,
    drops: Sequence[Path],
    load_at_s: float,
    reload_every_s: float | None = None,
    cover_within_s: float | None = None,
) -> Soak:
    """Browse with `sessions` analysts for `seconds`, loading `drops` one after the other from `load_at_s` on; what was seen?

    With `reload_every_s`, the drops are loaded again at that interval until the end: a reload adds nothing (the
    files are known by content) but takes the warehouse file all the same, so every session meets loads. With
    `cover_within_s`, browsing goes on past `seconds` until every page has rendered once, for at most that long in all."""
    out = Soak()
    stop = threading.Event()
    threads = [threading.Thread(target=_watch_health, args=(base, stop, out), name="soak-health", daemon=True)]
    # Sessions start on different pages, so that every page meets the load in some session.
    threads += [
        threading.Thread(target=_browse, args=(urls, k * len(urls) // sessions, stop, out), name=f"soak-session-{k}", daemon=True)
        for k in range(sessions)
    ]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    stop.wait(load_at_s)
    for drop in drops:  # every drop loads once, however long that takes
        out.loads.append(run_load(drop, warehouse_url, time.perf_counter() - t0))
    next_at = load_at_s
    while reload_every_s is not None:
        next_at += reload_every_s
        stop.wait(max(0.0, next_at - (time.perf_counter() - t0)))
        if time.perf_counter() - t0 >= seconds:
            break
        for drop in drops:
            out.loads.append(run_load(drop, warehouse_url, time.perf_counter() - t0))
    stop.wait(max(0.0, seconds - (time.perf_counter() - t0)))
    while cover_within_s is not None and time.perf_counter() - t0 < cover_within_s and set(out.seconds) != set(urls):
        stop.wait(0.5)
    stop.set()
    for t in threads:
        t.join(timeout=REFRESH_TIMEOUT_S + 30)
    return out


def percentile(values: Sequence[float], q: float) -> float:
    """The q-quantile (0..1) of the values, by linear interpolation between the nearest ranks."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    pos = q * (len(ordered) - 1)
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def report_lines(s: Soak) -> list[str]:
    """The soak's figures as printed: per-page render percentiles, health checks, loads, waits and problems."""
    lines = ["page render in Chromium (s):", f"  {'page':<10} {'n':>4} {'p50':>6} {'p90':>6} {'p99':>6} {'max':>6}"]
    for name in sorted(s.seconds):
        v = s.seconds[name]
        lines.append(
            f"  {name:<10} {len(v):>4} {percentile(v, 0.5):6.2f} {percentile(v, 0.9):6.2f} {percentile(v, 0.99):6.2f} {max(v):6.2f}"
        )
    lines.append(
        f"health checks: {s.health_ok} answered, {len(s.health_lost)} lost (slowest answer {s.health_worst_s:.2f} s; lost = none within"
        f" {HEALTH_TIMEOUT_S:g} s)"
    )
    for load in s.loads:
        said = load.output.splitlines()
        waited = next((ln.split(" after ")[1].split(";")[0] for ln in said if ln.startswith("the warehouse file is free after")), "0 s")
        last = next((ln for ln in said if ln.startswith("rows: ")), said[-1] if said else "")
        lines.append(
            f"load of {load.drop.name} at {load.started_s:.0f} s: exit {load.code} in {load.seconds:.1f} s, of which {waited} waiting"
            f" for the file ({last})"
        )
    if s.waited:
        lines.append(f"pages that waited for a load and refreshed by themselves: {len(s.waited)} (longest {max(s.waited):.1f} s)")
    lines.append(f"problems on pages: {len(s.problems)}")
    lines += [f"  {p}" for p in s.problems[:20]]
    return lines


def bench_soak(args: Any) -> int:
    """Build a warehouse (simulate, ingest, score) and a second drop, serve the dashboard, soak it; print the figures."""
    import tempfile

    from pagebench.bench import bench_context
    from pagebench.harness import serve_dashboard
    from radar.detect import score
    from radar.ingest import ingest_paths
    from radar.simulate import simulate
    from radar.warehouse import ensure_schema, open_engine

    if args.sessions < 1 or args.minutes <= 0:
        print("error: --sessions must be at least 1 and --minutes more than 0", file=sys.stderr)
        return 2
    work = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="radar-soak-"))
    work.mkdir(parents=True, exist_ok=True)
    url = f"duckdb:///{work / 'radar.duckdb'}"
    if (work / "radar.duckdb").exists():
        print(f"==> reusing the warehouse in {work}")
    else:
        print(f"==> building a warehouse at scale {args.scale} (seed {args.seed}) in {work}")
        simulate(work / "drop", scale=args.scale, seed=args.seed, fmt="parquet", progress=True)
        engine = open_engine(url)
        ensure_schema(engine)
        ingest_paths([work / "drop"], engine, progress=True)
        score(engine, progress=True)
        engine.dispose()
    # A second drop the warehouse has not seen (a reused folder gets the next seed), a tenth of the first one's size.
    n = len(list(work.glob("drop-*")))
    second = work / f"drop-{n + 1}"
    simulate(second, scale=args.scale / 10, seed=args.seed + n + 1, fmt="parquet", progress=False)
    engine = open_engine(url, read_only=True)
    ctx = bench_context(engine)
    engine.dispose()
    seconds = args.minutes * 60
    print(f"==> soak: {args.sessions} Chromium session(s) for {seconds:.0f} s; {second.name} loaded after 10 s, again every 30 s")
    with serve_dashboard(url, f"sqlite:///{work / 'cases.sqlite'}", log_path=work / "streamlit.log") as base:
        result = soak(
            base, url, page_urls(base, ctx), sessions=args.sessions, seconds=seconds, drops=[second], load_at_s=10.0, reload_every_s=30.0
        )
    for line in report_lines(result):
        print(line)
    ok = not result.health_lost and not result.problems and all(load.code == 0 for load in result.loads)
    print("==> " + ("the dashboard stayed up and every page rendered" if ok else "FAILED: see the lost checks, loads and problems above"))
    return 0 if ok else 1

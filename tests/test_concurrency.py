"""The dashboard stays up while analysts browse and a load runs: no polars Python UDF on the serving path, pages that
wait for a load say so and refresh by themselves, cached tiles follow the warehouse, and a real server answers its
health check throughout (`pagebench.soak`, the engine of `python -m radar bench soak`)."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from queries import schema
from radar.ingest import ingest_paths
from radar.warehouse import open_engine
from tests.ingest import drop
from tests.ingest.helpers import count
from tests.queries import seed

ROOT = Path(__file__).resolve().parent.parent
LOAD_RUNNING = "A load is running; this page refreshes when it finishes."

# --- the serving path runs no Python UDF inside polars ---------------------------------------------------------------

#: Polars calls that run a Python function on polars' worker threads. Those threads then wait for the GIL while
#: another session's thread converts a frame for st.dataframe: with two sessions the server deadlocked (polars 2.1).
UDF_CALLS = {"map_elements", "map_rows", "map_batches", "map_groups", "rolling_map", "apply"}
PROJECT = {"app_state", "components", "pages", "queries", "radar"}


def _module_file(name: str) -> Path | None:
    base = ROOT.joinpath(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.exists():
            return candidate
    return None


def _imported(tree: ast.AST) -> set[str]:
    """The project modules a file imports, at the top or inside functions (`from a.b import c` may name module a.b.c)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names |= {node.module} | {f"{node.module}.{a.name}" for a in node.names}
    return {n for n in names if n.split(".")[0] in PROJECT}


def serving_path() -> list[Path]:
    """Which files run in the dashboard server? app.py, app_state/, pages/, components/ and every project module they import."""
    todo = [
        ROOT / "app.py",
        *sorted((ROOT / "app_state").glob("*.py")),
        *sorted((ROOT / "pages").glob("*.py")),
        *sorted((ROOT / "components").glob("*.py")),
    ]
    seen: set[Path] = set()
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        for name in _imported(ast.parse(path.read_text(), str(path))):
            parts = name.split(".")
            todo += [f for i in range(1, len(parts) + 1) if (f := _module_file(".".join(parts[:i]))) and f not in seen]
    return sorted(seen)


def udf_calls(source: str, filename: str = "<source>") -> list[str]:
    """Where does this source call a polars Python UDF (`file:line name`)?"""
    return [
        f"{filename}:{node.lineno} {node.func.attr}"
        for node in ast.walk(ast.parse(source, filename))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in UDF_CALLS
    ]


def test_the_serving_path_calls_no_polars_python_udf() -> None:
    files = serving_path()
    names = {str(f.relative_to(ROOT)) for f in files}
    # the walk reaches the radar/ modules pages render with, not only the page files
    assert {"pages/overview.py", "components/campaign_table.py", "radar/stored.py", "radar/cases/store.py"} <= names
    found = [hit for f in files for hit in udf_calls(f.read_text(), str(f.relative_to(ROOT)))]
    assert found == [], "a Python UDF inside polars on the serving path can deadlock the server; build the column outside polars"


def test_the_scan_finds_the_udfs_the_overview_had() -> None:
    # pages/overview.py before the vectorised campaign table (git show 0ec4717:pages/overview.py, lines 84-87)
    before = """
table = top.with_columns(
    pl.col("campaign_id").map_elements(lambda c: known.get(c, "new"), return_dtype=pl.String).alias("status"),
    pl.col("reasons").map_elements(_first_reason, return_dtype=pl.String).alias("why"),
)
"""
    assert udf_calls(before, "overview.py") == ["overview.py:3 map_elements", "overview.py:4 map_elements"]


def test_the_modules_plotly_finds_without_importing_are_whole_before_any_page_runs() -> None:
    # plotly takes numpy and pandas from sys.modules without importing them (should_load=False): on a fresh server, a
    # session drawing its first chart while another session's thread imported pandas failed on a half-made module.
    code = "import sys, app_state; print(sorted(m for m in ('numpy', 'pandas') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True, timeout=120)
    assert done.stdout.strip().splitlines()[-1] == "['numpy', 'pandas']"


# --- pages under AppTest: cached tiles follow loads, a held file is no error ------------------------------------------


def _use(monkeypatch: pytest.MonkeyPatch, d: Path) -> str:
    url = f"duckdb:///{d / 'radar.duckdb'}"
    monkeypatch.setenv("RADAR_WAREHOUSE_URL", url)
    monkeypatch.setenv("RADAR_CASES_URL", f"sqlite:///{d / 'cases.sqlite'}")
    monkeypatch.setenv("RADAR_DATA_DIR", str(d))
    return url


def _overview() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def _metric(at: AppTest, label: str) -> str:
    return str(next(m.value for m in at.metric if m.label == label))


def _drop(d: Path, tag: str, rows: int = 300) -> Path:
    drop.write(drop.request_rows(rows, prefix=tag), d / "requests.parquet")
    drop.write(drop.account_rows(7), d / "accounts.csv")
    drop.write(drop.key_rows(11), d / "api_keys.jsonl")
    return d


@contextmanager
def load_holding(url: str) -> Iterator[None]:
    """Another process holds the warehouse file as a load does, until the block ends."""
    code = (
        "import sys\nfrom radar.warehouse import hold_for_writing, open_engine\n"
        f"with hold_for_writing(open_engine({url!r}), wait_s=30):\n    print('held', flush=True)\n    sys.stdin.read()\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
        yield
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait(timeout=30)


def test_a_cached_tile_refreshes_after_a_load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = _use(monkeypatch, tmp_path)
    seed.seed_warehouse(url)
    assert _metric(_overview(), "Files loaded") == "1"
    s = ingest_paths([_drop(tmp_path / "drop", "new")], open_engine(url))
    assert s.ok and s.files_loaded == 3
    # the same page, same filters, within the cache's lifetime: the load's files show at once
    assert _metric(_overview(), "Files loaded") == "4"


def test_a_page_says_a_load_is_running_instead_of_failing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = _use(monkeypatch, tmp_path)
    seed.seed_warehouse(url)
    with load_holding(url):
        at = _overview()  # no error, no exception
        assert [i.value for i in at.info] == [LOAD_RUNNING]
    at = _overview()
    assert _metric(at, "Requests") == f"{seed.TOTAL_CALLS:,}" and LOAD_RUNNING not in [i.value for i in at.info]


# --- a real server, Chromium sessions and loads at once ------------------------------------------------------------------


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, Path]]:
    pytest.importorskip("playwright.sync_api")
    from pagebench.harness import serve_dashboard

    d = tmp_path_factory.mktemp("concurrency")
    url = f"duckdb:///{d / 'radar.duckdb'}"
    seed.seed_warehouse(url)
    with serve_dashboard(url, f"sqlite:///{d / 'cases.sqlite'}", log_path=d / "streamlit.log") as base:
        yield base, url, d


@pytest.mark.browser
def test_a_waiting_page_refreshes_by_itself_when_the_load_ends(served: tuple[str, str, Path]) -> None:
    from playwright.sync_api import sync_playwright

    from pagebench.harness import launch_chromium, offline_context, wait_until_idle
    from pagebench.soak import LOAD_RUNNING_SELECTOR, PROBLEM_SELECTOR

    base, url, _ = served
    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        page = offline_context(browser).new_page()
        with load_holding(url):
            page.goto(f"{base}/")
            wait_until_idle(page)
            page.wait_for_selector(LOAD_RUNNING_SELECTOR)
        # no reload by the analyst: the page notices the file is free and runs again
        page.wait_for_selector(LOAD_RUNNING_SELECTOR, state="detached", timeout=20_000)
        page.get_by_text("Top campaigns by risk").wait_for(timeout=20_000)
        assert page.locator(PROBLEM_SELECTOR).count() == 0
        browser.close()


@pytest.mark.browser
def test_sessions_browse_every_page_while_drops_load_and_the_server_stays_up(served: tuple[str, str, Path]) -> None:
    from pagebench.bench import bench_context
    from pagebench.soak import page_urls, report_lines, soak

    base, url, d = served
    engine = open_engine(url, read_only=True)
    urls = page_urls(base, bench_context(engine))
    engine.dispose()
    drops = [_drop(d / f"drop-{i}", f"soak{i}", rows=15_000) for i in range(2)]
    result: Any = soak(base, url, urls, sessions=2, seconds=30, drops=drops, load_at_s=3, reload_every_s=10, cover_within_s=75)
    print("\n".join(report_lines(result)))
    # every health check answered within 5 s, all through (one every 0.5 s when the server answers at once)
    assert result.health_ok >= 20 and result.health_lost == [] and result.health_worst_s < 5
    assert len(result.loads) >= 2 and all(load.code == 0 for load in result.loads), result.loads
    assert count(open_engine(url, read_only=True), schema.requests) == seed.TOTAL_CALLS + 30_000  # both drops, whole
    assert result.problems == []
    assert set(result.seconds) == set(urls)  # every page rendered, in some session

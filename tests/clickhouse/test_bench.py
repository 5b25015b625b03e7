"""`radar bench ingest|score|pages --warehouse <chDB URL>` at a tiny scale: both engines measured on one drop, in one
work folder, the figures parsed from what the bench prints (row counts and findings, never wall time).

The benches run as their own processes, as an analyst runs them: chDB opens one folder per process, and this test
process may already hold the session's ClickHouse folder."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from pagebench.bench import catalog_pages
from radar.bench import BenchSetupError, bench_command, bench_drop, beside_duckdb
from radar.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]
SCALE, SEED = "0.002", "11"
CHDB = "ClickHouse (chDB)"
NUMBER = r"[\d,]+"


@dataclass
class Run:
    code: int
    out: str
    err: str


def _bench(what: str, work: Path, *extra: str) -> Run:
    # a relative folder: the bench puts it under --workdir
    url = "clickhousedb+chdb:///ch?database=bench"
    cmd = [sys.executable, "-m", "radar", "bench", what, "--scale", SCALE, "--seed", SEED, "--workdir", str(work), "--warehouse", url]
    proc = subprocess.run([*cmd, *extra], cwd=ROOT, capture_output=True, text=True, timeout=600)
    return Run(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Run]:
    """The three benches in one work folder, in the order an operator runs them (score and pages reuse the drop)."""
    work = tmp_path_factory.mktemp("bench-ch")
    out = {"ingest": _bench("ingest", work)}
    out["score"] = _bench("score", work)
    out["pages"] = _bench("pages", work, "--no-browser")
    out["work"] = Run(0, str(work), "")
    return out


def _num(text: str) -> int:
    return int(text.replace(",", ""))


def test_bench_ingest_stores_every_row_of_the_drop_on_both_engines(runs: dict[str, Run]) -> None:
    run = runs["ingest"]
    assert run.code == 0, run.err[-2000:]
    drop_rows = _num(re.search(rf"scale {SCALE}: ({NUMBER}) rows in the drop", run.out)[1])  # type: ignore[index]
    stored = {}
    for engine in ("DuckDB", CHDB):
        step = rf"^\s+{re.escape(engine)} ingest\s+[\d.]+\s+{NUMBER}\s+{NUMBER}\s+[\d.]+x\s+({NUMBER})$"
        m = re.search(step, run.out, re.MULTILINE)
        assert m, f"no {engine} ingest row in:\n{run.out}"
        stored[engine] = _num(m[1])
    assert re.search(rf"^\s+plain DuckDB copy\s+[\d.]+\s+{NUMBER}\s+{NUMBER}\s+1\.00x\s+-$", run.out, re.MULTILINE), run.out
    assert drop_rows > 0 and stored == {"DuckDB": drop_rows, CHDB: drop_rows}
    assert (Path(runs["work"].out) / "ch").is_dir(), "the relative chDB folder was not made under --workdir"


def test_bench_score_reuses_the_drop_and_finds_the_same_on_both_engines(runs: dict[str, Run]) -> None:
    run = runs["score"]
    assert run.code == 0, run.err[-2000:]
    assert "reusing the drop in" in run.out and "simulate --scale" not in run.out
    found = {}
    for engine in ("DuckDB", CHDB):
        row = rf"^{re.escape(engine)}\s+[\d.]+\s+{NUMBER}\s+[\d.]+\s+{NUMBER}\s+[\d.]+x\s+({NUMBER})\s+({NUMBER})\s+({NUMBER})$"
        m = re.search(row, run.out, re.MULTILINE)
        assert m, f"no {engine} row in the side-by-side table:\n{run.out}"
        found[engine] = tuple(_num(g) for g in m.groups())
    accounts, clusters, campaigns = found["DuckDB"]
    assert accounts > 0 and clusters > 0 and campaigns > 0
    assert found[CHDB] == found["DuckDB"]


def test_bench_pages_times_every_page_on_both_engines_from_the_score_runs(runs: dict[str, Run]) -> None:
    run = runs["pages"]
    assert run.code == 0, run.err[-2000:]
    assert "==> reusing the DuckDB warehouse" in run.out and f"==> reusing the {CHDB} warehouse" in run.out
    assert "Chromium" not in run.out  # --no-browser
    requests = dict(re.findall(rf"==> (DuckDB|{re.escape(CHDB)}): ({NUMBER}) requests", run.out))
    assert set(requests) == {"DuckDB", CHDB} and requests["DuckDB"] == requests[CHDB]
    for page in catalog_pages():
        m = re.search(rf"^  {page}\s+([\d.]+)\s+(\S+)\s+(\S+)\s+([\d.]+)\s+(\S+)\s+(\S+)\s+(\S+)\s+([\d.]+)x$", run.out, re.MULTILINE)
        assert m, f"no row for page {page}:\n{run.out}"
        ref_rows = m[7]
        if ref_rows != "-":  # a page with a reference read the same rows on both engines
            duck_rows, ch_rows = ref_rows.split("/")
            assert duck_rows == ch_rows and int(duck_rows) > 0


def test_a_drop_of_another_scale_is_refused(tmp_path: Path) -> None:
    (tmp_path / "drop" / "requests").mkdir(parents=True)
    (tmp_path / "drop.json").write_text('{"scale": 0.25, "seed": 11}')
    with pytest.raises(BenchSetupError, match="simulated at scale 0.25"):
        bench_drop(tmp_path, 0.05, 11)
    assert bench_drop(tmp_path, 0.25, 11) == tmp_path / "drop"  # the same scale and seed: reused, not simulated


def test_only_clickhouse_urls_and_only_the_three_benches_take_warehouse(tmp_path: Path) -> None:
    with pytest.raises(BenchSetupError, match="takes a ClickHouse URL"), beside_duckdb("postgresql://u@h/db", tmp_path, fresh=False):
        pass
    args = build_parser().parse_args(["bench", "longlines", "--warehouse", "clickhousedb+chdb:///ch"])
    assert bench_command(args) == 2

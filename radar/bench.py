"""`python -m radar bench WHAT`: speed and memory figures, printed (never asserted by tests).

With `--warehouse URL` (a ClickHouse server or the embedded chDB engine), ingest, score and pages measure the same
drop on DuckDB and on that warehouse in one run, and print both engines' figures side by side.
"""

from __future__ import annotations

import argparse
import importlib
import json
import secrets
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url

BENCHES = {
    "ingest": "radar.ingest.bench:bench_ingest",
    "longlines": "radar.ingest.bench:bench_longlines",  # long prompts: memory follows the chunk limits
    "score": "radar.detect.bench:bench_score",
    "pages": "pagebench.bench:bench_pages",  # a tool beside the product, imported only when asked for
    "soak": "pagebench.soak:bench_soak",  # Chromium sessions and a load at once, loopback only
}

#: The benches that measure a second warehouse beside DuckDB when given --warehouse.
BESIDE_DUCKDB = ("ingest", "score", "pages")


class BenchSetupError(RuntimeError):
    """The bench cannot prepare its drop or its second warehouse; the message says what to do."""


def bench_command(args: argparse.Namespace) -> int:
    """Run one benchmark and print its figures."""
    if getattr(args, "warehouse", None) and args.what not in BESIDE_DUCKDB:
        print(f"error: --warehouse applies to bench {', '.join(BESIDE_DUCKDB)}, not to bench {args.what}", file=sys.stderr)
        return 2
    module_name, func_name = BENCHES[args.what].split(":")
    try:
        return int(getattr(importlib.import_module(module_name), func_name)(args))
    except BenchSetupError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2


# --- the drop every engine reads -------------------------------------------------------------------------------------


def bench_drop(work: Path, scale: float, seed: int, *, name: str = "drop") -> Path | None:
    """Which drop does the bench read? `work/name`, simulated unless `requests` is already there (None if simulating failed).

    A drop the bench simulated records its scale and seed beside it (`name.json`), so that a later bench in the same
    folder asking for another scale stops instead of measuring the wrong drop."""
    from radar.ingest.bench import run_measured

    drop, record = work / name, work / f"{name}.json"
    if (drop / "requests").exists():
        made = json.loads(record.read_text()) if record.exists() else None
        if made is not None and (float(made["scale"]), int(made["seed"])) != (scale, seed):
            raise BenchSetupError(
                f"the drop in {drop} was simulated at scale {made['scale']} seed {made['seed']}, not scale {scale:g} "
                f"seed {seed}: pass that scale and seed, or another --workdir"
            )
        print(f"reusing the drop in {drop}" + ("" if made else " (its scale is not recorded)"))
        return drop
    print(f"simulate --scale {scale:g} --seed {seed} -> {drop}")
    cmd = [sys.executable, "-m", "radar", "simulate", str(drop), "--scale", str(scale), "--seed", str(seed), "--quiet"]
    if run_measured(cmd)[0] != 0:
        return None
    record.write_text(json.dumps({"scale": scale, "seed": seed}))
    return drop


# --- the warehouse measured beside DuckDB ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Beside:
    """The second warehouse of a bench run: the URL the bench loads into, the engine's name in the tables, and the
    database it empties between measurements (through `admin`, a URL on the same engine outside that database)."""

    url: str
    label: str
    database: str
    admin: str


def _chdb_url(url: URL, work: Path) -> URL:
    """The embedded URL with its folder made absolute (a relative folder sits under the work folder) and created."""
    from radar.warehouse_clickhouse import embedded_location

    folder, _ = embedded_location(url)
    folder = folder if folder.is_absolute() else work / folder
    folder.mkdir(parents=True, exist_ok=True)
    return url.set(database=str(folder))


def _run_ddl(url: str, *statements: object) -> None:
    """Run DDL statements through a read-write engine on `url`, then close the engine (chDB: one process at a time)."""
    from radar.warehouse import open_engine

    engine = open_engine(url)
    try:
        with engine.connect() as conn:
            for statement in statements:
                conn.execute(statement)  # type: ignore[call-overload]
    finally:
        engine.dispose()


def empty(beside: Beside) -> None:
    """Drop and re-create the bench's database, so that a load is measured from nothing; the engine is closed after."""
    from queries import clickhouse_ddl

    _run_ddl(beside.admin, clickhouse_ddl.drop_database(beside.database), clickhouse_ddl.create_database(beside.database))


@contextmanager
def beside_duckdb(url: str | None, work: Path, *, fresh: bool) -> Iterator[Beside | None]:
    """The warehouse the bench measures beside DuckDB, ready for a load (None without --warehouse).

    Embedded chDB: the named database in the folder (emptied first when `fresh`). A server: a fresh database the bench
    creates here and drops when the bench ends, so that no existing data is touched or counted."""
    if not url:
        yield None
        return
    from queries import clickhouse_ddl, dialect
    from radar.warehouse_clickhouse import is_embedded

    u = make_url(url)
    if u.get_backend_name() != dialect.CLICKHOUSE:
        raise BenchSetupError(
            "bench --warehouse takes a ClickHouse URL: clickhousedb://user@host:8123/db (a server) or "
            "clickhousedb+chdb:////abs/folder?database=NAME (the embedded engine)"
        )
    if is_embedded(u):
        u = _chdb_url(u, work)
        database = str(u.query.get("database", "default"))
        admin = u.update_query_dict({"database": "default"}).render_as_string(hide_password=False)
        beside = Beside(u.render_as_string(hide_password=False), "ClickHouse (chDB)", database, admin)
        print(f"beside DuckDB: embedded ClickHouse (chDB) in {u.database}, database {database}" + (", emptied first" if fresh else ""))
        if fresh:
            empty(beside)
        yield beside
        return
    database = f"radar_bench_{secrets.token_hex(4)}"
    _run_ddl(url, clickhouse_ddl.create_database(database))
    print(
        f"beside DuckDB: ClickHouse server {u.render_as_string(hide_password=True)}; the bench uses a fresh database "
        f"{database}, created now and dropped at the end"
    )
    try:
        yield Beside(u.set(database=database).render_as_string(hide_password=False), "ClickHouse server", database, url)
    finally:
        _run_ddl(url, clickhouse_ddl.drop_database(database))
        print(f"dropped the bench database {database}")


def loaded_rows(url: str) -> int:
    """How many rows have the loads into this warehouse stored, all tables together (its load log's sum)?"""
    from queries.overview import load_status
    from queries.run import run_all
    from radar.warehouse import open_engine

    engine = open_engine(url, read_only=True)
    try:
        return int(run_all(engine, load_status())["rows_loaded"][0])
    finally:
        engine.dispose()  # chDB: a later subprocess may open the folder


def build_warehouse(url: str, drop: Path) -> None:
    """Ingest the drop into the warehouse at `url` and score it, in this process (bench pages: a warehouse to read); the
    engine is closed after."""
    from radar.detect import score
    from radar.ingest import ingest_paths
    from radar.warehouse import ensure_schema, open_engine

    engine = open_engine(url)
    try:
        ensure_schema(engine)
        ingest_paths([drop], engine, progress=sys.stderr.isatty())
        score(engine, progress=sys.stderr.isatty())
    finally:
        engine.dispose()  # DuckDB: one writer; chDB: the dashboard server opens the folder next

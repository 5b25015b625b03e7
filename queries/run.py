"""The executors, one per mode: `run_page` (capped, timed out), `run_batches`/`run_all` (streamed, uncapped), `write` (one transaction).

- *page*: what a dashboard page shows. Bounded by the statement timeout and a row cap; the `truncated`
  flag says when the cap cut the answer, and the page shows it.
- *batch*: what scoring, label propagation and export read. Never capped: rows stream in batches of
  `batch_rows`, so a campaign of any size is read whole without holding a driver's full result twice.
- *write*: one transaction, committed on success and rolled back on any error (SQLite takes its write
  lock up front; see `radar.cases.store.open_case_store`).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import polars as pl
from sqlalchemy import Connection, Engine, Select, func, select

from queries import dialect

#: Rows per batch in the batch executor: large enough to amortise the round trip, small enough to stay flat in memory.
BATCH_ROWS = 100_000


@dataclass(frozen=True)
class Result:
    """A page query's rows and whether the row cap cut them short."""

    frame: pl.DataFrame
    truncated: bool
    row_cap: int = 0


class QueryTimeout(RuntimeError):
    """The statement ran past its timeout."""


def _frame(rows: Sequence[Any], cols: list[str]) -> pl.DataFrame:
    if not rows:
        return pl.DataFrame(schema=cols)
    return pl.DataFrame([tuple(r) for r in rows], schema=cols, orient="row", infer_schema_length=None)


def run_page(engine: Engine, stmt: Select[Any], *, timeout_s: float = 30.0, row_cap: int = 50_000) -> Result:
    """What does this select return for a page, within `timeout_s` seconds and at most `row_cap` rows?"""
    capped = stmt.limit(row_cap + 1) if stmt._limit_clause is None else stmt  # noqa: SLF001
    name = dialect.dialect_name(engine)
    with engine.connect() as conn:
        timer: threading.Timer | None = None
        interrupted = threading.Event()
        if name == dialect.POSTGRESQL:
            conn.execute(select(func.set_config("statement_timeout", str(int(timeout_s * 1000)), True)))
        elif name == dialect.DUCKDB:
            raw = conn.connection.driver_connection

            def _interrupt() -> None:
                interrupted.set()
                raw.interrupt()  # type: ignore[union-attr]

            timer = threading.Timer(timeout_s, _interrupt)
            timer.start()
        try:
            res = conn.execute(capped)
            cols = list(res.keys())
            rows = res.fetchall()
        except Exception as exc:
            if interrupted.is_set() or "statement timeout" in str(exc):
                raise QueryTimeout(f"The query ran longer than {timeout_s:g} s; narrow the time window or filters.") from exc
            raise
        finally:
            if timer is not None:
                timer.cancel()
    truncated = len(rows) > row_cap
    return Result(frame=_frame(rows[:row_cap], cols), truncated=truncated, row_cap=row_cap)


def run_batches(engine: Engine, stmt: Select[Any], *, batch_rows: int = BATCH_ROWS) -> Iterator[pl.DataFrame]:
    """Every row of this select, uncapped, as polars frames of at most `batch_rows` rows (at least one frame)."""
    with engine.connect() as conn:
        yield from run_batches_on(conn, stmt, batch_rows=batch_rows)


def run_batches_on(conn: Connection, stmt: Select[Any], *, batch_rows: int = BATCH_ROWS) -> Iterator[pl.DataFrame]:
    """Every row of this select on this connection, uncapped, in frames of at most `batch_rows` rows (at least one).

    For a caller that reads several selects in one session it has set up (detection bounds DuckDB's memory first)."""
    res = conn.execution_options(stream_results=True, yield_per=batch_rows).execute(stmt)
    cols = list(res.keys())
    sent = False
    for part in res.partitions(batch_rows):
        sent = True
        yield _frame(part, cols)
    if not sent:
        yield _frame([], cols)


def run_all(engine: Engine, stmt: Select[Any], *, batch_rows: int = BATCH_ROWS) -> pl.DataFrame:
    """Every row of this select, uncapped, as one frame (the batch executor, concatenated)."""
    with engine.connect() as conn:
        return run_all_on(conn, stmt, batch_rows=batch_rows)


def run_all_on(conn: Connection, stmt: Select[Any], *, batch_rows: int = BATCH_ROWS) -> pl.DataFrame:
    """Every row of this select on this connection, uncapped, as one frame (`run_batches_on`, concatenated)."""
    parts = list(run_batches_on(conn, stmt, batch_rows=batch_rows))
    nonempty = [p for p in parts if p.height]
    return pl.concat(nonempty, how="vertical_relaxed") if nonempty else parts[0]


@contextmanager
def write(engine: Engine) -> Iterator[Connection]:
    """One write transaction: every statement inside commits together or not at all."""
    with engine.begin() as conn:
        yield conn

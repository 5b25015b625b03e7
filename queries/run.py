"""The one executor: runs a builder's select under the statement timeout and row cap, returns a polars frame."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import polars as pl
from sqlalchemy import Engine, Select, func, select

from queries import dialect


@dataclass(frozen=True)
class Result:
    """A query's rows and whether the row cap cut them short."""

    frame: pl.DataFrame
    truncated: bool


class QueryTimeout(RuntimeError):
    """The statement ran past its timeout."""


def run(engine: Engine, stmt: Select[Any], *, timeout_s: float = 30.0, row_cap: int = 50_000) -> Result:
    """What does this select return, within `timeout_s` seconds and at most `row_cap` rows?"""
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
                raise QueryTimeout(f"The query ran longer than {timeout_s:.0f} s; narrow the time window or filters.") from exc
            raise
        finally:
            if timer is not None:
                timer.cancel()
    truncated = len(rows) > row_cap
    rows = rows[:row_cap]
    frame = (
        pl.DataFrame([tuple(r) for r in rows], schema=cols, orient="row", infer_schema_length=None) if rows else pl.DataFrame(schema=cols)
    )
    return Result(frame=frame, truncated=truncated)

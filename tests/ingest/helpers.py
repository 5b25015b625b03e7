"""Reading back what a load wrote, for assertions."""

from __future__ import annotations

from typing import Any

import polars as pl
from sqlalchemy import Engine, Table, func, select

from queries import schema


def count(engine: Engine, table: Table) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def frame(engine: Engine, table: Table, *columns: str) -> pl.DataFrame:
    cols = [table.c[c] for c in columns] if columns else list(table.c)
    with engine.connect() as conn:
        rows = conn.execute(select(*cols)).mappings().all()
    return pl.DataFrame([dict(r) for r in rows], infer_schema_length=None) if rows else pl.DataFrame()


def quarantine(engine: Engine) -> list[tuple[int, str]]:
    """(row_number, reason) of every quarantined row, in row order."""
    q = schema.quarantine
    with engine.connect() as conn:
        rows: list[Any] = list(conn.execute(select(q.c.row_number, q.c.reason).order_by(q.c.row_number, q.c.reason)))
    return [(int(r[0]), str(r[1])) for r in rows]

"""Which rows did loads set aside, from which file, and why? The quarantine, read-only, by file and reason."""

from __future__ import annotations

from sqlalchemy import Select, func, select

from queries import schema
from queries.catalog import Bound, question


@question(bound=Bound.SUMMARY, pages=("quarantine",))
def quarantine_reasons(*, source_file: str | None = None) -> Select:
    """How many rows sit in quarantine for each reason (of one file, or of every file), most first?"""
    q = schema.quarantine
    stmt = select(q.c.reason, func.count().label("rows"), func.count(func.distinct(q.c.source_file)).label("files")).group_by(q.c.reason)
    if source_file is not None:
        stmt = stmt.where(q.c.source_file == source_file)
    return stmt.order_by(func.count().desc(), q.c.reason)


@question(bound=Bound.SUMMARY, pages=("quarantine",))
def quarantine_files() -> Select:
    """Which files had rows quarantined, how many, and when was the latest set aside?"""
    q = schema.quarantine
    return (
        select(q.c.source_file, q.c.table_name, func.count().label("rows"), func.max(q.c.quarantined_at).label("quarantined_at"))
        .group_by(q.c.source_file, q.c.table_name)
        .order_by(func.count().desc(), q.c.source_file)
    )


@question(bound=Bound.SUMMARY, pages=("quarantine",))
def quarantine_rows(*, source_file: str | None = None, reason: str | None = None) -> Select:
    """Which quarantined rows (of one file, for one reason) are there, file and row order, without their raw text?"""
    q = schema.quarantine
    stmt = select(q.c.source_file, q.c.row_number, q.c.table_name, q.c.reason, q.c.load_id, q.c.quarantined_at)
    if source_file is not None:
        stmt = stmt.where(q.c.source_file == source_file)
    if reason is not None:
        stmt = stmt.where(q.c.reason == reason)
    return stmt.order_by(q.c.source_file, q.c.row_number)


@question(bound=Bound.SUMMARY, pages=("quarantine",), row_cap=10)
def quarantine_raw(*, source_file: str | None = None, row_number: int | None = None) -> Select:
    """What was the raw text of one quarantined row (a file and its row number), and why was it set aside?"""
    q = schema.quarantine
    stmt = select(q.c.source_file, q.c.row_number, q.c.reason, q.c.raw, q.c.quarantined_at)
    if source_file is not None:
        stmt = stmt.where(q.c.source_file == source_file)
    if row_number is not None:
        stmt = stmt.where(q.c.row_number == row_number)
    return stmt.order_by(q.c.source_file, q.c.row_number)

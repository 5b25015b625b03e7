"""Export builders bind their values: an account id that looks like SQL stays a value.

Compiled-SQL snapshots of every builder (export ones included) are in tests/queries/test_snapshots.py, from the catalog.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.dialects import postgresql

from queries import export_labels

S, E = datetime(2026, 2, 10, tzinfo=UTC), datetime(2026, 2, 17, tzinfo=UTC)


def test_export_values_are_bound_not_formatted() -> None:
    sql = str(export_labels.export_requests(S, E, account_ids=["x'); drop table requests; --"]).compile(dialect=postgresql.dialect()))
    assert "drop table" not in sql and "%(" in sql

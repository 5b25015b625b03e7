"""A simulated drop takes the same path as real gateway files: it ingests completely, nothing quarantined."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select

from radar.simulate import SimSummary
from radar.warehouse import ensure_schema, open_engine

ingest = pytest.importorskip("radar.ingest")


def test_demo_scale_drop_ingests_with_nothing_quarantined(make_drop: Callable[..., tuple[Path, SimSummary]], duckdb_url: str) -> None:
    from queries import schema

    folder, summary = make_drop()
    engine = open_engine(duckdb_url)
    ensure_schema(engine)
    result = ingest.ingest_paths([folder], engine)
    assert result.ok and result.files_failed == 0
    assert result.rows_quarantined == 0
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(schema.requests)).scalar_one() == summary.requests
        assert conn.execute(select(func.count()).select_from(schema.accounts)).scalar_one() == summary.accounts
        assert conn.execute(select(func.count()).select_from(schema.api_keys)).scalar_one() == summary.api_keys


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_text_encoded_drop_ingests_with_nothing_quarantined(
    make_drop: Callable[..., tuple[Path, SimSummary]], duckdb_url: str, fmt: str
) -> None:
    from queries import schema

    folder, summary = make_drop(0.002, 3, fmt)
    engine = open_engine(duckdb_url)
    result = ingest.ingest_paths([folder], engine)
    assert result.ok and result.rows_quarantined == 0, result.errors
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(schema.requests)).scalar_one() == summary.requests
        nulls = conn.execute(select(func.count()).select_from(schema.requests).where(schema.requests.c.has_image.is_(None))).scalar_one()
        assert 0 < nulls < summary.requests  # optional booleans survive the text encoding, nulls included

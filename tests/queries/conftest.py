"""A seeded warehouse per engine, built once per test session (the builders only read it)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from radar.warehouse import open_engine
from tests.queries.seed import seed_warehouse


@pytest.fixture(scope="session", params=["duckdb", "postgresql"])
def seeded_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """URL of a warehouse holding the seeded telemetry and one finished run, on each engine."""
    if request.param == "duckdb":
        url = f"duckdb:///{Path(tmp_path_factory.mktemp('seeded')) / 'radar.duckdb'}"
    else:
        url = request.getfixturevalue("pg_server").new_database()
    seed_warehouse(url)
    return url


@pytest.fixture(scope="session")
def seeded_engines() -> Iterator[dict[str, Any]]:
    """Read-only engines on the seeded warehouses, by URL, disposed at the end of the session."""
    engines: dict[str, Any] = {}
    yield engines
    for engine in engines.values():
        engine.dispose()


@pytest.fixture()
def rows(seeded_url: str, seeded_engines: dict[str, object]):  # type: ignore[no-untyped-def]
    """Run a builder on the seeded warehouse (read-only engine) and return its polars frame."""
    from queries.run import run_page

    engine = seeded_engines.setdefault(seeded_url, open_engine(seeded_url, read_only=True))
    return lambda stmt: run_page(engine, stmt).frame  # type: ignore[arg-type]

"""Shared fixtures: real DuckDB files and a real PostgreSQL server started by the test run."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.pg import PostgresServer  # noqa: E402

ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    server = PostgresServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture()
def pg_url(pg_server: PostgresServer) -> str:
    """URL of a fresh, empty PostgreSQL database."""
    return pg_server.new_database()


@pytest.fixture()
def duckdb_url(tmp_path: Path) -> str:
    """URL of a fresh DuckDB warehouse file."""
    return f"duckdb:///{tmp_path / 'radar.duckdb'}"


@pytest.fixture(params=["duckdb", "postgresql"])
def warehouse_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh warehouse on each supported engine in turn."""
    if request.param == "duckdb":
        return f"duckdb:///{tmp_path / 'radar.duckdb'}"
    server: PostgresServer = request.getfixturevalue("pg_server")
    return server.new_database()


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


# --- the embedded ClickHouse engine (chDB) ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def clickhouse_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The one chDB folder of this test process (chDB opens one folder per process; each test gets its own database)."""
    return Path(tmp_path_factory.mktemp("chdb"))


_CLICKHOUSE_DATABASES = iter(range(1, 1_000_000))


@pytest.fixture()
def clickhouse_url(clickhouse_folder: Path) -> str:
    """URL of a fresh, empty database on the embedded ClickHouse engine."""
    return f"clickhousedb+chdb:///{clickhouse_folder}?database=t{next(_CLICKHOUSE_DATABASES)}"

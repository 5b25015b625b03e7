"""Case-store fixtures: the embedded SQLite store and a PostgreSQL store, each fresh per test."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.pages.conftest import loopback_server  # noqa: F401 - the triage pages run in local mode on loopback
from tests.pg import PostgresServer


@pytest.fixture()
def sqlite_cases_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cases.sqlite'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def cases_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh case store on the embedded default and on PostgreSQL in turn."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'cases.sqlite'}"
    server: PostgresServer = request.getfixturevalue("pg_server")
    return server.new_database()

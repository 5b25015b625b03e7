"""Page-test fixtures: the dashboard as `make run` serves it, on a loopback address (local mode can write)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from streamlit import config


@pytest.fixture(autouse=True)
def loopback_server() -> Iterator[None]:
    """Pages read `server.address` to tell local mode from an exposed server: pin it to loopback for every test."""
    saved = config.get_option("server.address")
    config.set_option("server.address", "127.0.0.1")
    try:
        yield
    finally:
        config.set_option("server.address", saved)

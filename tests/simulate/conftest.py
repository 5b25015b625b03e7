"""Simulated drops shared by the simulator tests (each written once per test session)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from radar.simulate import SimSummary, simulate


@pytest.fixture(scope="session")
def make_drop(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., tuple[Path, SimSummary]]:
    """A function returning (folder, summary) of a simulated drop, cached per (scale, seed, format, variant)."""
    cache: dict[tuple[float, int, str, str | None], tuple[Path, SimSummary]] = {}

    def make(scale: float = 0.01, seed: int = 7, fmt: str = "parquet", variant: str | None = None) -> tuple[Path, SimSummary]:
        key = (scale, seed, fmt, variant)
        if key not in cache:
            out = tmp_path_factory.mktemp(f"drop-{scale}-{seed}-{fmt}-{variant or 'default'}")
            cache[key] = (out, simulate(out, scale=scale, seed=seed, fmt=fmt, variant=variant))
        return cache[key]

    return make

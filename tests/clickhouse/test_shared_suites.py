"""The warehouse, ingest, detection-store and query tests written for DuckDB and PostgreSQL, run unchanged on the
embedded ClickHouse engine: each function below is the same test body, given a fresh ClickHouse database."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests import test_warehouse
from tests.detect import test_bursts, test_store
from tests.ingest import test_failures, test_idempotency, test_ingest_paths, test_limits, test_quarantine, test_text_repair
from tests.queries import test_overview

MODULES = (
    test_warehouse,
    test_failures,
    test_idempotency,
    test_ingest_paths,
    test_limits,
    test_quarantine,
    test_text_repair,
    test_bursts,
    test_store,
    test_overview,
)


#: tests that build their warehouse with SQLAlchemy's create_all (engine-less DDL that ClickHouse cannot take), and
#: where their ClickHouse counterpart is
NOT_SHARED = {
    "test_an_older_warehouse_gains_the_new_columns_at_ingest": "tests/clickhouse/test_schema.py",
}


def _cases() -> list[Any]:
    """Every (test, extra arguments) whose only warehouse is the `warehouse_url` fixture, one case per parameter set."""
    out: list[Any] = []
    for module in MODULES:
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            params = inspect.signature(fn).parameters
            if (
                name in NOT_SHARED
                or not name.startswith("test_")
                or "warehouse_url" not in params
                or set(params) - {"warehouse_url", "tmp_path", "name"}
            ):
                continue
            marks = [m for m in getattr(fn, "pytestmark", []) if m.name == "parametrize"]
            values = list(marks[0].args[1]) if marks else [None]
            for value in values:
                label = f"{module.__name__.rsplit('.', 1)[-1]}::{name}" + (f"[{value}]" if value is not None else "")
                out.append(pytest.param(fn, value, id=label))
    return out


@pytest.mark.parametrize(("test", "value"), _cases())
def test_on_clickhouse(test: Callable[..., None], value: Any, clickhouse_url: str, tmp_path: Path) -> None:
    params = inspect.signature(test).parameters
    kwargs: dict[str, Any] = {"warehouse_url": clickhouse_url}
    if "tmp_path" in params:
        kwargs["tmp_path"] = tmp_path
    if "name" in params:
        kwargs["name"] = value
    test(**kwargs)

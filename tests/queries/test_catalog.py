"""Every catalog question runs on the seeded warehouse, on DuckDB and PostgreSQL, and returns the columns it declares.

The arguments are tests/queries/samples.py's, the executor is the page one (`run_page`) with the question's own cap.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine

from queries.catalog import catalog
from queries.run import run_page
from radar.warehouse import open_engine
from tests.queries.samples import arguments

QUESTIONS = {q.name: q for q in catalog()}
#: questions whose answer on the seeded warehouse is empty, and why
EMPTY_ON_SEED = {
    "detect_edges.account_memberships": "the seeded accounts carry no payment fingerprint, sign-up IP or sign-up burst",
}


@pytest.fixture()
def seeded_engine(seeded_url: str, seeded_engines: dict[str, Any]) -> Engine:
    """A read-only engine on the seeded warehouse (one per engine kind for the session)."""
    engine: Engine = seeded_engines.setdefault(seeded_url, open_engine(seeded_url, read_only=True))
    return engine


@pytest.mark.parametrize("name", sorted(QUESTIONS))
def test_every_question_runs_on_the_seeded_warehouse(name: str, seeded_engine: Engine) -> None:
    q = QUESTIONS[name]
    stmt = q(**arguments(q))
    res = run_page(seeded_engine, stmt, timeout_s=60, row_cap=q.row_cap)
    assert res.frame.columns == list(stmt.selected_columns.keys())
    assert res.frame.height <= q.row_cap
    # the samples name what the seed holds, so an empty answer means the question lost its rows
    assert res.frame.height > 0 or name in EMPTY_ON_SEED, f"{name} returned no rows on the seeded warehouse"

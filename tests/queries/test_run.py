"""The page executor's timeout, on DuckDB (interrupted from a timer) and PostgreSQL (statement_timeout)."""

from __future__ import annotations

import time
from typing import Any

import pytest
from sqlalchemy import Select, func, select

from queries import dialect
from queries.run import QueryTimeout, run_page
from radar.warehouse import open_engine

#: Side of the self-join that runs far past the timeout when nothing stops it: about 40 s on DuckDB (many threads,
#: vectorised) and 12 s on PostgreSQL on a two-core laptop, so an ignored timeout fails the test instead of hanging it.
SLOW_SIDE = {dialect.DUCKDB: 60_000, dialect.POSTGRESQL: 10_000}
TIMEOUT_S = 0.2


def pairs(n: int) -> Select[Any]:
    """How many pairs (a, b) of 1..n have a mod 7 different from b mod 5, and what do their products add up to?"""
    a = func.generate_series(1, n).table_valued("i").render_derived(name="a")
    b = func.generate_series(1, n).table_valued("i").render_derived(name="b")
    # a condition no hash join can use: the engine must walk all n * n pairs
    return select(func.count().label("pairs"), func.sum(a.c.i * b.c.i).label("total")).select_from(a.join(b, a.c.i % 7 != b.c.i % 5))


def test_a_page_query_past_its_timeout_raises_query_timeout(warehouse_url: str) -> None:
    engine = open_engine(warehouse_url)
    n = SLOW_SIDE[dialect.dialect_name(engine)]
    t0 = time.perf_counter()
    with pytest.raises(QueryTimeout, match=r"^The query ran longer than 0\.2 s; narrow the time window or filters\.$"):
        run_page(engine, pairs(n), timeout_s=TIMEOUT_S)
    # stopped at the timeout, not when the query would have finished
    assert time.perf_counter() - t0 < 5.0


def test_a_page_query_within_its_timeout_answers_and_the_engine_stays_usable(warehouse_url: str) -> None:
    engine = open_engine(warehouse_url)
    n = 60
    want = [(a, b) for a in range(1, n + 1) for b in range(1, n + 1) if a % 7 != b % 5]
    res = run_page(engine, pairs(n), timeout_s=5.0)
    assert res.frame.rows() == [(len(want), sum(a * b for a, b in want))]
    with pytest.raises(QueryTimeout):
        run_page(engine, pairs(SLOW_SIDE[dialect.dialect_name(engine)]), timeout_s=TIMEOUT_S)
    # the interrupted session leaves nothing behind: the next page query on the engine answers
    time.sleep(TIMEOUT_S)
    assert run_page(engine, pairs(n), timeout_s=5.0).frame.rows() == res.frame.rows()

"""Sign-up bursts: a domain's burst days link its sign-ups; a domain signing up accounts every day links nobody, even
when sign-ups grow (a launch lifts every domain alike)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import polars as pl
from sqlalchemy import insert

from queries import detect_edges, schema
from radar.detect.fetch import fetch
from radar.warehouse import ensure_schema, open_engine

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def test_only_burst_days_of_a_domain_link_its_sign_ups(warehouse_url: str) -> None:
    eng = open_engine(warehouse_url)
    ensure_schema(eng)
    rows = []
    # two webmail domains: four sign-ups a day (six on one day), then a launch: sixteen a day for the last five days
    for dom in ("webmail.example", "webmail2.example"):
        for d in range(20):
            n = 16 if d >= 15 else 6 if d == 9 else 4
            rows += [(dom, T0 + timedelta(days=d, minutes=40 * h)) for h in range(n)]
    # a quiet domain: one sign-up on day 2, then twenty-five within day 12: a burst
    rows += [("quiet.example", T0 + timedelta(days=2))]
    rows += [("quiet.example", T0 + timedelta(days=12, minutes=20 * i)) for i in range(25)]
    with eng.begin() as conn:
        conn.execute(
            insert(schema.accounts),
            [{"account_id": f"acct{i:03d}", "created_at": ts, "email_domain": dom, "load_id": "L1"} for i, (dom, ts) in enumerate(rows)],
        )
    with eng.connect() as conn:
        m = fetch(conn, detect_edges.account_memberships("email_burst", accounts_created_before=T0 + timedelta(days=30), max_accounts=1000))
    assert m["value"].unique().to_list() == [m["value"][0]] and m["value"][0].startswith("quiet.example @ 2026-01-13")
    assert m.height == 25 and set(m["n_accounts"].to_list()) == {25}
    assert m.filter(pl.col("value").str.starts_with("webmail")).is_empty()  # the launch is no burst
    eng.dispose()

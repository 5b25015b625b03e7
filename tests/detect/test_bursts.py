"""Sign-up bursts: a domain's burst days link its sign-ups; a domain signing up accounts every day links nobody, even
when sign-ups grow (a launch lifts every domain alike)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import polars as pl
from sqlalchemy import insert

from queries import detect_edges, schema
from queries.run import run_all_on
from radar.warehouse import ensure_schema, open_engine

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def test_only_burst_days_of_a_domain_link_its_sign_ups(warehouse_url: str) -> None:
    eng = open_engine(warehouse_url)
    ensure_schema(eng)
    rows = []
    # two webmail domains: twenty sign-ups a day, then a launch: eighty a day for the last five days
    for dom in ("webmail.example", "webmail2.example"):
        for d in range(20):
            rows += [(dom, T0 + timedelta(days=d, minutes=15 * h)) for h in range(80 if d >= 15 else 20)]
    # a busy domain: four sign-ups every day, forty on day 5: a burst far above its share of that day
    for d in range(20):
        rows += [("busy.example", T0 + timedelta(days=d, minutes=15 * h)) for h in range(40 if d == 5 else 4)]
    # a quiet domain: one sign-up on day 2, then twenty-five within day 12: a burst
    rows += [("quiet.example", T0 + timedelta(days=2))]
    rows += [("quiet.example", T0 + timedelta(days=12, minutes=20 * i)) for i in range(25)]
    with eng.begin() as conn:
        conn.execute(
            insert(schema.accounts),
            [{"account_id": f"acct{i:04d}", "created_at": ts, "email_domain": dom, "load_id": "L1"} for i, (dom, ts) in enumerate(rows)],
        )
    with eng.connect() as conn:
        m = run_all_on(
            conn, detect_edges.account_memberships("email_burst", accounts_created_before=T0 + timedelta(days=30), max_accounts=1000)
        )
    parts = m["value"].str.split(" @ ")
    bursts = m.with_columns(parts.list.first().alias("domain"), parts.list.last().str.slice(0, 10).alias("day"))
    sizes = {(r["domain"], r["day"]): r["len"] for r in bursts.group_by("domain", "day").len().iter_rows(named=True)}
    assert sizes == {("quiet.example", "2026-01-13"): 25, ("busy.example", "2026-01-06"): 40}
    assert m.filter(pl.col("value").str.starts_with("webmail")).is_empty()  # the launch is no burst
    eng.dispose()

"""Reading a stored scoring run back: the latest finished run, and its per-account rows."""

from __future__ import annotations

from sqlalchemy import Select, select

from queries import schema
from queries.catalog import Bound, question


@question(bound=Bound.SUMMARY, pages=("sidebar",))
def latest_run() -> Select:
    """Which detection run finished last? The one definition: pages, triage, export and evaluate all read this run."""
    s = schema.score_runs
    return (
        select(s.c.run_id, s.c.started_at, s.c.finished_at, s.c.window_start, s.c.window_end)
        .where(s.c.status == "done")
        .order_by(s.c.finished_at.desc(), s.c.run_id.desc())
        .limit(1)
    )


@question(bound=Bound.RUN)
def run_status(run_id: str) -> Select:
    """What state is this run in?"""
    s = schema.score_runs
    return select(s.c.run_id, s.c.status).where(s.c.run_id == run_id)


@question(bound=Bound.RUN)
def run_accounts(run_id: str) -> Select:
    """Every account's score, cluster, campaign and reasons in one run (the `score --out` file's rows)."""
    a = schema.account_scores
    return (
        select(a.c.account_id, a.c.score, a.c.cluster_id, a.c.campaign_id, a.c.allowlisted, a.c.reasons)
        .where(a.c.run_id == run_id)
        .order_by(a.c.account_id)
    )

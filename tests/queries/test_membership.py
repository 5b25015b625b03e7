"""Entity activity on the case page, from the rollups, on the seeded warehouse's known numbers (every engine)."""

from __future__ import annotations

from queries import membership
from tests.queries import seed


def _days(frame) -> list[tuple[int, int]]:  # type: ignore[no-untyped-def]
    return [(int(r["calls"]), int(r["output_tokens"])) for r in frame.sort("day").iter_rows(named=True)]


def test_campaign_activity_per_day_counts_every_member_call(rows) -> None:
    got = rows(membership.entity_activity(seed.START, seed.END, run_id=seed.RUN_ID, entity_type="campaign", entity_id="C1"))
    # 12 keys x 72 calls on 10 Feb; kx01a stops at 11 Feb 12:00 (36 calls that day); 11 keys on 12 Feb; 1,000 tokens each
    assert _days(got) == [(864, 864_000), (828, 828_000), (792, 792_000)]


def test_key_account_and_cluster_activity(rows) -> None:
    key = rows(membership.entity_activity(seed.START, seed.END, run_id=seed.RUN_ID, entity_type="api_key", entity_id="kx01a"))
    assert [c for c, _ in _days(key)] == [72, 36]  # revoked mid-way through the second day
    account = rows(membership.entity_activity(seed.START, seed.END, run_id=seed.RUN_ID, entity_type="account", entity_id="b03"))
    assert [c for c, _ in _days(account)] == [16, 16, 16]  # 2 calls an hour, 09-16h
    cluster = rows(membership.entity_activity(seed.START, seed.END, run_id=seed.RUN_ID, entity_type="cluster", entity_id="CL3"))
    assert [c for c, _ in _days(cluster)] == [32, 32, 32]  # b01 and b02
    assert rows(membership.entity_activity(seed.START, seed.END, run_id="run-never", entity_type="campaign", entity_id="C1")).is_empty()

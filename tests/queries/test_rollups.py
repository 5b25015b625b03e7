"""The rollups kept at ingest equal the same aggregates computed from the stored requests, on DuckDB and PostgreSQL:
on random drops, under re-delivery, with quarantined rows, after a file that fails half-way, and after a rebuild."""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from sqlalchemy import Engine

from queries import rollups, schema
from radar.cli import main
from radar.ingest import enrich, ingest_paths
from radar.ingest.rollup import rebuild_rollups
from radar.warehouse import open_engine
from tests.ingest import drop
from tests.ingest.helpers import count, frame

MODELS = ("model-large", "model-small", "model-vision")
FINISH = ("stop", "length", "tool_use", "refusal", "content_filter", None)
STATUS = (200, 200, 200, 400, 429, 500)
KEY_GRAIN = ["hour", "api_key_id", "account_id", "model"]
ACCOUNT_GRAIN = ["hour", "account_id"]
MEASURES = ["calls", "input_tokens", "output_tokens", "cot_calls", "tool_calls", "refusals", "error_calls"]


def _random_rows(rnd: random.Random, n: int, prefix: str) -> list[dict[str, Any]]:
    """n valid requests spread over three days, keys, models, statuses, finish reasons, tools and prompt lengths."""
    rows = drop.request_rows(n, seed=rnd.randint(0, 10**6), prefix=prefix)
    for r in rows:
        key = rnd.randint(0, 14)
        ts = drop.T0 + timedelta(seconds=rnd.randint(0, 3 * 86_400))
        r.update(
            ts=ts.isoformat().replace("+00:00", "Z"),
            api_key_id=f"key-{key}",
            account_id=f"acct-{key % 6}",
            model=rnd.choice(MODELS),
            status=rnd.choice(STATUS),
            finish_reason=rnd.choice(FINISH),
            tool_count=rnd.choice((0, 0, 2)),
            has_image=rnd.random() < 0.1,
        )
        if r["prompt"] is not None and rnd.random() < 0.3:
            r["prompt"] = r["prompt"] + " Think step by step." + " more words" * rnd.randint(0, 900)
    return rows


def _expected(engine: Engine) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The two rollups recomputed in polars from the stored requests (an independent definition of the same figures)."""
    r = frame(engine, schema.requests)
    cap = pl.when(pl.col("capability").is_in(list(schema.ROLLUP_CAPABILITIES))).then(pl.col("capability")).otherwise(pl.lit("other"))
    bins = schema.PROMPT_LENGTH_BINS
    length_bin = pl.lit(len(bins))
    for i, b in reversed(list(enumerate(bins))):
        length_bin = pl.when(pl.col("prompt_chars") < b).then(pl.lit(i)).otherwise(length_bin)
    r = r.with_columns(
        pl.col("ts").dt.truncate("1h").alias("hour"),
        cap.alias("cap"),
        pl.when(pl.col("prompt_chars").is_not_null()).then(length_bin).alias("bin"),
    )
    measures = [
        pl.len().alias("calls"),
        pl.col("input_tokens").sum(),
        pl.col("output_tokens").sum(),
        (pl.col("cot") == True).sum().alias("cot_calls"),  # noqa: E712 - null is not true
        (pl.col("tool_count") > 0).sum().alias("tool_calls"),
        pl.col("finish_reason").is_in(list(rollups.REFUSAL_REASONS)).sum().alias("refusals"),
        (pl.col("status") >= rollups.ERROR_STATUS).sum().alias("error_calls"),
        pl.col("ts").min().alias("first_ts"),
        pl.col("ts").max().alias("last_ts"),
    ]
    per_key = [
        *measures,
        (pl.col("has_image") == True).sum().alias("image_calls"),  # noqa: E712
        pl.col("prompt_chars").is_not_null().sum().alias("prompts_logged"),
        *[(pl.col("bin") == i).sum().alias(f"len_{i}") for i in range(len(bins) + 1)],
        *[(pl.col("cap") == c).sum().alias(f"cap_{c}") for c in schema.ROLLUP_CAPABILITIES],
        *[((pl.col("cap") == c) & (pl.col("cot") == True)).sum().alias(f"cot_{c}") for c in schema.ROLLUP_CAPABILITIES],  # noqa: E712
    ]
    keys = r.group_by(KEY_GRAIN).agg(per_key)
    accounts = r.group_by(ACCOUNT_GRAIN).agg(measures)
    return _normal(keys, KEY_GRAIN), _normal(accounts, ACCOUNT_GRAIN)


def _normal(f: pl.DataFrame, grain: list[str]) -> pl.DataFrame:
    counts = [c for c in f.columns if c not in (*grain, "first_ts", "last_ts")]
    return f.with_columns(pl.col(counts).cast(pl.Int64)).select(sorted(f.columns)).sort(grain)


def _stored(engine: Engine) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The stored rollups merged to one row per grain (a load appends a row per grain and chunk)."""
    out = []
    for table, grain in ((schema.rollup_key_hours, KEY_GRAIN), (schema.rollup_account_hours, ACCOUNT_GRAIN)):
        f = frame(engine, table)
        sums = [c for c in f.columns if c not in (*grain, "first_ts", "last_ts")]
        merged = f.group_by(grain).agg(*[pl.col(c).sum() for c in sums], pl.col("first_ts").min(), pl.col("last_ts").max())
        out.append(_normal(merged, grain))
    return out[0], out[1]


def _assert_rollups_match_requests(engine: Engine) -> None:
    keys, accounts = _stored(engine)
    want_keys, want_accounts = _expected(engine)
    assert keys.height == want_keys.height and keys.equals(want_keys)
    assert accounts.height == want_accounts.height and accounts.equals(want_accounts)


@pytest.mark.parametrize("seed", [3, 17])
def test_rollups_equal_the_aggregates_of_stored_requests(warehouse_url: str, tmp_path: Path, seed: int) -> None:
    rnd = random.Random(seed)
    rows = _random_rows(rnd, 400, "a")
    d = tmp_path / "drop"
    drop.write(rows[:250], d / "requests-0.jsonl")
    drop.write(rows[200:] + _random_rows(rnd, 60, "b"), d / "requests-1.parquet")  # 50 re-delivered
    engine = open_engine(warehouse_url)
    s = ingest_paths([d], engine, chunk_rows=rnd.randint(20, 70))
    assert s.ok and (s.rows_loaded, s.rows_duplicate) == (460, 50)
    assert count(engine, schema.requests) == 460
    _assert_rollups_match_requests(engine)
    assert int(frame(engine, schema.rollup_key_hours, "calls")["calls"].sum()) == 460


def test_reload_and_redelivery_leave_rollups_unchanged(warehouse_url: str, tmp_path: Path) -> None:
    rnd = random.Random(5)
    rows = _random_rows(rnd, 300, "r")
    d = tmp_path / "drop"
    drop.write(rows, d / "requests-0.jsonl")
    engine = open_engine(warehouse_url)
    ingest_paths([d], engine, chunk_rows=50)
    before = _stored(engine)
    again = ingest_paths([d], engine)  # the same bytes: skipped
    later = tmp_path / "later"
    drop.write(rows[::3], later / "requests-again.csv")  # the same requests in other bytes: every row a duplicate
    redelivered = ingest_paths([later], engine, chunk_rows=40)
    assert again.files_skipped == 1 and redelivered.ok and (redelivered.rows_loaded, redelivered.rows_duplicate) == (0, 100)
    after = _stored(engine)
    assert after[0].equals(before[0]) and after[1].equals(before[1])


def test_quarantined_rows_never_reach_the_rollups(warehouse_url: str, tmp_path: Path) -> None:
    rows = drop.request_rows(60)
    for i in (4, 5, 30):
        rows[i]["api_key_id"] = "key-quarantined"
        rows[i]["account_id"] = "acct-quarantined"
        rows[i]["output_tokens"] = -5  # breaks the contract
    drop.write(rows, tmp_path / "d" / "requests.jsonl")
    engine = open_engine(warehouse_url)
    s = ingest_paths([tmp_path / "d"], engine, chunk_rows=16)
    assert (s.rows_loaded, s.rows_quarantined) == (57, 3)
    keys, accounts = _stored(engine)
    assert "key-quarantined" not in keys["api_key_id"].to_list() and "acct-quarantined" not in accounts["account_id"].to_list()
    assert int(keys["calls"].sum()) == int(accounts["calls"].sum()) == 57
    _assert_rollups_match_requests(engine)


def test_a_file_that_fails_half_way_leaves_rollups_and_requests_consistent(
    warehouse_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    d1, d2 = tmp_path / "d1", tmp_path / "d2"
    drop.write(drop.request_rows(80, prefix="one"), d1 / "requests.jsonl")
    drop.write(drop.request_rows(90, prefix="two"), d2 / "requests.jsonl")
    engine = open_engine(warehouse_url)
    ingest_paths([d1], engine, chunk_rows=20)
    calls = {"n": 0}
    real = rollups.add_staged

    def failing(rollup: Any) -> Any:  # the warehouse fails while the third chunk's rollup rows are written
        calls["n"] += 1
        if calls["n"] == 5:
            raise RuntimeError("disk full")
        return real(rollup)

    monkeypatch.setattr(rollups, "add_staged", failing)
    s = ingest_paths([d2], engine, chunk_rows=20)
    assert not s.ok and s.files_failed == 1 and "disk full" in s.errors[0]
    assert count(engine, schema.requests) == 80  # the two chunks of d2 that went in are rolled back with their rollup rows
    _assert_rollups_match_requests(engine)
    monkeypatch.setattr(rollups, "add_staged", real)
    assert ingest_paths([d2], engine, chunk_rows=20).ok and count(engine, schema.requests) == 170
    _assert_rollups_match_requests(engine)


def test_rebuild_equals_incremental_and_compacts(warehouse_url: str, tmp_path: Path) -> None:
    rnd = random.Random(11)
    d = tmp_path / "drop"
    drop.write(_random_rows(rnd, 300, "x"), d / "requests-0.jsonl")
    drop.write(_random_rows(rnd, 200, "y"), d / "requests-1.jsonl")
    engine = open_engine(warehouse_url)
    ingest_paths([d], engine, chunk_rows=30)
    incremental, rows_before = _stored(engine), count(engine, schema.rollup_key_hours)
    summary = rebuild_rollups(engine, lock_wait_s=5)
    assert summary.requests == 500 and summary.rows[schema.rollup_key_hours.name] == count(engine, schema.rollup_key_hours)
    rebuilt = _stored(engine)
    assert rebuilt[0].equals(incremental[0]) and rebuilt[1].equals(incremental[1])
    assert count(engine, schema.rollup_key_hours) == incremental[0].height <= rows_before  # one row per grain


def test_rollup_command_rebuilds_and_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"duckdb:///{tmp_path / 'wh.duckdb'}"
    drop.write(drop.request_rows(30), tmp_path / "d" / "requests.jsonl")
    assert main(["ingest", str(tmp_path / "d"), "--warehouse", url, "--quiet"]) == 0
    capsys.readouterr()
    assert main(["rollup", "--rebuild", "--warehouse", url, "--quiet"]) == 0
    assert "rollups rebuilt from 30 requests" in capsys.readouterr().out
    assert main(["rollup", "--warehouse", url]) == 2


def test_rollup_capabilities_are_the_enrichments() -> None:
    assert schema.ROLLUP_CAPABILITIES == enrich.CAPABILITIES


def test_a_load_into_a_warehouse_older_than_the_rollups_builds_them_first(duckdb_url: str, tmp_path: Path) -> None:
    engine = open_engine(duckdb_url)
    drop.write(drop.request_rows(40, prefix="old"), tmp_path / "old" / "requests.jsonl")
    ingest_paths([tmp_path / "old"], engine)
    with engine.begin() as conn:  # as a warehouse loaded before the rollups existed holds them: empty
        for rollup in schema.ROLLUP_TABLES:
            conn.execute(rollups.clear(rollup))
    drop.write(drop.request_rows(25, prefix="new"), tmp_path / "new" / "requests.jsonl")
    s = ingest_paths([tmp_path / "new"], engine)
    assert s.ok and any("rollups built from the 40 requests" in n for n in s.notices)
    assert int(frame(engine, schema.rollup_account_hours, "calls")["calls"].sum()) == 65
    _assert_rollups_match_requests(engine)

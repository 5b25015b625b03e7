"""Which labeled examples can a model be trained on? Account- and request-level exports with grouped splits.

Only labeled entities are exported. The account-level rows carry the run's features; request-level rows are
streamed from the warehouse in batches of accounts, so memory stays bounded whatever the volume.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy import Engine, Select

from queries import schema
from queries.detect_results import latest_run
from queries.export_labels import REQUEST_COLUMNS, export_accounts, export_requests, export_run
from queries.run import run_all, run_batches
from radar.cases.labels import effective_labels
from radar.cases.store import CaseError
from radar.export.card import dataset_card
from radar.export.writers import FrameWriter
from radar.redact import redact_expr
from radar.stored import decode_object

# Share of examples held out for testing; 20 % is the customary hold-out for a few thousand labeled accounts.
TEST_SHARE = 0.2
# Accounts per request batch: bounds both the IN list and the rows held in memory at once.
ACCOUNT_BATCH = 200
# Rows fetched from the warehouse cursor, and written, at a time (the batch executor's batch size).
YIELD_ROWS = 20_000
LABEL_COLUMNS = ("label", "label_source", "labeled_by", "labeled_at")
EXT = {"parquet": "parquet", "csv": "csv", "jsonl": "jsonl"}


@dataclass
class ExportResult:
    """Where the export went and what it holds."""

    files: dict[str, Path]
    card: Path
    counts: dict[str, int]
    label_balance: dict[str, dict[str, int]] = field(default_factory=dict)


def run_window(warehouse: Engine, run_id: str | None = None) -> tuple[str, datetime, datetime]:
    """Which run (default: latest finished) is exported, and which window did it cover?"""
    frame = run_all(warehouse, latest_run() if run_id is None else export_run(run_id))
    if frame.is_empty():
        raise CaseError("No finished detection run exists: run `python -m radar score` before exporting labeled data.")
    row = frame.row(0, named=True)
    return str(row["run_id"]), row["window_start"], row["window_end"]


def _features(raw: list[str | None]) -> pl.DataFrame:
    rows = [decode_object(r) for r in raw]
    names = sorted({k for r in rows for k in r})
    data = {f"f_{n}": [r.get(n) for r in rows] for n in names}
    return pl.DataFrame(data, strict=False) if names else pl.DataFrame()


def account_dataset(cases: Engine, warehouse: Engine, *, run_id: str | None = None) -> tuple[pl.DataFrame, Select, str, datetime, datetime]:
    """Which labeled accounts, with which features and labels? Returns (frame, generating query, run id, window)."""
    rid, start, end = run_window(warehouse, run_id)
    stmt = export_accounts(start, end, run_id=rid)
    # The batch executor: every member of every labeled campaign, however many (a page's row cap must not cut them).
    scores = run_all(warehouse, stmt)
    labels = effective_labels(cases, "account").select("entity_id", *LABEL_COLUMNS).rename({"entity_id": "account_id"})
    frame = scores.join(labels, on="account_id", how="inner")
    # Engines name UTC differently (UTC, Etc/UTC, a local zone); exports speak UTC only.
    frame = frame.with_columns(pl.col(c).cast(pl.Datetime("us", "UTC")) for c in ("first_seen", "last_seen") if c in frame.columns)
    feats = _features(frame["features"].to_list())
    frame = pl.concat([frame.drop("features"), feats], how="horizontal") if feats.width else frame.drop("features")
    return frame, stmt, rid, start, end


def campaign_groups(frame: pl.DataFrame) -> dict[str, str]:
    """Which split does each account go to, keeping every campaign whole (accounts without one are their own group)?"""
    groups = frame.select("account_id", pl.coalesce(pl.col("campaign_id"), pl.lit("account:") + pl.col("account_id")).alias("g"))
    sizes = groups.group_by("g").len().to_dicts()
    # A stable pseudo-random order of groups (sha256 of the name); take groups into test until it holds its share.
    order = sorted(sizes, key=lambda r: hashlib.sha256(str(r["g"]).encode()).hexdigest())
    target, taken = TEST_SHARE * frame.height, 0
    test: set[str] = set()
    for r in order:
        if taken >= target or len(test) == len(order) - 1:
            break
        test.add(r["g"])
        taken += r["len"]
    return {a: ("test" if g in test else "train") for a, g in groups.iter_rows()}


def time_cutoff(frame: pl.DataFrame) -> datetime | None:
    """From which first-seen time on do examples go to test (the 80th percentile of first activity)?"""
    seen = frame["first_seen"].drop_nulls().sort()
    if not len(seen):
        return None
    cut: datetime = seen[min(len(seen) - 1, int(len(seen) * (1 - TEST_SHARE)))]
    return cut.astimezone(UTC)


def export_labels(
    cases: Engine,
    warehouse: Engine,
    out: Path,
    *,
    level: str = "account",
    fmt: str = "parquet",
    split: str = "campaign",
    with_prompts: bool = False,
    run_id: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ExportResult:
    """Write train and test files plus a dataset card for the labeled data at `level` into the folder `out`."""
    if level not in ("account", "request") or split not in ("campaign", "time") or fmt not in EXT:
        raise CaseError("Export takes --level account|request, --split campaign|time and --format parquet|csv|jsonl.")
    accounts, stmt, rid, start, end = account_dataset(cases, warehouse, run_id=run_id)
    if accounts.is_empty():
        raise CaseError("No labeled accounts to export: label a campaign or accounts on the Triage page first.")
    out.mkdir(parents=True, exist_ok=True)
    cutoff = time_cutoff(accounts)
    if split == "campaign":
        side = campaign_groups(accounts)
        accounts = accounts.with_columns(pl.col("account_id").replace_strict(side).alias("split"))
    else:
        accounts = accounts.with_columns(
            pl.when(pl.col("first_seen").is_not_null() & (pl.col("first_seen") >= cutoff))
            .then(pl.lit("test"))
            .otherwise(pl.lit("train"))
            .alias("split")
        )
    files = {s: out / f"{s}.{EXT[fmt]}" for s in ("train", "test")}
    writers = {s: FrameWriter(p, fmt) for s, p in files.items()}
    if level == "account":
        for s, w in writers.items():
            w.write(accounts.filter(pl.col("split") == s))
        request_stmt = None
    else:
        request_stmt = _write_requests(cases, warehouse, accounts, writers, start, end, split, cutoff, with_prompts, progress)
    for w in writers.values():
        w.close(accounts.schema if level == "account" else None)
    counts = {s: w.rows for s, w in writers.items()}
    balance = _balance(files, fmt, level, accounts)
    card = out / "dataset_card.md"
    card.write_text(
        dataset_card(
            level=level,
            fmt=fmt,
            split=split,
            run_id=rid,
            window=(start, end),
            counts=counts,
            balance=balance,
            accounts=accounts,
            cutoff=cutoff,
            queries=[q for q in (stmt, request_stmt) if q is not None],
            engine=warehouse,
            with_prompts=with_prompts,
        ),
        encoding="utf-8",
    )
    return ExportResult(files=files, card=card, counts=counts, label_balance=balance)


def _balance(files: dict[str, Path], fmt: str, level: str, accounts: pl.DataFrame) -> dict[str, dict[str, int]]:
    if level == "account":
        return {s: dict(accounts.filter(pl.col("split") == s)["label"].value_counts().iter_rows()) for s in files}
    out: dict[str, dict[str, int]] = {}
    for s, p in files.items():
        lf = pl.scan_parquet(p) if fmt == "parquet" else (pl.scan_csv(p) if fmt == "csv" else pl.scan_ndjson(p))
        out[s] = dict(lf.group_by("label").len().collect().iter_rows()) if p.stat().st_size else {}
    return out


def _request_schema(with_prompts: bool) -> dict[str, Any]:
    kinds = {"String": pl.String, "Text": pl.String, "BigInteger": pl.Int64, "Integer": pl.Int64, "Boolean": pl.Boolean}
    cols = [*REQUEST_COLUMNS, *(["prompt"] if with_prompts else [])]
    return {c: kinds.get(type(schema.requests.c[c].type).__name__, pl.Datetime("us", "UTC")) for c in cols}


def _write_requests(
    cases: Engine,
    warehouse: Engine,
    accounts: pl.DataFrame,
    writers: dict[str, FrameWriter],
    start: datetime,
    end: datetime,
    split: str,
    cutoff: datetime | None,
    with_prompts: bool,
    progress: Callable[[int, int], None] | None,
) -> Select:
    """Stream the labeled accounts' requests, batch by batch, into the split writers; returns one batch's query."""
    keys = effective_labels(cases, "api_key").select("entity_id", *LABEL_COLUMNS).rename({"entity_id": "api_key_id"})
    acc = accounts.select("account_id", "campaign_id", "split", *LABEL_COLUMNS)
    ids = acc["account_id"].to_list()
    req_schema = _request_schema(with_prompts)
    stmt = export_requests(start, end, account_ids=ids[:ACCOUNT_BATCH], with_prompts=with_prompts)
    for i in range(0, len(ids), ACCOUNT_BATCH):
        batch = export_requests(start, end, account_ids=ids[i : i + ACCOUNT_BATCH], with_prompts=with_prompts)
        for part in run_batches(warehouse, batch, batch_rows=YIELD_ROWS):
            # One schema for every batch: a batch whose column is all null would otherwise fix a null type.
            frame = part.cast(req_schema)  # type: ignore[arg-type]
            if with_prompts:
                frame = frame.with_columns(redact_expr("prompt"))
            frame = frame.join(acc, on="account_id", how="left")
            # A key's own label (set or propagated at key level) is more specific than its account's.
            frame = frame.join(keys, on="api_key_id", how="left", suffix="_key")
            frame = frame.with_columns(
                pl.when(pl.col("label_key").is_not_null()).then(pl.col(f"{c}_key")).otherwise(pl.col(c)).alias(c) for c in LABEL_COLUMNS
            ).drop([f"{c}_key" for c in LABEL_COLUMNS])
            if split == "time":
                frame = frame.with_columns(pl.when(pl.col("ts") >= cutoff).then(pl.lit("test")).otherwise(pl.lit("train")).alias("split"))
            for s, w in writers.items():
                w.write(frame.filter(pl.col("split") == s))
        if progress is not None:
            progress(min(i + ACCOUNT_BATCH, len(ids)), len(ids))
    return stmt

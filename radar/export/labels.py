"""Which examples can a model be trained on? Account- and request-level exports with grouped splits, streamed.

The accounts are chosen by radar.export.sampling (positives, negatives, a seeded sample of unflagged accounts,
optionally the unlabeled rest) and split by radar.export.splits. Rows stream from the warehouse through the batch
executor into one appending writer per file (train, test, and unlabeled when asked for), so memory stays bounded
whatever the volume; the card's counts are those of the rows written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy import Engine, Select

from queries import schema
from queries.detect_results import latest_run
from queries.export_labels import REQUEST_COLUMNS, export_accounts, export_population, export_requests, export_run
from queries.run import run_all, run_batches
from radar.cases.labels import effective_labels
from radar.cases.store import CaseError
from radar.export import columns, splits
from radar.export.card import dataset_card
from radar.export.sampling import CHOSEN_SCHEMA, LEFT_OUT, TARGET_OF, Chosen, Sampled, Selection, choose
from radar.export.writers import FrameWriter
from radar.redact import redact_expr
from radar.stored import decode_object

# Accounts per request batch: bounds both the IN list and the rows held in memory at once.
ACCOUNT_BATCH = 200
# Rows fetched from the warehouse cursor, and written, at a time (the batch executor's batch size).
YIELD_ROWS = 20_000
EXT = {"parquet": "parquet", "csv": "csv", "jsonl": "jsonl"}
FILES = ("train", "test", "unlabeled")
CHOICES_ERROR = "Export takes --level account|request, --split campaign|time and --format parquet|csv|jsonl."
Progress = Callable[[int, int], None]
# What the writers count: rows written per file, split, class and label source.
TALLY_SCHEMA: dict[str, Any] = {"file": pl.String, "split": pl.String, "target": pl.Int8, "label_source": pl.String, "rows": pl.UInt32}


@dataclass
class ExportResult:
    """Where the export went and what it holds: rows per file, examples per class and split, and what is wrong with it."""

    files: dict[str, Path]
    card: Path
    counts: dict[str, int]
    class_balance: dict[str, dict[str, int]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    sampled: Sampled | None = None


def run_window(warehouse: Engine, run_id: str | None = None) -> tuple[str, datetime, datetime]:
    """Which run (default: latest finished) is exported, and which window did it cover?"""
    frame = run_all(warehouse, latest_run() if run_id is None else export_run(run_id))
    if frame.is_empty():
        raise CaseError("No finished detection run exists: run `python -m radar score` before exporting labeled data.")
    row = frame.row(0, named=True)
    return str(row["run_id"]), row["window_start"], row["window_end"]


def choose_accounts(
    cases: Engine, warehouse: Engine, rid: str, start: datetime, end: datetime, selection: Selection
) -> tuple[Chosen, Select]:
    """Which of the run's scored accounts does the export hold, as what? Returns (chosen accounts, the population query)."""
    stmt = export_population(start, end, run_id=rid)
    # The batch executor: every scored account, however many (a page's row cap must not cut a campaign).
    population = run_all(warehouse, stmt)
    # Engines name UTC differently (UTC, Etc/UTC, a local zone); exports speak UTC only.
    population = population.cast({c: CHOSEN_SCHEMA.get(c, pl.Int64) for c in population.columns})  # type: ignore[arg-type]
    labels = effective_labels(cases, "account").rename({"entity_id": "account_id"})
    return choose(population, labels, selection), stmt


def _features(raw: list[str | None]) -> pl.DataFrame:
    """Which feature values does the stored JSON hold, as f_<name> columns of fixed types (a feature a run did not write is empty)?"""
    rows = [decode_object(r) for r in raw]
    return pl.DataFrame(
        [
            pl.Series(f"f_{n}", [r.get(n) for r in rows], dtype=columns.FEATURE_TYPES.get(n, pl.Float64), strict=False)
            for n in columns.FEATURE_DEFINITIONS
        ]
    )


def _file() -> pl.Expr:
    """Which file holds a row (its split, or the unlabeled file when it has no target)?"""
    return pl.when(pl.col("target").is_null()).then(pl.lit("unlabeled")).otherwise(pl.col("split"))


def _route(frame: pl.DataFrame, writers: dict[str, FrameWriter], tally: list[pl.DataFrame]) -> None:
    """Which file does each row go to? Appends it there and counts what was written by file, split, class and source."""
    frame = frame.with_columns(_file().alias("_file"))
    for name, w in writers.items():
        part = frame.filter(pl.col("_file") == name)
        if part.height:
            w.write(part.drop("_file"))
    tally.append(frame.group_by("_file", "split", "target", "label_source").len("rows").rename({"_file": "file"}))


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
    selection: Selection | None = None,
    with_detector_outputs: bool = False,
    progress: Progress | None = None,
) -> ExportResult:
    """Write train and test files (and unlabeled, when chosen) plus a dataset card for the run's examples into `out`."""
    if level not in ("account", "request") or split not in ("campaign", "time") or fmt not in EXT:
        raise CaseError(CHOICES_ERROR)
    selection = selection or Selection()
    rid, start, end = run_window(warehouse, run_id)
    try:
        chosen, population_stmt = choose_accounts(cases, warehouse, rid, start, end, selection)
    except ValueError as exc:
        raise CaseError(str(exc)) from exc
    if chosen.frame.filter(pl.col("target").is_not_null()).is_empty():
        raise CaseError("No labeled accounts to export: label a campaign or accounts on the Triage page first.")
    accounts, cutoff = splits.assign(chosen.frame, split, selection.seed)
    out.mkdir(parents=True, exist_ok=True)
    names = FILES if selection.unlabeled else FILES[:2]
    files = {s: out / f"{s}.{EXT[fmt]}" for s in names}
    writers = {s: FrameWriter(p, fmt) for s, p in files.items()}
    tally: list[pl.DataFrame] = []
    if level == "account":
        file_schema = columns.account_schema(with_detector_outputs=with_detector_outputs)
        stmt = _write_accounts(warehouse, rid, accounts, file_schema, writers, tally, progress)
    else:
        file_schema = _request_schema(with_prompts, with_detector_outputs)
        stmt = _write_requests(cases, warehouse, accounts, file_schema, writers, tally, (start, end), cutoff, with_prompts, progress)
    for w in writers.values():
        w.close(pl.Schema(file_schema))
    written = (
        pl.concat([pl.DataFrame(schema=TALLY_SCHEMA), *tally], how="vertical_relaxed")
        .group_by("file", "split", "target", "label_source")
        .agg(pl.col("rows").sum())
    )
    balance = class_balance(written)
    notes = splits.warnings(balance, accounts.filter(pl.col("target").is_not_null()), split)
    card = out / "dataset_card.md"
    counts = {s: w.rows for s, w in writers.items()}
    card.write_text(
        dataset_card(
            level=level,
            fmt=fmt,
            split=split,
            run_id=rid,
            window=(start, end),
            counts=counts,
            written=written,
            accounts=accounts,
            cutoff=cutoff,
            queries=[population_stmt, stmt],
            engine=warehouse,
            with_prompts=with_prompts,
            with_detector_outputs=with_detector_outputs,
            selection=selection,
            chosen=chosen,
            warnings=notes,
            columns=list(file_schema),
        ),
        encoding="utf-8",
    )
    return ExportResult(files=files, card=card, counts=counts, class_balance=balance, warnings=notes, sampled=chosen.sampled)


def class_balance(written: pl.DataFrame) -> dict[str, dict[str, int]]:
    """How many positive and negative rows did train and test receive (from what was written)?"""
    out: dict[str, dict[str, int]] = {s: {"positive": 0, "negative": 0} for s in splits.SPLITS}
    for s, target, rows in written.filter(pl.col("target").is_not_null()).select("file", "target", "rows").iter_rows():
        out[s]["positive" if target == 1 else "negative"] += int(rows)
    return out


def _write_accounts(
    warehouse: Engine,
    rid: str,
    accounts: pl.DataFrame,
    file_schema: dict[str, Any],
    writers: dict[str, FrameWriter],
    tally: list[pl.DataFrame],
    progress: Progress | None,
) -> Select:
    """Stream the run's account rows, keep the chosen ones, decode their features and write each to its file."""
    stmt = export_accounts(rid)
    meta = accounts.select("account_id", "campaign_id", "first_seen", "last_seen", "split", *columns.LABEL_COLUMNS)
    total, done = accounts.height, 0
    for part in run_batches(warehouse, stmt, batch_rows=YIELD_ROWS):
        rows = part.join(meta, on="account_id", how="inner")
        if rows.height:
            rows = pl.concat([rows.drop("features"), _features(rows["features"].to_list())], how="horizontal")
            _route(rows.select(pl.col(c).cast(t) for c, t in file_schema.items()), writers, tally)
        done += rows.height
        if progress is not None:
            progress(done, total)
    return stmt


def _request_schema(with_prompts: bool, with_detector_outputs: bool) -> dict[str, Any]:
    kinds = {"String": pl.String, "Text": pl.String, "BigInteger": pl.Int64, "Integer": pl.Int64, "Boolean": pl.Boolean}
    cols = [*REQUEST_COLUMNS, *(["prompt"] if with_prompts else [])]
    out = {c: kinds.get(type(schema.requests.c[c].type).__name__, pl.Datetime("us", "UTC")) for c in cols}
    out |= {c: CHOSEN_SCHEMA[c] for c in ("campaign_id", *columns.LABEL_COLUMNS)} | {"split": pl.String}
    return out | ({c: CHOSEN_SCHEMA[c] for c in columns.REQUEST_LEAKAGE} if with_detector_outputs else {})


def _write_requests(
    cases: Engine,
    warehouse: Engine,
    accounts: pl.DataFrame,
    file_schema: dict[str, Any],
    writers: dict[str, FrameWriter],
    tally: list[pl.DataFrame],
    window: tuple[datetime, datetime],
    cutoff: datetime | None,
    with_prompts: bool,
    progress: Progress | None,
) -> Select:
    """Stream the chosen accounts' requests, batch by batch, into the file writers; returns one batch's query."""
    keys = effective_labels(cases, "api_key").select("entity_id", "label", "label_source", "labeled_by", "labeled_at")
    keys = keys.rename({"entity_id": "api_key_id"}).with_columns(
        pl.col("label").replace_strict(TARGET_OF, default=None, return_dtype=pl.Int8).alias("target"), pl.lit(1.0).alias("label_confidence")
    )
    acc = accounts.select("account_id", *[c for c in file_schema if c in accounts.columns and c not in REQUEST_COLUMNS])
    ids = acc["account_id"].to_list()
    request_cols = [*REQUEST_COLUMNS, *(["prompt"] if with_prompts else [])]
    stmt = export_requests(*window, account_ids=ids[:ACCOUNT_BATCH], with_prompts=with_prompts)
    for i in range(0, len(ids), ACCOUNT_BATCH):
        batch = export_requests(*window, account_ids=ids[i : i + ACCOUNT_BATCH], with_prompts=with_prompts)
        for part in run_batches(warehouse, batch, batch_rows=YIELD_ROWS):
            # One schema for every batch: a batch whose column is all null would otherwise fix a null type.
            frame = part.cast({c: file_schema[c] for c in request_cols})  # type: ignore[arg-type]
            if with_prompts:
                frame = frame.with_columns(redact_expr("prompt"))
            frame = frame.join(acc, on="account_id", how="left").join(keys, on="api_key_id", how="left", suffix="_key")
            # A key's own label (set or propagated at key level) is more specific than its account's; a key whose
            # telemetry analysts called bad makes no examples at all.
            frame = frame.filter(~pl.col("label_key").is_in(list(LEFT_OUT)).fill_null(False))
            frame = frame.with_columns(
                pl.when(pl.col("label_key").is_not_null()).then(pl.col(f"{c}_key")).otherwise(pl.col(c)).alias(c)
                for c in columns.LABEL_COLUMNS
            ).drop([f"{c}_key" for c in columns.LABEL_COLUMNS])
            if cutoff is not None:
                frame = frame.with_columns(pl.when(pl.col("ts") >= cutoff).then(pl.lit("test")).otherwise(pl.lit("train")).alias("split"))
            _route(frame.select(pl.col(c).cast(t) for c, t in file_schema.items()), writers, tally)
        if progress is not None:
            progress(min(i + ACCOUNT_BATCH, len(ids)), len(ids))
    return stmt

"""How does a drop get into the warehouse? File by file, chunk by chunk: read, validate, enrich, load, each file in one transaction."""

from __future__ import annotations

import hashlib
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError
from tqdm import tqdm

from queries import load as statements
from queries import schema
from queries.run import write
from radar.config import Settings
from radar.ingest import load
from radar.ingest.contract import KEYS
from radar.ingest.discover import Source, discover
from radar.ingest.enrich import enrich_requests
from radar.ingest.limits import Limits
from radar.ingest.prefetch import prefetch
from radar.ingest.readers import Chunk, ReadError, read_chunks
from radar.ingest.rollup import rebuild_if_missing
from radar.ingest.validate import scrub, validate
from radar.warehouse import ensure_schema, hold_for_writing

TABLES = {"requests": schema.requests, "accounts": schema.accounts, "api_keys": schema.api_keys}
#: How long a load waits for the warehouse file by default (RADAR_LOCK_WAIT_S).
LOCK_WAIT_S = Settings.lock_wait_s


@dataclass
class FileResult:
    """What one file contributed."""

    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    rows_duplicate: int = 0


@dataclass
class IngestSummary:
    """What a load did: files loaded and failed, rows loaded, quarantined and skipped as duplicates, and how fast."""

    files_loaded: int = 0
    files_failed: int = 0
    files_skipped: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    rows_duplicate: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    load_ids: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Did every file load (quarantined rows are not a failure)?"""
        return self.files_failed == 0

    @property
    def rows_per_s(self) -> float:
        """Rows read per second of wall time, loaded, quarantined and duplicate alike."""
        rows = self.rows_loaded + self.rows_quarantined + self.rows_duplicate
        return rows / self.seconds if self.seconds > 0 else 0.0

    def lines(self) -> list[str]:
        """The summary as printed at the end of `python -m radar ingest`."""
        return [
            f"files: {self.files_loaded} loaded, {self.files_failed} failed, {self.files_skipped} skipped",
            f"rows: {self.rows_loaded:,} loaded, {self.rows_quarantined:,} quarantined, {self.rows_duplicate:,} duplicates skipped"
            f" in {self.seconds:.1f}s ({self.rows_per_s:,.0f} rows/s)",
        ]


def _digest(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _quarantine_rows(chunk: Chunk, bad: pl.DataFrame) -> pl.DataFrame:
    """Parse-level and contract-level rejects of one chunk, with the original record text where the encoding keeps it."""
    if chunk.raw is not None and bad.height:
        raw = chunk.raw
        bad = bad.with_columns(pl.Series("raw", [raw(int(n)) for n in bad.get_column("row_number")], dtype=pl.String))
    # A record's text may hold NUL, which PostgreSQL cannot store: the quarantine keeps it as U+FFFD.
    return scrub(pl.concat([chunk.unparsed, bad]).sort("row_number"), ["raw", "reason"])[0]


def _distinct(table: str, frame: pl.DataFrame) -> pl.DataFrame:
    """The chunk's rows with one row per key (a repeated key in the same chunk is a duplicate delivery)."""
    if table == "api_keys":
        # Of repeated deliveries of a key, prefer one that carries the revocation time.
        frame = frame.sort("revoked_at", nulls_last=True, maintain_order=True)
    return frame.unique(KEYS[table], keep="first", maintain_order=True)


@dataclass
class Prepared:
    """A chunk ready to load: distinct enriched good rows, quarantine rows, and its counts."""

    good: pl.DataFrame
    bad: pl.DataFrame
    read: int
    valid: int


def _prepare(src: Source, limits: Limits) -> Iterator[Prepared]:
    """Read, validate and enrich the file's chunks (no warehouse access: this runs ahead in a worker thread)."""
    for chunk in read_chunks(src, limits):
        checked = validate(src.table, chunk.frame, max_prompt_chars=limits.prompt_chars)
        bad = _quarantine_rows(chunk, checked.bad)
        good = _distinct(src.table, checked.good)
        if src.table == "requests":
            good = enrich_requests(good)
        yield Prepared(good, bad, chunk.frame.height + chunk.unparsed.height, checked.good.height)


#: One item of the stream of prepared chunks: the file's index, then a chunk, or None once the file is done, or the
#: error that stopped reading it.
Item = tuple[int, Prepared | Exception | None]


def _stream(sources: list[Source], engine: Engine, limits: Limits) -> Iterator[Item]:
    """Every file's prepared chunks in order, each file closed by None or by its error (runs in the worker thread).

    Files already loaded are not prepared: the loading side checks again after the previous files commit."""
    for i, src in enumerate(sources):
        try:
            if _already_loaded(engine, src, _digest(src.path)) is None:
                for p in _prepare(src, limits):
                    yield i, p
        except Exception as e:  # this file's failure alone: the loading side reports it, the next file goes on
            yield i, e
            continue
        yield i, None


class _Chunks:
    """The stream read file by file: the next file's first chunk is prepared while this file's last one loads."""

    def __init__(self, items: Iterator[Item]) -> None:
        self._items = items
        self._closed = -1  # index of the last file whose closing item was read

    def of(self, index: int) -> Iterator[Prepared]:
        """The chunks of file `index`; raises the error that stopped its reading."""
        while self._closed < index:
            i, item = next(self._items)
            if i < index:
                continue  # left over from a file that stopped early
            if not isinstance(item, Prepared):
                self._closed = i
                if isinstance(item, Exception):
                    raise item
                return
            yield item

    def skip(self, index: int) -> None:
        """Discard what is left of file `index` (skipped or failed)."""
        while self._closed < index:
            i, item = next(self._items)
            if not isinstance(item, Prepared):
                self._closed = i


def _load_file(conn: Connection, src: Source, chunks: Iterator[Prepared], load_id: str, bar: tqdm | None) -> FileResult:
    """Load one file inside the caller's transaction; raises ReadError when the file cannot be read."""
    res = FileResult()
    target = TABLES[src.table]
    now = datetime.now(UTC)
    for p in chunks:
        good = p.good.with_columns(pl.lit(load_id).alias("load_id"))
        inserted = load.insert_requests(conn, good) if target is schema.requests else load.insert_new(conn, target, good, KEYS[src.table])
        if p.bad.height:
            q = p.bad.with_columns(
                pl.lit(load_id).alias("load_id"),
                pl.lit(src.table).alias("table_name"),
                pl.lit(str(src.path)).alias("source_file"),
                pl.lit(now).alias("quarantined_at"),
            )
            load.append(conn, schema.quarantine, q)
        res.rows_read += p.read
        res.rows_loaded += inserted
        res.rows_quarantined += p.bad.height
        res.rows_duplicate += p.valid - inserted
        if bar is not None:
            bar.update(p.read)
    return res


def _log(
    conn: Connection, src: Source, load_id: str, digest: str | None, started: datetime, res: FileResult, status: str, message: str | None
) -> None:
    conn.execute(
        statements.log_load(
            load_id=load_id,
            source_file=str(src.path),
            file_digest=digest,
            table_name=src.table,
            file_format=src.fmt + (".gz" if src.compressed else ""),
            started_at=started,
            finished_at=datetime.now(UTC),
            rows_read=res.rows_read,
            rows_loaded=res.rows_loaded,
            rows_quarantined=res.rows_quarantined,
            rows_duplicate=res.rows_duplicate,
            status=status,
            message=message,
        )
    )


def _already_loaded(engine: Engine, src: Source, digest: str) -> int | None:
    """Was a file with these exact bytes already loaded into this table? Its row count (loaded + duplicate) if so."""
    with engine.connect() as conn:
        value = conn.execute(statements.loaded_rows(digest, src.table)).scalar()
    return None if value is None else int(value)


def _one_line(e: BaseException) -> str:
    text = str(e).strip().splitlines()
    return text[0][:300] if text else type(e).__name__


def ingest_paths(
    paths: list[Path],
    engine: Engine,
    *,
    chunk_rows: int | None = None,
    limits: Limits | None = None,
    progress: bool = False,
    lock_wait_s: float = LOCK_WAIT_S,
    on_wait: Callable[[str], None] | None = None,
) -> IngestSummary:
    """Load the gateway files under `paths` into the warehouse: what was loaded, quarantined, skipped, and what failed?

    Chunks stay within `limits` (rows and bytes; chunk_rows, when given, sets the rows) and prompts are stored cut
    to limits.prompt_chars, so memory follows the limits, not the files. A DuckDB file is held from the first file to the last (waiting up to `lock_wait_s` for the dashboard to let go,
    telling `on_wait`, by default stderr), so a reader can never make a later file of the run fail. Raises
    WarehouseBusy, with nothing written, when the file stays held."""
    with hold_for_writing(engine, wait_s=lock_wait_s, on_wait=on_wait or _tell):
        return _ingest_held(paths, engine, limits=_limits(chunk_rows, limits), progress=progress)


def _limits(chunk_rows: int | None, limits: Limits | None) -> Limits:
    """The limits in force: those given (default: the settings' defaults), with chunk_rows, when given, as the row bound."""
    limits = limits or Limits()
    return replace(limits, rows=max(1, chunk_rows)) if chunk_rows is not None else limits


def _tell(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _ingest_held(paths: list[Path], engine: Engine, *, limits: Limits, progress: bool) -> IngestSummary:
    """Load the files while the warehouse is held (see ingest_paths)."""
    t0 = time.perf_counter()
    ensure_schema(engine)
    found = discover([Path(p) for p in paths])
    summary = IngestSummary(files_skipped=len(found.skipped), notices=list(found.skipped))
    rebuilt = rebuild_if_missing(engine)
    if rebuilt is not None:
        summary.notices.append(f"rollups built from the {rebuilt:,} requests stored before rollups existed")
    bar = tqdm(total=None, unit=" rows", unit_scale=True, disable=not progress, leave=False, dynamic_ncols=True) if progress else None
    stream = prefetch(_stream(found.sources, engine, limits))
    chunks = _Chunks(stream)
    try:
        for index, src in enumerate(found.sources):
            load_id = f"{datetime.now(UTC):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:12]}"
            started = datetime.now(UTC)
            if bar is not None:
                bar.set_description(src.path.name)
            try:
                digest = _digest(src.path)
                seen = _already_loaded(engine, src, digest)
                if seen is not None:
                    # Same bytes as a file already loaded: every row is a duplicate and its quarantine is already recorded.
                    summary.files_skipped += 1
                    summary.rows_duplicate += seen
                    summary.notices.append(f"skipped {src.path}: already loaded (same content)")
                    chunks.skip(index)
                    continue
                with write(engine) as conn:
                    load.prepare_session(conn)
                    res = _load_file(conn, src, chunks.of(index), load_id, bar)
                    _log(conn, src, load_id, digest, started, res, "loaded", None)
            except Exception as e:  # any failure fails this file alone, as one line; the transaction has rolled back
                chunks.skip(index)
                message = _one_line(e)
                if not isinstance(e, ReadError):
                    message = f"{src.path} could not be loaded: {message}"
                try:
                    with write(engine) as conn:
                        _log(conn, src, load_id, None, started, FileResult(), "failed", message)
                except SQLAlchemyError as log_error:  # the warehouse itself is gone: say so, keep the file's message
                    message += f" (and the load log could not be written: {_one_line(log_error)})"
                summary.files_failed += 1
                summary.errors.append(message)
                continue
            summary.files_loaded += 1
            summary.load_ids.append(load_id)
            summary.rows_loaded += res.rows_loaded
            summary.rows_quarantined += res.rows_quarantined
            summary.rows_duplicate += res.rows_duplicate
    finally:
        stream.close()  # stops the worker thread, also when a load is interrupted
        if bar is not None:
            bar.close()
    summary.seconds = time.perf_counter() - t0
    return summary

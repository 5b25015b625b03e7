"""How is each encoding read in bounded chunks? Parquet by record batches, JSON Lines and CSV by blocks of lines, all as text where the encoding is textual."""

from __future__ import annotations

import csv
import gzip
import io
import itertools
import json
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.csv as pacsv

from radar.ingest.contract import FIELDS
from radar.ingest.discover import CSV, JSONL, PARQUET, Source
from radar.ingest.validate import QUARANTINE_SCHEMA, RAW_CHARS, ROW


class ReadError(RuntimeError):
    """The file cannot be read at all; the message is one sentence for the analyst."""


@dataclass
class Chunk:
    """A bounded slice of a file: rows as columns plus _row, records that could not even be parsed, and their raw text."""

    frame: pl.DataFrame
    unparsed: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=QUARANTINE_SCHEMA))
    raw: Callable[[int], str] | None = None  # original text of a row, by row number, where the encoding keeps it


def _required_missing(table: str, columns: list[str]) -> list[str]:
    return [f.name for f in FIELDS[table] if f.required and f.name not in columns]


def _string_schema(table: str) -> dict[str, pl.DataType]:
    return {f.name: pl.String() for f in FIELDS[table]}


def read_parquet(src: Source, chunk_rows: int) -> Iterator[Chunk]:
    """Batches of a Parquet file from polars' streaming engine, contract columns only, typed as written."""
    try:
        names = list(pl.read_parquet_schema(src.path))
    except (pl.exceptions.PolarsError, OSError, pa.ArrowException) as e:
        raise ReadError(f"{src.path} is not a readable Parquet file ({str(e).splitlines()[0]})") from e
    missing = _required_missing(src.table, names)
    if missing:
        raise ReadError(f"{src.path} lacks required column(s) {', '.join(missing)} for {src.table}")
    columns = [f.name for f in FIELDS[src.table] if f.name in names]
    start = 1
    try:
        # Streaming batches keep memory bounded by chunk_rows, not by the file (pyarrow's iter_batches reads the same, slower here).
        for frame in pl.scan_parquet(src.path).select(columns).collect_batches(chunk_size=chunk_rows, maintain_order=True):
            frame = frame.with_columns(pl.int_range(start, start + frame.height, dtype=pl.Int64).alias(ROW))
            start += frame.height
            yield Chunk(frame)
    except (pl.exceptions.PolarsError, OSError) as e:
        raise ReadError(f"{src.path} could not be read past row {start - 1} ({str(e).splitlines()[0]})") from e


def _open_lines(src: Source) -> io.BufferedIOBase:
    return gzip.open(src.path, "rb") if src.compressed else src.path.open("rb")  # type: ignore[return-value]


def line_blocks(src: Source, chunk_rows: int) -> Iterator[tuple[int, list[bytes]]]:
    """Blocks of at most chunk_rows lines with the 1-based number of the first; a corrupt gzip stream is a ReadError."""
    first = 1
    try:
        with _open_lines(src) as f:
            while True:
                lines = list(itertools.islice(f, chunk_rows))
                if not lines:
                    return
                yield first, lines
                first += len(lines)
    except (OSError, EOFError, zlib.error) as e:
        raise ReadError(f"{src.path} could not be read past line {first - 1} ({e})") from e


def _text(line: bytes) -> str:
    return line.decode("utf-8", errors="replace").rstrip("\r\n")[:RAW_CHARS]


def read_jsonl(src: Source, chunk_rows: int) -> Iterator[Chunk]:
    """Blocks of JSON Lines parsed at once; a block that fails is re-parsed line by line to quarantine the bad lines."""
    schema = _string_schema(src.table)
    for first, lines in line_blocks(src, chunk_rows):
        numbers = [first + i for i, ln in enumerate(lines) if ln.strip()]
        body = [lines[n - first] for n in numbers]
        unparsed = pl.DataFrame(schema=QUARANTINE_SCHEMA)
        try:
            frame = pl.read_ndjson(io.BytesIO(b"".join(ln if ln.endswith(b"\n") else ln + b"\n" for ln in body)), schema=schema)
            if frame.height != len(body):
                raise pl.exceptions.ComputeError("row count differs from line count")
        except (pl.exceptions.PolarsError, ValueError):
            good: list[int] = []
            bad: list[int] = []
            for n, ln in zip(numbers, body, strict=True):
                try:
                    ok = isinstance(json.loads(ln), dict)
                except ValueError:
                    ok = False
                (good if ok else bad).append(n)
            unparsed = pl.DataFrame(
                {"row_number": bad, "reason": ["unparsable JSON line"] * len(bad), "raw": [_text(lines[n - first]) for n in bad]},
                schema=QUARANTINE_SCHEMA,
            )
            numbers = good
            data = b"".join(lines[n - first] if lines[n - first].endswith(b"\n") else lines[n - first] + b"\n" for n in good)
            frame = pl.read_ndjson(io.BytesIO(data), schema=schema) if good else pl.DataFrame(schema=schema)
        frame = frame.with_columns(pl.Series(ROW, numbers, dtype=pl.Int64))
        yield Chunk(frame, unparsed, raw=lambda n, lines=lines, first=first: _text(lines[n - first]))  # type: ignore[misc]


def _csv_header(src: Source) -> list[str]:
    try:
        with _open_lines(src) as f:
            head = f.readline().decode("utf-8-sig")
    except (OSError, EOFError, zlib.error, UnicodeDecodeError) as e:
        raise ReadError(f"{src.path} is not a readable CSV file ({e})") from e
    rows = list(csv.reader([head]))
    return [c.strip() for c in rows[0]] if rows else []


def read_csv(src: Source, chunk_rows: int) -> Iterator[Chunk]:
    """Record batches of a CSV file with a header, every column as text; rows with the wrong number of fields are quarantined."""
    header = _csv_header(src)
    missing = _required_missing(src.table, header)
    if missing:
        raise ReadError(f"{src.path} has no header naming the required column(s) {', '.join(missing)} for {src.table}")
    malformed: list[tuple[int, str]] = []

    def on_invalid(row: pacsv.InvalidRow) -> str:
        # row.number is the file line; the header is line 1, so data row = line - 1 (records without embedded newlines).
        malformed.append(((row.number or 0) - 1, row.text or ""))
        return "skip"

    wanted = [f.name for f in FIELDS[src.table] if f.name in header]
    try:
        reader = pacsv.open_csv(
            pa.input_stream(str(src.path), compression="gzip" if src.compressed else None),
            read_options=pacsv.ReadOptions(use_threads=False, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(newlines_in_values=True, invalid_row_handler=on_invalid),
            convert_options=pacsv.ConvertOptions(
                column_types={c: pa.string() for c in header},
                include_columns=wanted,
                strings_can_be_null=True,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowException, OSError, EOFError) as e:
        raise ReadError(f"{src.path} is not a readable CSV file ({str(e).splitlines()[0]})") from e
    next_row = 1
    pending: list[pl.DataFrame] = []
    pending_rows = 0

    def flush(final: bool = False) -> Chunk:
        nonlocal next_row, pending, pending_rows
        frame = pl.concat(pending) if len(pending) > 1 else pending[0]
        bad_rows = np.array([n for n, _ in malformed], dtype=np.int64)
        # Number good rows by their place among all data rows, stepping over the malformed ones.
        candidates = np.arange(next_row, next_row + frame.height + len(bad_rows) + 1, dtype=np.int64)
        numbers = candidates[~np.isin(candidates, bad_rows)][: frame.height]
        last = int(numbers[-1]) if len(numbers) else next_row - 1
        done = [(n, t) for n, t in malformed if final or n < last]
        malformed[:] = [(n, t) for n, t in malformed if not (final or n < last)]
        unparsed = pl.DataFrame(
            {
                "row_number": [n for n, _ in done],
                "reason": ["malformed CSV row (wrong number of fields)"] * len(done),
                "raw": [t[:RAW_CHARS] for _, t in done],
            },
            schema=QUARANTINE_SCHEMA,
        )
        next_row = last + 1
        pending, pending_rows = [], 0
        return Chunk(frame.with_columns(pl.Series(ROW, numbers, dtype=pl.Int64)), unparsed)

    try:
        for batch in reader:
            frame = pl.from_arrow(batch)
            assert isinstance(frame, pl.DataFrame)
            while frame.height:
                take = frame.head(chunk_rows - pending_rows)
                frame = frame.slice(take.height)
                pending.append(take)
                pending_rows += take.height
                if pending_rows >= chunk_rows:
                    yield flush()
    except (pa.ArrowException, OSError, EOFError) as e:
        raise ReadError(f"{src.path} could not be read as CSV ({str(e).splitlines()[0]})") from e
    if pending or malformed:
        if not pending:
            pending = [pl.DataFrame(schema={c: pl.String for c in wanted})]
        yield flush(final=True)


def read_chunks(src: Source, chunk_rows: int) -> Iterator[Chunk]:
    """The file's rows in chunks of at most chunk_rows, whatever its encoding."""
    from radar.ingest.otlp import read_otlp

    readers = {PARQUET: read_parquet, JSONL: read_jsonl, CSV: read_csv}
    return readers.get(src.fmt, read_otlp)(src, chunk_rows)

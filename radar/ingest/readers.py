"""How is each encoding read in bounded chunks? By rows and by bytes: Parquet in record batches, JSON Lines and CSV by
blocks of lines, all as text where the encoding is textual. See `limits.Limits` for the bounds."""

from __future__ import annotations

import gzip
import io
import json
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from radar.ingest import repair
from radar.ingest.contract import FIELDS
from radar.ingest.discover import CSV, JSONL, PARQUET, Source
from radar.ingest.limits import Limits, assemble
from radar.ingest.validate import QUARANTINE_SCHEMA, RAW_CHARS, ROW

#: Rows decoded per Parquet read, at most: pyarrow reads far faster in batches of this order than in huge ones.
PARQUET_BATCH_ROWS = 65_536
#: Bytes pyarrow buffers from the Parquet file per column read (instead of whole column chunks of a row group).
PARQUET_BUFFER_BYTES = 1 << 20


class ReadError(RuntimeError):
    """The file cannot be read at all; the message is one sentence for the analyst."""


@dataclass
class Chunk:
    """A bounded slice of a file: rows as columns plus _row, records that could not even be parsed, and their raw text."""

    frame: pl.DataFrame
    unparsed: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=QUARANTINE_SCHEMA))
    raw: Callable[[int], str] | None = None  # original text of a row, by row number, where the encoding keeps it


def required_missing(table: str, columns: list[str]) -> list[str]:
    """Which required contract fields of `table` are not among the file's columns?"""
    return [f.name for f in FIELDS[table] if f.required and f.name not in columns]


def _string_schema(table: str) -> dict[str, pl.DataType]:
    return {f.name: pl.String() for f in FIELDS[table]}


def _parquet_batch_rows(meta: pq.FileMetaData, columns: list[str], limits: Limits) -> int:
    """Rows per read such that a batch of the widest row group's rows stays within limits.bytes (and limits.rows)."""
    widest = 0.0
    for i in range(meta.num_row_groups):
        rg = meta.row_group(i)
        if rg.num_rows:
            size = sum(rg.column(j).total_uncompressed_size for j in range(rg.num_columns) if rg.column(j).path_in_schema in columns)
            widest = max(widest, size / rg.num_rows)
    by_bytes = int(limits.bytes // widest) if widest else limits.rows
    return max(1, min(limits.rows, by_bytes, PARQUET_BATCH_ROWS))


def read_parquet(src: Source, limits: Limits) -> Iterator[Chunk]:
    """Batches of a Parquet file, contract columns only, typed as written, within the chunk limits.

    pyarrow decodes a row group page by page into small batches; polars' scan would decode a whole row group at
    once, so memory would follow the row group (a 50,000-row group of 20 KB prompts is 1 GB) rather than the limits."""
    try:
        pf = pq.ParquetFile(src.path, pre_buffer=False, buffer_size=PARQUET_BUFFER_BYTES)
        names = pf.schema_arrow.names
    except (pa.ArrowException, OSError) as e:
        raise ReadError(f"{src.path} is not a readable Parquet file ({str(e).splitlines()[0]})") from e
    missing = required_missing(src.table, names)
    if missing:
        pf.close()
        raise ReadError(f"{src.path} lacks required column(s) {', '.join(missing)} for {src.table}")
    columns = [f.name for f in FIELDS[src.table] if f.name in names]
    start = 1

    def frames() -> Iterator[pl.DataFrame]:
        for batch in pf.iter_batches(batch_size=_parquet_batch_rows(pf.metadata, columns, limits), columns=columns):
            frame = pl.from_arrow(batch)
            assert isinstance(frame, pl.DataFrame)
            yield frame

    try:
        for frame in assemble(frames(), limits):
            yield Chunk(frame.with_columns(pl.int_range(start, start + frame.height, dtype=pl.Int64).alias(ROW)))
            start += frame.height
    except (pa.ArrowException, pl.exceptions.PolarsError, OSError) as e:
        raise ReadError(f"{src.path} could not be read past row {start - 1} ({str(e).splitlines()[0]})") from e
    finally:
        pf.close()


def open_lines(src: Source) -> io.BufferedIOBase:
    """The file's bytes, decompressed where it is gzip."""
    return gzip.open(src.path, "rb") if src.compressed else src.path.open("rb")  # type: ignore[return-value]


def line_blocks(src: Source, limits: Limits) -> Iterator[tuple[int, list[bytes]]]:
    """Blocks of lines within limits.rows lines and about limits.bytes bytes, with the 1-based number of the first.

    A block ends with the line that reaches the byte budget; a line is never split. A corrupt gzip stream is a ReadError."""
    first = 1
    lines: list[bytes] = []
    size = 0
    try:
        with open_lines(src) as f:
            for line in f:
                lines.append(line)
                size += len(line)
                if len(lines) >= limits.rows or size >= limits.bytes:
                    yield first, lines
                    first += len(lines)
                    lines, size = [], 0
        if lines:
            yield first, lines
    except (OSError, EOFError, zlib.error) as e:
        raise ReadError(f"{src.path} could not be read past line {first + len(lines) - 1} ({e})") from e


def raw_text(line: bytes) -> str:
    """What quarantine keeps of a line: its text, invalid bytes replaced, cut to RAW_CHARS."""
    return line[: RAW_CHARS * 4].decode("utf-8", errors="replace").rstrip("\r\n")[:RAW_CHARS]


def _ndjson(lines: list[bytes], schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """The lines parsed at once by polars; raises when any line fails (or the row count differs from the line count)."""
    frame = pl.read_ndjson(io.BytesIO(b"".join(ln if ln.endswith(b"\n") else ln + b"\n" for ln in lines)), schema=schema)
    if frame.height != len(lines):
        raise pl.exceptions.ComputeError("row count differs from line count")
    return frame


def _bisect(numbers: list[int], lines: list[bytes], schema: dict[str, pl.DataType]) -> tuple[list[pl.DataFrame], list[int]]:
    """Frames of the lines polars parses (each with _row) and the numbers of those it cannot, found by halving."""
    try:
        return [_ndjson(lines, schema).with_columns(pl.Series(ROW, numbers, dtype=pl.Int64))], []
    except (pl.exceptions.PolarsError, ValueError):
        if len(lines) == 1:
            return [], numbers
    mid = len(lines) // 2
    left, bad_left = _bisect(numbers[:mid], lines[:mid], schema)
    right, bad_right = _bisect(numbers[mid:], lines[mid:], schema)
    return left + right, bad_left + bad_right


def _careful(numbers: list[int], body: list[bytes], schema: dict[str, pl.DataType]) -> tuple[pl.DataFrame, list[int]]:
    """A block that polars refused, line by line: repaired text re-encoded, bad lines' numbers returned apart.

    Python's parser takes what polars' refuses (lone surrogates, invalid UTF-8 once replaced); such lines are
    re-encoded from the repaired object and marked REPAIRED. What neither takes (NaN, a truncated line) is bad."""
    good: list[int] = []
    lines: list[bytes] = []
    bad: list[int] = []
    fixed: set[int] = set()
    for n, ln in zip(numbers, body, strict=True):
        doc, changed = repair.json_object(ln)
        if doc is None:
            bad.append(n)
            continue
        good.append(n)
        lines.append(json.dumps(doc, ensure_ascii=False).encode() if changed else ln)
        if changed:
            fixed.add(n)
    frames, refused = _bisect(good, lines, schema) if good else ([], [])
    frame = pl.concat(frames) if frames else pl.DataFrame(schema={**schema, ROW: pl.Int64})
    frame = frame.with_columns(pl.col(ROW).is_in(sorted(fixed)).alias(repair.REPAIRED))
    return frame, sorted(bad + refused)


def read_jsonl(src: Source, limits: Limits) -> Iterator[Chunk]:
    """Blocks of JSON Lines parsed at once; a block that fails is re-parsed line by line to repair or quarantine lines."""
    schema = _string_schema(src.table)
    for first, lines in line_blocks(src, limits):
        numbers = [first + i for i, ln in enumerate(lines) if ln.strip()]
        body = [lines[n - first] for n in numbers]
        bad: list[int] = []
        try:
            frame = _ndjson(body, schema).with_columns(pl.Series(ROW, numbers, dtype=pl.Int64)) if body else pl.DataFrame()
        except (pl.exceptions.PolarsError, ValueError):
            frame, bad = _careful(numbers, body, schema)
        if frame.width == 0:
            frame = pl.DataFrame(schema={**schema, ROW: pl.Int64})
        unparsed = pl.DataFrame(
            {"row_number": bad, "reason": ["unparsable JSON line"] * len(bad), "raw": [raw_text(lines[n - first]) for n in bad]},
            schema=QUARANTINE_SCHEMA,
        )
        yield Chunk(frame, unparsed, raw=lambda n, lines=lines, first=first: raw_text(lines[n - first]))  # type: ignore[misc]


def read_chunks(src: Source, limits: Limits) -> Iterator[Chunk]:
    """The file's rows in chunks within `limits`, whatever its encoding."""
    from radar.ingest.csvfile import read_csv
    from radar.ingest.otlp import read_otlp

    readers = {PARQUET: read_parquet, JSONL: read_jsonl, CSV: read_csv}
    return readers.get(src.fmt, read_otlp)(src, limits)

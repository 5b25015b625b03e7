"""How is a CSV file read in bounded chunks? Arrow's streaming reader, every column as bytes made text, malformed rows apart."""

from __future__ import annotations

import csv
import zlib
from collections.abc import Iterator

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.csv as pacsv

from radar.ingest import repair
from radar.ingest.contract import FIELDS
from radar.ingest.discover import Source
from radar.ingest.limits import Limits, assemble
from radar.ingest.readers import Chunk, ReadError, open_lines, required_missing
from radar.ingest.validate import QUARANTINE_SCHEMA, RAW_CHARS, ROW

#: Bytes Arrow parses at a time. A record spanning more than two blocks cannot be parsed ("straddling object"), so a
#: file that has one is read again from the row it stopped at with blocks four times larger, up to the largest block.
CSV_BLOCK_BYTES = 1 << 24
CSV_MAX_BLOCK_BYTES = 1 << 30


def _csv_header(src: Source) -> list[str]:
    try:
        with open_lines(src) as f:
            head = f.readline().decode("utf-8-sig")
    except (OSError, EOFError, zlib.error, UnicodeDecodeError) as e:
        raise ReadError(f"{src.path} is not a readable CSV file ({e})") from e
    rows = list(csv.reader([head]))
    return [c.strip() for c in rows[0]] if rows else []


def _record_too_long(e: BaseException) -> bool:
    return "straddling" in str(e) or "straddles" in str(e)


def read_csv(src: Source, limits: Limits) -> Iterator[Chunk]:
    """Chunks of a CSV file with a header, every column as text; rows with the wrong number of fields are quarantined.

    Columns are read as bytes and made text here, so that invalid UTF-8 is replaced (and the row marked) instead of
    failing the file."""
    header = _csv_header(src)
    missing = required_missing(src.table, header)
    if missing:
        raise ReadError(f"{src.path} has no header naming the required column(s) {', '.join(missing)} for {src.table}")
    wanted = [f.name for f in FIELDS[src.table] if f.name in header]
    malformed: list[tuple[int, str]] = []
    next_row = 1  # the first data row not yet handed out (every row before it is loaded or quarantined)

    def on_invalid(row: pacsv.InvalidRow) -> str:
        # row.number counts records from the header (1), so data row = number - 1, also when rows were skipped.
        malformed.append(((row.number or 0) - 1, row.text or ""))
        return "skip"

    def open_reader(block: int) -> pacsv.CSVStreamingReader:
        return pacsv.open_csv(
            pa.input_stream(str(src.path), compression="gzip" if src.compressed else None),
            read_options=pacsv.ReadOptions(use_threads=False, block_size=block, skip_rows_after_names=next_row - 1),
            parse_options=pacsv.ParseOptions(newlines_in_values=True, invalid_row_handler=on_invalid),
            convert_options=pacsv.ConvertOptions(
                column_types={c: pa.binary() for c in header},
                include_columns=wanted,
                strings_can_be_null=True,
                quoted_strings_can_be_null=False,
            ),
        )

    def numbered(frame: pl.DataFrame, final: bool = False) -> Chunk:
        nonlocal next_row
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
        return Chunk(frame.with_columns(pl.Series(ROW, numbers, dtype=pl.Int64)), unparsed)

    block = CSV_BLOCK_BYTES
    while True:
        malformed.clear()  # rows at or after next_row are reported again by the new reader
        try:
            reader = open_reader(block)
            for frame in assemble((repair.utf8_columns(batch) for batch in reader), limits):
                yield numbered(frame)
            break
        except (pa.ArrowException, OSError, EOFError) as e:
            if _record_too_long(e) and block < CSV_MAX_BLOCK_BYTES:
                block *= 4
                continue
            first = str(e).splitlines()[0]
            if _record_too_long(e):
                first = f"a record is longer than {CSV_MAX_BLOCK_BYTES >> 20} MB"
            if next_row == 1:
                raise ReadError(f"{src.path} is not a readable CSV file ({first})") from e
            raise ReadError(f"{src.path} could not be read as CSV past row {next_row - 1} ({first})") from e
    if malformed:
        yield numbered(pl.DataFrame(schema={**{c: pl.String for c in wanted}, repair.REPAIRED: pl.Boolean}), final=True)

"""How much may one ingest chunk hold, and how long may a stored prompt be? Memory follows these, not the file."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np
import polars as pl

from radar.config import Settings


@dataclass(frozen=True)
class Limits:
    """A chunk ends at `rows` rows or `bytes` bytes of the file, whichever comes first; prompts keep `prompt_chars` characters.

    Rows alone do not bound memory: 500,000 lines of 20 KB are 10 GB. A record longer than `bytes` still makes a
    chunk of its own (a record is never split)."""

    rows: int = Settings.ingest_chunk_rows
    bytes: int = Settings.chunk_bytes
    prompt_chars: int = Settings.max_prompt_chars

    def __post_init__(self) -> None:
        for name in ("rows", "bytes", "prompt_chars"):
            if getattr(self, name) < 1:
                raise ValueError(f"ingest limit {name} must be at least 1, not {getattr(self, name)}")


def row_bytes(frame: pl.DataFrame) -> pl.Series:
    """About how many bytes each row holds: its text and binary values' lengths plus eight per other value."""
    if frame.width == 0:
        return pl.Series("bytes", [0] * frame.height, dtype=pl.Int64)
    parts = []
    for name, dtype in frame.schema.items():
        c = pl.col(name)
        if dtype == pl.String:
            parts.append(c.str.len_bytes().fill_null(0).cast(pl.Int64))
        elif dtype == pl.Binary:
            parts.append(c.bin.size().fill_null(0).cast(pl.Int64))
        else:
            parts.append(pl.lit(8, pl.Int64))
    return frame.select(pl.sum_horizontal(parts).alias("bytes")).to_series()


def assemble(frames: Iterable[pl.DataFrame], limits: Limits) -> Iterator[pl.DataFrame]:
    """The rows of a stream of frames (record batches) regrouped, in order, into chunks within both limits.

    A chunk takes rows while they fit; a single row larger than limits.bytes makes a chunk of its own."""
    pending: list[pl.DataFrame] = []
    rows = size = 0
    for frame in frames:
        total = np.cumsum(row_bytes(frame).to_numpy())
        start = done = 0
        while start < frame.height:
            fit = int(np.searchsorted(total, done + limits.bytes - size, side="right"))  # rows [start, fit) fit the room left
            end = min(fit, start + limits.rows - rows, frame.height)
            if end == start:
                if pending:  # the next row does not fit: this chunk is full
                    yield pl.concat(pending) if len(pending) > 1 else pending[0]
                    pending, rows, size = [], 0, 0
                    continue
                end = start + 1
            pending.append(frame.slice(start, end - start))
            rows, size, done, start = rows + end - start, size + int(total[end - 1]) - done, int(total[end - 1]), end
            if rows >= limits.rows or size >= limits.bytes:
                yield pl.concat(pending) if len(pending) > 1 else pending[0]
                pending, rows, size = [], 0, 0
    if pending:
        yield pl.concat(pending) if len(pending) > 1 else pending[0]

"""Writing tables in the contract encodings: Parquet, gzip JSON Lines, CSV (timestamps as RFC 3339 UTC text)."""

from __future__ import annotations

import gzip
from pathlib import Path

import polars as pl
import polars.selectors as cs

EXTENSIONS = {"parquet": "parquet", "jsonl": "jsonl.gz", "csv": "csv"}
# Rows serialised at a time for text formats, so a part never needs its whole text in memory.
_TEXT_SLICE = 100_000


def _as_text_times(frame: pl.DataFrame) -> pl.DataFrame:
    """Timestamps rendered as RFC 3339 UTC text, as the contract asks of text encodings."""
    return frame.with_columns(cs.datetime().dt.strftime("%Y-%m-%dT%H:%M:%S%.6fZ"))


def write_table(frame: pl.DataFrame, stem: Path, fmt: str) -> Path:
    """Write one table (or one part of it) next to stem in the chosen encoding; returns the file written."""
    path = stem.with_name(f"{stem.name}.{EXTENSIONS[fmt]}")
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "parquet":
        frame.write_parquet(path, compression="zstd", statistics=True)
    elif fmt == "jsonl":
        # mtime=0 and no file name in the gzip header: the same drop gives the same bytes.
        with path.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=5) as gz:
            for start in range(0, max(frame.height, 1), _TEXT_SLICE):
                gz.write(_as_text_times(frame.slice(start, _TEXT_SLICE)).write_ndjson().encode())
    else:
        with path.open("wb") as out:
            for start in range(0, max(frame.height, 1), _TEXT_SLICE):
                _as_text_times(frame.slice(start, _TEXT_SLICE)).write_csv(out, include_header=start == 0)
    return path

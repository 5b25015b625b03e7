"""How are frames written chunk by chunk? One appending writer per format (Parquet, CSV, JSON Lines)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pyarrow.parquet as pq

FORMATS = ("parquet", "csv", "jsonl")


class FrameWriter:
    """Appends frames of one schema to a file; the file is complete once `close()` returns."""

    def __init__(self, path: Path, fmt: str) -> None:
        if fmt not in FORMATS:
            raise ValueError(f"The export format must be one of {', '.join(FORMATS)}, not {fmt!r}.")
        self.path, self.fmt, self.rows = path, fmt, 0
        self._pq: pq.ParquetWriter | None = None
        self._fh: Any = None
        self._schema: pl.Schema | None = None

    def write(self, frame: pl.DataFrame) -> None:
        """Append these rows (the first frame fixes the schema; later frames are cast to it)."""
        if self._schema is None:
            self._schema = frame.schema
        else:
            frame = frame.cast(dict(self._schema))  # type: ignore[arg-type]
        if self.fmt == "parquet":
            table = frame.to_arrow()
            if self._pq is None:
                self._pq = pq.ParquetWriter(self.path, table.schema, compression="zstd")
            self._pq.write_table(table)
        else:
            if self._fh is None:
                self._fh = open(self.path, "wb")  # noqa: SIM115 - held open across chunks, closed in close()
                if self.fmt == "csv":
                    frame.head(0).write_csv(self._fh, include_header=True)
            if frame.height:
                if self.fmt == "csv":
                    frame.write_csv(self._fh, include_header=False)
                else:
                    frame.write_ndjson(self._fh)
        self.rows += frame.height

    def close(self, empty_schema: pl.Schema | None = None) -> None:
        """Finish the file (an empty file with the expected columns when nothing was written)."""
        if self._schema is None:
            self.write(pl.DataFrame(schema=empty_schema or {}))
        if self._pq is not None:
            self._pq.close()
        if self._fh is not None:
            self._fh.close()


def read_back(path: Path) -> pl.DataFrame:
    """What does an exported file hold (by its extension)?"""
    if path.suffix == ".parquet":
        return pl.read_parquet(path)
    if path.suffix == ".csv":
        return pl.read_csv(path, try_parse_dates=True)
    return pl.read_ndjson(path)

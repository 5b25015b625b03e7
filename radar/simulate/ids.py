"""Opaque identifiers and hashes, drawn the same way for every caller from the seeded generator."""

from __future__ import annotations

import numpy as np
import polars as pl

_HEX = np.array([f"{i:02x}".encode() for i in range(256)], dtype="S2")


def hex_ids(rng: np.random.Generator, n: int, prefix: str = "", nbytes: int = 8) -> pl.Series:
    """What are n fresh random identifiers (prefix + 2*nbytes hex digits)?"""
    raw = rng.integers(0, 256, size=(n, nbytes), dtype=np.uint8)
    packed = np.ascontiguousarray(_HEX[raw]).view(f"S{2 * nbytes}").ravel()
    hexes = pl.Series(packed).cast(pl.String)
    if not prefix:
        return hexes
    return pl.select(pl.lit(prefix, dtype=pl.String) + pl.lit(hexes)).to_series()

"""Which hashes does enrichment ask the in-process engine for? The md5 statements over one registered column.

`radar/ingest/enrich.py` registers a batch of texts as view `HASH_VIEW` (column `v`) on a private in-memory DuckDB
and runs one of these; a plain projection over one scan keeps the rows in their order.
"""

from __future__ import annotations

#: The view a batch of texts is registered as (one column, v).
HASH_VIEW = "_v"


def md5_prefix() -> tuple[str, list[object]]:
    """The first 16 hex digits of each text's md5 (the same digits as hashlib's md5 of the UTF-8 bytes)."""
    return f"SELECT substr(md5(v), 1, 16) AS d FROM {HASH_VIEW}", []


def md5_bucket(modulus: int) -> tuple[str, list[object]]:
    """Each text's md5 reduced modulo `modulus`: md5_number_upper is the first 8 digest bytes read little-endian."""
    return f"SELECT md5_number_upper(v) % $1 AS d FROM {HASH_VIEW}", [modulus]

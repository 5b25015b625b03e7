"""Which files make up a drop, which table does each belong to, and in which encoding is it?"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from pathlib import Path

from radar.ingest.contract import TABLES

PARQUET, JSONL, CSV, OTLP = "parquet", "jsonl", "csv", "otlp"
_SUFFIXES = {".parquet": PARQUET, ".pq": PARQUET, ".jsonl": JSONL, ".ndjson": JSONL, ".json": JSONL, ".csv": CSV}
_SNIFF_BYTES = 64 * 1024  # an OTLP export names `resourceSpans` in the first record


@dataclass(frozen=True)
class Source:
    """One file to load: where it is, the table it feeds and its encoding."""

    path: Path
    table: str
    fmt: str
    compressed: bool = False


@dataclass
class Discovery:
    """What a set of paths holds: loadable files, and notices for files that belong to no table."""

    sources: list[Source]
    skipped: list[str]


def _encoding(path: Path) -> tuple[str | None, bool]:
    """The encoding named by the file's suffix, and whether it is gzip-compressed."""
    suffixes = [s.lower() for s in path.suffixes]
    compressed = bool(suffixes) and suffixes[-1] == ".gz"
    if compressed:
        suffixes = suffixes[:-1]
    return (_SUFFIXES.get(suffixes[-1]) if suffixes else None), compressed


def _is_otlp(path: Path, compressed: bool) -> bool:
    """Does the file hold OTLP/JSON spans (judged by its first bytes, whatever its name)?"""
    try:
        with gzip.open(path, "rb") if compressed else path.open("rb") as f:
            head = f.read(_SNIFF_BYTES)
    except (OSError, EOFError):
        return False
    return b'"resourceSpans"' in head


def _table(path: Path, root: Path) -> str | None:
    """The table named by the file name's prefix, else by the nearest enclosing folder up to the root given."""
    name = path.name.lower()
    for t in TABLES:
        if name.startswith(t) or name.startswith(t.replace("_", "-")):
            return t
    for parent in path.parents:
        folder = parent.name.lower()
        for t in TABLES:
            if folder == t or folder.startswith(t):
                return t
        if parent == root:
            break
    return None


def classify(path: Path, root: Path | None = None) -> Source | None:
    """Which table and encoding is this file, or None when it belongs to no table?"""
    fmt, compressed = _encoding(path)
    if fmt in (JSONL, None) and _is_otlp(path, compressed):
        return Source(path, "requests", OTLP, compressed)
    if fmt is None:
        return None
    table = _table(path, root or path.parent)
    return Source(path, table, fmt, compressed) if table else None


def discover(paths: list[Path]) -> Discovery:
    """Which files under `paths` (walked recursively, in name order) feed which table?"""
    sources: list[Source] = []
    skipped: list[str] = []
    for root in paths:
        files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
        for p in files:
            if root.is_dir() and any(part.startswith(".") for part in p.relative_to(root).parts):
                continue  # hidden files and folders (editor swap files, .DS_Store) are not part of a drop
            src = classify(p, root if root.is_dir() else p.parent)
            if src is None:
                skipped.append(f"skipped {p}: belongs to no table (name or folder must start with requests, accounts or api_keys)")
            else:
                sources.append(src)
    return Discovery(sources, skipped)

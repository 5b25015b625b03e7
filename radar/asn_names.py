"""Operator names of autonomous systems, from an offline file the provider keeps (no lookup leaves the machine).

Two formats, told apart by content: iptoasn.com's ip2asn-v4.tsv (range_start, range_end, AS number, country,
description; tab-separated, no header, AS 0 = not routed) and a CSV with the header `asn,name`.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from pathlib import Path


class AsnNamesError(ValueError):
    """The ASN names file cannot be read; the message names the file, the line and what is wrong."""


def load_asn_names(path: Path) -> dict[int, str]:
    """Which operator runs each AS? {asn: name} from an ip2asn TSV or an `asn,name` CSV."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise AsnNamesError(f"ASN names file {path}: cannot be read ({exc}).") from exc
    lines = text.splitlines()
    first = next((ln for ln in lines if ln.strip()), "")
    if "\t" in first:
        return _ip2asn(path, lines)
    return _csv(path, lines)


def _ip2asn(path: Path, lines: list[str]) -> dict[int, str]:
    names: dict[int, str] = {}
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        cols = line.split("\t")
        if len(cols) < 5 or not cols[2].strip().isdigit():
            raise AsnNamesError(f"ASN names file {path}, line {n}: expected range_start, range_end, AS number, country, description.")
        asn, name = int(cols[2]), cols[4].strip()
        if asn and name and name != "Not routed":
            names.setdefault(asn, name)
    return names


def _csv(path: Path, lines: list[str]) -> dict[int, str]:
    rows = csv.reader(lines)
    header = [h.strip().lower() for h in next(rows, [])]
    if header[:2] != ["asn", "name"]:
        raise AsnNamesError(f"ASN names file {path}: expected an ip2asn TSV or a CSV whose header is `asn,name`.")
    names: dict[int, str] = {}
    for n, row in enumerate(rows, start=2):
        if not row or not "".join(row).strip():
            continue
        number = row[0].strip().upper().removeprefix("AS")
        if len(row) < 2 or not number.isdigit():
            raise AsnNamesError(f"ASN names file {path}, line {n}: expected an AS number and a name, got {','.join(row)!r}.")
        names[int(number)] = row[1].strip()
    return names


def asn_label(value: object, names: Mapping[int, str]) -> str:
    """How is an AS shown? "AS16509 · AMAZON-02" where the names file knows it, else "AS16509"; other text unchanged."""
    text = str(value).strip().upper().removeprefix("AS")
    if not text.isdigit():
        return str(value)
    name = names.get(int(text))
    return f"AS{int(text)} · {name}" if name else f"AS{int(text)}"

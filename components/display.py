"""How does a value read where an analyst reads it? Display names for columns and codes, and formatted cells.

One module every page can adopt: `display_table` turns a result frame into the table an analyst sees (column names
in words, numbers with thousands separators, risks to two decimals, shares in percent, times to the minute in UTC,
stated once by `TIME_NOTE`, dispositions and statuses in words, blanks instead of None, reason lists as sentences).
Pure functions, no Streamlit: tests read exactly what the page shows.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import polars as pl

TIME_NOTE = "Times are UTC."

COLUMN_NAMES: dict[str, str] = {
    "entity_id": "ID",
    "entity_type": "Kind",
    "score": "Risk",
    "status": "Status",
    "assignee": "Assignee",
    "disposition": "Disposition",
    "label": "Label in force",
    "label_source": "Label from",
    "labeled_by": "Labeled by",
    "labeled_at": "Labeled",
    "source": "Label from",
    "analyst": "Labeled by",
    "provenance": "Provenance",
    "cluster_id": "Cluster",
    "campaign_id": "Campaign",
    "account_id": "Account",
    "api_key_id": "API key",
    "n_accounts": "Accounts",
    "n_keys": "Keys",
    "calls": "Calls",
    "output_tokens": "Output tokens",
    "input_tokens": "Input tokens",
    "first_seen": "First seen",
    "last_seen": "Last seen",
    "allowlisted": "Allowlisted",
    "extraction_share": "Extraction share",
    "reasons": "Why it was flagged",
    "reason": "Reason",
    "notes": "Notes",
    "version": "Version",
    "updated_by": "Last changed by",
    "updated_at": "Last changed",
    "created_at": "Opened",
    "decided": "Decided",
    "left": "Left",
    "total": "Total",
    "at": "When",
    "who": "Who",
    "role": "Role",
    "auth": "Signed in via",
    "action": "Change",
    "load_id": "Load",
    "table_name": "Table",
    "source_file": "File",
    "row_number": "Row",
    "raw": "Raw line",
    "quarantined_at": "Quarantined",
    "rows": "Rows",
    "name": "Name",
    "owner": "Owner",
    "shared": "Shared with the team",
    "page": "Page",
}
DISPOSITION_NAMES: dict[str, str] = {
    "true_positive_extraction": "True positive: extraction",
    "benign_positive_allowed": "Benign: allowed use",
    "false_positive_detection_logic": "False positive: detection logic",
    "false_positive_bad_data": "False positive: bad data",
}
STATUS_NAMES: dict[str, str] = {"new": "New", "investigating": "Investigating", "confirmed": "Confirmed", "dismissed": "Dismissed"}
ENTITY_NAMES: dict[str, str] = {
    "campaign": "Campaign",
    "cluster": "Cluster",
    "account": "Account",
    "api_key": "API key",
    "org": "Organisation",
}
ACTION_NAMES: dict[str, str] = {
    "case.create": "Opened the case",
    "case.save": "Changed the case",
    "case.resolve": "Resolved with its campaign",
    "label.set": "Set the label",
    "label.propagate": "Label from its campaign",
    "label.clear": "Cleared the label",
    "allowlist.add": "Allowlisted",
    "allowlist.update": "Changed the allowlist entry",
    "allowlist.remove": "Removed from the allowlist",
    "view.create": "Saved a view",
    "view.delete": "Deleted a view",
}
#: Columns whose values are codes shown in words.
CODED: dict[str, Mapping[str, str]] = {
    "disposition": DISPOSITION_NAMES,
    "label": DISPOSITION_NAMES,
    "status": STATUS_NAMES,
    "entity_type": ENTITY_NAMES,
    "action": ACTION_NAMES,
}
#: Columns holding a 0-1 detector score (two decimals read as a risk; more digits only suggest false precision).
SCORE_COLUMNS = ("score",)
#: Columns holding a 0-1 share, read as a percentage.
SHARE_COLUMNS = ("extraction_share", "fp_rate", "share")


def column_name(raw: str) -> str:
    """What is this column called where an analyst reads it (a known name, else the words of the raw name)?"""
    if raw in COLUMN_NAMES:
        return COLUMN_NAMES[raw]
    words = raw.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def coded(column: str, value: object) -> str:
    """This code (a disposition, status, kind of item, audit action) in words; blank for none."""
    if value is None or value == "":
        return ""
    names = CODED.get(column, {})
    return names.get(str(value), str(value).replace("_", " "))


def fmt_int(value: object) -> str:
    """A count with thousands separators (1,522,837); blank for none."""
    return "" if value is None else f"{int(value):,}"  # type: ignore[call-overload]


def fmt_float(value: object, digits: int = 2) -> str:
    """A measurement to `digits` decimals with thousands separators; blank for none or not a number."""
    if value is None or value != value:  # NaN is not equal to itself
        return ""
    return f"{float(value):,.{digits}f}"  # type: ignore[arg-type]


def fmt_share(value: object) -> str:
    """A 0-1 share as a percentage (70%, 0.5%); blank for none."""
    if value is None or value != value:
        return ""
    pct = float(value) * 100  # type: ignore[arg-type]
    return f"{pct:.0f}%" if pct == 0 or abs(pct) >= 10 else f"{pct:.1f}%"


def fmt_time(value: object) -> str:
    """A UTC time to the minute (2026-02-09 05:06), the zone stated once on the page; blank for none."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        return f"{value:%Y-%m-%d}"
    return str(value)


def fmt_duration(seconds: float | None) -> str:
    """A duration in the largest unit that keeps it readable (45 s, 12 min, 3.5 h, 2.1 d); blank for none."""
    if seconds is None or seconds != seconds:
        return ""
    if seconds < 60:
        return f"{seconds:.0f} s"
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    if seconds < 86400:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} d"


def reasons_text(value: object) -> str:
    """A JSON list of detector reasons as one line of sentences ("a; b"); other text as it is; blank for none."""
    if value is None or value == "":
        return ""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    try:
        parsed: Any = json.loads(str(value))
    except ValueError:
        return str(value)
    if isinstance(parsed, list):
        return "; ".join(str(v) for v in parsed)
    if isinstance(parsed, dict):
        return "; ".join(f"{column_name(str(k))}: {v}" for k, v in parsed.items())
    return str(parsed)


def _cell(column: str, dtype: pl.DataType, value: object) -> str:
    if value is None:
        return ""
    if column in CODED:
        return coded(column, value)
    if column in ("reasons", "provenance"):
        return reasons_text(value)
    if dtype == pl.Boolean:
        return "yes" if value else "no"
    if column in SCORE_COLUMNS:
        return fmt_float(value, 2)
    if column in SHARE_COLUMNS:
        return fmt_share(value)
    if dtype.is_integer():
        return fmt_int(value)
    if dtype.is_float():
        return fmt_float(value, 2)
    if dtype.is_temporal():
        return fmt_time(value)
    return str(value)


def display_table(frame: pl.DataFrame, *, names: Mapping[str, str] | None = None) -> pl.DataFrame:
    """The table an analyst reads: every cell as formatted text, every column under its display name (`names` overrides)."""
    names = dict(names or {})
    out = {}
    for column, dtype in frame.schema.items():
        values = frame[column].to_list()
        out[names.get(column, column_name(column))] = [_cell(column, dtype, v) for v in values]
    return pl.DataFrame(out, schema={k: pl.String for k in out}) if out else pl.DataFrame()

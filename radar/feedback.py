"""What do analysts already know? Allowlisted entities and decisions that feed a detection run."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

ENTITY_TYPES = ("org", "account", "api_key", "campaign")


@dataclass
class Feedback:
    """Analyst knowledge a scoring run takes into account.

    allowlisted: (entity_type, entity_id) pairs still scored but marked allowlisted and not alerting.
    dismissed: (entity_type, entity_id) pairs an analyst dismissed; still scored, not alerting.
    confirmed_indicators: kind -> values (payment, signup_ip, prefix, asn, user_agent, template, email_domain)
        from confirmed campaigns; new entities sharing them score higher (ban-evasion lineage).
    """

    allowlisted: set[tuple[str, str]] = field(default_factory=set)
    dismissed: set[tuple[str, str]] = field(default_factory=set)
    confirmed_indicators: dict[str, set[str]] = field(default_factory=dict)


class AllowlistError(ValueError):
    """The allowlist file is malformed; the message names the line."""


def read_allowlist_csv(path: str | Path) -> set[tuple[str, str]]:
    """Which entities does this allowlist file name? Columns: entity_type, entity_id, reason."""
    out: set[tuple[str, str]] = set()
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        if not reader.fieldnames or not {"entity_type", "entity_id"} <= set(reader.fieldnames):
            raise AllowlistError(f"{path}: the header must name entity_type and entity_id (and optionally reason)")
        for line, row in enumerate(reader, start=2):
            kind = (row.get("entity_type") or "").strip()
            ident = (row.get("entity_id") or "").strip()
            if kind not in ENTITY_TYPES or not ident:
                raise AllowlistError(f"{path}:{line}: entity_type must be one of {', '.join(ENTITY_TYPES)} with a non-empty entity_id")
            out.add((kind, ident))
    return out

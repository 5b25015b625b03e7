"""What do analysts already know? Allowlisted entities and decisions that feed a detection run."""

from __future__ import annotations

import csv
import io
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


def parse_allowlist(text: str, *, name: str = "allowlist") -> list[tuple[str, str, str | None]]:
    """Which (entity_type, entity_id, reason) entries does this allowlist CSV text hold? The whole text is checked first.

    Columns: entity_type, entity_id, and optionally reason; `name` says which file a bad line is in.
    """
    out: dict[tuple[str, str], str | None] = {}
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if not reader.fieldnames or not {"entity_type", "entity_id"} <= set(reader.fieldnames):
        raise AllowlistError(f"{name}: the header must name entity_type and entity_id (and optionally reason)")
    for line, row in enumerate(reader, start=2):
        kind = (row.get("entity_type") or "").strip()
        ident = (row.get("entity_id") or "").strip()
        if kind not in ENTITY_TYPES or not ident:
            raise AllowlistError(f"{name}:{line}: entity_type must be one of {', '.join(ENTITY_TYPES)} with a non-empty entity_id")
        out[(kind, ident)] = (row.get("reason") or "").strip() or None
    return [(kind, ident, reason) for (kind, ident), reason in sorted(out.items())]


def read_allowlist_csv(path: str | Path) -> set[tuple[str, str]]:
    """Which entities does this allowlist file name? Columns: entity_type, entity_id, reason."""
    text = Path(path).read_text(encoding="utf-8")
    return {(kind, ident) for kind, ident, _ in parse_allowlist(text, name=str(path))}

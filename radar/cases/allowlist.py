"""Who must never alert? The allowlist in the case store: allowed distillation, evaluation partners, internal traffic.

Every change is audited and is a lead's (an allowlisted account stops alerting in the next `radar score`); a
detection run reads the allowlist through `radar.cases.feedback.load_feedback`.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy import Engine

from queries import case_schema as cs
from queries import case_store as q
from queries.run import write
from radar.cases.actor import ALLOWLIST, Actor, require
from radar.cases.store import CaseError, add_audit, audit_row, now, read_frame
from radar.feedback import AllowlistError, parse_allowlist

ALLOWLIST_SCHEMA: dict[str, Any] = {
    "entity_type": pl.String,
    "entity_id": pl.String,
    "reason": pl.String,
    "added_by": pl.String,
    "added_at": pl.Datetime("us", "UTC"),
}


def add_allowlist(engine: Engine, entries: Iterable[tuple[str, str, str | None]], *, actor: Actor) -> int:
    """Allowlist these (entity_type, entity_id, reason) entries in one transaction (audited; a lead); how many were new or changed?"""
    require(actor, ALLOWLIST)
    todo = [(kind, (ident or "").strip(), reason or None) for kind, ident, reason in entries]
    for kind, ident, _ in todo:
        if kind not in cs.ALLOWLIST_TYPES:
            raise CaseError(f"Allowlist entries are {', '.join(cs.ALLOWLIST_TYPES)}, not {kind!r}.")
        if not ident:
            raise CaseError(f"Give the id of the {kind} to allowlist.")
    changed = 0
    with write(engine) as conn:
        for kind, ident, reason in todo:
            before = conn.execute(q.allowlist_entry(kind, ident)).mappings().first()
            if before is not None and before["reason"] == reason:
                continue
            after = {"entity_type": kind, "entity_id": ident, "reason": reason, "added_by": actor.name, "added_at": now()}
            if before is None:
                conn.execute(q.add_allowlist_entry(after))
            else:
                conn.execute(
                    q.update_allowlist_entry(kind, ident, {"reason": reason, "added_by": actor.name, "added_at": after["added_at"]})
                )
            add_audit(
                conn,
                [
                    audit_row(
                        actor=actor,
                        action="allowlist.add",
                        entity_type=kind,
                        entity_id=ident,
                        before=dict(before) if before else None,
                        after=after,
                    )
                ],
            )
            changed += 1
    return changed


def remove_allowlist(engine: Engine, entity_type: str, entity_id: str, *, actor: Actor) -> bool:
    """Take one entity off the allowlist (audited; a lead); was it on it?"""
    require(actor, ALLOWLIST)
    with write(engine) as conn:
        before = conn.execute(q.allowlist_entry(entity_type, entity_id)).mappings().first()
        if before is None:
            return False
        conn.execute(q.remove_allowlist_entry(entity_type, entity_id))
        add_audit(
            conn,
            [
                audit_row(
                    actor=actor, action="allowlist.remove", entity_type=entity_type, entity_id=entity_id, before=dict(before), after=None
                )
            ],
        )
        return True


def import_allowlist_text(engine: Engine, text: str | bytes, *, name: str, actor: Actor) -> int:
    """Move the entries of an allowlist CSV (entity_type, entity_id, reason; text or uploaded bytes) into the case store; how many changed?

    The whole file is validated first: nothing loads when one line is bad (AllowlistError names it). A lead's change.
    """
    require(actor, ALLOWLIST)
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")  # spreadsheet exports often start with a byte-order mark
        except UnicodeDecodeError:
            raise AllowlistError(f"{name}: the file is not UTF-8 text; save it as a UTF-8 CSV and import it again.") from None
    return add_allowlist(engine, parse_allowlist(text, name=name), actor=actor)


def import_allowlist_csv(engine: Engine, path: str | Path, *, actor: Actor) -> int:
    """Move an allowlist CSV file into the case store (a lead's change); how many entries were new or changed?"""
    require(actor, ALLOWLIST)
    return import_allowlist_text(engine, Path(path).read_text(encoding="utf-8"), name=str(path), actor=actor)


def allowlist_frame(engine: Engine) -> pl.DataFrame:
    """Which entities are allowlisted, by whom and why?"""
    return read_frame(engine, q.allowlist_entries(), ALLOWLIST_SCHEMA)

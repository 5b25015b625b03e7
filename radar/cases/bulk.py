"""Which items has an analyst already decided, and how is one change applied to many cases without overwriting them?

A case is *decided* when its status is confirmed or dismissed, or it carries a disposition, or the entity carries a
label (an analyst's own, or one its campaign gave it). A bulk action and a campaign decision reaching its members
change undecided items only; the analyst may ask to change decided items too (`overwrite_decided`), and the
confirmation says how many that is (`split_decided`).

Writes are batched: the existing cases are read once (locked on PostgreSQL), then one executemany each for new
cases, changed cases and audit rows, so resolving a campaign of 50,000 accounts costs a handful of statements.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine

from queries import case_store as q
from radar.cases.actor import TRIAGE, Actor, require
from radar.cases.store import CaseConflict, add_audit, as_utc, audit_row, now

#: Statuses that close a case: an analyst's verdict, which a bulk action must not silently replace.
DECIDED_STATUSES = ("confirmed", "dismissed")
# Up to this many ids the existing rows are read with an IN list; beyond it, every row of the type is read
# (SQLite caps bound variables per statement, and one scan beats many chunks) — the rule radar.cases.labels uses.
IN_LIST_MAX = 500


@dataclass(frozen=True)
class Split:
    """Which of a bulk action's items are undecided, and which already carry an analyst's decision."""

    undecided: list[str]
    decided: list[str]


def is_decided_case(case: Mapping[str, Any] | None) -> bool:
    """Does this case row hold an analyst's verdict (a closing status or a disposition)?"""
    if not case:
        return False
    return case.get("status") in DECIDED_STATUSES or bool(case.get("disposition"))


def _existing(conn: Connection, entity_type: str, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    stmt = q.cases_locked(entity_type, ids) if len(ids) <= IN_LIST_MAX else q.cases_locked(entity_type)
    wanted = set(ids)
    rows = (dict(r) for r in conn.execute(stmt).mappings())
    return {r["entity_id"]: {k: as_utc(v) for k, v in r.items()} for r in rows if r["entity_id"] in wanted}


def _labeled(conn: Connection, entity_type: str, ids: Sequence[str], ignore_source: str | None) -> set[str]:
    if entity_type == "cluster":
        return set()
    stmt = q.labels_any_source(entity_type, ids) if len(ids) <= IN_LIST_MAX else q.labels_any_source(entity_type)
    wanted = set(ids)
    return {r.entity_id for r in conn.execute(stmt) if r.entity_id in wanted and r.source != ignore_source}


def decided_in(conn: Connection, entity_type: str, ids: Sequence[str], *, ignore_source: str | None = None) -> set[str]:
    """Which of these entities already carry a decision (a decided case, or a label not from `ignore_source`)?"""
    if not ids:
        return set()
    cases = _existing(conn, entity_type, ids)
    return {i for i, c in cases.items() if is_decided_case(c)} | _labeled(conn, entity_type, ids, ignore_source)


def split_decided(engine: Engine, entity_type: str, entity_ids: Iterable[str]) -> Split:
    """Which of these items are undecided, and which would a bulk action change only if the analyst asks (for the confirmation)?"""
    ids = list(dict.fromkeys(str(e) for e in entity_ids))
    with engine.connect() as conn:
        decided = decided_in(conn, entity_type, ids)
    return Split(undecided=[i for i in ids if i not in decided], decided=[i for i in ids if i in decided])


def apply_many(
    conn: Connection,
    entity_type: str,
    entity_ids: Iterable[str],
    changes: Mapping[str, Any],
    actor: Actor,
    *,
    action: str = "case.save",
    overwrite_decided: bool = False,
    ignore_source: str | None = None,
    note: Mapping[str, Any] | None = None,
) -> tuple[list[str], list[str]]:
    """Write `changes` over every listed case inside the caller's transaction; (changed ids, decided ids left alone).

    Decided items are skipped unless `overwrite_decided`; a label from `ignore_source` does not count as a decision
    (a campaign resolving its members ignores the label it gave them itself). One audit row per changed case; `note`
    is recorded on each audit row's after-state (e.g. which campaign resolved the case). Callers check the kind of
    change (a bulk action is for a lead; a campaign's decision reaching its members is one analyst's decision).
    """
    require(actor, TRIAGE)
    ids = list(dict.fromkeys(str(e) for e in entity_ids))
    if not ids:
        return [], []
    clean = {k: (None if v == "" else v) for k, v in changes.items()}
    existing = _existing(conn, entity_type, ids)
    decided = set() if overwrite_decided else decided_in(conn, entity_type, ids, ignore_source=ignore_source)
    t = now()
    creates: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    audits: list[dict[str, Any]] = []
    changed: list[str] = []
    for eid in ids:
        if eid in decided:
            continue
        before = existing.get(eid)
        if before is None:
            after = {"entity_type": entity_type, "entity_id": eid, "status": "new", "assignee": None, "disposition": None}
            after |= {"reason": None, "notes": None} | clean | {"version": 1, "created_at": t, "updated_at": t, "updated_by": actor.name}
            creates.append(after)
            verb = "case.create" if action == "case.save" else action
            audits.append(
                audit_row(actor=actor, action=verb, entity_type=entity_type, entity_id=eid, before=None, after=after | dict(note or {}))
            )
        elif any(before.get(k) != v for k, v in clean.items()):
            values = clean | {"version": before["version"] + 1, "updated_at": t, "updated_by": actor.name}
            updates.append(
                {"k_type": entity_type, "k_id": eid, "k_version": before["version"]} | {f"new_{k}": v for k, v in values.items()}
            )
            after = before | values
            audits.append(
                audit_row(actor=actor, action=action, entity_type=entity_type, entity_id=eid, before=before, after=after | dict(note or {}))
            )
        else:
            continue
        changed.append(eid)
    if creates:
        conn.execute(q.create_cases(), creates)
    if updates:
        fields = [k[4:] for k in updates[0] if k.startswith("new_")]
        res = conn.execute(q.update_cases_many(fields), updates)
        if res.rowcount not in (-1, len(updates)):
            # The rows were read under lock (PostgreSQL) or the write lock (SQLite): a short count means a writer the
            # locks did not cover; refuse the whole change rather than half-apply it.
            raise CaseConflict({"version": None, "updated_by": "another writer", "updated_at": "just now"}, 0)
    add_audit(conn, audits)
    return changed, sorted(decided)

"""Which entities carry which label? Labels set by analysts or propagated from campaigns, and the one in force.

A campaign's label reaches its member accounts and keys with the source `campaign:<id>` and a provenance record
(run, campaign, label); an analyst's own label on an entity wins over a propagated one when the effective label
is read. Propagation itself is part of a decision (`radar.cases.decisions`), written in the decision's transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

import polars as pl
from sqlalchemy import Connection, Engine

from queries import case_schema as cs
from queries import case_store as q
from queries.detect_results import latest_run
from queries.run import run_all, write
from radar.cases.actor import BULK, TRIAGE, Actor, require
from radar.cases.store import CaseError, add_audit, as_utc, audit_row, now, read_frame

ANALYST = "analyst"
# Up to this many ids, the existing labels are read with an IN list; beyond it, every label of the level and source
# is read instead (SQLite caps bound variables per statement, and one scan beats many chunks).
IN_LIST_MAX = 500
LABEL_SCHEMA: dict[str, Any] = {
    "entity_type": pl.String,
    "entity_id": pl.String,
    "source": pl.String,
    "label": pl.String,
    "provenance": pl.String,
    "analyst": pl.String,
    "labeled_at": pl.Datetime("us", "UTC"),
}


def check_label(level: str, label: str) -> None:
    """Refuse (CaseError) a label on an entity type that carries none, or a label that is not a disposition."""
    if level not in cs.LABEL_LEVELS:
        raise CaseError(f"Labels are kept for {', '.join(cs.LABEL_LEVELS)}, not {level!r}.")
    if label not in cs.DISPOSITIONS:
        raise CaseError(f"A label must be one of {', '.join(cs.DISPOSITIONS)}, not {label!r}.")


def write_labels(
    conn: Connection,
    level: str,
    entity_ids: Iterable[str],
    label: str,
    *,
    source: str,
    provenance: Mapping[str, Any] | None,
    actor: Actor,
) -> int:
    """Give every listed entity this label from `source`, inside the caller's transaction; how many labels changed?

    One audit row per change; unchanged labels write nothing. Inserts, updates and audit rows each go in one
    executemany, so a campaign of any size costs a few statements. Callers check the kind of change (a campaign's
    label reaching its members is one analyst decision); here a viewer is refused.
    """
    require(actor, TRIAGE)
    ids = list(dict.fromkeys(str(e) for e in entity_ids))
    if not ids:
        return 0
    stmt = q.labels_of(level, source, ids) if len(ids) <= IN_LIST_MAX else q.labels_of(level, source)
    existing = {r["entity_id"]: {k: as_utc(v) for k, v in r.items()} for r in conn.execute(stmt).mappings()}
    prov = json.dumps(dict(provenance), sort_keys=True) if provenance is not None else None
    at = now()
    action = "label.set" if source == ANALYST else "label.propagate"
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    audits: list[dict[str, Any]] = []
    for eid in ids:
        before = existing.get(eid)
        if before is not None and before["label"] == label and before["provenance"] == prov:
            continue
        after: dict[str, Any] = {"entity_type": level, "entity_id": eid, "source": source, "label": label, "provenance": prov}
        after |= {"analyst": actor.name, "labeled_at": at}
        if before is None:
            inserts.append(after)
        else:
            updates.append(
                {"k_type": level, "k_id": eid, "k_source": source}
                | {"new_label": label, "new_provenance": prov, "new_analyst": actor.name, "new_labeled_at": at}
            )
        audits.append(audit_row(actor=actor, action=action, entity_type=level, entity_id=eid, before=before, after=after))
    if inserts:
        conn.execute(q.insert_labels(), inserts)
    if updates:
        conn.execute(q.update_labels(), updates)
    add_audit(conn, audits)
    return len(audits)


def set_labels(engine: Engine, level: str, entity_ids: Iterable[str], label: str, *, actor: Actor) -> int:
    """Give every listed entity an analyst's label, in one transaction (one audit row per change); how many changed?

    One entity is an analyst's triage; several at once are a bulk change, for a lead (PermissionDenied otherwise).
    """
    ids = list(dict.fromkeys(str(e) for e in entity_ids))
    require(actor, BULK if len(ids) > 1 else TRIAGE)
    check_label(level, label)
    with write(engine) as conn:
        return write_labels(conn, level, ids, label, source=ANALYST, provenance=None, actor=actor)


def clear_label(engine: Engine, level: str, entity_id: str, *, actor: Actor, source: str = ANALYST) -> bool:
    """Remove one label (audited; an analyst or lead); was there one?"""
    require(actor, TRIAGE)
    with write(engine) as conn:
        before = conn.execute(q.label_of(level, entity_id, source)).mappings().first()
        if before is None:
            return False
        conn.execute(q.delete_label(level, entity_id, source))
        add_audit(
            conn, [audit_row(actor=actor, action="label.clear", entity_type=level, entity_id=entity_id, before=dict(before), after=None)]
        )
        return True


def latest_run_id(warehouse: Engine) -> str | None:
    """Which finished detection run is the latest (None before the first)?"""
    frame = run_all(warehouse, latest_run())
    return None if frame.is_empty() else str(frame["run_id"][0])


def labels_frame(engine: Engine, level: str | None = None) -> pl.DataFrame:
    """Every stored label (of one level, or all), one row per entity and source."""
    return read_frame(engine, q.all_labels(level), LABEL_SCHEMA)


def effective_labels(engine: Engine, level: str) -> pl.DataFrame:
    """Which one label holds for each entity of this level? An analyst's own label wins over a propagated one."""
    frame = labels_frame(engine, level)
    return (
        frame.with_columns((pl.col("source") != ANALYST).cast(pl.Int8).alias("_rank"))
        .sort(["entity_id", "_rank", "labeled_at"], descending=[False, False, True])
        .unique("entity_id", keep="first", maintain_order=True)
        .drop("_rank")
        .rename({"source": "label_source", "analyst": "labeled_by"})
    )

"""Which entities carry which label, and which are allowlisted? Labels set by analysts or propagated from campaigns.

A campaign's label reaches its member accounts and keys (members as of the latest detection run) with the source
`campaign:<id>` and a provenance record (run, campaign, label); an analyst's own label on an entity wins over a
propagated one when the effective label is read.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy import Connection, Engine, delete, insert, select, update

from queries import case_schema as cs
from queries.cases import campaign_accounts, campaign_keys, latest_done_run
from queries.run import run
from radar.cases.store import CaseError, _as_utc, add_audit, now, write
from radar.feedback import read_allowlist_csv

ANALYST = "analyst"
LABEL_SCHEMA: dict[str, Any] = {
    "entity_type": pl.String,
    "entity_id": pl.String,
    "source": pl.String,
    "label": pl.String,
    "provenance": pl.String,
    "analyst": pl.String,
    "labeled_at": pl.Datetime("us", "UTC"),
}


def _check(level: str, label: str) -> None:
    if level not in cs.LABEL_LEVELS:
        raise CaseError(f"Labels are kept for {', '.join(cs.LABEL_LEVELS)}, not {level!r}.")
    if label not in cs.DISPOSITIONS:
        raise CaseError(f"A label must be one of {', '.join(cs.DISPOSITIONS)}, not {label!r}.")


def _upsert(conn: Connection, level: str, entity_id: str, label: str, source: str, provenance: Mapping[str, Any] | None, who: str) -> bool:
    """Write one label inside the caller's transaction; was anything changed?"""
    t = cs.labels.c
    key = (t.entity_type == level, t.entity_id == entity_id, t.source == source)
    before = conn.execute(select(cs.labels).where(*key)).mappings().first()
    prov = json.dumps(dict(provenance), sort_keys=True) if provenance is not None else None
    if before is not None and before["label"] == label and before["provenance"] == prov:
        return False
    after = {
        "entity_type": level,
        "entity_id": entity_id,
        "source": source,
        "label": label,
        "provenance": prov,
        "analyst": who,
        "labeled_at": now(),
    }
    if before is None:
        conn.execute(insert(cs.labels).values(**after))
    else:
        conn.execute(update(cs.labels).where(*key).values(label=label, provenance=prov, analyst=who, labeled_at=after["labeled_at"]))
    action = "label.set" if source == ANALYST else "label.propagate"
    add_audit(conn, who=who, action=action, entity_type=level, entity_id=entity_id, before=dict(before) if before else None, after=after)
    return True


def set_labels(engine: Engine, level: str, entity_ids: Iterable[str], label: str, *, who: str, source: str = ANALYST) -> int:
    """Label every listed entity (one audit row per change); how many labels changed?"""
    _check(level, label)
    with write(engine) as conn:
        return sum(_upsert(conn, level, str(e), label, source, None, who) for e in dict.fromkeys(entity_ids))


def clear_label(engine: Engine, level: str, entity_id: str, *, who: str, source: str = ANALYST) -> bool:
    """Remove one label (audited); was there one?"""
    t = cs.labels.c
    key = (t.entity_type == level, t.entity_id == entity_id, t.source == source)
    with write(engine) as conn:
        before = conn.execute(select(cs.labels).where(*key)).mappings().first()
        if before is None:
            return False
        conn.execute(delete(cs.labels).where(*key))
        add_audit(conn, who=who, action="label.clear", entity_type=level, entity_id=entity_id, before=dict(before), after=None)
        return True


def latest_run_id(warehouse: Engine) -> str | None:
    """Which finished detection run is the latest (None before the first)?"""
    frame = run(warehouse, latest_done_run()).frame
    return None if frame.is_empty() else str(frame["run_id"][0])


def propagate_campaign_label(
    cases: Engine, warehouse: Engine, campaign_id: str, label: str, *, who: str, run_id: str | None = None
) -> tuple[int, int]:
    """Label a campaign and pass its label to its member accounts and keys; how many (accounts, keys) labels changed?

    Members come from the given (default: latest) detection run; each member label records that run and campaign.
    """
    _check("campaign", label)
    rid = run_id or latest_run_id(warehouse)
    if rid is None:
        raise CaseError("No finished detection run exists: run `python -m radar score` before propagating labels.")
    accounts = run(warehouse, campaign_accounts(rid, campaign_id=campaign_id), row_cap=5_000_000).frame["account_id"].to_list()
    keys = run(warehouse, campaign_keys(rid, campaign_id=campaign_id), row_cap=5_000_000).frame["api_key_id"].to_list()
    source = f"campaign:{campaign_id}"
    prov = {"campaign_id": campaign_id, "run_id": rid, "label": label}
    with write(cases) as conn:
        _upsert(conn, "campaign", campaign_id, label, ANALYST, {"run_id": rid}, who)
        n_acc = sum(_upsert(conn, "account", a, label, source, prov, who) for a in accounts)
        n_key = sum(_upsert(conn, "api_key", k, label, source, prov, who) for k in keys)
    return n_acc, n_key


def labels_frame(engine: Engine, level: str | None = None) -> pl.DataFrame:
    """Every stored label (of one level, or all), one row per entity and source."""
    q = select(*(cs.labels.c[k] for k in LABEL_SCHEMA)).order_by(cs.labels.c.entity_type, cs.labels.c.entity_id, cs.labels.c.source)
    if level is not None:
        q = q.where(cs.labels.c.entity_type == level)
    with engine.connect() as conn:
        rows = [tuple(_as_utc(v) for v in r) for r in conn.execute(q)]
    return pl.DataFrame(rows, schema=LABEL_SCHEMA, orient="row")


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


# --- allowlist -------------------------------------------------------------------------------------


def add_allowlist(engine: Engine, entries: Iterable[tuple[str, str, str | None]], *, who: str) -> int:
    """Allowlist these (entity_type, entity_id, reason) entries (audited); how many were new or changed?"""
    changed = 0
    with write(engine) as conn:
        for kind, ident, reason in entries:
            if kind not in cs.ALLOWLIST_TYPES or not ident:
                raise CaseError(f"Allowlist entries are {', '.join(cs.ALLOWLIST_TYPES)} with an id, not {kind!r} {ident!r}.")
            t = cs.allowlist.c
            key = (t.entity_type == kind, t.entity_id == ident)
            before = conn.execute(select(cs.allowlist).where(*key)).mappings().first()
            if before is not None and before["reason"] == reason:
                continue
            after = {"entity_type": kind, "entity_id": ident, "reason": reason, "added_by": who, "added_at": now()}
            if before is None:
                conn.execute(insert(cs.allowlist).values(**after))
            else:
                conn.execute(update(cs.allowlist).where(*key).values(reason=reason, added_by=who, added_at=after["added_at"]))
            add_audit(
                conn,
                who=who,
                action="allowlist.add",
                entity_type=kind,
                entity_id=ident,
                before=dict(before) if before else None,
                after=after,
            )
            changed += 1
    return changed


def remove_allowlist(engine: Engine, entity_type: str, entity_id: str, *, who: str) -> bool:
    """Take one entity off the allowlist (audited); was it on it?"""
    t = cs.allowlist.c
    key = (t.entity_type == entity_type, t.entity_id == entity_id)
    with write(engine) as conn:
        before = conn.execute(select(cs.allowlist).where(*key)).mappings().first()
        if before is None:
            return False
        conn.execute(delete(cs.allowlist).where(*key))
        add_audit(conn, who=who, action="allowlist.remove", entity_type=entity_type, entity_id=entity_id, before=dict(before), after=None)
        return True


def import_allowlist_csv(engine: Engine, path: str | Path, *, who: str) -> int:
    """Move an allowlist CSV file (entity_type, entity_id, reason) into the case store; how many entries changed?"""
    import csv

    pairs = read_allowlist_csv(path)  # validates the whole file first: nothing loads when a line is bad
    with open(path, newline="", encoding="utf-8") as fh:
        reasons = {(r["entity_type"].strip(), r["entity_id"].strip()): (r.get("reason") or "").strip() or None for r in csv.DictReader(fh)}
    return add_allowlist(engine, [(k, i, reasons.get((k, i))) for k, i in sorted(pairs)], who=who)


def allowlist_frame(engine: Engine) -> pl.DataFrame:
    """Which entities are allowlisted, by whom and why?"""
    schema: dict[str, Any] = {
        "entity_type": pl.String,
        "entity_id": pl.String,
        "reason": pl.String,
        "added_by": pl.String,
        "added_at": pl.Datetime("us", "UTC"),
    }
    with engine.connect() as conn:
        rows = [
            tuple(_as_utc(v) for v in r)
            for r in conn.execute(select(*(cs.allowlist.c[k] for k in schema)).order_by(cs.allowlist.c.entity_id))
        ]
    return pl.DataFrame(rows, schema=schema, orient="row")

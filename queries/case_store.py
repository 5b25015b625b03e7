"""Which statements read and change the case store? Cases, labels, allowlist and audit, as SQLAlchemy Core statements.

The case store has its own URL (SQLite by default, PostgreSQL for teams); `radar.cases` executes these builders
inside its transactions. Every value is bound. Statements whose rows vary per call (label upserts, audit rows)
are built once and executed with a list of parameter sets (executemany), so propagating a campaign's label to
tens of thousands of members is a handful of round trips.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import DDL, Delete, Dialect, Insert, Select, Update, bindparam, delete, insert, select, update

from queries import case_schema as cs

#: The columns a case table read returns, in order.
CASE_COLUMNS = (
    "entity_type",
    "entity_id",
    "status",
    "assignee",
    "disposition",
    "reason",
    "notes",
    "version",
    "created_at",
    "updated_at",
    "updated_by",
)
LABEL_COLUMNS = ("entity_type", "entity_id", "source", "label", "provenance", "analyst", "labeled_at")
ALLOWLIST_COLUMNS = ("entity_type", "entity_id", "reason", "added_by", "added_at")
AUDIT_COLUMNS = ("audit_id", "at", "who", "role", "auth", "action", "entity_type", "entity_id", "before", "after")


# --- cases ------------------------------------------------------------------------------------------


def case_of(entity_type: str, entity_id: str) -> Select[Any]:
    """What is this entity's case (no row when no analyst has touched it)?"""
    c = cs.cases.c
    return select(cs.cases).where(c.entity_type == entity_type, c.entity_id == entity_id)


def cases_of(entity_type: str | None = None) -> Select[Any]:
    """Every case (of one entity type, or all), with all its fields."""
    q = select(*(cs.cases.c[k] for k in CASE_COLUMNS)).order_by(cs.cases.c.entity_type, cs.cases.c.entity_id)
    return q.where(cs.cases.c.entity_type == entity_type) if entity_type is not None else q


def create_case(values: Mapping[str, Any]) -> Insert:
    """Open a case with these fields (fails on the primary key when another writer opened it first)."""
    return insert(cs.cases).values(**values)


def update_case(entity_type: str, entity_id: str, *, version: int, values: Mapping[str, Any]) -> Update:
    """Change a case only if it is still at `version` (the optimistic guard: zero rows updated means someone saved first)."""
    c = cs.cases.c
    return update(cs.cases).where(c.entity_type == entity_type, c.entity_id == entity_id, c.version == version).values(**values)


def entities_with_status(status: str) -> Select[Any]:
    """Which entities' cases are in this status?"""
    c = cs.cases.c
    return select(c.entity_type, c.entity_id).where(c.status == status)


def campaigns_decided(*, status: str, disposition: str) -> Select[Any]:
    """Which campaigns' cases carry this status and disposition?"""
    c = cs.cases.c
    return select(c.entity_id).where(c.entity_type == "campaign", c.status == status, c.disposition == disposition)


def cases_locked(entity_type: str, entity_ids: Sequence[str] | None = None) -> Select[Any]:
    """What are these entities' cases (or every case of the type), locked for the writing transaction (PostgreSQL FOR UPDATE)?"""
    c = cs.cases.c
    q = select(*(cs.cases.c[k] for k in CASE_COLUMNS)).where(c.entity_type == entity_type).with_for_update()
    return q.where(c.entity_id.in_(list(entity_ids))) if entity_ids is not None else q


def update_cases_many(fields: Sequence[str]) -> Update:
    """Change many cases at once, each only if still at its version; executed with parameter sets keyed k_type, k_id,
    k_version plus `new_<field>` for each of `fields`."""
    c = cs.cases.c
    return (
        update(cs.cases)
        .where(c.entity_type == bindparam("k_type"), c.entity_id == bindparam("k_id"), c.version == bindparam("k_version"))
        .values(**{f: bindparam(f"new_{f}") for f in fields})
    )


def create_cases() -> Insert:
    """Open cases; executed with one parameter set per case (all of `CASE_COLUMNS`)."""
    return insert(cs.cases)


# --- labels -----------------------------------------------------------------------------------------


def labels_of(level: str, source: str, entity_ids: Sequence[str] | None = None) -> Select[Any]:
    """Which labels from this source do these entities (or every entity of the level) carry?"""
    t = cs.labels.c
    q = select(cs.labels).where(t.entity_type == level, t.source == source)
    return q.where(t.entity_id.in_(list(entity_ids))) if entity_ids is not None else q


def labels_any_source(level: str, entity_ids: Sequence[str] | None = None) -> Select[Any]:
    """Which entities of this level (of these, or all) carry a label from any source, and from which?"""
    t = cs.labels.c
    q = select(t.entity_id, t.source, t.label).where(t.entity_type == level)
    return q.where(t.entity_id.in_(list(entity_ids))) if entity_ids is not None else q


def label_of(level: str, entity_id: str, source: str) -> Select[Any]:
    """Which label from this source does this entity carry?"""
    t = cs.labels.c
    return select(cs.labels).where(t.entity_type == level, t.entity_id == entity_id, t.source == source)


def insert_labels() -> Insert:
    """Add labels; executed with one parameter set per label (all of `LABEL_COLUMNS`)."""
    return insert(cs.labels)


def update_labels() -> Update:
    """Replace labels; executed with parameter sets keyed k_type, k_id, k_source plus the new label, provenance, analyst, labeled_at."""
    t = cs.labels.c
    return (
        update(cs.labels)
        .where(t.entity_type == bindparam("k_type"), t.entity_id == bindparam("k_id"), t.source == bindparam("k_source"))
        .values(
            label=bindparam("new_label"),
            provenance=bindparam("new_provenance"),
            analyst=bindparam("new_analyst"),
            labeled_at=bindparam("new_labeled_at"),
        )
    )


def delete_label(level: str, entity_id: str, source: str) -> Delete:
    """Remove one entity's label from one source."""
    t = cs.labels.c
    return delete(cs.labels).where(t.entity_type == level, t.entity_id == entity_id, t.source == source)


def all_labels(level: str | None = None) -> Select[Any]:
    """Every stored label (of one level, or all), one row per entity and source."""
    t = cs.labels.c
    q = select(*(cs.labels.c[k] for k in LABEL_COLUMNS)).order_by(t.entity_type, t.entity_id, t.source)
    return q.where(t.entity_type == level) if level is not None else q


# --- allowlist --------------------------------------------------------------------------------------


def allowlist_entry(entity_type: str, entity_id: str) -> Select[Any]:
    """Is this entity on the allowlist, and why?"""
    t = cs.allowlist.c
    return select(cs.allowlist).where(t.entity_type == entity_type, t.entity_id == entity_id)


def add_allowlist_entry(values: Mapping[str, Any]) -> Insert:
    """Put an entity on the allowlist."""
    return insert(cs.allowlist).values(**values)


def update_allowlist_entry(entity_type: str, entity_id: str, values: Mapping[str, Any]) -> Update:
    """Change why (and by whom) an entity is allowlisted."""
    t = cs.allowlist.c
    return update(cs.allowlist).where(t.entity_type == entity_type, t.entity_id == entity_id).values(**values)


def remove_allowlist_entry(entity_type: str, entity_id: str) -> Delete:
    """Take an entity off the allowlist."""
    t = cs.allowlist.c
    return delete(cs.allowlist).where(t.entity_type == entity_type, t.entity_id == entity_id)


def allowlist_entries() -> Select[Any]:
    """Which entities are allowlisted, by whom and why?"""
    return select(*(cs.allowlist.c[k] for k in ALLOWLIST_COLUMNS)).order_by(cs.allowlist.c.entity_type, cs.allowlist.c.entity_id)


# --- saved views ------------------------------------------------------------------------------------

VIEW_COLUMNS = ("view_id", "name", "owner", "shared", "page", "params", "created_at")


def views_visible_to(owner: str) -> Select[Any]:
    """Which saved views may this person open: their own and every shared one, by name?"""
    v = cs.saved_views.c
    return (
        select(*(cs.saved_views.c[k] for k in VIEW_COLUMNS))
        .where((v.owner == owner) | v.shared.is_(True))
        .order_by(v.name, v.owner, v.view_id)
    )


def view_by_id(view_id: int) -> Select[Any]:
    """Which saved view has this id?"""
    return select(*(cs.saved_views.c[k] for k in VIEW_COLUMNS)).where(cs.saved_views.c.view_id == view_id)


def view_by_name(owner: str, name: str) -> Select[Any]:
    """Which of this person's views has this name?"""
    v = cs.saved_views.c
    return select(*(cs.saved_views.c[k] for k in VIEW_COLUMNS)).where(v.owner == owner, v.name == name)


def add_view(values: Mapping[str, Any]) -> Insert:
    """Save a named view."""
    return insert(cs.saved_views).values(**values)


def remove_view(view_id: int) -> Delete:
    """Delete one saved view."""
    return delete(cs.saved_views).where(cs.saved_views.c.view_id == view_id)


# --- audit ------------------------------------------------------------------------------------------


def add_audit_column(name: str, dialect: Dialect) -> DDL:
    """Add one of `case_schema.AUDIT_ADDED_COLUMNS` to an audit table created before it existed (nullable: old rows keep null)."""
    if name not in cs.AUDIT_ADDED_COLUMNS:
        raise ValueError(f"{name!r} is not an added audit column")
    column, quote = cs.audit.c[name], dialect.identifier_preparer.quote
    return DDL(f"ALTER TABLE {quote(cs.audit.name)} ADD COLUMN {quote(column.name)} {column.type.compile(dialect=dialect)}")


def append_audit() -> Insert:
    """Append audit rows; executed with one parameter set per change (at, who, role, auth, action, entity_type, entity_id, before, after)."""
    return insert(cs.audit)


def audit_of(entity_type: str | None = None, entity_id: str | None = None, *, limit: int = 5000) -> Select[Any]:
    """Which changes were made (to one entity, or anywhere), newest first?"""
    a = cs.audit.c
    q = select(*(cs.audit.c[k] for k in AUDIT_COLUMNS)).order_by(a.audit_id.desc()).limit(limit)
    if entity_type is not None:
        q = q.where(a.entity_type == entity_type)
    return q.where(a.entity_id == entity_id) if entity_id is not None else q

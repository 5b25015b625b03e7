"""Case-store tables: analysts' decisions, labels, allowlist and the append-only audit trail.

They live on their own MetaData because the case store has its own URL, separate from the warehouse.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, DateTime, Integer, MetaData, PrimaryKeyConstraint, String, Table, Text, UniqueConstraint

metadata = MetaData()

TS = DateTime(timezone=True)

ENTITY_TYPES = ("campaign", "cluster", "account", "api_key")
STATUSES = ("new", "investigating", "confirmed", "dismissed")
DISPOSITIONS = (
    "true_positive_extraction",
    "benign_positive_allowed",
    "false_positive_detection_logic",
    "false_positive_bad_data",
)
LABEL_LEVELS = ("campaign", "account", "api_key")
ALLOWLIST_TYPES = ("org", "account", "api_key", "campaign")

cases = Table(
    "cases",
    metadata,
    Column("entity_type", String(16), nullable=False),
    Column("entity_id", String(200), nullable=False),
    Column("status", String(16), nullable=False),
    Column("assignee", String(200)),
    Column("disposition", String(40)),
    Column("reason", Text),
    Column("notes", Text),
    Column("version", Integer, nullable=False, comment="optimistic concurrency: a save names the version it read"),
    Column("created_at", TS, nullable=False),
    Column("updated_at", TS, nullable=False),
    Column("updated_by", String(200), nullable=False),
    PrimaryKeyConstraint("entity_type", "entity_id"),
)

labels = Table(
    "labels",
    metadata,
    Column("entity_type", String(16), nullable=False, comment="campaign, account or api_key"),
    Column("entity_id", String(200), nullable=False),
    Column("source", String(240), nullable=False, comment="'analyst' or 'campaign:<id>' when propagated"),
    Column("label", String(40), nullable=False, comment="one of the dispositions"),
    Column("provenance", Text, comment="JSON: run id, campaign, case version the label came from"),
    Column("analyst", String(200), nullable=False),
    Column("labeled_at", TS, nullable=False),
    PrimaryKeyConstraint("entity_type", "entity_id", "source"),
)

allowlist = Table(
    "allowlist",
    metadata,
    Column("entity_type", String(16), nullable=False),
    Column("entity_id", String(200), nullable=False),
    Column("reason", Text),
    Column("added_by", String(200), nullable=False),
    Column("added_at", TS, nullable=False),
    PrimaryKeyConstraint("entity_type", "entity_id"),
)

audit = Table(
    "audit",
    metadata,
    Column("audit_id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("at", TS, nullable=False),
    Column("who", String(200), nullable=False),
    Column("action", String(40), nullable=False, comment="case.save, label.set, label.propagate, allowlist.add, ..."),
    Column("entity_type", String(16), nullable=False),
    Column("entity_id", String(200), nullable=False),
    Column("before", Text, comment="JSON of the state before the change (null when created)"),
    Column("after", Text, comment="JSON of the state after the change (null when removed)"),
    Column("role", String(16), comment="the actor's role at the time (viewer, analyst, lead); null on rows from before roles"),
    Column("auth", String(40), comment="how the actor was authenticated (oidc, proxy-header, local); null on rows from before roles"),
)

saved_views = Table(
    "saved_views",
    metadata,
    Column("view_id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False),
    Column("owner", String(200), nullable=False),
    Column("shared", Boolean, nullable=False, comment="visible to the whole team, not only its owner"),
    Column("page", String(64), nullable=False, comment="the page's URL path"),
    Column("params", Text, nullable=False, comment="JSON object of the URL's query parameters"),
    Column("created_at", TS, nullable=False),
    UniqueConstraint("owner", "name"),
)

#: Audit columns added after the table first shipped: `radar.cases.store.open_case_store` adds them to older stores.
AUDIT_ADDED_COLUMNS = ("role", "auth")

"""Where do analysts' decisions live? The case store: one case per entity, optimistic versions, audit rows.

The embedded default is a SQLite file in WAL mode; writers take the write lock up front and wait on it (the
settings are named in `queries.dialect`), so the dashboard and the CLI can write at the same time. PostgreSQL
serves teams. Statements come from `queries.case_store`; writes run in `queries.run.write` transactions.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError, ProgrammingError

from queries import case_schema as cs
from queries import case_store as q
from queries import dialect
from queries.run import write
from radar.cases.actor import BULK, TRIAGE, Actor, require

EDITABLE = ("status", "assignee", "disposition", "reason", "notes")
STATUS_COLUMNS = ("entity_id", "status", "assignee", "disposition", "version", "updated_at", "updated_by")


class CaseError(ValueError):
    """A change the case store refuses; the message says why in one sentence."""


class CaseConflict(RuntimeError):
    """Someone else saved this case first; `current` is their state, so the analyst can reload and reapply."""

    def __init__(self, current: dict[str, Any], expected_version: int) -> None:
        self.current = current
        self.expected_version = expected_version
        who = current.get("updated_by") or "someone"
        at = current.get("updated_at")
        when = at.strftime("%Y-%m-%d %H:%M:%S UTC") if isinstance(at, datetime) else str(at)
        super().__init__(
            f"{who} changed this case at {when}; their version: {current.get('version')} "
            f"(status {current.get('status')}, disposition {current.get('disposition') or 'none'}); reload to apply yours."
        )


def now() -> datetime:
    """What time is it, in UTC (the only zone the case store records)?"""
    return datetime.now(UTC)


def _sqlite_engine(url: str, database: str) -> Engine:
    if database and database != ":memory:":
        try:
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CaseError(f"The case store folder {Path(database).parent} cannot be created ({exc.strerror}).") from exc
    engine = create_engine(url, connect_args={"timeout": dialect.SQLITE_BUSY_MS / 1000, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite would defer it to the first write).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        for pragma in dialect.SQLITE_CONNECT_PRAGMAS:
            cur.execute(pragma)
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql(dialect.SQLITE_BEGIN)

    return engine


def open_case_store(url: str) -> Engine:
    """An engine on the case store at `url`, with its tables created if missing."""
    u = make_url(url)
    engine = _sqlite_engine(url, u.database or "") if u.get_backend_name() == dialect.SQLITE else create_engine(url, pool_pre_ping=True)
    try:
        cs.metadata.create_all(engine)
    except OperationalError as exc:
        raise CaseError(f"The case store at {u.render_as_string(hide_password=True)} cannot be opened: {exc.orig}") from exc
    except (IntegrityError, ProgrammingError) as exc:
        # Two processes created the tables at once; the other one won and the tables exist.
        if isinstance(exc, ProgrammingError) and "already exists" not in str(exc):
            raise CaseError(f"The case store at {u.render_as_string(hide_password=True)} cannot be set up: {exc.orig}") from exc
    _add_audit_columns(engine)
    return engine


def _add_audit_columns(engine: Engine) -> None:
    """Give an audit table from before roles its role and auth columns (old rows keep null there)."""
    present = {c["name"] for c in inspect(engine).get_columns(cs.audit.name)}
    for name in cs.AUDIT_ADDED_COLUMNS:
        if name in present:
            continue
        try:
            with engine.begin() as conn:
                conn.execute(q.add_audit_column(name, engine.dialect))
        except DBAPIError:
            # Another process added it between our look and our change; anything else shows on the next look.
            if name not in {c["name"] for c in inspect(engine).get_columns(cs.audit.name)}:
                raise


def _iso(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not recorded in the audit trail")


def _jsonable(state: Mapping[str, Any] | None) -> str | None:
    # The encoder calls _iso only for the datetimes it meets: no copy of the state per row (campaigns resolve 100k rows).
    return None if state is None else json.dumps(state, sort_keys=True, default=_iso)


def audit_row(
    *, actor: Actor, action: str, entity_type: str, entity_id: str, before: Mapping[str, Any] | None, after: Mapping[str, Any] | None
) -> dict[str, Any]:
    """The audit row (who in which role, authenticated how, when, what, before, after) that records one change."""
    return {
        "at": now(),
        "who": actor.name,
        "role": actor.role,
        "auth": actor.via,
        "action": action,
        "entity_type": entity_type,
        "entity_id": entity_id,
        "before": _jsonable(before),
        "after": _jsonable(after),
    }


def add_audit(conn: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
    """Append these audit rows inside the caller's transaction (one statement, however many rows)."""
    if rows:
        conn.execute(q.append_audit(), [dict(r) for r in rows])


def as_utc(v: Any) -> Any:
    """The stored value, with UTC attached to a naive datetime (SQLite hands them back naive; everything stored is UTC)."""
    return v.replace(tzinfo=UTC) if isinstance(v, datetime) and v.tzinfo is None else v


def read_frame(engine: Engine, stmt: Any, schema: Mapping[str, Any]) -> pl.DataFrame:
    """The rows of a case-store select, as a frame of this schema (datetimes in UTC)."""
    with engine.connect() as conn:
        rows = [tuple(as_utc(v) for v in r) for r in conn.execute(stmt)]
    return pl.DataFrame(rows, schema=dict(schema), orient="row")


def _row(conn: Connection, entity_type: str, entity_id: str) -> dict[str, Any] | None:
    r = conn.execute(q.case_of(entity_type, entity_id)).mappings().first()
    return {k: as_utc(v) for k, v in r.items()} if r else None


def get_case(engine: Engine, entity_type: str, entity_id: str) -> dict[str, Any] | None:
    """What is this entity's case now (None when no analyst has touched it)?"""
    with engine.connect() as conn:
        return _row(conn, entity_type, entity_id)


def check_changes(entity_type: str, changes: Mapping[str, Any]) -> None:
    """Refuse (CaseError) an entity type, field, status or disposition the case store does not keep."""
    if entity_type not in cs.ENTITY_TYPES:
        raise CaseError(f"Cases exist for {', '.join(cs.ENTITY_TYPES)}, not {entity_type!r}.")
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise CaseError(f"Only {', '.join(EDITABLE)} can be edited, not {', '.join(sorted(unknown))}.")
    if "status" in changes and changes["status"] not in cs.STATUSES:
        raise CaseError(f"Status must be one of {', '.join(cs.STATUSES)}, not {changes['status']!r}.")
    d = changes.get("disposition")
    if d not in (None, "") and d not in cs.DISPOSITIONS:
        raise CaseError(f"Disposition must be one of {', '.join(cs.DISPOSITIONS)}, not {d!r}.")


def apply_case(
    conn: Connection, entity_type: str, entity_id: str, changes: Mapping[str, Any], actor: Actor, expected: int | None
) -> dict[str, Any] | None:
    """Write `changes` over the current case if its version is `expected` (None: whatever it is); None when unchanged.

    Runs inside the caller's transaction and appends the audit row of the change (PermissionDenied for a viewer).
    """
    require(actor, TRIAGE)
    before = _row(conn, entity_type, entity_id)
    clean = {k: (None if v == "" else v) for k, v in changes.items()}
    if before is None:
        if expected not in (None, 0):
            raise CaseConflict({"version": 0, "status": None, "updated_by": "nobody", "updated_at": "never"}, expected or 0)
        t = now()
        after = {"entity_type": entity_type, "entity_id": entity_id, "status": "new", "assignee": None, "disposition": None}
        after |= {"reason": None, "notes": None} | clean | {"version": 1, "created_at": t, "updated_at": t, "updated_by": actor.name}
        try:
            with conn.begin_nested():
                conn.execute(q.create_case(after))
        except IntegrityError:
            # Another writer created it between our read and insert (PostgreSQL); report their state.
            raise CaseConflict(_row(conn, entity_type, entity_id) or {}, 0) from None
        add_audit(
            conn, [audit_row(actor=actor, action="case.create", entity_type=entity_type, entity_id=entity_id, before=None, after=after)]
        )
        return after
    if expected is not None and before["version"] != expected:
        raise CaseConflict(before, expected)
    if all(before.get(k) == v for k, v in clean.items()):
        return None
    values = clean | {"version": before["version"] + 1, "updated_at": now(), "updated_by": actor.name}
    res = conn.execute(q.update_case(entity_type, entity_id, version=before["version"], values=values))
    if res.rowcount != 1:
        # PostgreSQL READ COMMITTED: a concurrent save landed after our read; the version guard refused ours.
        raise CaseConflict(_row(conn, entity_type, entity_id) or before, before["version"])
    after = before | values
    add_audit(conn, [audit_row(actor=actor, action="case.save", entity_type=entity_type, entity_id=entity_id, before=before, after=after)])
    return after


def save_case(
    engine: Engine, entity_type: str, entity_id: str, changes: Mapping[str, Any], *, expected_version: int, actor: Actor
) -> dict[str, Any]:
    """Save an edit of case fields only if nobody saved since `expected_version` (0 = a new case); raises CaseConflict otherwise.

    Takes an analyst or lead (PermissionDenied for a viewer). A decision that also labels (and propagates to a
    campaign's members) goes through `radar.cases.decisions.decide`.
    """
    require(actor, TRIAGE)
    check_changes(entity_type, changes)
    with write(engine) as conn:
        after = apply_case(conn, entity_type, entity_id, changes, actor, expected_version)
        return after if after is not None else (_row(conn, entity_type, entity_id) or {})


def apply_cases(conn: Connection, entity_type: str, entity_ids: Iterable[str], changes: Mapping[str, Any], actor: Actor) -> int:
    """Apply one change to every listed entity inside the caller's transaction (one audit row each); how many changed?

    A bulk change: only a lead may make it (PermissionDenied otherwise).
    """
    require(actor, BULK)
    return sum(apply_case(conn, entity_type, str(eid), changes, actor, None) is not None for eid in dict.fromkeys(entity_ids))


CASE_SCHEMA: dict[str, Any] = {
    "entity_type": pl.String,
    "entity_id": pl.String,
    "status": pl.String,
    "assignee": pl.String,
    "disposition": pl.String,
    "reason": pl.String,
    "notes": pl.String,
    "version": pl.Int64,
    "created_at": pl.Datetime("us", "UTC"),
    "updated_at": pl.Datetime("us", "UTC"),
    "updated_by": pl.String,
}
AUDIT_SCHEMA: dict[str, Any] = {
    "audit_id": pl.Int64,
    "at": pl.Datetime("us", "UTC"),
    "who": pl.String,
    "role": pl.String,
    "auth": pl.String,
    "action": pl.String,
    "entity_type": pl.String,
    "entity_id": pl.String,
    "before": pl.String,
    "after": pl.String,
}


def case_table(engine: Engine, entity_type: str | None = None) -> pl.DataFrame:
    """Every case (of one entity type, or all), with all its fields."""
    return read_frame(engine, q.cases_of(entity_type), CASE_SCHEMA)


def case_statuses(engine: Engine, entity_type: str) -> pl.DataFrame:
    """What is the case status of every entity of this type an analyst has touched?"""
    return case_table(engine, entity_type).select(STATUS_COLUMNS)


def audit_trail(engine: Engine, entity_type: str | None = None, entity_id: str | None = None, *, limit: int = 5000) -> pl.DataFrame:
    """Which changes were made (to one entity, or anywhere), newest first?"""
    return read_frame(engine, q.audit_of(entity_type, entity_id, limit=limit), AUDIT_SCHEMA)

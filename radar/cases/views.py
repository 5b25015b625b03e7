"""Which views has the team saved? Named URL states (a page and its filters) an analyst finds again, shared or their own.

A view is saved in the case store beside the decisions, so the team sees shared views from any browser; saving
and deleting one is audited like any other change. Any signed-in person may save views (a view changes no case);
a view is deleted by its owner or a lead.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

import polars as pl
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from queries import case_store as q
from queries.run import write
from radar.cases.actor import BULK, Actor, PermissionDenied
from radar.cases.store import CaseError, add_audit, audit_row, now, read_frame

#: Longest view name kept (the column's width).
NAME_MAX = 200
VIEW_SCHEMA: dict[str, Any] = {
    "view_id": pl.Int64,
    "name": pl.String,
    "owner": pl.String,
    "shared": pl.Boolean,
    "page": pl.String,
    "params": pl.String,
    "created_at": pl.Datetime("us", "UTC"),
}


def _actor(actor: object) -> Actor:
    if not isinstance(actor, Actor):
        raise PermissionDenied(f"Saving a view needs an authenticated person, not {actor!r}.")
    return actor


def save_view(engine: Engine, name: str, page: str, params: Mapping[str, str], *, shared: bool, actor: Actor) -> int:
    """Save the current URL state under a name (unique per owner); which id did it get? Raises CaseError on a bad name."""
    who = _actor(actor)
    clean = " ".join(str(name).split())
    if not clean:
        raise CaseError("Give the view a name.")
    if len(clean) > NAME_MAX:
        raise CaseError(f"A view name is at most {NAME_MAX} characters.")
    values = {
        "name": clean,
        "owner": who.name,
        "shared": bool(shared),
        "page": str(page).strip("/") or "overview",
        "params": json.dumps({str(k): str(v) for k, v in params.items()}, sort_keys=True),
        "created_at": now(),
    }
    try:
        with write(engine) as conn:
            conn.execute(q.add_view(values))
            row = conn.execute(q.view_by_name(who.name, clean)).mappings().one()
            add_audit(
                conn,
                [audit_row(actor=who, action="view.create", entity_type="view", entity_id=str(row["view_id"]), before=None, after=values)],
            )
            return int(row["view_id"])
    except IntegrityError:
        raise CaseError(f"You already have a view named {clean!r}: pick another name or delete that one first.") from None


def delete_view(engine: Engine, view_id: int, *, actor: Actor) -> bool:
    """Delete a saved view (its owner, or a lead); was there one?"""
    who = _actor(actor)
    with write(engine) as conn:
        row = conn.execute(q.view_by_id(int(view_id))).mappings().first()
        if row is None:
            return False
        before = dict(row)
        if before["owner"] != who.name and not who.may(BULK):
            raise PermissionDenied(f"{who.name} may not delete {before['owner']}'s view: its owner or a lead may.")
        conn.execute(q.remove_view(int(view_id)))
        add_audit(conn, [audit_row(actor=who, action="view.delete", entity_type="view", entity_id=str(view_id), before=before, after=None)])
        return True


def views_for(engine: Engine, actor: Actor) -> pl.DataFrame:
    """Which views may this person open: their own and every shared one, by name?"""
    return read_frame(engine, q.views_visible_to(_actor(actor).name), VIEW_SCHEMA)


def view_params(view: Mapping[str, Any]) -> dict[str, str]:
    """The query parameters a saved view reopens with."""
    try:
        value = json.loads(str(view["params"]))
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}


def view_link(view: Mapping[str, Any]) -> str:
    """The relative URL that reopens a saved view (its page and query string)."""
    query = urlencode(view_params(view))
    return f"/{view['page']}" + (f"?{query}" if query else "")

"""What did the analyst decide, and what follows from it? A decision and its labels, saved in one transaction.

A decision sets case fields (status, assignee, disposition, reason, notes) under the optimistic version check
and, when it carries a label, labels the entity; a campaign's label also reaches its member accounts and keys.
The same rules hold from every page and the command line:

- clusters carry no label (their campaign or accounts do);
- a campaign's members come from the given run, else the latest finished run that found the campaign, so a
  case keeps its members after a later run no longer finds it;
- the campaign's own label records that run; each member label records the run, the campaign and the label.

- confirming or dismissing a campaign resolves its members' cases (accounts and keys take the campaign's status and
  disposition, one `case.resolve` audit row each), except members an analyst already decided (`radar.cases.bulk`);
- a bulk action changes undecided items only, unless the analyst explicitly asks to change decided ones too.

Membership is read from the warehouse (uncapped, through the batch executor) before the write transaction opens;
the case change, every member case, every label and every audit row then commit together or not at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine

from queries.membership import campaign_accounts, campaign_keys, entity_run
from queries.run import run_all, write
from radar.cases.actor import BULK, TRIAGE, Actor, require
from radar.cases.bulk import DECIDED_STATUSES, apply_many, decided_in
from radar.cases.labels import ANALYST, check_label, write_labels
from radar.cases.store import CaseError, apply_case, check_changes, get_case


@dataclass(frozen=True)
class Members:
    """A campaign's member accounts and keys, and the detection run they come from (None: no run found it)."""

    run_id: str | None
    accounts: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Outcome:
    """What one decision changed: the case as saved, whether the entity's label changed, and how many member labels."""

    case: dict[str, Any]
    case_changed: bool
    labeled: bool
    member_run: str | None = None
    accounts: int = 0
    keys: int = 0
    resolved: int = 0
    kept: int = 0


@dataclass(frozen=True)
class BulkOutcome:
    """What one bulk decision changed: cases, the items' own labels, member labels of campaigns, decided items left alone."""

    items: int
    cases: int
    labels: int
    accounts: int = 0
    keys: int = 0
    resolved: int = 0
    skipped: int = 0


def campaign_members(warehouse: Engine, campaign_id: str, *, run_id: str | None = None) -> Members:
    """Which accounts and keys belong to this campaign, in `run_id` or else the latest finished run that found it?"""
    rid = run_id
    if rid is None:
        found = run_all(warehouse, entity_run(entity_type="campaign", entity_id=campaign_id))
        rid = None if found.is_empty() else str(found["run_id"][0])
    if rid is None:
        return Members(run_id=None)
    accounts = run_all(warehouse, campaign_accounts(rid, campaign_id=campaign_id))["account_id"].cast(str).to_list()
    keys = run_all(warehouse, campaign_keys(rid, campaign_id=campaign_id))["api_key_id"].cast(str).to_list()
    return Members(run_id=rid, accounts=accounts, keys=keys)


def _check(entity_type: str, changes: Mapping[str, Any], label: str | None) -> None:
    check_changes(entity_type, changes)
    if label is None:
        return
    if entity_type == "cluster":
        raise CaseError("Clusters carry no label: label their campaign or their accounts and keys.")
    check_label(entity_type, label)


def _closes(fields: Mapping[str, Any]) -> bool:
    """Does this change set a closing status (or a disposition, which a closed campaign hands on to its members)?"""
    return fields.get("status") in DECIDED_STATUSES or bool(fields.get("disposition"))


def _resolve(conn: Connection, campaign_id: str, case: Mapping[str, Any], members: Members, actor: Actor) -> tuple[int, int]:
    """Give the campaign's undecided member cases its status and disposition, in the decision's transaction; (changed, kept)."""
    if case.get("status") not in DECIDED_STATUSES:
        return 0, 0
    changes = {"status": case["status"], "disposition": case.get("disposition")}
    note = {"campaign_id": campaign_id}
    changed = kept = 0
    for etype, ids in (("account", members.accounts), ("api_key", members.keys)):
        done, left = apply_many(conn, etype, ids, changes, actor, action="case.resolve", ignore_source=f"campaign:{campaign_id}", note=note)
        changed, kept = changed + len(done), kept + len(left)
    return changed, kept


def _label(conn: Connection, entity_type: str, entity_id: str, label: str, members: Members | None, actor: Actor) -> tuple[int, int, int]:
    """Label one entity and, for a campaign, its members, inside the decision's transaction; (own, accounts, keys) changed."""
    if members is None:
        return write_labels(conn, entity_type, [entity_id], label, source=ANALYST, provenance=None, actor=actor), 0, 0
    own = write_labels(conn, entity_type, [entity_id], label, source=ANALYST, provenance={"run_id": members.run_id}, actor=actor)
    source = f"campaign:{entity_id}"
    prov = {"campaign_id": entity_id, "run_id": members.run_id, "label": label}
    n_acc = write_labels(conn, "account", members.accounts, label, source=source, provenance=prov, actor=actor)
    n_key = write_labels(conn, "api_key", members.keys, label, source=source, provenance=prov, actor=actor)
    return own, n_acc, n_key


def decide(
    cases: Engine,
    warehouse: Engine,
    entity_type: str,
    entity_id: str,
    changes: Mapping[str, Any] | None = None,
    *,
    label: str | None = None,
    expected_version: int | None,
    actor: Actor,
    run_id: str | None = None,
) -> Outcome:
    """Save an analyst's decision on one entity and its label (propagated to a campaign's members), all or nothing.

    `expected_version` is the case version the analyst decided from (0: a new case; None: whatever it is now);
    a save made by someone else since raises CaseConflict and changes nothing. With no `changes`, only the label
    is written and the case is left as it is. A viewer is refused (PermissionDenied) before anything is read.
    """
    require(actor, TRIAGE)
    fields = dict(changes or {})
    _check(entity_type, fields, label)
    needs_members = entity_type == "campaign" and (label is not None or _closes(fields))
    members = campaign_members(warehouse, entity_id, run_id=run_id) if needs_members else None
    own = n_acc = n_key = 0
    resolved: tuple[int, int] = (0, 0)
    with write(cases) as conn:
        after = apply_case(conn, entity_type, entity_id, fields, actor, expected_version) if fields else None
        if members is not None and after is not None:
            resolved = _resolve(conn, entity_id, after, members, actor)
        if label is not None:
            own, n_acc, n_key = _label(conn, entity_type, entity_id, label, members if entity_type == "campaign" else None, actor)
    case = after if after is not None else (get_case(cases, entity_type, entity_id) or {})
    return Outcome(
        case=case,
        case_changed=after is not None,
        labeled=own > 0,
        member_run=members.run_id if members and label is not None else None,
        accounts=n_acc,
        keys=n_key,
        resolved=resolved[0],
        kept=resolved[1],
    )


def decide_many(
    cases: Engine,
    warehouse: Engine,
    entity_type: str,
    entity_ids: Iterable[str],
    changes: Mapping[str, Any] | None = None,
    *,
    label: str | None = None,
    actor: Actor,
    run_id: str | None = None,
    overwrite_decided: bool = False,
) -> BulkOutcome:
    """Apply one decision to every listed undecided entity (a bulk action, for a lead), with the rules of `decide`, all or nothing.

    Items an analyst already decided (`radar.cases.bulk`) keep their case and label unless `overwrite_decided`.
    """
    require(actor, BULK)
    ids: Sequence[str] = list(dict.fromkeys(str(e) for e in entity_ids))
    fields = dict(changes or {})
    _check(entity_type, fields, label)
    members: dict[str, Members] = {}
    if entity_type == "campaign" and (label is not None or _closes(fields)):
        members = {cid: campaign_members(warehouse, cid, run_id=run_id) for cid in ids}
    n_cases = own = n_acc = n_key = n_res = 0
    with write(cases) as conn:
        # Which items may change is read inside the write transaction, so a decision saved meanwhile is respected.
        if fields:
            touched, skipped = apply_many(conn, entity_type, ids, fields, actor, overwrite_decided=overwrite_decided)
        else:
            touched, skipped = [], ([] if overwrite_decided else sorted(decided_in(conn, entity_type, ids)))
        n_cases = len(touched)
        left_alone = set(skipped)
        targets = [i for i in ids if i not in left_alone]
        if members:
            for cid in targets:
                m = members[cid]
                case = {"status": fields.get("status"), "disposition": fields.get("disposition")}
                if fields.get("status") in DECIDED_STATUSES:
                    n_res += _resolve(conn, cid, case, m, actor)[0]
                if label is not None:
                    o, a, k = _label(conn, entity_type, cid, label, m, actor)
                    own, n_acc, n_key = own + o, n_acc + a, n_key + k
        elif label is not None:
            own = write_labels(conn, entity_type, targets, label, source=ANALYST, provenance=None, actor=actor)
    return BulkOutcome(items=len(ids), cases=n_cases, labels=own, accounts=n_acc, keys=n_key, resolved=n_res, skipped=len(skipped))


def propagate_campaign_label(
    cases: Engine, warehouse: Engine, campaign_id: str, label: str, *, actor: Actor, run_id: str | None = None
) -> tuple[int, int]:
    """Label a campaign and its members without editing its case (a `decide` with a label only); (accounts, keys) changed?"""
    outcome = decide(cases, warehouse, "campaign", campaign_id, label=label, expected_version=None, actor=actor, run_id=run_id)
    return outcome.accounts, outcome.keys

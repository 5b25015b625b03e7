"""Saved views: named URL states, own or shared, unique per owner, deleted by their owner or a lead, audited, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from radar.cases.actor import PermissionDenied
from radar.cases.store import CaseError, audit_trail, open_case_store
from radar.cases.views import delete_view, save_view, view_link, views_for
from tests.cases.actors import analyst, lead, viewer


def test_views_are_own_or_shared_and_audited(cases_url: str) -> None:
    e = open_case_store(cases_url)
    shared = save_view(e, "  low-risk   accounts ", "triage", {"etype": "account", "max": "0.3"}, shared=True, actor=analyst("ana"))
    save_view(e, "mine", "kpis", {}, shared=False, actor=analyst("ana"))
    save_view(e, "vic's", "case", {"etype": "campaign", "id": "C1"}, shared=False, actor=viewer("vic"))  # a view changes no case
    assert views_for(e, analyst("ana"))["name"].to_list() == ["low-risk accounts", "mine"]
    bo = views_for(e, lead("bo"))
    assert bo["name"].to_list() == ["low-risk accounts"]
    assert view_link(bo.row(0, named=True)) == "/triage?etype=account&max=0.3"
    with pytest.raises(CaseError, match="already have a view named 'mine'"):
        save_view(e, "mine", "triage", {}, shared=False, actor=analyst("ana"))
    with pytest.raises(CaseError, match="Give the view a name"):
        save_view(e, "   ", "triage", {}, shared=False, actor=analyst("ana"))
    with pytest.raises(PermissionDenied, match="its owner or a lead"):
        delete_view(e, shared, actor=analyst("cy"))
    assert delete_view(e, shared, actor=lead("bo")) and not delete_view(e, shared, actor=lead("bo"))
    trail = audit_trail(e, "view")
    assert trail.select("action", "who").rows() == [
        ("view.delete", "bo"),
        ("view.create", "vic"),
        ("view.create", "ana"),
        ("view.create", "ana"),
    ]

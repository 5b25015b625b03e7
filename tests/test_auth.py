"""Only an authenticated actor in the right role changes the case store; the audit trail records who, in which role, signed in how.

The roles are enforced in the core (radar.cases), on SQLite and PostgreSQL, whatever page or script calls it; the
identity comes from the deployment (OpenID Connect, a trusted proxy header that is off unless configured, or the
local analyst on a loopback-only server), checked here through the resolver with plain mappings for `st.user` and
the request headers (AppTest cannot send headers).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Column, DateTime, Engine, Integer, MetaData, String, Table, Text, create_engine, insert

from queries import case_schema as cs
from radar.cases.actor import LOCAL, OIDC, PROXY, Actor, PermissionDenied
from radar.cases.allowlist import add_allowlist, allowlist_frame, import_allowlist_csv, import_allowlist_text, remove_allowlist
from radar.cases.decisions import decide, decide_many, propagate_campaign_label
from radar.cases.feedback import load_feedback
from radar.cases.identity import NotSignedIn, RolesError, is_loopback, parse_roles, resolve_actor
from radar.cases.labels import clear_label, labels_frame, set_labels
from radar.cases.store import audit_trail, case_table, now, open_case_store, save_case
from radar.config import load_settings
from tests.cases.actors import analyst, lead, viewer
from tests.cases.seed import seed_warehouse
from tests.pg import PostgresServer

TP = "true_positive_extraction"


@pytest.fixture(params=["sqlite", "postgresql"])
def cases_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'cases.sqlite'}"
    server: PostgresServer = request.getfixturevalue("pg_server")
    return server.new_database()


@pytest.fixture()
def stores(cases_url: str, duckdb_url: str) -> tuple[Engine, Engine]:
    return open_case_store(cases_url), seed_warehouse(duckdb_url)


def _writes(cases: Engine, wh: Engine, tmp: Path) -> dict[str, Callable[[Any], object]]:
    """Every function that changes the case store, each called with the given actor."""
    csv = tmp / "allow.csv"
    csv.write_text("entity_type,entity_id,reason\naccount,a9,internal\n", encoding="utf-8")
    return {
        "save_case": lambda a: save_case(cases, "campaign", "C1", {"status": "dismissed"}, expected_version=0, actor=a),
        "decide": lambda a: decide(cases, wh, "campaign", "C1", {"status": "confirmed"}, label=TP, expected_version=0, actor=a),
        "decide_many": lambda a: decide_many(cases, wh, "account", ["a1", "a2"], {"status": "confirmed"}, actor=a),
        "propagate_campaign_label": lambda a: propagate_campaign_label(cases, wh, "C1", TP, actor=a),
        "set_labels one": lambda a: set_labels(cases, "account", ["a1"], TP, actor=a),
        "set_labels many": lambda a: set_labels(cases, "account", ["a1", "a2"], TP, actor=a),
        "clear_label": lambda a: clear_label(cases, "account", "a1", actor=a),
        "add_allowlist": lambda a: add_allowlist(cases, [("account", "a9", "internal")], actor=a),
        "remove_allowlist": lambda a: remove_allowlist(cases, "account", "a9", actor=a),
        "import_allowlist_text": lambda a: import_allowlist_text(cases, csv.read_bytes(), name="allow.csv", actor=a),
        "import_allowlist_csv": lambda a: import_allowlist_csv(cases, csv, actor=a),
    }


def _state(cases: Engine) -> tuple[int, int, int, int]:
    return case_table(cases).height, labels_frame(cases).height, allowlist_frame(cases).height, audit_trail(cases).height


def test_every_write_refuses_a_viewer_and_a_bare_name(stores: tuple[Engine, Engine], tmp_path: Path) -> None:
    cases, wh = stores
    writes = _writes(cases, wh, tmp_path)
    for name, write in writes.items():
        with pytest.raises(PermissionDenied, match=r"^vic is a viewer and may not .*: that takes the .* role \(RADAR_ROLES\)\.$"):
            write(viewer("vic"))
        with pytest.raises(PermissionDenied, match="needs an authenticated actor with a role"):
            write("root")  # a name alone, as every caller passed before roles, is no identity
        assert _state(cases) == (0, 0, 0, 0), f"{name} wrote something for a viewer"


def test_an_analyst_triages_single_items_but_neither_bulk_nor_the_allowlist(
    stores: tuple[Engine, Engine], tmp_path: Path, cases_url: str
) -> None:
    cases, wh = stores
    writes = _writes(cases, wh, tmp_path)
    for name in ("decide_many", "set_labels many", "add_allowlist", "import_allowlist_text", "import_allowlist_csv"):
        with pytest.raises(PermissionDenied, match="^ana is an analyst and may not .*: that takes the lead role"):
            writes[name](analyst("ana"))
        assert _state(cases) == (0, 0, 0, 0), f"{name} wrote something for an analyst"
    # An allowlist change refused in the core never reaches the next detection run.
    assert load_feedback(cases_url).allowlisted == set()
    # One campaign decision is one item, however many members its label reaches.
    out = decide(cases, wh, "campaign", "C1", {"status": "confirmed"}, label=TP, expected_version=0, actor=analyst("ana"))
    assert (out.case["updated_by"], out.accounts, out.keys) == ("ana", 4, 8)
    assert writes["set_labels one"](analyst("ana")) == 1
    assert writes["clear_label"](analyst("ana")) is True
    lead_only = add_allowlist(cases, [("account", "a9", "internal")], actor=lead("lena"))
    with pytest.raises(PermissionDenied, match="may not change the allowlist"):
        writes["remove_allowlist"](analyst("ana"))
    assert lead_only == 1 and allowlist_frame(cases)["entity_id"].to_list() == ["a9"]


def test_a_lead_may_do_everything_and_every_audit_row_names_who_in_which_role_and_how(
    stores: tuple[Engine, Engine], tmp_path: Path, cases_url: str
) -> None:
    cases, wh = stores
    writes = _writes(cases, wh, tmp_path)
    boss = Actor("lena@corp.example", "lead", OIDC)
    for name in ("decide", "decide_many", "set_labels many", "add_allowlist", "import_allowlist_csv"):
        writes[name](boss)
    assert load_feedback(cases_url).allowlisted == {("account", "a9")}
    assert writes["remove_allowlist"](boss) is True
    trail = audit_trail(cases)
    assert trail.height > 0
    assert set(trail["who"]) == {"lena@corp.example"} and set(trail["role"]) == {"lead"} and set(trail["auth"]) == {"oidc"}
    assert {"case.create", "label.set", "label.propagate", "allowlist.add", "allowlist.remove"} <= set(trail["action"])
    save_case(cases, "campaign", "C2", {"notes": "seen"}, expected_version=0, actor=Actor("bob", "analyst", PROXY))
    row = audit_trail(cases, "campaign", "C2").row(0, named=True)
    assert (row["who"], row["role"], row["auth"]) == ("bob", "analyst", "proxy-header")


def test_a_case_store_from_before_roles_gains_the_audit_columns(cases_url: str) -> None:
    # The audit table as it shipped before roles, with one row in it.
    old = Table(
        "audit",
        MetaData(),
        Column("audit_id", Integer, primary_key=True, autoincrement=True),
        Column("at", DateTime(timezone=True), nullable=False),
        Column("who", String(200), nullable=False),
        Column("action", String(40), nullable=False),
        Column("entity_type", String(16), nullable=False),
        Column("entity_id", String(200), nullable=False),
        Column("before", Text),
        Column("after", Text),
    )
    engine = create_engine(cases_url)
    old.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(old), [{"at": now(), "who": "root", "action": "case.save", "entity_type": "campaign", "entity_id": "C0"}])
    engine.dispose()
    assert set(cs.AUDIT_ADDED_COLUMNS) == {"role", "auth"}
    store = open_case_store(cases_url)
    save_case(store, "campaign", "C1", {"status": "investigating"}, expected_version=0, actor=analyst("ana"))
    trail = audit_trail(store)
    assert trail.select("who", "role", "auth").rows() == [("ana", "analyst", "local"), ("root", None, None)]
    open_case_store(cases_url)  # a second opening finds the columns there and changes nothing


# --- who is at the keyboard --------------------------------------------------------------------------

LOOPBACK = "127.0.0.1"


def test_the_trusted_header_is_ignored_unless_configured() -> None:
    forged = {"X-Forwarded-User": "mallory@evil.example"}
    local = resolve_actor(load_settings(analyst="tess"), user={}, headers=forged, server_address=LOOPBACK)
    assert (local.name, local.role, local.via) == ("tess", "analyst", LOCAL)
    behind = load_settings(trusted_user_header="X-Forwarded-User", roles="alice@corp.example:lead")
    proxied = resolve_actor(behind, user={}, headers={"x-forwarded-user": "Alice@corp.example"}, server_address=LOOPBACK)
    assert (proxied.name, proxied.role, proxied.via) == ("Alice@corp.example", "lead", PROXY)
    stranger = resolve_actor(behind, user={}, headers=forged, server_address="0.0.0.0")
    assert (stranger.role, stranger.via) == ("viewer", PROXY)  # signed in but given no role
    with pytest.raises(NotSignedIn, match="no X-Forwarded-User header") as missing:
        resolve_actor(behind, user={}, headers={}, server_address=LOOPBACK)
    assert not missing.value.can_sign_in


def test_openid_connect_wins_and_an_unknown_user_is_a_viewer() -> None:
    s = load_settings(roles="bob@corp.example:analyst", trusted_user_header="X-Forwarded-User")
    with pytest.raises(NotSignedIn) as out:
        resolve_actor(s, user={"is_logged_in": False}, headers={"X-Forwarded-User": "bob@corp.example"}, server_address=LOOPBACK)
    assert out.value.can_sign_in  # configured and not signed in: the header does not stand in for the login
    bob = resolve_actor(s, user={"is_logged_in": True, "email": "bob@corp.example", "sub": "1"}, headers={}, server_address=None)
    assert (bob.name, bob.role, bob.via) == ("bob@corp.example", "analyst", OIDC)
    eve = resolve_actor(s, user={"is_logged_in": True, "email": "eve@corp.example"}, headers={}, server_address=None)
    assert eve.role == "viewer" and eve.read_only
    # Streamlit without an [auth] section has no is_logged_in: that is no sign-in, whatever else st.user holds.
    plain = resolve_actor(load_settings(analyst="tess"), user={"email": "test@example.com"}, headers={}, server_address=LOOPBACK)
    assert (plain.name, plain.via) == ("tess", LOCAL)


def test_local_mode_is_an_analyst_on_loopback_only() -> None:
    s = load_settings(analyst="tess")
    assert resolve_actor(s, user=None, headers=None, server_address="127.0.0.1").role == "analyst"
    assert resolve_actor(load_settings(analyst="tess", analyst_role="lead"), user=None, headers=None, server_address="::1").role == "lead"
    for exposed in (None, "", "0.0.0.0", "10.0.0.5", "::"):
        assert resolve_actor(s, user=None, headers=None, server_address=exposed).role == "viewer", exposed
    assert is_loopback("localhost") and is_loopback("127.0.0.2") and not is_loopback("radar.corp.example")
    with pytest.raises(RolesError, match="RADAR_ANALYST_ROLE"):
        resolve_actor(load_settings(analyst_role="root"), user=None, headers=None, server_address=LOOPBACK)


def test_roles_come_from_the_variable_and_a_file_and_bad_entries_are_sentences(tmp_path: Path) -> None:
    assert parse_roles("alice:lead, Bob@Corp.example:analyst\n# comment\n", source="x") == {
        "alice": "lead",
        "bob@corp.example": "analyst",
    }
    with pytest.raises(RolesError, match=r"^RADAR_ROLES: 'alice:boss' is not name:role with a role of viewer, analyst, lead"):
        parse_roles("alice:boss", source="RADAR_ROLES")
    roles = tmp_path / "roles.txt"
    roles.write_text("carol:lead  # the team lead\ndan:analyst\n", encoding="utf-8")
    s = load_settings(roles_file=str(roles), roles="dan:viewer", trusted_user_header="X-User")
    assert resolve_actor(s, user=None, headers={"X-User": "carol"}, server_address=None).role == "lead"
    assert resolve_actor(s, user=None, headers={"X-User": "dan"}, server_address=None).role == "viewer"  # the variable wins
    with pytest.raises(RolesError, match="RADAR_ROLES_FILE .* cannot be read"):
        resolve_actor(load_settings(roles_file=str(tmp_path / "none.txt")), user=None, headers=None, server_address=None)


def test_an_actor_needs_a_name_and_a_known_role() -> None:
    with pytest.raises(ValueError, match="needs a name"):
        Actor(" ", "lead", LOCAL)
    with pytest.raises(ValueError, match="not 'root'"):
        Actor("x", "root", LOCAL)

"""Under AppTest: nobody reaches a page before signing in, roles shape what a page offers, and the sidebar says who is in.

AppTest seeds `st.user` (OpenID Connect); it cannot send request headers, so the trusted-header path is tested
through the resolver in tests/test_auth.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

from app_state import PAGES
from radar.cases.allowlist import allowlist_frame
from radar.cases.store import audit_trail, open_case_store
from tests.cases.seed import seed_warehouse
from tests.pages.markup import shown

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    seed_warehouse(f"duckdb:///{tmp_path / 'w.duckdb'}").dispose()
    monkeypatch.setenv("RADAR_WAREHOUSE_URL", f"duckdb:///{tmp_path / 'w.duckdb'}")
    monkeypatch.setenv("RADAR_CASES_URL", f"sqlite:///{tmp_path / 'cases.sqlite'}")
    monkeypatch.setenv("RADAR_ANALYST", "tess")
    monkeypatch.setenv("RADAR_ROLES", "lena@corp.example:lead,ana@corp.example:analyst")
    return f"sqlite:///{tmp_path / 'cases.sqlite'}"


def _app(user: dict[str, object] | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if user is not None:
        at.user = user
    return at


def _sidebar_text(at: AppTest) -> str:
    return " ".join(shown(c.value) for c in [*at.sidebar.caption, *at.sidebar.warning])


def test_a_browser_that_has_not_signed_in_sees_only_the_sign_in_page(env: str) -> None:
    at = _app({"is_logged_in": False}).run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Distillation Radar"] and "Sign in" in at.info[0].value
    assert [b.label for b in at.button] == ["Sign in"]
    assert not at.metric and not at.dataframe  # no telemetry, no case
    at.button(key="sign_in").click().run()  # without a working [auth] section or Authlib: a sentence, not a traceback
    assert not at.exception and "Sign-in could not start" in shown(at.error[0].value)
    for page in PAGES:  # no page is routed to, deep links included
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(page.path)


def test_a_signed_in_lead_changes_the_allowlist_and_the_audit_says_how_they_signed_in(env: str) -> None:
    at = _app({"is_logged_in": True, "email": "lena@corp.example", "sub": "u-1"}).run()
    at.switch_page("pages/triage.py").run()
    assert not at.exception
    assert "Signed in as lena@corp.example · role: lead" in _sidebar_text(at)
    at.text_input(key="allow_id").input("org-eval")
    at.text_input(key="allow_reason").input("evaluation partner")
    [b for b in at.button if b.label == "Allowlist"][0].click()
    at.run()
    store = open_case_store(env)
    assert allowlist_frame(store).select("entity_id", "added_by").rows() == [("org-eval", "lena@corp.example")]
    assert audit_trail(store).select("who", "role", "auth", "action").rows() == [("lena@corp.example", "lead", "oidc", "allowlist.add")]


def test_a_signed_in_stranger_is_a_viewer_with_nothing_to_save(env: str) -> None:
    at = _app({"is_logged_in": True, "email": "mallory@else.example"}).run()
    at.switch_page("pages/triage.py").run()
    assert not at.exception
    assert "role: viewer (read only" in _sidebar_text(at)
    saves = [
        b for b in at.button if b.label in ("Save", "Complete and next", "Assign to me", "Review the change") or b.key.startswith("quick:")
    ]
    assert len(saves) == 8 and all(b.disabled for b in saves)
    assert not [t for t in at.text_input if t.key == "allow_id"]  # the allowlist is listed, not editable
    case = _app({"is_logged_in": True, "email": "mallory@else.example"}).run()
    case.switch_page("pages/case.py")
    case.query_params.update({"etype": "campaign", "id": "C1"})
    case.run()
    assert [b for b in case.button if b.label == "Save"][0].disabled


def test_an_analyst_decides_single_items_but_is_offered_no_bulk_action(env: str) -> None:
    at = _app({"is_logged_in": True, "email": "ana@corp.example"}).run()
    at.switch_page("pages/triage.py").run()
    assert [b for b in at.button if b.label == "Save"][0].disabled is False
    assert [b for b in at.button if b.label == "Review the change"][0].disabled
    assert "Bulk actions are for leads" in " ".join(c.value for c in at.caption)


def test_local_mode_says_so_and_an_exposed_server_makes_everyone_a_viewer(env: str) -> None:
    at = _app().run()
    assert not at.exception
    assert "local mode: only this machine can open the dashboard, as tess · role: analyst" in _sidebar_text(at)
    config.set_option("server.address", "0.0.0.0")  # the loopback_server fixture puts it back
    exposed = _app().run()
    exposed.switch_page("pages/triage.py").run()
    assert "anyone who reaches it would act as tess, so everyone is a viewer" in _sidebar_text(exposed)
    assert [b for b in exposed.button if b.label == "Save"][0].disabled

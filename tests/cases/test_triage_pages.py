"""The triage, case and export pages run under AppTest on a seeded warehouse, and their main actions work."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from radar.cases.allowlist import allowlist_frame
from radar.cases.labels import labels_frame, set_labels
from radar.cases.store import audit_trail, case_statuses, open_case_store, save_case
from tests.cases.actors import lead
from tests.cases.seed import seed_warehouse
from tests.pages.markup import shown

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    seed_warehouse(f"duckdb:///{tmp_path / 'w.duckdb'}").dispose()
    cases_url = f"sqlite:///{tmp_path / 'cases.sqlite'}"
    monkeypatch.setenv("RADAR_WAREHOUSE_URL", f"duckdb:///{tmp_path / 'w.duckdb'}")
    monkeypatch.setenv("RADAR_CASES_URL", cases_url)
    monkeypatch.setenv("RADAR_ANALYST", "tess")
    monkeypatch.setenv("RADAR_ANALYST_ROLE", "lead")  # these flows include bulk actions and the allowlist
    return cases_url


def _page(page: str, **params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _select(at: AppTest, label: str, value: str, nth: int = 0) -> None:
    [s for s in at.selectbox if s.label == label][nth].set_value(value)


def _facts(at: AppTest) -> list[str]:
    """The case page's four facts (status, disposition, label in force, assignee), as drawn."""
    return [m.value for m in at.markdown if m.value.split("  \n")[0] in ("Status", "Disposition", "Label in force", "Assignee")]


def _captions(at: AppTest) -> str:
    return " ".join(c.value for c in at.caption)


def test_confirm_campaign_resolves_members_and_bulk_leaves_them_unless_asked(env: str) -> None:
    at = _page("pages/triage.py")
    assert "2 campaigns match the filter · 2 undecided left" in _captions(at)
    _select(at, "Status", "confirmed", nth=1)  # the first "Status" is the queue's filter
    _select(at, "Disposition", "true_positive_extraction", nth=1)
    [b for b in at.button if b.label == "Save"][0].click()
    at.run()
    assert "Labeled the campaign, 4 accounts and 8 keys" in at.success[0].value
    assert "Resolved 12 member cases with it." in at.success[0].value
    store = open_case_store(env)
    assert case_statuses(store, "campaign").row(0)[:2] == ("C1", "confirmed")
    assert set(case_statuses(store, "account")["status"]) == {"confirmed"}

    # The campaign's accounts are decided now: a bulk action leaves them alone unless the analyst asks.
    at = _page("pages/triage.py", etype="account", campaign="C1")
    assert "4 accounts match the filter · 0 undecided left" in _captions(at)
    _select(at, "Set status", "dismissed")
    _select(at, "Set label", "benign_positive_allowed")
    [b for b in at.button if b.label == "Review the change"][0].click()
    at.run()
    assert "This changes 0 undecided accounts; 4 already decided keep their decision" in at.warning[0].value
    assert at.button(key="bulk_confirm").disabled
    at.checkbox(key="b_overwrite:account").check()
    [b for b in at.button if b.label == "Review the change"][0].click()
    at.run()
    assert "This changes 0 undecided and 4 already decided accounts" in at.warning[0].value
    at.button(key="bulk_confirm").click()
    at.run()
    assert "Changed 4 cases and 4 labels" in at.success[0].value
    acc = labels_frame(store, "account")
    assert sorted(acc.filter(acc["source"] == "analyst")["entity_id"].to_list()) == ["a1", "a2", "a3", "a4"]
    # resolve + propagate from the campaign decision, then the bulk's case change and own label
    assert audit_trail(store, "account").filter(audit_trail(store, "account")["who"] == "tess").height == 4 + 4 + 4 + 4


def test_case_page_reports_a_conflict_instead_of_losing_an_update(env: str) -> None:
    store = open_case_store(env)
    save_case(store, "campaign", "C2", {"status": "investigating"}, expected_version=0, actor=lead("ana"))
    at = _page("pages/case.py", etype="campaign", id="C2")
    assert _facts(at) == [
        "Status  \n**Investigating**",
        "Disposition  \n**None yet**",
        "Label in force  \n**None yet**",
        "Assignee  \n**Unassigned**",
    ]
    save_case(store, "campaign", "C2", {"status": "dismissed", "reason": "evaluation partner"}, expected_version=1, actor=lead("bo"))
    _select(at, "Status", "confirmed")
    [b for b in at.button if b.label == "Save"][0].click()
    at.run()
    assert not at.exception
    assert "bo changed this case at" in shown(at.error[0].value) and "their version: 2" in shown(at.error[0].value)
    assert case_statuses(store, "campaign").row(0)[1] == "dismissed"
    # Reloading shows their state; saving again from it applies ours on top of theirs.
    at.button(key="reload:campaign:C2").click()
    at.run()
    assert not at.error and _facts(at)[0] == "Status  \n**Dismissed**"
    assert [s for s in at.selectbox if s.label == "Status"][0].value == "dismissed"
    _select(at, "Status", "confirmed")
    [b for b in at.button if b.label == "Save"][0].click()
    at.run()
    assert "Saved campaign C2 (version 3)" in at.success[0].value
    assert case_statuses(store, "campaign").row(0)[1:3] == ("confirmed", None)


def test_export_page_prepares_downloads(env: str) -> None:
    store = open_case_store(env)
    save_case(store, "campaign", "C1", {"status": "confirmed"}, expected_version=0, actor=lead("ana"))
    at = _page("pages/export.py")
    at.button(key="prepare_export").click()
    at.run()
    assert "No labeled accounts to export" in at.error[0].value  # a sentence, not a traceback
    set_labels(store, "account", ["a1", "a2", "a5", "a7"], "true_positive_extraction", actor=lead("ana"))
    at.button(key="prepare_export").click()
    at.run()
    assert not at.exception and not at.error
    assert at.caption[0].value.startswith("account-level export: ")
    labels = {getattr(b, "label", None) for b in at.get("download_button")}
    assert "Download all (zip)" in labels and "Download STIX 2.1 bundle" not in labels  # campaign files are built only when asked
    at.button(key="prepare_campaign_files").click()
    at.run()
    assert not at.exception and not at.error
    assert {getattr(b, "label", None) for b in at.get("download_button")} >= {
        "Download all (zip)",
        "Download STIX 2.1 bundle",
        "Download case report (HTML)",
    }


def test_allowlist_add_and_remove_on_the_triage_page(env: str) -> None:
    at = _page("pages/triage.py")
    at.text_input(key="allow_id").input("org-eval")
    at.text_input(key="allow_reason").input("evaluation partner")
    [b for b in at.button if b.label == "Allowlist"][0].click()
    at.run()
    assert not at.exception and "Allowlisted org org-eval." in [shown(s.value) for s in at.success]
    store = open_case_store(env)
    assert allowlist_frame(store).select("entity_type", "entity_id", "reason", "added_by").rows() == [
        ("org", "org-eval", "evaluation partner", "tess")
    ]
    at.button(key="allow_remove_btn").click()
    at.run()
    assert allowlist_frame(store).is_empty()
    assert audit_trail(store, "org")["action"].to_list() == ["allowlist.remove", "allowlist.add"]


def test_bulk_action_reaches_items_beyond_the_row_cap(env: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RADAR_ROW_CAP", "3")  # the table shows 3 of 9 accounts
    at = _page("pages/triage.py", etype="account")
    assert "first 3 rows" in _captions(at)
    _select(at, "Set status", "investigating")
    [b for b in at.button if b.label == "Review the change"][0].click()
    at.run()
    assert "This changes 9 undecided accounts" in at.warning[0].value
    at.button(key="bulk_confirm").click()
    at.run()
    assert "Changed 9 cases" in at.success[0].value
    assert case_statuses(open_case_store(env), "account").height == 9


@pytest.mark.parametrize("page", ["pages/triage.py", "pages/case.py", "pages/export.py"])
def test_unreachable_case_store_is_a_sentence(env: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, page: str) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("RADAR_CASES_URL", f"sqlite:///{blocker / 'cases.sqlite'}")
    at = _page(page, etype="campaign", id="C1")
    assert "RADAR_CASES_URL" in at.error[0].value


def test_case_of_a_campaign_a_later_run_no_longer_finds_keeps_its_members(env: str, tmp_path: Path) -> None:
    from datetime import timedelta

    from sqlalchemy import insert

    from queries import schema
    from radar.warehouse import open_engine
    from tests.cases import seed

    # a later run that finds the accounts again under another campaign id
    wh = open_engine(f"duckdb:///{tmp_path / 'w.duckdb'}")
    later = seed.T0 + timedelta(days=8)
    with wh.begin() as conn:
        conn.execute(
            insert(schema.score_runs),
            [
                {
                    "run_id": "r-later",
                    "started_at": later,
                    "finished_at": later,
                    "window_start": seed.T0,
                    "window_end": later,
                    "params": "{}",
                    "status": "done",
                }
            ],
        )
        conn.execute(
            insert(schema.account_scores),
            [
                {"run_id": "r-later", "account_id": a, "score": 0.9, "campaign_id": "C1-renamed", "allowlisted": False, "reasons": "[]"}
                for a in seed.CAMPAIGN_MEMBERS["C1"]
            ],
        )
    wh.dispose()
    at = _page("pages/case.py", etype="campaign", id="C1")
    assert any("no longer finds this campaign" in shown(i.value) and seed.RUN_ID in shown(i.value) for i in at.info)
    _select(at, "Label", "true_positive_extraction")
    [b for b in at.button if b.label == "Save"][0].click()
    at.run()
    assert not at.exception
    assert f"{len(seed.CAMPAIGN_MEMBERS['C1'])} accounts" in at.success[0].value
    at = _page("pages/case.py", etype="campaign", id="C-unknown")
    assert any("No detection run found a campaign with this id" in w.value for w in at.warning)

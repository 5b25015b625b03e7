"""Evidence to decision in one click: clickable rows open the entity, and the investigation pages show and decide its case
through the same decision function as the triage queue (one transaction, an audit row per change)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import update
from streamlit.testing.v1 import AppTest

from components.key_split import split_sentence
from queries import schema
from radar.cases.labels import effective_labels
from radar.cases.store import audit_trail, case_table, get_case, open_case_store
from radar.warehouse import open_engine
from tests.pages.markup import rendered, shown
from tests.queries import seed

ROOT = Path(__file__).resolve().parents[2]
TP = "true_positive_extraction"


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> str:
    d = tmp_path_factory.mktemp("one-click")
    url = f"duckdb:///{d / 'radar.duckdb'}"
    seed.seed_warehouse(url)
    engine = open_engine(url)
    with engine.begin() as conn:  # the split detection stores per key (the seed predates it)
        k = schema.key_scores
        conn.execute(update(k).where(k.c.api_key_id == "kx01a").values(extraction_calls=1_200, other_calls=34_000, component_score=0.934))
    engine.dispose()
    return url


@pytest.fixture()
def cases_url(warehouse: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'cases.sqlite'}"
    monkeypatch.setenv("RADAR_WAREHOUSE_URL", warehouse)
    monkeypatch.setenv("RADAR_CASES_URL", url)
    monkeypatch.setenv("RADAR_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("RADAR_ANALYST", "tess")
    monkeypatch.setenv("RADAR_ANALYST_ROLE", "analyst")
    yield url


def _open(page: str, **params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _click_row(at: AppTest, key: str, row: int) -> AppTest:
    """Select one row of a single-row-selection table, as a click in the browser does, and rerun."""
    at.session_state[key] = {"selection": {"rows": [row], "columns": [], "cells": []}}
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _titles(at: AppTest) -> list[str]:
    return [str(t.value) for t in at.title]


def test_a_click_on_an_overview_row_opens_that_campaign(cases_url: str) -> None:
    at = _open("pages/overview.py")
    assert list(at.dataframe[0].value["campaign_id"]) == ["C1", "C2"]
    _click_row(at, "overview_campaigns", 1)
    assert _titles(at) == ["Campaign"] and at.query_params["campaign"] == "C2"
    assert "Campaign C2" in [shown(h.value) for h in at.header]


def test_member_and_key_rows_open_the_account_and_the_key(cases_url: str) -> None:
    at = _open("pages/campaign.py", campaign="C1", section="Members")
    accounts = at.dataframe(key="campaign_accounts").value
    _click_row(at, "campaign_accounts", 0)
    assert _titles(at) == ["Keys"] and at.query_params["q"] == accounts["account_id"][0]
    at = _open("pages/campaign.py", campaign="C1", section="Members")
    keys = at.dataframe(key="campaign_keys").value
    _click_row(at, "campaign_keys", 1)
    assert _titles(at) == ["Keys"] and at.query_params["key"] == keys["api_key_id"][1]
    assert f"Key {keys['api_key_id'][1]}" in [shown(h.value) for h in at.header]
    at = _open("pages/clusters.py", cluster="CL1")
    members = at.dataframe(key="cluster_members").value
    _click_row(at, "cluster_members", 0)
    assert _titles(at) == ["Keys"] and at.query_params["q"] == members["account_id"][0]


def test_confirming_a_campaign_from_its_page_resolves_its_members(cases_url: str) -> None:
    store = open_case_store(cases_url)
    at = _open("pages/campaign.py", campaign="C1", section="Members")
    members = set(at.dataframe(key="campaign_accounts").value["account_id"])
    keys = set(at.dataframe(key="campaign_keys").value["api_key_id"])
    assert "**Case:** New · unassigned" in [shown(m.value) for m in at.markdown]
    at.button(key=f"panel_{TP}:campaign:C1").click()
    at.run()
    assert not at.exception
    case = get_case(store, "campaign", "C1")
    assert case is not None and (case["status"], case["disposition"], case["version"]) == ("confirmed", TP, 1)
    accounts, api_keys = case_table(store, "account"), case_table(store, "api_key")
    assert set(accounts["entity_id"]) == members and set(accounts["status"]) == {"confirmed"}
    assert set(api_keys["entity_id"]) == keys and set(api_keys["disposition"]) == {TP}
    trail = audit_trail(store, limit=10_000)
    assert trail.filter(pl.col("action") == "case.resolve").height == len(members) + len(keys)
    assert effective_labels(store, "campaign")["label"].to_list() == [TP]
    said = " ".join(shown(s.value) for s in at.success)
    assert f"Resolved {trail.filter(pl.col('action') == 'case.resolve').height} member cases" in said
    # The strip now reads the decision in words, and the button for the verdict in force is off.
    assert "**Case:** Confirmed · True positive: extraction · label in force: True positive: extraction · unassigned" in [
        shown(m.value) for m in at.markdown
    ]
    assert at.button(key=f"panel_{TP}:campaign:C1").disabled


def test_assign_to_me_and_dismiss_a_key_from_its_page(cases_url: str) -> None:
    store = open_case_store(cases_url)
    at = _open("pages/keys.py", key="kx01a")
    at.button(key="panel_assign:api_key:kx01a").click()
    at.run()
    assert (get_case(store, "api_key", "kx01a") or {})["assignee"] == "tess"
    assert "Assigned key kx01a to you (tess)." in [shown(s.value) for s in at.success]
    at.button(key="panel_benign_positive_allowed:api_key:kx01a").click()
    at.run()
    case = get_case(store, "api_key", "kx01a") or {}
    assert (case["status"], case["disposition"], case["assignee"], case["version"]) == ("dismissed", "benign_positive_allowed", "tess", 2)
    actions = audit_trail(store, "api_key", "kx01a")["action"].to_list()
    assert actions.count("label.set") == 1 and actions.count("case.save") + actions.count("case.create") == 2


def test_cluster_page_shows_its_case_and_a_viewer_cannot_decide(cases_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RADAR_ANALYST_ROLE", "viewer")
    at = _open("pages/clusters.py", cluster="CL1")
    assert "**Case:** New · unassigned" in [shown(m.value) for m in at.markdown]
    assert at.button(key="panel_assign:cluster:CL1").disabled
    assert at.button(key=f"panel_{TP}:cluster:CL1").disabled


def test_keys_page_states_the_scripted_component(cases_url: str) -> None:
    text = [shown(m.value) for m in _open("pages/keys.py", key="kx01a").markdown]
    assert (
        "**Traffic split:** 1,200 of 35,200 calls in the scripted component, scored 0.93 on its own; "
        "the other 34,000 calls are its own prompts and cover traffic."
    ) in text
    other = [shown(m.value) for m in _open("pages/keys.py", key="kx02a").markdown]
    assert any(t.startswith("**Traffic split:** This run did not split the key's traffic") for t in other)


def test_split_sentence_without_a_scripted_component() -> None:
    row = {"extraction_calls": 0, "other_calls": 12_500, "component_score": None}
    assert split_sentence(row) == "None of its 12,500 calls form a scripted component (prompt templates shared with other accounts)."


def test_case_pages_link_back_to_campaign_cluster_and_keys(cases_url: str) -> None:
    def links(at: AppTest) -> dict[str, str]:
        return {shown(link.proto.label): link.proto.page for link in at.get("page_link")}

    account = links(_open("pages/case.py", etype="account", id="x01"))
    assert {"Campaign C1", "Cluster CL1", "The account's keys", "The campaign's case"} <= set(account)
    key = links(_open("pages/case.py", etype="api_key", id="kx01a"))
    assert {"Campaign C1", "Cluster CL1", "Open the key page"} <= set(key)
    campaign = links(_open("pages/case.py", etype="campaign", id="C1"))
    assert {"Campaign C1", "Cluster CL1", "Its accounts and keys"} <= set(campaign)
    assert any("case" in text for text in rendered(_open("pages/case.py", etype="cluster", id="CL1")))

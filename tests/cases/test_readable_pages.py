"""The triage-side pages read as an analyst reads: no raw column name, None, unformatted number or JSON in any table,
no raw JSON or "None →" in the audit timeline; and the queue moves one item at a time."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import insert
from streamlit.testing.v1 import AppTest

from queries import case_schema, schema
from radar.cases.decisions import decide
from radar.cases.store import case_statuses, get_case, open_case_store, save_case
from radar.cases.views import save_view, views_for
from radar.warehouse import open_engine
from tests.cases.actors import analyst, lead
from tests.cases.seed import seed_warehouse
from tests.pages.markup import rendered, shown

ROOT = Path(__file__).resolve().parents[2]
#: Every stored column name: none may reach an analyst's table as it is.
RAW_NAMES = {c.name for m in (schema.metadata, case_schema.metadata) for t in m.tables.values() for c in t.columns} | {
    "entity_id",
    "n_accounts",
    "fp_rate",
    "false_positives",
}
BAD_CELL = [
    (re.compile(r"None|null|nan|NaN|NaT"), "a missing value shown as text"),
    (re.compile(r"-?\d{4,}"), "a number without thousands separators"),
    (re.compile(r"-?\d+\.\d{3,}"), "a number with false precision"),
    (re.compile(r".*\d{2}:\d{2}:\d{2}.*|.*\+00:00.*"), "a time with seconds or a raw offset"),
    (re.compile(r"\s*[\[{].*[\]}]\s*", re.S), "JSON"),
    (re.compile(r"[a-z]+(?:_[a-z]+)+"), "a snake_case code"),
]


@pytest.fixture()
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    wh_url = f"duckdb:///{tmp_path / 'w.duckdb'}"
    seed_warehouse(wh_url).dispose()
    wh = open_engine(wh_url)
    with wh.begin() as conn:
        conn.execute(
            insert(schema.quarantine),
            [
                {
                    "load_id": "L1",
                    "table_name": "requests",
                    "source_file": "requests-0001.jsonl",
                    "row_number": n,
                    "reason": reason,
                    "raw": raw,
                    "quarantined_at": datetime(2026, 2, 8, 3, 4, 5, tzinfo=UTC),
                }
                for n, reason, raw in [
                    (1204, "negative output_tokens", '{"output_tokens": -5}'),
                    (1300, "unparsable JSON line", "not json"),
                ]
            ],
        )
    cases_url = f"sqlite:///{tmp_path / 'cases.sqlite'}"
    store = open_case_store(cases_url)
    tp = "true_positive_extraction"
    decide(
        store,
        wh,
        "campaign",
        "C1",
        {"status": "confirmed", "disposition": tp, "assignee": "ana"},
        label=tp,
        expected_version=0,
        actor=analyst("ana"),
    )
    decide(
        store,
        wh,
        "campaign",
        "C2",
        {"status": "dismissed", "disposition": "false_positive_detection_logic"},
        expected_version=0,
        actor=lead("bo"),
    )
    save_case(store, "account", "a9", {"status": "investigating", "assignee": "ana"}, expected_version=0, actor=lead("bo"))
    wh.dispose()
    monkeypatch.setenv("RADAR_WAREHOUSE_URL", wh_url)
    monkeypatch.setenv("RADAR_CASES_URL", cases_url)
    monkeypatch.setenv("RADAR_ANALYST", "tess")
    monkeypatch.setenv("RADAR_ANALYST_ROLE", "lead")
    return cases_url


def _page(page: str, **params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _problems(at: AppTest) -> list[str]:
    out = []
    for table in at.dataframe:
        frame = table.value
        for col in frame.columns:
            if str(col) in RAW_NAMES or "_" in str(col):
                out.append(f"raw column name {col!r}")
        for col in frame.columns:
            for cell in frame[col].astype(str):
                for pattern, why in BAD_CELL:
                    if pattern.fullmatch(cell):
                        out.append(f"{col}: {cell!r} is {why}")
    return out


@pytest.mark.parametrize(
    ("page", "params"),
    [
        ("pages/triage.py", {"etype": "campaign"}),
        ("pages/triage.py", {"etype": "cluster"}),
        ("pages/triage.py", {"etype": "account"}),
        ("pages/triage.py", {"etype": "api_key"}),
        ("pages/case.py", {"etype": "campaign", "id": "C1"}),
        ("pages/case.py", {"etype": "account", "id": "a1"}),
        ("pages/kpis.py", {}),
        ("pages/quarantine.py", {}),
    ],
)
def test_tables_and_timelines_read_as_words(env: str, page: str, params: dict[str, str]) -> None:
    at = _page(page, **params)
    tables = at.dataframe
    assert tables, "the page drew no table to check"
    assert _problems(at) == []
    text = " ".join(shown(t) for t in rendered(at))
    assert "None →" not in text and '{"' not in text and "(components/" not in text


def test_case_page_shows_the_label_in_force_and_a_readable_timeline(env: str) -> None:
    at = _page("pages/case.py", etype="account", id="a1")
    facts = [shown(m.value) for m in at.markdown][:4]
    assert facts == [
        "Status  \n**Confirmed**",
        "Disposition  \n**True positive: extraction**",
        "Label in force  \n**True positive: extraction**",
        "Assignee  \n**Unassigned**",
    ]
    text = [shown(t) for t in rendered(at)]
    assert any("Resolved with its campaign (campaign C1)" in t for t in text)
    assert any(
        t.endswith("Resolved with its campaign (campaign C1)  \nDisposition set to True positive: extraction; Status set to Confirmed")
        for t in text
    )
    assert any(t.endswith("Label from its campaign (campaign C1)  \nLabel set to True positive: extraction") for t in text)
    assert any("The label comes from campaign C1" in t for t in text)


def test_queue_moves_one_item_at_a_time(env: str) -> None:
    store = open_case_store(env)
    at = _page("pages/triage.py", etype="account", undecided="1")
    # a1-a4 were resolved with campaign C1, a5-a6 with C2; a7, a8, a9 wait (riskiest first).
    assert "3 accounts match the filter · 3 undecided left" in " ".join(c.value for c in at.caption)
    assert at.query_params["id"] == "a9"
    at.button(key="q_assign").click()
    at.run()
    assert get_case(store, "account", "a9")["assignee"] == "tess"  # type: ignore[index]
    at.button(key="q_next").click()
    at.run()
    assert at.query_params["id"] == "a8"
    at.button(key="quick:benign_positive_allowed").click()  # Benign (Alt+2): dismiss as allowed use, then the next item
    at.run()
    assert not at.exception
    assert case_statuses(store, "account").filter(entity_id="a8").row(0)[1:4] == ("dismissed", None, "benign_positive_allowed")
    assert at.query_params["id"] == "a7"
    at.button(key="q_prev").click()
    at.run()
    assert at.query_params["id"] == "a9"


def test_saved_views_are_named_found_again_and_shared(env: str) -> None:
    store = open_case_store(env)
    at = _page("pages/triage.py", etype="account", undecided="1", max="0.5")
    at.text_input(key="view_name").input("low-risk accounts to clear")
    at.checkbox(key="view_shared").check()
    at.button(key="view_save").click()
    at.run()
    assert "Saved the view low-risk accounts to clear." in [shown(s.value) for s in at.success]
    views = views_for(store, lead("bo"))  # shared: the whole team sees it
    assert views.select("name", "owner", "page").rows() == [("low-risk accounts to clear", "tess", "triage")]
    assert {"etype": "account", "undecided": "1", "max": "0.5"}.items() <= json.loads(views["params"][0]).items()
    save_view(store, "mine", "kpis", {}, shared=False, actor=analyst("ana"))
    assert views_for(store, lead("bo")).height == 1  # ana's own view stays hers
    page = _page("pages/views.py")
    assert "low-risk accounts to clear" in [shown(link.proto.label) for link in page.get("page_link")]

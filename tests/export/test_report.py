"""The case report of a confirmed campaign holds its members, indicators, actions, harvest, cost and decision trail.

Values are checked against the world they come from (tests/export/world.py): its rows, its revocation times, the
analysts' saves in a real case store, and a price file written here.
"""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import Engine

from radar.cases.actor import Actor
from radar.cases.decisions import decide
from radar.cases.store import audit_trail, open_case_store
from radar.export import report as report_module
from radar.export.report import campaign_report
from radar.pricing import BUILTIN_SOURCE, PriceError, load_prices, price_table
from tests.export import world

ANALYST, LEAD = Actor("ana", "analyst", "local"), Actor("bo", "lead", "local")
PRICES_CSV = "model,input_usd_per_mtok,output_usd_per_mtok\nfrontier-large,10,50\n*,1,2\n"


@pytest.fixture()
def decided(tmp_path: Path, duckdb_url: str) -> tuple[Engine, Engine]:
    """The world on DuckDB, with ana opening the case and bo confirming it and labeling the campaign; (cases, warehouse)."""
    wh = world.seed_world(duckdb_url)
    cs = open_case_store(f"sqlite:///{tmp_path / 'cases.sqlite'}")
    decide(cs, wh, "campaign", world.CAMPAIGN, {"status": "investigating", "assignee": "ana"}, expected_version=0, actor=ANALYST)
    decide(
        cs,
        wh,
        "campaign",
        world.CAMPAIGN,
        {"status": "confirmed", "disposition": "true_positive_extraction", "reason": "one card, one harness"},
        label="true_positive_extraction",
        expected_version=1,
        actor=LEAD,
    )
    return cs, wh


def _section(html: str, title: str) -> str:
    """The text of the report section headed `title` (tags stripped, entities decoded)."""
    part = html.split(f"<h2>{title}</h2>", 1)[1].split("</section>", 1)[0]
    return unescape(re.sub(r"<[^>]+>", " ", part))


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_report_holds_members_indicators_actions_and_trail(decided: tuple[Engine, Engine], tmp_path: Path) -> None:
    cs, wh = decided
    html = campaign_report(cs, wh, world.CAMPAIGN, prices=load_prices(_price_file(tmp_path)))
    members = _flat(_section(html, "Member accounts"))
    assert "All 8 accounts." in members and all(f" {a} " in members for a in world.MEMBERS)
    assert not any(f" {b} " in members for b in world.BENIGN)
    keys = _flat(_section(html, "Member keys"))
    assert "All 16 keys." in keys and "x01a" in keys and "2026-02-12 12:00" in keys

    infra = _flat(_section(html, "Infrastructure: indicators specific to the campaign"))
    for value in ("3.80.17.0/24", world.THROWAWAY, world.SIGNUP_IP, world.HARNESS_UA, f"{world.SDK} | {world.SYSPROMPT}"):
        assert value in infra
    for common in ("14618", world.BUSY_PREFIX, world.WEBMAIL, world.CARD):
        assert common not in infra
    assert "7 other values the campaign used are left out" in infra

    actions = _flat(_section(html, "Actions taken"))
    assert "2026-02-12 12:00 6 6 x01a" in actions and "2026-02-13 06:00 2 2 x07a" in actions

    trail = _flat(_section(html, "Decision trail"))
    audit = audit_trail(cs, "campaign", world.CAMPAIGN).sort("at")
    opened, confirmed = (f"{t:%Y-%m-%d %H:%M} UTC" for t in audit.filter(pl.col("action").str.starts_with("case."))["at"])
    assert f"{opened} ana (analyst) opened the case: status none → investigating; assignee none → ana" in trail
    assert (
        f"{confirmed} bo (lead) updated the case: status investigating → confirmed; disposition none → true_positive_extraction; "
        "reason: “one card, one harness”"
    ) in trail
    assert "bo labeled 8 member accounts true_positive_extraction" in trail and "bo labeled 16 member keys" in trail
    assert "bo (lead) labeled the campaign: label none → true_positive_extraction" in trail
    summary = _flat(_section(html, "Summary"))
    assert "confirmed (true_positive_extraction) by bo" in summary


def _price_file(tmp_path: Path) -> Path:
    path = tmp_path / "prices.csv"
    path.write_text(PRICES_CSV, encoding="utf-8")
    return path


def test_harvest_before_and_after_action_at_the_named_prices(decided: tuple[Engine, Engine], tmp_path: Path) -> None:
    cs, wh = decided
    path = _price_file(tmp_path)
    html = campaign_report(cs, wh, world.CAMPAIGN, prices=load_prices(path))
    harvest = _flat(_section(html, "Harvest and estimated cost"))
    expected = world.expected_harvest()

    def cost(tokens: dict[str, int]) -> float:
        # per call: frontier-large 400 in / 1,200 out at $10 / $50 per M; frontier-small (unlisted: "*") 100 / 300 at $1 / $2
        return (tokens["frontier-large"] * (400 * 10 + 1200 * 50) + tokens["frontier-small"] * (100 * 1 + 300 * 2)) / 1e6

    before, after = expected["before any action"], expected["after first revocation"]
    assert before["exchanges"] == 8 * 2 * 36  # every key called every hour until 12 Feb 12:00
    for phase, t in (("before any action", before), ("after first revocation", after)):
        assert f"{phase} {t['exchanges']:,} {t['input_tokens']:,} {t['output_tokens']:,} {cost(t):,.2f}" in harvest
    total = {k: before[k] + after[k] for k in before}
    assert f"total {total['exchanges']:,} {total['input_tokens']:,} {total['output_tokens']:,} {cost(total):,.2f}" in harvest
    assert f"Price table: RADAR_PRICES file {path}" in harvest
    assert "frontier-large 10.00 50.00 listed" in harvest and "frontier-small 1.00 2.00 default" in harvest
    assert f"${cost(total):,.2f} at list price, ${cost(after):,.2f} of it after the first action" in _flat(_section(html, "Summary"))


def test_sample_prompts_are_redacted_and_the_page_is_self_contained(decided: tuple[Engine, Engine]) -> None:
    cs, wh = decided
    html = campaign_report(cs, wh, world.CAMPAIGN)
    prompts = _section(html, "Sample prompts (redacted)")
    assert "Solve step by step and show all reasoning" in prompts
    assert "[EMAIL]" in prompts and "[API KEY]" in prompts
    assert "@quickmail-x.dev" not in html and "sk-ant-api03" not in html
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", html, re.IGNORECASE)
    assert "<script" not in html.lower() and "@media print" in html and "<svg" in html
    assert "TLP:AMBER" in html and BUILTIN_SOURCE in html  # default marking; no RADAR_PRICES set here


def test_large_campaign_lists_the_top_members_with_a_note(decided: tuple[Engine, Engine], monkeypatch: pytest.MonkeyPatch) -> None:
    cs, wh = decided
    monkeypatch.setattr(report_module, "TOP_MEMBERS", 5)
    html = campaign_report(cs, wh, world.CAMPAIGN, tlp="red")
    members = _flat(_section(html, "Member accounts"))
    assert "The 5 highest-scoring of 8 accounts" in members and "python -m radar export labels" in members
    # scores fall with the account number in the world: x01..x05 are listed, x06..x08 are not
    assert all(f" {a} " in members for a in world.MEMBERS[:5]) and not any(f" {a} " in members for a in world.MEMBERS[5:])
    assert "The 5 highest-scoring of 16 keys" in _flat(_section(html, "Member keys"))
    infra = _flat(_section(html, "Infrastructure: indicators specific to the campaign"))
    # the least confident of the six (the harness's own user agent, on 2 accounts: confidence 34) is left to the bundle
    assert "The 5 most confident of 6 indicators" in infra and "python -m radar export stix" in infra and world.HARNESS_UA not in infra
    assert "TLP:RED" in html


def test_price_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    js = tmp_path / "p.json"
    js.write_text('{"frontier-large": {"input": 12, "output": 60}, "*": {"input": 2, "output": 8}}', encoding="utf-8")
    table = load_prices(js)
    assert table.price_of("frontier-large") == (12.0, 60.0) and table.price_of("other") == (2.0, 8.0)
    monkeypatch.setenv("RADAR_PRICES", str(js))
    assert price_table().source == f"RADAR_PRICES file {js}"
    monkeypatch.delenv("RADAR_PRICES")
    assert price_table().source == BUILTIN_SOURCE
    bad = tmp_path / "bad.csv"
    bad.write_text("model,input_usd_per_mtok,output_usd_per_mtok\nm,cheap,1\n", encoding="utf-8")
    with pytest.raises(PriceError, match="numeric"):
        load_prices(bad)
    with pytest.raises(PriceError, match="Cannot read"):
        load_prices(tmp_path / "missing.json")

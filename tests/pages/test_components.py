"""Pure component builders: the offline graph page, redaction, list-price accounting, the campaign table and the sidebar's bounds."""

from __future__ import annotations

import json
import re
from datetime import date

import polars as pl

from components.campaign_table import COLUMNS, top_campaigns_table
from components.graph import LIBRARY_URL, aggregate_graph_html, member_graph_html
from components.pricing import DEFAULT_PRICE, price_of, with_cost
from components.sidebar import fit_window
from radar.redact import redact


def test_graph_page_is_offline_and_escapes_client_text() -> None:
    evil = "</script><script>alert(1)</script>"
    links = pl.DataFrame(
        {"account_id": ["a1", "a2"], "edge_type": ["ua_sysprompt", "ua_sysprompt"], "value": [evil, evil], "weight": [1.0, 1.0]}
    )
    keys = pl.DataFrame({"api_key_id": ["k1"], "account_id": ["a1"], "score": [0.9]})
    html = member_graph_html(links, keys, show_keys=True)
    assert "alert(1)</script>" not in html and "<script>alert" not in html
    # nothing fetched but the library the dashboard itself serves (components/graph.py LIBRARY_URL)
    fetched = re.findall(r"<script[^>]*\bsrc=\"([^\"]*)\"|<link[^>]*\bhref=\"([^\"]*)\"", html)
    assert fetched and all((src or href).startswith(LIBRARY_URL) for src, href in fetched)
    assert "new vis.Network" in html and "a1" in html and "k1" in html


def test_aggregate_graph_counts_accounts() -> None:
    attrs = pl.DataFrame({"edge_type": ["prefix", "asn"], "value": ["203.0.113.0/24", "64500"], "accounts": [900, 450]})
    overlap = pl.DataFrame(
        {"type_a": ["asn"], "value_a": ["64500"], "type_b": ["prefix"], "value_b": ["203.0.113.0/24"], "accounts": [450]}
    )
    html = aggregate_graph_html(attrs, overlap, 1000)
    assert "900 of 1,000 accounts: same IP prefix 203.0.113.0/24" in html and "450 accounts share both" in html


def test_redaction_masks_contacts_and_keys_but_keeps_dates() -> None:
    text = "Mail ops@evil.example, call +44 20 7946 0958 or (415) 555-0100, key sk-proj-AbCdEf0123456789xyz, due 2026-02-14, 12345 items"
    out = redact(text)
    assert out.count("[EMAIL]") == 1 and out.count("[PHONE]") == 2 and "[API KEY]" in out
    assert "2026-02-14" in out and "12345 items" in out
    assert redact(None) == ""


def test_cost_at_list_price() -> None:
    frame = pl.DataFrame({"model": ["model-a", "unknown"], "input_tokens": [1_000_000, 0], "output_tokens": [2_000_000, 1_000_000]})
    cost = with_cost(frame)["est_cost_usd"].to_list()
    pin, pout = price_of("model-a")
    assert cost[0] == pin + 2 * pout and cost[1] == price_of("unknown")[1]


def test_cost_joins_each_model_to_its_price_and_keeps_rows() -> None:
    frame = pl.DataFrame(
        {
            "model": ["model-b", "model-a", "model-b", "other"],
            "input_tokens": [2_000_000, 0, 0, 1_000_000],
            "output_tokens": [0, 1_000_000, 1_000_000, 0],
        }
    )
    out = with_cost(frame)
    assert out["model"].to_list() == frame["model"].to_list() and out.columns == [*frame.columns, "est_cost_usd"]
    b_in, b_out = price_of("model-b")
    assert out["est_cost_usd"].to_list() == [2 * b_in, price_of("model-a")[1], b_out, DEFAULT_PRICE[0]]
    assert with_cost(frame.clear())["est_cost_usd"].to_list() == []


def test_campaign_table_status_and_strongest_reason() -> None:
    top = pl.DataFrame(
        {
            "campaign_id": ["C1", "C2", "C3"],
            "cluster_id": ["CL1", "CL2", "CL3"],
            "score": [0.9, 0.8, 0.7],
            "n_accounts": [6, 3, 2],
            "n_keys": [12, 3, 2],
            "calls": [10, 5, 1],
            "output_tokens": [100, 50, 10],
            "first_seen": [None, None, None],
            "last_seen": [None, None, None],
            "reasons": [json.dumps(["one template across 12 keys", "weaker"]), "not json", None],
        }
    )
    table = top_campaigns_table(top, {"C2": "confirmed", "C9": "dismissed"})
    assert table.columns == list(COLUMNS)
    assert table["campaign_id"].to_list() == ["C1", "C2", "C3"]  # the ranking's order is kept
    assert table["status"].to_list() == ["New", "Confirmed", "New"]
    assert table["why"].to_list() == ["one template across 12 keys", "", ""]
    assert top_campaigns_table(top.clear(), {}).height == 0


def test_a_window_outside_the_data_is_clamped_and_an_inverted_one_turned() -> None:
    span = (date(2026, 2, 10), date(2026, 2, 12))
    assert fit_window(date(2026, 2, 11), date(2026, 2, 11), span) == (date(2026, 2, 11), date(2026, 2, 11), [])
    first, last, notes = fit_window(date(2026, 2, 1), date(2026, 2, 20), span)
    assert (first, last) == span and "reaches outside the telemetry" in notes[0]
    # far outside, on either side: the single first or last day, never a day no picker can show
    assert fit_window(date(9999, 12, 31), date(9999, 12, 31), span)[:2] == (span[1], span[1])
    assert fit_window(date(1, 1, 1), date(1, 1, 1), span)[:2] == (span[0], span[0])
    assert fit_window(date(9999, 12, 31), date(1, 1, 1), span)[:2] == span
    first, last, notes = fit_window(date(2026, 2, 12), date(2026, 2, 10), span)
    assert (first, last) == span and notes == ["The window ended before it started; showing it from 2026-02-10 to 2026-02-12."]

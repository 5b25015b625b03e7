"""Pure component builders: the offline graph page, redaction and list-price accounting."""

from __future__ import annotations

import re

import polars as pl

from components.graph import aggregate_graph_html, member_graph_html
from components.pricing import price_of, with_cost
from components.redact import redact


def test_graph_page_is_offline_and_escapes_client_text() -> None:
    evil = "</script><script>alert(1)</script>"
    links = pl.DataFrame(
        {"account_id": ["a1", "a2"], "edge_type": ["ua_sysprompt", "ua_sysprompt"], "value": [evil, evil], "weight": [1.0, 1.0]}
    )
    keys = pl.DataFrame({"api_key_id": ["k1"], "account_id": ["a1"], "score": [0.9]})
    html = member_graph_html(links, keys)
    assert "alert(1)</script>" not in html and "<script>alert" not in html
    assert not re.search(r"<script[^>]*\bsrc=", html) and not re.search(r"<link[^>]*\bhref=", html)
    assert "new vis.Network" in html and "a1" in html and "k1" in html


def test_aggregate_graph_counts_accounts() -> None:
    attrs = pl.DataFrame({"edge_type": ["prefix", "asn"], "value": ["203.0.113.0/24", "64500"], "accounts": [900, 450]})
    overlap = pl.DataFrame(
        {"type_a": ["asn"], "value_a": ["64500"], "type_b": ["prefix"], "value_b": ["203.0.113.0/24"], "accounts": [450]}
    )
    html = aggregate_graph_html(attrs, overlap, 1000)
    assert "900 of 1,000 accounts share prefix 203.0.113.0/24" in html and "450 accounts share both" in html


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

"""The cluster graph reads: key nodes hidden until asked for, searched accounts highlighted, a click target on every
account and key node, and every kind of shared attribute named in words."""

from __future__ import annotations

import json
import re
from typing import Any

import polars as pl

from components.graph import (
    ACCOUNT_COLOUR,
    EDGE_LABELS,
    HIGHLIGHT_COLOUR,
    aggregate_graph_html,
    edge_label,
    legend_markdown,
    member_graph_html,
)
from radar.detect.graph import KIND_WEIGHT
from tests.pages.markup import shown

LINKS = pl.DataFrame(
    {
        "account_id": ["acct-alpha", "acct-beta", "acct-alpha"],
        "edge_type": ["payment", "payment", "ua_sysprompt"],
        "value": ["pm_1", "pm_1", "sdk/1 · sp-9"],
        "weight": [1.0, 1.0, 1.0],
    }
)
KEYS = pl.DataFrame({"api_key_id": ["k-1", "k-2"], "account_id": ["acct-alpha", "acct-beta"], "score": [0.9, 0.4]})


def _nodes(html: str) -> dict[str, dict[str, Any]]:
    found = re.search(r"nodes = new vis\.DataSet\((\[.*?\])\);", html, re.S)
    assert found, "no node data in the graph page"
    return {n["id"]: n for n in json.loads(found.group(1))}


def test_keys_are_hidden_until_asked_for() -> None:
    hidden = _nodes(member_graph_html(LINKS, KEYS))
    assert not [n for n in hidden if n.startswith("key:")]
    shown = _nodes(member_graph_html(LINKS, KEYS, show_keys=True))
    assert {n for n in shown if n.startswith("key:")} == {"key:k-1", "key:k-2"}
    assert legend_markdown(["payment"], show_keys=False).count("key") == 0


def test_search_highlights_matching_accounts_only() -> None:
    nodes = _nodes(member_graph_html(LINKS, KEYS, search="ALPHA"))
    assert nodes["acct:acct-alpha"]["color"] == HIGHLIGHT_COLOUR and nodes["acct:acct-alpha"]["size"] > nodes["acct:acct-beta"]["size"]
    assert nodes["acct:acct-beta"]["color"] == ACCOUNT_COLOUR
    assert {n["color"] for n in _nodes(member_graph_html(LINKS, KEYS)).values() if n["id"].startswith("acct:")} == {ACCOUNT_COLOUR}


def test_every_account_and_key_node_opens_its_page() -> None:
    html = member_graph_html(LINKS, KEYS, show_keys=True)
    nodes = _nodes(html)
    assert nodes["acct:acct-alpha"]["page"] == "keys?q=acct-alpha"
    assert nodes["key:k-2"]["page"] == "keys?key=k-2"
    assert not [n for n in nodes.values() if n["id"].startswith("attr:") and "page" in n]
    assert "network.on('click'" in html and "window.open(" in html


def test_every_kind_detection_links_by_has_a_plain_name() -> None:
    kinds = set(KIND_WEIGHT) | {"owns", "timing"}
    for kind in kinds:
        name = edge_label(kind)
        assert kind in EDGE_LABELS and "_" not in name and name != kind, kind
    legend = shown(legend_markdown(sorted(kinds)))
    assert "near-duplicate prompts" in legend and "same client and system prompt" in legend and "ua_sysprompt" not in legend
    nodes = _nodes(member_graph_html(LINKS, KEYS))
    assert nodes["attr:payment:pm_1"]["label"] == "same payment card: pm_1"


def test_aggregate_view_names_kinds_in_words() -> None:
    attrs = pl.DataFrame({"edge_type": ["email_burst"], "value": ["mail.example 2026-02-01"], "accounts": [80]})
    overlap = pl.DataFrame({"type_a": [], "value_a": [], "type_b": [], "value_b": [], "accounts": []})
    html = aggregate_graph_html(attrs, overlap, 100)
    assert _nodes(html)["email_burst:mail.example 2026-02-01"]["label"].startswith("e-mail domain sign-up burst: ")
    assert "80 of 100 accounts: e-mail domain sign-up burst mail.example 2026-02-01" in html


def test_graph_pages_reference_the_served_library_and_inline_it_when_it_cannot_be_published(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from components import graph

    monkeypatch.setattr(graph, "STATIC_DIR", tmp_path / "static")
    graph.library_published.cache_clear()
    try:
        html = member_graph_html(LINKS, KEYS)
        for name in graph.LIBRARY_FILES:  # published whole, byte for byte the installed release
            assert (tmp_path / "static" / "graph" / name).read_bytes() == (graph.LIBRARY / name).read_bytes()
            assert f'"{graph.LIBRARY_URL}{name}"' in html
        assert len(html) < 50_000  # the library is not inside the page
        assert "cdnjs" not in html and "https://" not in html.split("<body>")[0]
        # a static folder that cannot be written (a file is in the way): the library travels inside each page
        (tmp_path / "blocked").write_text("")
        monkeypatch.setattr(graph, "STATIC_DIR", tmp_path / "blocked" / "static")
        graph.library_published.cache_clear()
        inline = member_graph_html(LINKS, KEYS)
        assert graph.LIBRARY_URL not in inline and len(inline) > 400_000 and "vis-network" in inline
        assert _nodes(inline) == _nodes(html)
    finally:
        graph.library_published.cache_clear()

"""How are a cluster's accounts tied together? A pyvis network drawn with the vis-network library the server itself
serves (no network at run time).

The library (about 1.1 MB of script and style) is published once into the app's static folder and referenced from
each graph page, so the browser compiles it once and keeps it in its cache, and every graph sent is a few kilobytes;
where the folder cannot be written the library is inlined into each graph page instead.

Key nodes are left out unless asked for, accounts matching a search are drawn highlighted, and a click on an account
or key node opens its page in a new tab (the frame's sandbox allows popups, not navigating the dashboard itself).
"""

from __future__ import annotations

import json
import re
import shutil
from functools import cache
from pathlib import Path
from urllib.parse import urlencode

import networkx as nx
import polars as pl
import pyvis
import streamlit as st
from pyvis.network import Network

from components.text import md

#: Edge colours per shared-attribute kind (queries/schema.py cluster_links.edge_type), colour-blind safe.
EDGE_COLOURS = {
    "prefix": "#0072B2",
    "asn": "#56B4E9",
    "payment": "#D55E00",
    "signup_ip": "#E69F00",
    "email_burst": "#CC79A7",
    "ua_sysprompt": "#009E73",
    "template": "#F0E442",
    "near_dup": "#8C564B",
    "timing": "#7F7F7F",
    "owns": "#BBBBBB",
}
#: What each kind of shared attribute is called where an analyst reads it (legend, tooltips, node labels, filters).
EDGE_LABELS = {
    "prefix": "same IP prefix",
    "asn": "same network (ASN)",
    "payment": "same payment card",
    "signup_ip": "same sign-up IP",
    "email_burst": "e-mail domain sign-up burst",
    "ua_sysprompt": "same client and system prompt",
    "template": "same prompt template",
    "near_dup": "near-duplicate prompts",
    "timing": "same timing pattern",
    "owns": "owns key",
    "similar_prompt": "similar prompts",  # radar/detect/similar.py EDGE_KIND; the server does not import detection
}
EDGE_COLOURS.setdefault("similar_prompt", "#AA4499")
ACCOUNT_COLOUR, KEY_COLOUR = "#1F3A5F", "#9DB4CF"
#: Fill of an account node matching the analyst's search (stands out against every edge colour above).
HIGHLIGHT_COLOUR = "#FF1F5B"
#: Above this many accounts a cluster is drawn aggregated: shared attributes as nodes, co-membership as edges.
MAX_ACCOUNTS_DRAWN = 60

# Remote (or relative, unservable) script and stylesheet tags that pyvis still emits next to the inlined library.
_REMOTE_TAG = re.compile(r"<script[^>]*\bsrc=\"[^\"]*\"[^>]*>\s*</script>|<link[^>]*\bhref=\"[^\"]*\"[^>]*/?>", re.S)


#: Longest attribute text drawn on a node; user agents and templates can be long.
MAX_LABEL = 48


def safe(text: object, limit: int = MAX_LABEL) -> str:
    """Warehouse text made harmless inside the graph page: no markup, no way out of its <script> block, bounded length.

    Attribute values (user agents, template ids) come from clients, so a value like "</script><script>..."
    must never reach the page as markup; angle brackets and ampersands become look-alike characters.
    """
    value = str(text).replace("&", "＆").replace("<", "‹").replace(">", "›")
    return value if len(value) <= limit else value[: limit - 1] + "…"


def edge_label(edge_type: str) -> str:
    """What is this kind of shared attribute called in words ("same IP prefix", not "prefix")?"""
    return EDGE_LABELS.get(edge_type, edge_type.replace("_", " "))


def edge_colour(edge_type: str) -> str:
    """Which colour does this kind of shared attribute draw in?"""
    return EDGE_COLOURS.get(edge_type, "#444444")


#: Seed of the layout: the same cluster is drawn the same way every time it is opened.
LAYOUT_SEED = 7
#: Spread of the frozen layout, in vis.js canvas units (about a node label's width between neighbours).
LAYOUT_SCALE = 600


#: The app's static folder (Streamlit serves it at app/static/ with server.enableStaticServing) and what is published
#: there: the vis-network release pyvis draws with, from the installed pyvis package.
STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
LIBRARY = Path(pyvis.__file__).resolve().parent / "lib" / "vis-9.1.2"
LIBRARY_FILES = ("vis-network.min.js", "vis-network.css")
#: Where a graph page (a frame of the dashboard's own page) finds the published files: relative to the dashboard's
#: address, so a server under a base URL path serves them too.
LIBRARY_URL = "app/static/graph/"


@cache
def library_published() -> bool:
    """Is the vis-network library in the static folder, as installed (copied there now when missing or changed)?"""
    target = STATIC_DIR / "graph"
    try:
        target.mkdir(parents=True, exist_ok=True)
        for name in LIBRARY_FILES:
            src, dst = LIBRARY / name, target / name
            if not dst.exists() or dst.read_bytes() != src.read_bytes():
                tmp = dst.with_suffix(dst.suffix + ".tmp")
                shutil.copyfile(src, tmp)
                tmp.replace(dst)  # a server reading the file meanwhile sees the old copy or the new one, whole
        return True
    except OSError:
        return False


def _library_tags() -> str:
    return f'<link rel="stylesheet" href="{LIBRARY_URL}vis-network.css"><script src="{LIBRARY_URL}vis-network.min.js"></script>'


def _network() -> Network:
    mode = "remote" if library_published() else "in_line"  # remote tags are replaced by the served copies (_html)
    net = Network(height="560px", width="100%", cdn_resources=mode, bgcolor="#ffffff", font_color="#222222")
    # The layout is computed once here (`_freeze`), so the browser runs no physics: the graph opens framed and still.
    net.set_options(
        json.dumps(
            {
                "physics": {"enabled": False},
                "interaction": {"hover": True, "navigationButtons": False, "dragNodes": True},
                "edges": {"smooth": False},
            }
        )
    )
    return net


def _freeze(net: Network) -> Network:
    """Give every node a fixed position from a seeded force layout, computed once with the page (not in the browser)."""
    g = nx.Graph()
    g.add_nodes_from(n["id"] for n in net.nodes)
    g.add_edges_from((e["from"], e["to"]) for e in net.edges)
    pos = nx.spring_layout(g, seed=LAYOUT_SEED, scale=LAYOUT_SCALE) if g.number_of_nodes() else {}
    for node in net.nodes:
        x, y = pos[node["id"]]
        node["x"], node["y"] = float(x), float(y)
    return net


# Frame the whole graph once drawn, and again when the frame is resized (the first fit can run before Streamlit
# has given the frame its final width).
_FIT_SCRIPT = (
    "<script>if (typeof network !== 'undefined') {"
    " network.fit(); window.addEventListener('resize', function () { network.fit(); });"
    " setTimeout(function () { network.fit(); }, 300); }</script>"
)


# A click on an account or key node opens its page. The frame is sandboxed with allow-popups (Streamlit's iframe
# flags), so a new tab is the one way out; the dashboard's address comes from the embedding page (same origin).
_CLICK_SCRIPT = (
    "<script>if (typeof network !== 'undefined') { network.on('click', function (params) {"
    " if (!params.nodes.length) { return; } var node = nodes.get(params.nodes[0]); if (!node || !node.page) { return; }"
    " var here; try { here = window.parent.location.href; } catch (e) { here = document.baseURI; }"
    " window.open(new URL(node.page, here).href, '_blank'); }); }</script>"
)


def _page_of(node_id: str, entity_id: str) -> str:
    """The dashboard-relative address of an account's or key's page (the Keys page: a key, or an account's keys)."""
    return "keys?" + urlencode({"key": entity_id} if node_id.startswith("key:") else {"q": entity_id})


def _html(net: Network) -> str:
    """The network's page, laid out, with every remote or relative script and stylesheet tag removed."""
    page = _REMOTE_TAG.sub("", _freeze(net).generate_html(notebook=False))
    if net.cdn_resources == "remote":
        page = page.replace("<head>", "<head>" + _library_tags(), 1)
    return page.replace("</body>", _FIT_SCRIPT + _CLICK_SCRIPT + "</body>", 1)


def member_graph_html(links: pl.DataFrame, keys: pl.DataFrame, *, show_keys: bool = False, search: str = "") -> str:
    """The whole cluster: accounts and the attributes they share (and their keys when asked), edges coloured by kind.

    Accounts whose id contains `search` (case-insensitive) are drawn larger, in the highlight colour.
    """
    net = _network()
    needle = search.strip().lower()
    for acc in sorted(set(links["account_id"].to_list()) | set(keys["account_id"].to_list() if keys.height else [])):
        hit = bool(needle) and needle in str(acc).lower()
        net.add_node(
            f"acct:{safe(acc)}",
            label=safe(acc),
            title=f"account {safe(acc)} (click to open)",
            color=HIGHLIGHT_COLOUR if hit else ACCOUNT_COLOUR,
            shape="dot",
            size=26 if hit else 16,
            borderWidth=4 if hit else 1,
            page=_page_of("acct:", str(acc)),
        )
    for row in keys.iter_rows(named=True) if show_keys else ():
        key, acc = safe(row["api_key_id"]), safe(row["account_id"])
        net.add_node(
            f"key:{key}",
            label=key,
            title=f"key {key} (score {row['score']:.2f}; click to open)",
            color=KEY_COLOUR,
            shape="diamond",
            size=9,
            page=_page_of("key:", str(row["api_key_id"])),
        )
        net.add_edge(f"acct:{acc}", f"key:{key}", color=edge_colour("owns"), title=edge_label("owns"))
    for row in links.iter_rows(named=True):
        kind, value = edge_label(str(row["edge_type"])), safe(row["value"])
        node = f"attr:{safe(row['edge_type'])}:{value}"
        net.add_node(node, label=f"{kind}: {value}", title=f"{kind}: {value}", color=edge_colour(row["edge_type"]), shape="box")
        net.add_edge(f"acct:{safe(row['account_id'])}", node, color=edge_colour(row["edge_type"]), title=kind, width=2)
    return _html(net)


def aggregate_graph_html(attributes: pl.DataFrame, overlap: pl.DataFrame, n_accounts: int) -> str:
    """A large cluster, aggregated: each shared attribute is a node sized by its accounts; edges count shared accounts."""
    net = _network()
    top = max([int(a) for a in attributes["accounts"].to_list()] or [1])
    for row in attributes.iter_rows(named=True):
        kind, value = edge_label(str(row["edge_type"])), safe(row["value"])
        node = f"{safe(row['edge_type'])}:{value}"
        net.add_node(
            node,
            label=f"{kind}: {value}\n{row['accounts']:,} accounts",
            title=f"{row['accounts']:,} of {n_accounts:,} accounts: {kind} {value}",
            color=edge_colour(row["edge_type"]),
            shape="dot",
            size=10 + 40 * int(row["accounts"]) / top,
        )
    nodes = {f"{safe(r['edge_type'])}:{safe(r['value'])}" for r in attributes.iter_rows(named=True)}
    for row in overlap.iter_rows(named=True):
        a, b = f"{safe(row['type_a'])}:{safe(row['value_a'])}", f"{safe(row['type_b'])}:{safe(row['value_b'])}"
        if a in nodes and b in nodes:
            net.add_edge(a, b, title=f"{row['accounts']:,} accounts share both", width=1 + 6 * int(row["accounts"]) / top, color="#999999")
    return _html(net)


def legend_markdown(edge_types: list[str], *, show_keys: bool = True) -> str:
    """A legend line: one coloured swatch per node kind and edge type shown, each edge type in words."""
    items = [f"<span style='color:{ACCOUNT_COLOUR}'>●</span> account"]
    if show_keys:
        items.append(f"<span style='color:{KEY_COLOUR}'>◆</span> key")
    # The legend is drawn with HTML allowed (for the swatches): edge names are also Markdown-escaped.
    items += [f"<span style='color:{edge_colour(t)}'>■</span> {md(safe(edge_label(t)))}" for t in edge_types]
    return " &nbsp; ".join(items)


def render_graph(html: str, *, height: int = 580) -> None:
    """Draw the network in its own frame (the HTML is built only from escaped values, see `safe`)."""
    st.iframe(html, height=height)

"""What did a page show as Markdown, and does any of it carry live markup? Helpers for AppTest runs.

Streamlit renders Markdown in text elements, alerts, headings, metric, widget, tab, expander and page-link
labels. `rendered` collects every such string of a run; `live_markup` finds link, image or HTML syntax that
escaping did not neutralise; `shown` is a string as the analyst reads it (escapes removed).
"""

from __future__ import annotations

import re
from typing import Any

from streamlit.testing.v1 import AppTest

#: Element types whose `value` is Markdown.
MARKDOWN_VALUES = {"markdown", "caption", "error", "warning", "info", "success", "title", "header", "subheader", "toast", "page_link"}
# An unescaped "[" ... "](" or "<tag", "![", or a bare URL scheme (GitHub-flavoured Markdown autolinks it).
_LIVE = re.compile(r"(?<!\\)!(?<!\\)\[|(?<!\\)\]\(|(?<!\\)<[a-zA-Z/!]|(?<![\\\w])(?:https?|javascript|data)(?<!\\):(?!\\)|(?<!\\)www\.")
_ESCAPE = re.compile(r"\\(.)")
# The one HTML the pages write themselves: the cluster legend's colour swatches (components/graph.py).
_OWN_HTML = re.compile(r"<span style='color:#[0-9A-Fa-f]{6}'>|</span>")


def rendered(at: AppTest) -> list[str]:
    """Every Markdown string the run drew: text and alert values, headings, and the labels of metrics, widgets and blocks."""
    out: list[str] = []
    for node in at._tree:  # noqa: SLF001 - AppTest has no public walk over every element
        kind = getattr(node, "type", "")
        if kind in MARKDOWN_VALUES:
            out.append(str(node.value))
        label: Any = getattr(node, "label", None)
        if label is None and getattr(node, "proto", None) is not None and hasattr(node.proto, "label"):
            label = node.proto.label
        if isinstance(label, str) and label:
            out.append(label)
    return out


def live_markup(texts: list[str]) -> list[str]:
    """Which strings hold a link, image, HTML tag or autolinked address that Markdown would make live?"""
    return [t for t in texts if _LIVE.search(_OWN_HTML.sub("", t))]


def shown(text: str) -> str:
    """The text as the analyst reads it: Markdown backslash escapes removed."""
    return _ESCAPE.sub(r"\1", text)

"""Saved views in the sidebar: name the URL state on screen, and reopen your own or the team's views."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st
from sqlalchemy import Engine

from components.text import md
from radar.cases.actor import Actor
from radar.cases.views import save_view, view_params, views_for

KEYS = {"name": "view_name", "shared": "view_shared", "message": "view_message"}
#: Most views listed in the sidebar; more live on the Saved views page.
SIDEBAR_MAX = 8


def _save(engine: Engine, page: str, actor: Actor) -> None:
    name = str(st.session_state.get(KEYS["name"]) or "")
    # Read at click time: the page may have written its filters to the URL after the sidebar was drawn.
    params = st.query_params.to_dict()
    try:
        save_view(engine, name, page, params, shared=bool(st.session_state.get(KEYS["shared"])), actor=actor)
        st.session_state[KEYS["message"]] = ("ok", f"Saved the view {name.strip()}.")
        st.session_state[KEYS["name"]] = ""
    except Exception as exc:  # noqa: BLE001 - told as a sentence under the form
        st.session_state[KEYS["message"]] = ("error", str(exc).splitlines()[0] if str(exc) else type(exc).__name__)


def render_saved_views(engine: Engine, actor: Actor, *, page: str, link: Callable[[str, dict[str, str], str], None]) -> None:
    """Draw the sidebar's saved views: a form naming the current page and filters, then the views this person may open."""
    with st.sidebar.expander("Saved views", icon=":material/bookmark:"):
        st.text_input("Name this view", key=KEYS["name"], placeholder="e.g. low-risk accounts to clear")
        st.checkbox("Share with the team", key=KEYS["shared"])
        st.button("Save this view", key="view_save", on_click=_save, args=(engine, page, actor))
        told = st.session_state.pop(KEYS["message"], None)
        if told:
            (st.success if told[0] == "ok" else st.error)(md(told[1]))
        try:
            views = views_for(engine, actor)
        except Exception:  # noqa: BLE001 - the case store is unreachable: the pages that need it say so
            return
        for row in views.head(SIDEBAR_MAX).iter_rows(named=True):
            owner = "" if row["owner"] == actor.name else f" ({row['owner']})"
            link(str(row["page"]), view_params(row), f"{row['name']}{owner}")

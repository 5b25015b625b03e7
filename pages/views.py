"""Saved views: which named views (a page and its filters) have I and the team saved, and which do I no longer need?"""

from __future__ import annotations

import streamlit as st

import app_state as state
from components.display import TIME_NOTE, fmt_time
from components.triage_state import open_cases_or_stop, show_case_error
from radar.cases.actor import BULK
from radar.cases.views import delete_view, view_params, views_for

st.title("Saved views")
state.sidebar_filters()
if state.require_data(need_run=False) is None:
    state.no_run_message()  # this page works without a run; the others wait for one
engine = open_cases_or_stop()
me = state.actor()
st.caption(f"Name the view on screen under **Saved views** in the sidebar; shared views show here for the whole team. {TIME_NOTE}")


def _delete(view_id: int) -> None:
    try:
        delete_view(engine, view_id, actor=me)
        st.session_state["views_message"] = "Deleted the view."
    except Exception as exc:  # noqa: BLE001 - told as a sentence
        st.session_state["views_error"] = exc


if "views_message" in st.session_state:
    st.success(st.session_state.pop("views_message"))
if "views_error" in st.session_state:
    show_case_error(st.session_state.pop("views_error"))

views = views_for(engine, me)
if views.is_empty():
    st.info("No saved view yet: open a page, set its filters, and save the view from the sidebar.")
    st.stop()
pages = {p.url_path: p for p in state.PAGES}
for row in views.iter_rows(named=True):
    spec = pages.get(str(row["page"]))
    with st.container(border=True):
        c1, c2 = st.columns([5, 1])
        owner = "you" if row["owner"] == me.name else row["owner"]
        shared = "shared with the team" if row["shared"] else "only you"
        if spec is not None:
            c1.page_link(spec.path, label=state.md(row["name"]), icon=spec.icon, query_params=view_params(row))
        else:
            c1.markdown(state.md(row["name"]))
        c1.caption(
            f"{state.md(spec.title if spec else row['page'])} · saved by {state.md(owner)} on {fmt_time(row['created_at'])} · {shared}"
        )
        if row["owner"] == me.name or me.may(BULK):
            c2.button("Delete", key=f"view_del:{row['view_id']}", on_click=_delete, args=(int(row["view_id"]),))

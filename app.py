"""Distillation Radar: routes to the investigation and triage pages (each page draws the shared sidebar)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parent
# A local favicon: a Material icon name would make the browser fetch it from a font CDN.
st.set_page_config(page_title="Distillation Radar", page_icon=str(ROOT / "components" / "favicon.png"), layout="wide")

INVESTIGATE = [
    st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", url_path="overview", default=True),
    st.Page("pages/keys.py", title="Keys", icon=":material/key:", url_path="keys"),
    st.Page("pages/clusters.py", title="Clusters", icon=":material/hub:", url_path="clusters"),
    st.Page("pages/campaign.py", title="Campaign", icon=":material/crisis_alert:", url_path="campaign"),
]
TRIAGE = [
    st.Page("pages/triage.py", title="Triage queue", icon=":material/checklist:", url_path="triage"),
    st.Page("pages/case.py", title="Case", icon=":material/folder_open:", url_path="case"),
    st.Page("pages/export.py", title="Export", icon=":material/download:", url_path="export"),
]

st.navigation({"Investigate": INVESTIGATE, "Triage": TRIAGE}).run()

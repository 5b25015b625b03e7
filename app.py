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
# The triage pages are added as they exist, so the investigation side runs on its own too.
TRIAGE_FILES = [
    ("pages/triage.py", "Triage queue", ":material/checklist:", "triage"),
    ("pages/case.py", "Case", ":material/folder_open:", "case"),
    ("pages/export.py", "Export", ":material/download:", "export"),
]
TRIAGE = [st.Page(f, title=t, icon=i, url_path=u) for f, t, i, u in TRIAGE_FILES if (ROOT / f).exists()]

nav = st.navigation({"Investigate": INVESTIGATE, **({"Triage": TRIAGE} if TRIAGE else {})})
nav.run()

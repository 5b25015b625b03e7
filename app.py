"""Distillation Radar: lets in whoever the deployment signs in, then routes to the investigation and triage pages."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

import app_state as state
import components.graph  # noqa: F401 - networkx and pyvis load once, at the server's first page, not at the first cluster opened

ROOT = Path(__file__).resolve().parent
# A local favicon: a Material icon name would make the browser fetch it from a font CDN.
st.set_page_config(page_title="Distillation Radar", page_icon=str(ROOT / "components" / "favicon.png"), layout="wide")
state.signed_in()  # nobody reaches a page before the deployment says who they are (README: Deploying behind authentication)
st.navigation(state.navigation()).run()

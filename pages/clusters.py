"""Clusters: placeholder until the page is drawn."""

from __future__ import annotations

import streamlit as st

from components import state
from components.sidebar import sidebar_filters

st.title("Clusters")
filters = sidebar_filters()
run_id = state.require_data()

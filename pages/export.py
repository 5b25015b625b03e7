"""Export page (being built): analysts' decisions on detection results."""

from __future__ import annotations

import streamlit as st

st.title("Export")
st.info("This page is being built.")

"""Case page (being built): analysts' decisions on detection results."""

from __future__ import annotations

import streamlit as st

st.title("Case")
st.info("This page is being built.")

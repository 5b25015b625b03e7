"""Overview: what happened in the window, and which campaigns should the analyst open first?"""

from __future__ import annotations

import streamlit as st

from components import state
from components.sidebar import sidebar_filters

st.title("Overview")
filters = sidebar_filters()
run_id = state.require_data(need_run=False)
st.write("Overview of", filters.label)

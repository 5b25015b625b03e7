"""Quarantine: which rows did loads set aside, from which file, why, and what did the raw line say?"""

from __future__ import annotations

import streamlit as st

import app_state as state
from components.display import TIME_NOTE, display_table
from queries import quarantine as qq

ALL = "All"

st.title("Quarantine")
state.sidebar_filters()
if state.require_data(need_run=False) is None:
    state.no_run_message()  # this page works without a run; the others wait for one
st.caption(
    "Rows a load could not take as they were (a missing field, a bad value, a line that is not a record) are kept here with "
    f"the reason, never half-loaded. Fix them at the source and load the file again. {TIME_NOTE}"
)

try:
    files = state.query(qq.quarantine_files).frame
except Exception as exc:  # noqa: BLE001 - a sentence, not a traceback
    state.show_error(exc)
    st.stop()
if files.is_empty():
    st.success("Nothing in quarantine: every row of every load was taken.", icon=":material/check_circle:")
    st.stop()

names = [ALL, *files["source_file"].cast(str).to_list()]
file_url = state.url_value("file")
c1, c2 = st.columns(2)
chosen_file = c1.selectbox("File", names, index=names.index(file_url) if file_url in names else 0)
source_file = None if chosen_file == ALL else chosen_file
try:
    reasons = state.query(qq.quarantine_reasons, source_file=source_file).frame
except Exception as exc:  # noqa: BLE001
    state.show_error(exc)
    st.stop()
reason_opts = [ALL, *reasons["reason"].cast(str).to_list()]
reason_url = state.url_value("reason")
chosen_reason = c2.selectbox("Reason", reason_opts, index=reason_opts.index(reason_url) if reason_url in reason_opts else 0)
reason = None if chosen_reason == ALL else chosen_reason
state.set_url_value("file", source_file)
state.set_url_value("reason", reason)

left, right = st.columns([2, 3])
with left:
    st.subheader("Rows per reason")
    st.dataframe(display_table(reasons), hide_index=True, width="stretch", key="q_reasons")
    st.subheader("Files")
    st.dataframe(display_table(files), hide_index=True, width="stretch", key="q_files")
with right:
    st.subheader("Rows")
    try:
        result = state.query(qq.quarantine_rows, source_file=source_file, reason=reason)
    except Exception as exc:  # noqa: BLE001
        state.show_error(exc)
        st.stop()
    state.show_truncated(result, "Quarantined rows")
    rows = result.frame
    event = st.dataframe(
        display_table(rows.select("source_file", "row_number", "reason", "quarantined_at")),
        hide_index=True,
        width="stretch",
        key="q_rows",
        on_select="rerun",
        selection_mode="single-row",
    )
    picked = list(event.selection.rows) if event is not None else []
    st.caption("Click a row to read its raw line.")
    if picked and picked[0] < rows.height:
        row = rows.row(picked[0], named=True)
        raw = state.query(qq.quarantine_raw, source_file=str(row["source_file"]), row_number=int(row["row_number"])).frame
        st.markdown(f"**{state.md(row['source_file'])}**, row {int(row['row_number']):,}: {state.md(row['reason'])}")
        text = raw["raw"][0] if not raw.is_empty() else None
        # A code block shows the line as it was, markup and all, without rendering it.
        st.code(text if text is not None else "(the load kept no raw text for this row)", language=None, wrap_lines=True)

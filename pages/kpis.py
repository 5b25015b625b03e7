"""SOC figures: how many campaigns are open, how fast we triage and decide, who decides, and which reasons mislead?"""

from __future__ import annotations

import streamlit as st

import app_state as state
from components.display import TIME_NOTE, display_table, fmt_duration, fmt_int, fmt_share
from components.triage_state import open_cases_or_stop
from radar.cases.harvest import load_harvest
from radar.cases.kpis import load_kpis

st.title("SOC figures")
state.sidebar_filters()
run_id = state.require_data()
engine = open_cases_or_stop()
try:
    k = load_kpis(engine, state.warehouse_engine())
    harvest = load_harvest(engine, state.warehouse_engine(), run_id) if run_id else None
except Exception as exc:  # noqa: BLE001 - a sentence, not a traceback
    state.show_error(exc)
    st.stop()

st.caption(
    "From the case store's audit trail and the detection runs: a campaign counts as found when the first finished run that "
    "found it ended, and stays open until its case is confirmed or dismissed. First triage is the first analyst change on its "
    "case or label; decision the first change to confirmed or dismissed."
)
m = st.columns(4)
m[0].metric("Open campaigns", fmt_int(k.open_campaigns), help=f"of {k.campaigns_found:,} found by any run")
m[1].metric("Median time to first triage", fmt_duration(k.median_to_first_triage_s) or "no triage yet")
m[2].metric("Median time to decision", fmt_duration(k.median_to_decision_s) or "no decision yet")
m[3].metric("Decisions", fmt_int(int(k.decisions_per_analyst["decisions"].sum()) if k.decisions_per_analyst.height else 0))

left, right = st.columns(2)
with left:
    st.subheader("Decisions per analyst")
    st.caption("Changes of a case to confirmed or dismissed, on any item; a campaign resolving its members counts once.")
    if k.decisions_per_analyst.is_empty():
        st.info("No decision recorded yet.")
    else:
        st.dataframe(
            display_table(k.decisions_per_analyst, names={"who": "Analyst", "decisions": "Decisions"}),
            hide_index=True,
            width="stretch",
            key="kpi_analysts",
        )
with right:
    st.subheader("False positives by detector reason")
    st.caption("Of the decided campaigns a reason fired on (numbers in the sentence shown as #), the share dismissed as false positives.")
    if k.fp_by_reason.is_empty():
        st.info("No campaign carries a disposition yet.")
    else:
        st.dataframe(
            display_table(
                k.fp_by_reason,
                names={
                    "reason": "Detector reason",
                    "decided": "Decided campaigns",
                    "false_positives": "False positives",
                    "fp_rate": "False-positive rate",
                },
            ),
            hide_index=True,
            width="stretch",
            key="kpi_fp",
        )

st.subheader("Harvest taken before vs after action")
st.caption(
    "For each campaign of the latest detection run that an analyst confirmed or dismissed: its accounts' calls and output "
    "tokens in the hours before the first decision and in the hours after it (from the hourly rollup; the hour of the "
    "decision counts as before). " + TIME_NOTE
)
if harvest is None or harvest.is_empty():
    st.info("No campaign of the latest run has been confirmed or dismissed yet.")
else:
    before, after = int(harvest["output_tokens_before"].sum()), int(harvest["output_tokens_after"].sum())
    h = st.columns(3)
    h[0].metric("Output tokens before action", fmt_int(before))
    h[1].metric("Output tokens after action", fmt_int(after))
    h[2].metric("Share taken after action", fmt_share(after / (before + after)) if before + after else "–")
    st.dataframe(
        display_table(
            harvest,
            names={
                "acted_at": "First decision",
                "calls_before": "Calls before",
                "calls_after": "Calls after",
                "output_tokens_before": "Output tokens before",
                "output_tokens_after": "Output tokens after",
            },
        ),
        hide_index=True,
        width="stretch",
        key="kpi_harvest",
    )

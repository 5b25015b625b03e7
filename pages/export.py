"""Export: which labeled data, shareable indicators and case reports can leave the dashboard, as files?"""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

import app_state as state
from components.triage_state import open_cases_or_stop, request, show_case_error, take_request
from radar.cases.store import case_statuses
from radar.export.labels import export_labels
from radar.export.report import campaign_report
from radar.export.sampling import DEFAULT_K, POSITIVES, Selection
from radar.export.stix import DEFAULT_TLP, TLP_LEVELS, campaign_stix

MIME = {"parquet": "application/vnd.apache.parquet", "csv": "text/csv", "jsonl": "application/x-ndjson"}

st.title("Export")
state.sidebar_filters()
run_id = state.require_data()
assert run_id is not None
engine = open_cases_or_stop()

st.subheader("Labeled data")
c = st.columns(4)
levels, formats, splits = ["account", "request"], ["parquet", "csv", "jsonl"], ["campaign", "time"]


def _pick(col: int, label: str, options: list[str], param: str) -> str:
    wanted = state.url_value(param)
    return str(c[col].selectbox(label, options, index=options.index(wanted) if wanted in options else 0))


level = _pick(0, "Level", levels, "level")
fmt = _pick(1, "Format", formats, "format")
split = _pick(2, "Split", splits, "split")
with_prompts = c[3].checkbox("Prompt text (redacted)", value=False, disabled=level != "request")
o = st.columns(4)
positives = str(
    o[0].selectbox(
        "Positives", list(POSITIVES), key="export_positives", help="analyst+detector also takes flagged accounts nobody reviewed"
    )
)
per_positive = float(o[1].number_input("Unflagged negatives per positive", 0.0, 50.0, DEFAULT_K, 1.0, key="export_k"))
unlabeled = o[2].checkbox("Unlabeled accounts too", value=False, key="export_unlabeled")
detector_outputs = o[3].checkbox(
    "Detector outputs (leakage)", value=False, key="export_leakage", help="the detector's scores and flags, marked as leakage in the card"
)
state.set_url_value("level", level)
if level == "request":
    st.caption(
        "Request-level files are built in memory here; for millions of requests use `python -m radar export labels --level request`, which streams."
    )
state.set_url_value("format", fmt)
state.set_url_value("split", split)


def _advance(bar: DeltaGenerator, done: int, total: int) -> None:
    bar.progress(done / max(total, 1))


st.button("Prepare the export", type="primary", key="prepare_export", on_click=request, args=("export",))
if take_request("export"):
    try:
        with st.status("Exporting labeled data…", expanded=False) as status, tempfile.TemporaryDirectory() as tmp:
            bar = st.progress(0.0)
            result = export_labels(
                engine,
                state.warehouse_engine(),
                Path(tmp),
                level=level,
                fmt=fmt,
                split=split,
                with_prompts=with_prompts and level == "request",
                run_id=run_id,
                selection=Selection(positives=positives, negatives_per_positive=per_positive, unlabeled=unlabeled),
                with_detector_outputs=detector_outputs,
                progress=lambda done, total: _advance(bar, done, total),
            )
            files = {p.name: p.read_bytes() for p in [*result.files.values(), result.card]}
            status.update(label=f"Exported {result.counts['train']:,} train and {result.counts['test']:,} test rows.", state="complete")
        made = {"files": files, "fmt": fmt, "level": level, "counts": result.counts}
        st.session_state["export_files"] = made | {"warnings": result.warnings}
    except Exception as exc:  # noqa: BLE001 - a sentence, not a traceback
        show_case_error(exc)

ready = st.session_state.get("export_files")
if ready:
    st.caption(f"{ready['level']}-level export: {ready['counts']['train']:,} train and {ready['counts']['test']:,} test rows.")
    for warning in ready.get("warnings", []):
        st.warning(warning)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in ready["files"].items():
            zf.writestr(name, data)
    d = st.columns(1 + len(ready["files"]))
    d[0].download_button(
        "Download all (zip)", buf.getvalue(), file_name=f"radar-labels-{ready['level']}.zip", mime="application/zip", key="dl_zip"
    )
    for i, name in enumerate(sorted(ready["files"]), start=1):
        mime = "text/markdown" if name.endswith(".md") else MIME[ready["fmt"]]
        d[i].download_button(f"Download {name}", ready["files"][name], file_name=name, mime=mime, key=f"dl_{name}")
    card = ready["files"].get("dataset_card.md")
    if card:
        with st.expander("Dataset card"):
            # Shown as its Markdown source: the card quotes warehouse values, which must not render as links or images.
            st.code(card.decode("utf-8"), language="markdown", wrap_lines=True)

st.subheader("Confirmed campaigns: indicators and case reports")
try:
    confirmed = case_statuses(engine, "campaign").filter(status="confirmed")["entity_id"].to_list()
except Exception as exc:  # noqa: BLE001
    show_case_error(exc)
    confirmed = []
if not confirmed:
    st.info("No campaign is confirmed yet; confirm one on the Triage queue to share its indicators or write its report.")
else:
    picked = st.selectbox("Campaign", confirmed, key="export_campaign")
    tlp = st.selectbox(
        "TLP marking", TLP_LEVELS, index=TLP_LEVELS.index(DEFAULT_TLP), format_func=lambda t: f"TLP:{t.upper()}", key="export_tlp"
    )
    # Counting each value's exclusivity reads the run's window: build the files when asked, not on every rerun.
    wanted = (picked, tlp, run_id)
    st.button("Prepare indicators and report", key="prepare_campaign_files", on_click=request, args=("campaign_files",))
    if take_request("campaign_files"):
        try:
            with st.spinner("Counting each indicator's accounts inside and outside the campaign…"):
                st.session_state["campaign_files"] = {
                    "for": wanted,
                    "stix": campaign_stix(engine, state.warehouse_engine(), picked, tlp=tlp),
                    "report": campaign_report(engine, state.warehouse_engine(), picked, run_id=run_id, tlp=tlp),
                }
        except Exception as exc:  # noqa: BLE001
            show_case_error(exc)
    built = st.session_state.get("campaign_files")
    if built and built["for"] == wanted:
        b1, b2 = st.columns(2)
        b1.download_button(
            "Download STIX 2.1 bundle", built["stix"], file_name=f"campaign-{picked}.stix.json", mime="application/json", key="dl_stix"
        )
        b2.download_button(
            "Download case report (HTML)", built["report"], file_name=f"campaign-{picked}-report.html", mime="text/html", key="dl_report"
        )
    st.caption("Payment fingerprints travel only as sha256 digests; the report is one HTML file that opens and prints with no network.")

"""What happened in this case, on one printable page? A self-contained HTML report (no script, no network).

Timeline and activity chart (inline SVG), indicators, the analysts' decisions and labels, and the audit trail.
"""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape
from typing import Any

import polars as pl
from sqlalchemy import Engine

from queries.export_labels import export_campaign_activity
from queries.membership import campaign_details
from queries.run import run_all
from radar.cases.labels import labels_frame
from radar.cases.store import CaseError, audit_trail, get_case
from radar.export.labels import run_window
from radar.export.stix import sha256
from radar.export.svg import bar_chart_svg
from radar.stored import decode_object, decode_reasons

CSS = """
body { font: 13px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1b1b1b; margin: 24px auto; max-width: 960px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 16px; border-bottom: 1px solid #ccc; padding-bottom: 2px; margin-top: 22px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0; } th, td { border: 1px solid #ddd; padding: 3px 6px; text-align: left; vertical-align: top; }
th { background: #f3f3f3; } .muted { color: #666; } .pill { display: inline-block; padding: 1px 8px; border-radius: 9px; background: #eee; }
.timeline li { margin: 2px 0; } code, pre { font: 11px/1.3 ui-monospace, monospace; white-space: pre-wrap; word-break: break-all; }
@page { size: A4; margin: 14mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 11px; }
  h2 { break-after: avoid; } table, svg, li { break-inside: avoid; } thead { display: table-header-group; }
  .chart rect { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
"""


def _t(value: Any) -> str:
    """A timestamp as the report prints it (minutes, UTC); anything else as text."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return "" if value is None else str(value)


def _table(frame: pl.DataFrame, columns: list[str] | None = None) -> str:
    cols = columns or frame.columns
    if frame.is_empty():
        return '<p class="muted">None.</p>'
    head = "".join(f"<th>{escape(c)}</th>" for c in cols)
    body = "".join("<tr>" + "".join(f"<td>{escape(_t(r[c]))}</td>" for c in cols) + "</tr>" for r in frame.iter_rows(named=True))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _diff(before: str | None, after: str | None) -> str:
    b, a = decode_object(before), decode_object(after)
    skip = {
        "updated_at",
        "created_at",
        "labeled_at",
        "added_at",
        "version",
        "updated_by",
        "entity_id",
        "entity_type",
        "analyst",
        "added_by",
    }
    changes = [f"{k}: {b.get(k)!s} → {a.get(k)!s}" for k in sorted(set(a) | set(b)) if k not in skip and b.get(k) != a.get(k)]
    return "; ".join(changes) or "no field change"


def report_html(
    *,
    campaign_id: str,
    campaign: dict[str, Any] | None,
    case: dict[str, Any] | None,
    activity: pl.DataFrame,
    labels: pl.DataFrame,
    audit: pl.DataFrame,
    generated_at: datetime,
    run_id: str,
) -> str:
    """The report page for one campaign, as one self-contained HTML string."""
    c = campaign or {}
    indicators = decode_object(c.get("indicators"))
    rows = []
    for kind, values in sorted(indicators.items()):
        for v in values:
            shown = f"sha256:{sha256(str(v))}" if kind.startswith("payment") else str(v)
            rows.append({"kind": kind, "value": shown})
    reasons = decode_reasons(c.get("reasons"))
    profile = decode_object(c.get("capability_profile"))
    days = [str(d)[:10] for d in activity["day"].to_list()] if "day" in activity.columns else []
    chart = bar_chart_svg(
        days, [float(v or 0) for v in activity["calls"].to_list()] if days else [], title="Calls per day by the campaign's accounts"
    )
    tok = bar_chart_svg(days, [float(v or 0) for v in activity["output_tokens"].to_list()] if days else [], title="Output tokens per day")
    cap = bar_chart_svg(list(profile), [100 * float(v) for v in profile.values()], title="Capability profile (% of calls)", height=180)
    timeline = [(c.get("first_seen"), "first activity"), (c.get("last_seen"), "last activity")]
    timeline += [
        (r["at"], f"{r['who']}: {r['action']} ({_diff(r['before'], r['after'])})")
        for r in audit.filter(pl.col("entity_id") == campaign_id).iter_rows(named=True)
    ]
    timeline = sorted([t for t in timeline if t[0] is not None], key=lambda t: t[0].timestamp() if isinstance(t[0], datetime) else 0.0)
    state = case or {}
    audit_view = audit.with_columns(
        pl.struct("before", "after").map_elements(lambda s: _diff(s["before"], s["after"]), return_dtype=pl.String).alias("change")
    ).select("at", "who", "action", "entity_type", "entity_id", "change")
    label_counts = labels.group_by("entity_type", "label", "source").len("count").sort("entity_type", "label") if labels.height else labels
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Case report: campaign {escape(campaign_id)}</title>
<style>{CSS}</style></head><body>
<h1>Case report: campaign {escape(campaign_id)}</h1>
<p class="muted">Distillation Radar · detection run {escape(run_id)} · generated {escape(generated_at.strftime("%Y-%m-%d %H:%M UTC"))}</p>
<h2>Decision</h2>
<p><span class="pill">{escape(str(state.get("status", "new")))}</span> {escape(str(state.get("disposition") or "no disposition"))}
 · assignee {escape(str(state.get("assignee") or "none"))} · version {escape(str(state.get("version", 0)))}
 · last change by {escape(str(state.get("updated_by") or "nobody"))} at {escape(_t(state.get("updated_at")) or "never")}</p>
<p><b>Reason:</b> {escape(str(state.get("reason") or ""))}</p><p><b>Notes:</b> {escape(str(state.get("notes") or ""))}</p>
<h2>Campaign</h2>
<p>score {float(c.get("score") or 0):.2f} · {int(c.get("n_accounts") or 0):,} accounts · {int(c.get("n_keys") or 0):,} keys ·
 {int(c.get("calls") or 0):,} calls · {int(c.get("output_tokens") or 0):,} output tokens · {escape(_t(c.get("first_seen")))} to {escape(_t(c.get("last_seen")))}</p>
<ul>{"".join(f"<li>{escape(str(r))}</li>" for r in reasons)}</ul>
<h2>Activity</h2>{chart}{tok}{cap}
<h2>Timeline</h2><ul class="timeline">{"".join(f"<li><b>{escape(_t(t))}</b> {escape(w)}</li>" for t, w in timeline)}</ul>
<h2>Indicators</h2><p class="muted">Payment fingerprints are shown only as sha256 digests.</p>{_table(pl.DataFrame(rows, schema={"kind": pl.String, "value": pl.String}))}
<h2>Labels</h2>{_table(label_counts)}
<h2>Audit trail</h2>{_table(audit_view)}
</body></html>
"""


def campaign_report(cases: Engine, warehouse: Engine, campaign_id: str, *, run_id: str | None = None) -> str:
    """The case report for one campaign, gathered from the warehouse's latest run and the case store."""
    rid, start, end = run_window(warehouse, run_id)
    details = run_all(warehouse, campaign_details(rid, campaign_ids=[campaign_id]))
    if details.is_empty():
        raise CaseError(f"Campaign {campaign_id} is not in detection run {rid}; pick a campaign from the Triage page.")
    activity = run_all(warehouse, export_campaign_activity(start, end, run_id=rid, campaign_id=campaign_id))
    labels = labels_frame(cases).filter((pl.col("entity_id") == campaign_id) | (pl.col("source") == f"campaign:{campaign_id}"))
    trail = audit_trail(cases, "campaign", campaign_id)
    return report_html(
        campaign_id=campaign_id,
        campaign=details.row(0, named=True),
        case=get_case(cases, "campaign", campaign_id),
        activity=activity,
        labels=labels,
        audit=trail,
        generated_at=datetime.now().astimezone(),
        run_id=rid,
    )

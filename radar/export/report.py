"""What happened in this case, for the people it is escalated to (legal, policy)? A self-contained, printable HTML report.

Summary, timeline, the campaign's specific indicators (radar/export/indicators.py), member accounts and keys, redacted
sample prompts, the actions taken (key revocations) and when, the harvest before and after the first action with its
estimated cost at list price (radar/pricing.py, the table named in the report), and the analysts' decision trail.
No script, no network: charts are inline SVG, the style sheet is inline, and it prints to PDF with its own print rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from html import escape
from typing import Any

import polars as pl
from sqlalchemy import Engine

from queries.campaign import campaign_harvest, campaign_keys, campaign_members, campaign_sample_prompts
from queries.export_labels import export_campaign_activity
from queries.membership import campaign_details
from queries.report import campaign_revocations
from queries.run import run_all
from radar.cases.labels import labels_frame
from radar.cases.store import CaseError, audit_trail, get_case
from radar.export import report_sections as sec
from radar.export.indicators import Assessment, specific_indicators
from radar.export.labels import run_window
from radar.export.report_style import CSS
from radar.export.stix import DEFAULT_TLP, tlp_level
from radar.export.svg import bar_chart_svg
from radar.pricing import PriceTable, price_table, with_cost
from radar.redact import redact_expr
from radar.stored import decode_object, decode_reasons

#: member accounts and keys listed by name: fifty rows fit about two printed pages; larger campaigns get counts and a note
TOP_MEMBERS = 50
#: redacted sample prompts shown: enough to see the harness's templates, few enough to read
SAMPLE_PROMPTS = 10
LABELS_EXPORT = "the labeled-data export (<code>python -m radar export labels</code>)"
STIX_EXPORT = "the STIX bundle (<code>python -m radar export stix</code>)"
TLP_COLOURS = {"clear": "#fff", "green": "#33ff00", "amber": "#ffc000", "amber+strict": "#ffc000", "red": "#ff2b2b"}


@dataclass(frozen=True)
class ReportData:
    """Everything one case report shows, gathered from the warehouse and the case store."""

    campaign_id: str
    run_id: str
    window: tuple[datetime, datetime]
    generated_at: datetime
    tlp: str
    campaign: dict[str, Any]
    case: dict[str, Any] | None
    activity: pl.DataFrame
    indicators: Assessment
    members: pl.DataFrame
    keys: pl.DataFrame
    prompts: pl.DataFrame
    revocations: pl.DataFrame
    harvest: pl.DataFrame
    first_action: datetime | None
    prices: PriceTable
    audit: pl.DataFrame
    member_labels: pl.DataFrame


def gather(
    cases: Engine,
    warehouse: Engine,
    campaign_id: str,
    *,
    run_id: str | None = None,
    tlp: str = DEFAULT_TLP,
    prices: PriceTable | None = None,
) -> ReportData:
    """What the report of this campaign shows, from the run (default: latest finished) and the case store."""
    rid, start, end = run_window(warehouse, run_id)
    details = run_all(warehouse, campaign_details(rid, campaign_ids=[campaign_id]))
    if details.is_empty():
        raise CaseError(f"Campaign {campaign_id} is not in detection run {rid}; pick a campaign from the Triage page.")
    harvest = run_all(warehouse, campaign_harvest(start, end, run_id=rid, campaign_id=campaign_id))
    table = prices or price_table()
    prompts = run_all(warehouse, campaign_sample_prompts(run_id=rid, campaign_id=campaign_id, limit=SAMPLE_PROMPTS))
    return ReportData(
        campaign_id=campaign_id,
        run_id=rid,
        window=(start, end),
        generated_at=datetime.now().astimezone(),
        tlp=tlp_level(tlp),
        campaign=details.row(0, named=True),
        case=get_case(cases, "campaign", campaign_id),
        activity=run_all(warehouse, export_campaign_activity(start, end, run_id=rid, campaign_id=campaign_id)),
        indicators=specific_indicators(warehouse, run_id=rid, start=start, end=end, campaign_id=campaign_id),
        members=run_all(warehouse, campaign_members(run_id=rid, campaign_id=campaign_id, limit=TOP_MEMBERS)),
        keys=run_all(warehouse, campaign_keys(run_id=rid, campaign_id=campaign_id, limit=TOP_MEMBERS)),
        prompts=prompts.with_columns(redact_expr("prompt")) if prompts.height else prompts,
        revocations=run_all(warehouse, campaign_revocations(run_id=rid, campaign_id=campaign_id)),
        harvest=with_cost(harvest.drop("first_action"), table) if harvest.height else harvest,
        first_action=harvest["first_action"][0] if harvest.height else None,
        prices=table,
        audit=audit_trail(cases, "campaign", campaign_id),
        member_labels=sec.member_label_counts(labels_frame(cases), campaign_id),
    )


def _members_note(shown: int, total: int, noun: str, *, where: str = LABELS_EXPORT) -> str:
    """ "All N accounts." or, when the table shows only the top rows, how many of how many and where the rest are."""
    if total <= shown:
        return f'<p class="muted">All {total:,} {noun}.</p>'
    best = "most confident" if noun == "indicators" else "highest-scoring"
    return f'<p class="muted">The {shown:,} {best} of {total:,} {noun}; every one is in {where}.</p>'


def _summary(d: ReportData) -> str:
    c, state = d.campaign, d.case or {}
    totals = sec.harvest_totals(d.harvest)
    cost = float(totals.filter(pl.col("phase") == "total")["est_cost_usd"][0]) if totals.height else 0.0
    after = totals.filter(pl.col("phase") == "after first revocation")
    after_cost = float(after["est_cost_usd"][0]) if after.height else 0.0
    action = f"first action: a member key was revoked at {sec.when(d.first_action)}" if d.first_action else "no member key revoked yet"
    decided = (
        f"{escape(str(state.get('status')))} ({escape(str(state.get('disposition') or 'no disposition'))}) "
        f"by {escape(str(state.get('updated_by')))} at {escape(sec.when(state.get('updated_at')))}"
        if state
        else "no analyst decision yet"
    )
    return f"""<p><span class="pill">{escape(str(state.get("status", "new")))}</span> Case {decided}.</p>
<table class="facts"><tbody>
<tr><th>Risk score</th><td>{float(c.get("score") or 0):.2f}</td><th>Active</th><td>{escape(sec.when(c.get("first_seen")))} to {escape(sec.when(c.get("last_seen")))}</td></tr>
<tr><th>Accounts</th><td>{int(c.get("n_accounts") or 0):,}</td><th>Keys</th><td>{int(c.get("n_keys") or 0):,}</td></tr>
<tr><th>Exchanges</th><td>{int(c.get("calls") or 0):,}</td><th>Output tokens</th><td>{int(c.get("output_tokens") or 0):,}</td></tr>
<tr><th>Estimated cost</th><td>${cost:,.2f} at list price, ${after_cost:,.2f} of it after the first action</td>
<th>Actions</th><td>{escape(action)}</td></tr>
</tbody></table>
<ul>{"".join(f"<li>{escape(str(r))}</li>" for r in decode_reasons(c.get("reasons")))}</ul>"""


def _timeline(d: ReportData, trail: list[tuple[datetime, str]]) -> str:
    c = d.campaign
    events: list[tuple[Any, str]] = [(c.get("first_seen"), "first activity of the campaign's accounts")]
    events += [
        (r["revoked_at"], f"{int(r['keys']):,} key(s) of {int(r['accounts']):,} account(s) revoked (first: {r['first_key']})")
        for r in d.revocations.iter_rows(named=True)
    ]
    events += trail + [(c.get("last_seen"), "last activity of the campaign's accounts")]
    dated = sorted((e for e in events if isinstance(e[0], datetime)), key=lambda e: e[0].timestamp())
    return "".join(f"<li><b>{escape(sec.when(t))}</b> {escape(w)}</li>" for t, w in dated)


def _charts(d: ReportData) -> str:
    a = d.activity
    days = [str(x)[:10] for x in a["day"].to_list()] if "day" in a.columns else []
    calls = [float(v or 0) for v in a["calls"].to_list()] if days else []
    tokens = [float(v or 0) for v in a["output_tokens"].to_list()] if days else []
    profile = decode_object(d.campaign.get("capability_profile"))
    return (
        bar_chart_svg(days, calls, title="Calls per day by the campaign's accounts")
        + bar_chart_svg(days, tokens, title="Output tokens per day")
        + bar_chart_svg(list(profile), [100 * float(v) for v in profile.values()], title="Capability profile (% of calls)", height=180)
    )


def _prices(d: ReportData) -> str:
    models = sorted({str(m) for m in d.harvest["model"].to_list()}) if d.harvest.height else []
    frame = d.prices.frame(models).with_columns(
        pl.when(pl.col("listed")).then(pl.lit("listed")).otherwise(pl.lit("default")).alias("price")
    )
    cols = {
        "model": "Model",
        "input_usd_per_mtok": "Input, USD / M tokens",
        "output_usd_per_mtok": "Output, USD / M tokens",
        "price": "Price",
    }
    return f'<p class="muted">Price table: {escape(d.prices.source)}.</p>{sec.table(frame, cols, css="small")}'


def report_html(d: ReportData) -> str:
    """The report page for one campaign, as one self-contained HTML string."""
    cid, (start, end) = escape(d.campaign_id), d.window
    trail = sec.decision_trail(d.audit, d.member_labels)
    tlp = f"TLP:{d.tlp.upper()}"
    prompt_cols = {"ts": "Time", "account_id": "Account", "model": "Model", "capability": "Capability", "prompt": "Prompt"}
    revoked_cols = {"revoked_at": "Revoked at", "keys": "Keys", "accounts": "Accounts", "first_key": "First key"}
    trail_items = "".join(f"<li><b>{escape(sec.when(t))}</b> {escape(w)}</li>" for t, w in trail)
    harvest_cols = {"model": "Model", "phase": "Phase", "exchanges": "Exchanges", "input_tokens": "Input tokens"}
    harvest_cols |= {"output_tokens": "Output tokens", "est_cost_usd": "Est. cost (USD)"}
    member_cols = {"account_id": "Account", "score": "Score", "n_keys": "Keys", "calls": "Calls", "output_tokens": "Output tokens"}
    member_cols |= {"created_at": "Created", "country": "Country", "verification": "Verification", "email_domain": "E-mail domain"}
    key_cols = {"api_key_id": "Key", "account_id": "Account", "score": "Score", "calls": "Calls", "output_tokens": "Output tokens"}
    key_cols |= {"created_at": "Created", "revoked_at": "Revoked"}
    ind_cols = {"kind": "Kind", "value": "Value", "inside": "Accounts in campaign", "outside": "Accounts outside", "exchanges": "Exchanges"}
    ind_cols |= {"exclusivity": "Exclusivity", "confidence": "Confidence", "valid_from": "Valid from", "valid_until": "Valid until"}
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Case report: campaign {cid}</title>
<style>{CSS}</style></head><body>
<div class="tlp" style="background:#000;color:{TLP_COLOURS[d.tlp]}">{tlp}</div>
<h1>Case report: campaign {cid}</h1>
<p class="muted">Distillation Radar · detection run {escape(d.run_id)} over {start:%Y-%m-%d} to {end:%Y-%m-%d} ·
 generated {escape(sec.when(d.generated_at))} · {tlp}</p>
<section><h2>Summary</h2>{_summary(d)}</section>
<section><h2>Timeline</h2><ul class="timeline">{_timeline(d, trail)}</ul></section>
<section class="charts"><h2>Activity</h2>{_charts(d)}</section>
<section><h2>Infrastructure: indicators specific to the campaign</h2>
<p class="muted">Values held by the campaign's accounts and few others in the run's window; confidence is the 95% lower
 bound of the share of holders inside the campaign. Payment fingerprints appear only as sha256 digests.</p>
{_members_note(min(len(d.indicators.kept), TOP_MEMBERS), len(d.indicators.kept), "indicators", where=STIX_EXPORT)}
{sec.table(sec.indicator_frame(d.indicators, TOP_MEMBERS), ind_cols, css="wide")}<p class="muted">{escape(sec.left_out_note(d.indicators))}</p></section>
<section class="page"><h2>Member accounts</h2>{_members_note(d.members.height, int(d.campaign.get("n_accounts") or 0), "accounts")}
{sec.table(d.members, member_cols)}
<h2>Member keys</h2>{_members_note(d.keys.height, int(d.campaign.get("n_keys") or 0), "keys")}{sec.table(d.keys, key_cols)}</section>
<section><h2>Sample prompts (redacted)</h2><p class="muted">E-mail addresses, phone numbers, keys and tokens are masked.</p>
{sec.table(d.prompts, prompt_cols, css="prompts")}</section>
<section><h2>Actions taken</h2><p>Key revocations, by time:</p>
{sec.table(d.revocations, revoked_cols, css="small")}</section>
<section><h2>Harvest and estimated cost</h2>
<p>Before and after the first action ({escape(sec.when(d.first_action) or "none yet")}), at list price.</p>
{sec.table(sec.harvest_totals(d.harvest), harvest_cols, css="small")}{sec.table(d.harvest, harvest_cols)}{_prices(d)}</section>
<section><h2>Decision trail</h2><ol class="trail">{trail_items or '<li class="muted">No analyst has recorded a decision.</li>'}</ol></section>
</body></html>
"""


def campaign_report(
    cases: Engine,
    warehouse: Engine,
    campaign_id: str,
    *,
    run_id: str | None = None,
    tlp: str = DEFAULT_TLP,
    prices: PriceTable | None = None,
) -> str:
    """The case report for one campaign, gathered from the warehouse's run (default: latest) and the case store."""
    return report_html(gather(cases, warehouse, campaign_id, run_id=run_id, tlp=tlp, prices=prices))

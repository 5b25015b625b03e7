"""How does each part of a case report read? Pure builders: frames and records in, escaped HTML or sentences out."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from html import escape
from typing import Any

import polars as pl

from radar.export.indicators import Assessment
from radar.stored import decode_object

#: case and label fields a reader of the decision trail does not need (bookkeeping, or said elsewhere in the sentence)
BOOKKEEPING = {"updated_at", "created_at", "labeled_at", "added_at", "version", "updated_by", "entity_id", "entity_type"}
BOOKKEEPING |= {"analyst", "added_by", "provenance", "source"}
#: the order fields are told in: the decision first, the prose after
FIELD_ORDER = ("status", "disposition", "label", "assignee", "reason", "notes")
VERBS = {
    "case.create": "opened the case",
    "case.save": "updated the case",
    "label.set": "labeled the campaign",
    "label.propagate": "labeled the campaign",
    "label.clear": "cleared the campaign's label",
    "allowlist.add": "allowlisted the campaign",
    "allowlist.remove": "took the campaign off the allowlist",
}


def when(value: Any, *, short: bool = False) -> str:
    """A timestamp as the report prints it (minutes, UTC, the zone left to the column header when `short`); else text."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M" if short else "%Y-%m-%d %H:%M UTC")
    return "" if value is None else str(value)


def cell(value: Any, *, short: bool = False) -> str:
    """One table cell's text: thousands separators for counts, two decimals for shares and money, minutes for times."""
    if isinstance(value, bool) or value is None:
        return "" if value is None else ("yes" if value else "no")
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return when(value, short=short)


def table(frame: pl.DataFrame, columns: Mapping[str, str], *, css: str = "") -> str:
    """An HTML table of these columns (name -> header) of the frame; numbers right-aligned; "None." when empty."""
    if frame.is_empty():
        return '<p class="muted">None.</p>'
    cols = [c for c in columns if c in frame.columns]
    kind = {c: "num" if frame.schema[c].is_numeric() else "t" if frame.schema[c].is_temporal() else "" for c in cols}
    head = "".join(f'<th class="{kind[c]}">{escape(columns[c])}{" (UTC)" if kind[c] == "t" else ""}</th>' for c in cols)
    body = "".join(
        "<tr>" + "".join(f'<td class="{kind[c]}">{escape(cell(r[c], short=True))}</td>' for c in cols) + "</tr>"
        for r in frame.iter_rows(named=True)
    )
    return f'<table class="{css}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def change_text(before: str | None, after: str | None) -> str:
    """What one audited change did, in words: "status new → confirmed; reason: “...”"."""
    b, a = decode_object(before), decode_object(after)
    keys = [k for k in FIELD_ORDER if k in a or k in b] + sorted((set(a) | set(b)) - set(FIELD_ORDER))
    parts = []
    for k in keys:
        if k in BOOKKEEPING or b.get(k) == a.get(k):
            continue
        if k in ("reason", "notes"):
            parts.append(f"{k}: “{a[k]}”" if a.get(k) else f"{k} cleared")
        else:
            parts.append(f"{k.replace('_', ' ')} {b.get(k) or 'none'} → {a.get(k) or 'none'}")
    return "; ".join(parts) or "no field changed"


def decision_trail(audit: pl.DataFrame, member_labels: pl.DataFrame) -> list[tuple[datetime, str]]:
    """The analysts' decisions on the campaign, oldest first, each as (time, sentence with name and change)."""
    out: list[tuple[datetime, str]] = []
    for r in audit.sort("at").iter_rows(named=True):
        verb = VERBS.get(str(r["action"]), str(r["action"]))
        who = f"{r['who']} ({r['role']})" if r.get("role") else str(r["who"])
        out.append((r["at"], f"{who} {verb}: {change_text(r['before'], r['after'])}"))
    for r in member_labels.iter_rows(named=True):
        noun = "accounts" if r["entity_type"] == "account" else "keys"
        out.append((r["labeled_at"], f"{r['analyst']} labeled {int(r['n']):,} member {noun} {r['label']} (from the campaign's label)"))
    return sorted(out, key=lambda t: t[0])


def member_label_counts(labels: pl.DataFrame, campaign_id: str) -> pl.DataFrame:
    """How many member accounts and keys got the campaign's label, from whom, by when (entity_type, label, analyst, n, labeled_at)?"""
    mine = labels.filter(pl.col("source") == f"campaign:{campaign_id}")
    return (
        mine.group_by("entity_type", "label", "analyst")
        .agg(pl.len().alias("n"), pl.col("labeled_at").max())
        .sort("labeled_at", "entity_type")
    )


def indicator_frame(assessment: Assessment, top: int | None = None) -> pl.DataFrame:
    """The specific indicators as a table, most confident first (the `top` of them): kind, value, accounts in and out,
    exchanges, exclusivity, confidence, validity."""
    ranked = sorted(assessment.kept, key=lambda i: (-i.confidence, -i.exchanges, i.kind, i.value))
    rows = [
        {
            "kind": i.label,
            "value": i.value,
            "inside": i.inside,
            "outside": i.outside,
            "exchanges": i.exchanges,
            "exclusivity": i.exclusivity,
            "confidence": i.confidence,
            # days: the bundle carries the exact times; a reader needs the span
            "valid_from": i.first_seen.date(),
            "valid_until": i.valid_until.date(),
        }
        for i in ranked[:top]
    ]
    schema = {"kind": pl.String, "value": pl.String, "inside": pl.Int64, "outside": pl.Int64, "exchanges": pl.Int64}
    schema |= {"exclusivity": pl.Float64, "confidence": pl.Int64}
    schema |= {"valid_from": pl.Date, "valid_until": pl.Date}
    return pl.DataFrame(rows, schema=schema)


def left_out_note(assessment: Assessment) -> str:
    """One sentence on how many of the campaign's values were left out, and for which reasons (no values named)."""
    if not assessment.left_out:
        return ""
    reasons: dict[str, int] = {}
    for item in assessment.left_out:
        head = item.reason.split(":")[0].split(" (")[0]
        head = "shared with many accounts outside the campaign" if head.startswith("shared with") else head
        reasons[head] = reasons.get(head, 0) + 1
    told = "; ".join(f"{n:,} {why}" for why, n in sorted(reasons.items(), key=lambda kv: -kv[1]))
    return (
        f"{len(assessment.left_out):,} other values the campaign used are left out as not specific to it ({told}): "
        "blocking on them would hit bystanders."
    )


def harvest_totals(costed: pl.DataFrame) -> pl.DataFrame:
    """Exchanges, tokens and estimated cost before and after the first action (phase rows, then a total row)."""
    if costed.is_empty():
        return costed
    cols = [pl.col(c).sum() for c in ("exchanges", "input_tokens", "output_tokens", "est_cost_usd")]
    phases = costed.group_by("phase").agg(cols).sort("phase", descending=True)
    total = costed.select(pl.lit("total").alias("phase"), *cols)
    return pl.concat([phases, total], how="vertical_relaxed")

"""What does a labeled-data export hold? The dataset card: counts, label balance, features, time range, query."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import polars as pl
from sqlalchemy import Engine, Select

from queries.export_labels import REQUEST_COLUMNS

# What the columns mean; features computed by detection are described by their name (f_<feature>).
COLUMN_DEFINITIONS = {
    "account_id": "account the example belongs to",
    "campaign_id": "campaign the detection run placed the account in (empty: none)",
    "cluster_id": "account cluster (shared infrastructure, payment, templates) from the detection run",
    "score": "the account's risk score in the detection run (0-1)",
    "allowlisted": "the account was allowlisted when the run scored it",
    "calls": "requests the account made in the run's window",
    "output_tokens": "output tokens the account received in the run's window",
    "n_keys": "API keys the account used",
    "max_key_score": "highest risk score among the account's keys",
    "mean_key_extraction_share": "mean share of the account's keys' calls that looked like extraction",
    "first_seen": "the account's first request in the window (UTC)",
    "last_seen": "the account's last request in the window (UTC)",
    "label": "analyst decision: true_positive_extraction, benign_positive_allowed, false_positive_detection_logic, false_positive_bad_data",
    "label_source": "'analyst' (set on the entity) or 'campaign:<id>' (propagated from a labeled campaign)",
    "labeled_by": "analyst who set or propagated the label",
    "labeled_at": "when the label was set (UTC)",
    "split": "train or test",
    "request_id": "the gateway's request id",
    "ts": "request time (UTC)",
    "api_key_id": "API key the request used",
    "model": "model called",
    "operation": "gateway operation (chat, completion, ...)",
    "input_tokens": "input tokens of the request (account level: see calls)",
    "latency_ms": "gateway latency in milliseconds",
    "status": "HTTP status returned",
    "finish_reason": "why generation stopped",
    "tool_count": "tools declared in the request",
    "has_image": "the request carried an image",
    "turn": "turn number within the conversation",
    "ip_prefix": "/24 (IPv4) or /48 (IPv6) of the client address",
    "asn": "autonomous system of the client address",
    "ip_class": "residential, datacenter, mobile, proxy or unknown",
    "capability": "capability the prompt targets (reasoning, coding, agentic, vision, rubric, censorship, writing, other)",
    "cot": "the prompt elicits step-by-step reasoning",
    "template_fp": "fingerprint of the prompt with its variable parts normalised away",
    "prompt_chars": "prompt length in characters",
    "prompt": "prompt text, redacted: API and cloud keys, tokens (JWT, bearer, long opaque strings), labelled secrets, "
    "e-mail addresses and phone numbers replaced by [API KEY], [TOKEN], [SECRET], [EMAIL], [PHONE]",
}

# Account features written by detection (account_scores.features); exported as f_<name>.
FEATURE_DEFINITIONS = {
    "calls": "requests in the window",
    "input_tokens": "input tokens sent",
    "output_tokens": "output tokens received",
    "n_keys": "API keys used",
    "hours_of_day": "distinct hours of the day (UTC) with traffic",
    "n_templates": "distinct prompt templates",
    "n_capabilities": "distinct capabilities targeted",
    "cot_share": "share of prompts eliciting step-by-step reasoning",
    "refusal_share": "share of responses that were refusals",
    "shared_template_share": "share of prompts whose template other accounts also use",
    "extraction_share": "share of calls that look like extraction",
    "followup_share": "share of calls continuing a conversation",
    "tool_share": "share of calls declaring tools",
    "anon_ip_share": "share of calls from proxy, VPN or hosting addresses",
    "prompt_chars_mean": "mean prompt length in characters",
    "output_input_ratio": "output tokens per input token",
    "template_ratio": "templates per call (low = uniform prompt structure)",
    "top_capability": "capability most targeted",
    "top_capability_share": "share of calls to the most targeted capability",
    "capability_entropy": "entropy of the capability mix (high = topic sweep)",
    "verification": "account verification level",
    "behaviour": "behavioural part of the risk score",
    "cluster_score": "risk score of the account's cluster",
    "lineage_kinds": "indicator kinds shared with confirmed campaigns (ban-evasion lineage)",
    "campaign_share": "largest share of the calls carrying one campaign's templates (interleaved extraction)",
}


def _sql(stmt: Select, engine: Engine) -> str:
    """The statement as the warehouse runs it (values inlined where the dialect can render them)."""
    try:
        return str(stmt.compile(dialect=engine.dialect, compile_kwargs={"literal_binds": True}))
    except Exception:  # noqa: BLE001 - some literal types cannot be inlined; show placeholders and parameters
        compiled = stmt.compile(dialect=engine.dialect)
        return f"{compiled}\n-- parameters: {compiled.params}"


def dataset_card(
    *,
    level: str,
    fmt: str,
    split: str,
    run_id: str,
    window: tuple[datetime, datetime],
    counts: dict[str, int],
    balance: dict[str, dict[str, int]],
    accounts: pl.DataFrame,
    cutoff: datetime | None,
    queries: Sequence[Select],
    engine: Engine,
    with_prompts: bool,
) -> str:
    """The markdown card that travels with an export."""
    lines = [
        f"# Distillation Radar labeled data ({level} level)",
        "",
        f"- Detection run: `{run_id}`, window {window[0]} to {window[1]}",
        f"- Format: {fmt}; files `train.{fmt}` and `test.{fmt}`",
        f"- Split: by {split}"
        + (
            " (every campaign wholly on one side; accounts without a campaign are their own group)"
            if split == "campaign"
            else f" (test = {'requests at or after' if level == 'request' else 'accounts first seen at or after'} {cutoff})"
        ),
        f"- Prompt text: {'included, redacted (keys, tokens, secrets, e-mails, phone numbers)' if with_prompts else 'not included'}",
        "",
        "## Counts",
        "",
        "| split | rows | accounts | campaigns |",
        "|---|---:|---:|---:|",
    ]
    for s in ("train", "test"):
        part = accounts.filter(pl.col("split") == s)
        lines.append(f"| {s} | {counts.get(s, 0):,} | {part.height:,} | {part['campaign_id'].drop_nulls().n_unique():,} |")
    if not counts.get("test"):
        lines += ["", "**The test split is empty**: label more than one campaign (or accounts outside campaigns) to hold some out."]
    lines += ["", "## Label balance", "", "| split | label | rows | share |", "|---|---|---:|---:|"]
    for s, b in balance.items():
        total = sum(b.values()) or 1
        for label, n in sorted(b.items(), key=lambda kv: str(kv[0])):
            lines.append(f"| {s} | {label} | {n:,} | {n / total:.1%} |")
    seen = accounts["first_seen"].drop_nulls()
    last = accounts["last_seen"].drop_nulls()
    lines += [
        "",
        "## Time range",
        "",
        f"Activity from {seen.min() if len(seen) else 'n/a'!s} to {last.max() if len(last) else 'n/a'!s} (UTC).",
        "",
    ]
    lines += ["## Columns", "", "| column | meaning |", "|---|---|"]
    cols: list[str] = list(accounts.columns)
    if level == "request":
        extra = ["prompt"] if with_prompts else []
        cols = [*REQUEST_COLUMNS, *extra, "campaign_id", "split", "label", "label_source", "labeled_by", "labeled_at"]
    for c in cols:
        meaning: Any = COLUMN_DEFINITIONS.get(c) or (
            f"{FEATURE_DEFINITIONS.get(c[2:], 'detection feature')} (`{c[2:]}`, from the run's account features)"
            if c.startswith("f_")
            else ""
        )
        lines.append(f"| `{c}` | {meaning} |")
    lines += ["", "## Generating queries", ""]
    for q in queries:
        lines += ["```sql", _sql(q, engine), "```", ""]
    lines.append("Labels come from the case store (analysts' decisions and their propagation from campaigns to members).")
    return "\n".join(lines) + "\n"

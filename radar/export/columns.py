"""Which columns does a labeled-data export hold, what does each mean, and which of them would teach a model the detector?

Three kinds of column: keys and labels (never features), features computed from telemetry, and the detector's own
outputs (its scores, flags, groupings and anything derived from analysts' decisions). A model trained on the last
kind learns to reproduce the detector, not to find extraction: they are left out unless asked for, and then marked.
"""

from __future__ import annotations

from typing import Any

import polars as pl

# What the columns mean; features computed by detection are described by their name (f_<feature>).
COLUMN_DEFINITIONS = {
    "account_id": "account the example belongs to",
    "campaign_id": "campaign the detection run placed the account in (empty: none); the key the campaign split groups by",
    "cluster_id": "account cluster (shared infrastructure, payment, templates) from the detection run",
    "score": "the account's risk score in the detection run (0-1)",
    "alerting": "the detection run flagged the account (score at or above the alert threshold, not allowlisted or dismissed)",
    "allowlisted": "the account was allowlisted when the run scored it",
    "calls": "requests the account made in the run's window",
    "output_tokens": "output tokens the account received in the run's window",
    "n_keys": "API keys the account used",
    "max_key_score": "highest risk score among the account's keys",
    "mean_key_extraction_share": "mean share of the account's keys' calls that looked like extraction",
    "first_seen": "the account's first request in the window (UTC)",
    "last_seen": "the account's last request in the window (UTC)",
    "target": "what to train on: 1 = unpermitted extraction, 0 = not, empty = unlabeled (see Label sources)",
    "label": "analyst decision: true_positive_extraction, benign_positive_allowed, false_positive_detection_logic "
    "(empty for allowlisted, detector-flagged and sampled examples)",
    "label_source": "'analyst' (set on the entity), 'campaign:<id>' (propagated from a labeled campaign), 'allowlist', "
    "'detector' (flagged by the run, not reviewed), 'sample:unflagged' (drawn from accounts the run did not flag) or 'none'",
    "label_confidence": "how sure the label is: 1 for analysts' decisions and the allowlist, the run's score for detector "
    "positives, 1 - score for sampled unflagged accounts; a sample weight, never a feature",
    "labeled_by": "analyst who set or propagated the label",
    "labeled_at": "when the label was set (UTC)",
    "split": "train or test (in the unlabeled file: the side the example's campaign or time falls on)",
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
    "comp_calls": "calls on prompt templates shared across accounts (the account's scripted component)",
    "behaviour_component": "behavioural score of the scripted component alone, against the reference's scripted components",
    "active_hours": "hour buckets of the window with traffic",
    "round_the_clock": "how little the account rests: share of the day without a quiet stretch, 0-1",
    "longest_run": "longest run of consecutive active hours",
    "dispersion": "variance over mean of calls per active hour (1 for random arrivals, below for a steady script)",
    "rotated_keys": "keys revoked within two days of their creation",
    "metronome": "how steady the pace is, from dispersion, 0-1",
    "long_sessions": "how far the longest run exceeds a person's working day, 0-1",
    "key_rotation": "share of keys rotated on a schedule, 0-1",
    "automation": "the automation family's evidence, combined from the four above, 0-1",
}
# The feature values' types, fixed so that every streamed batch writes the same schema (the rest are Float64).
FEATURE_TYPES: dict[str, Any] = {"top_capability": pl.String, "verification": pl.String} | {
    f: pl.Int64
    for f in (
        "calls",
        "input_tokens",
        "output_tokens",
        "n_keys",
        "hours_of_day",
        "n_templates",
        "n_capabilities",
        "lineage_kinds",
        "comp_calls",
        "active_hours",
        "longest_run",
        "rotated_keys",
    )
}

# The detector's own outputs and what analysts decided, by column: why a model must not learn from each.
LEAKAGE = {
    "score": "the detector's risk score: the thing a model trained on it would copy",
    "alerting": "the detector's flag, and the source of detector-flagged positives",
    "allowlisted": "the analysts' allowlist, the source of allowlisted negatives",
    "cluster_id": "the detector's grouping of accounts",
    "max_key_score": "the detector's risk score of the account's riskiest key",
    "f_behaviour": "the behavioural part of the detector's risk score",
    "f_cluster_score": "the detector's score of the account's cluster",
    "f_lineage_kinds": "indicators shared with campaigns analysts confirmed: derived from their decisions",
    "f_campaign_share": "share of calls carrying the templates of a campaign the detector found",
    "f_behaviour_component": "the behavioural part of the detector's risk score, for the scripted calls",
    "f_automation": "the detector's automation evidence, combined into its risk score",
}

# Keys and labels: in every file, never to be trained on. campaign_id is the grouping key of the campaign split, and
# also the detector's decision; it stays so that grouped cross-validation is possible, and the card says so.
KEY_COLUMNS = ("account_id", "campaign_id", "split")
LABEL_COLUMNS = ("target", "label", "label_source", "label_confidence", "labeled_by", "labeled_at")
# Account-level telemetry columns (besides the f_ features): the run's counts and the window's first and last request.
ACCOUNT_TELEMETRY = ("calls", "output_tokens", "n_keys", "mean_key_extraction_share", "first_seen", "last_seen")
# Detector outputs a request-level export carries when asked (the account's judgement, beside each request).
REQUEST_LEAKAGE = ("score", "alerting", "allowlisted")


def feature_columns(*, with_detector_outputs: bool) -> list[str]:
    """Which f_ columns does an account-level export hold (telemetry only, unless the detector's are asked for)?"""
    names = [f"f_{n}" for n in FEATURE_DEFINITIONS]
    return names if with_detector_outputs else [n for n in names if n not in LEAKAGE]


def account_columns(*, with_detector_outputs: bool) -> list[str]:
    """In which order does an account-level file hold its columns?"""
    leak = [c for c in LEAKAGE if not c.startswith("f_")] if with_detector_outputs else []
    return [*KEY_COLUMNS, *LABEL_COLUMNS, *ACCOUNT_TELEMETRY, *feature_columns(with_detector_outputs=with_detector_outputs), *leak]


def describe(column: str) -> str:
    """What does this column mean (as the card's column table says it)?"""
    if column.startswith("f_"):
        meaning = f"{FEATURE_DEFINITIONS.get(column[2:], 'detection feature')} (`{column[2:]}`, from the run's account features)"
    else:
        meaning = COLUMN_DEFINITIONS.get(column, "")
    if column in LEAKAGE:
        return f"**LEAKAGE: detector output, do not train on it** ({LEAKAGE[column]}). {meaning}"
    return meaning


def account_schema(*, with_detector_outputs: bool) -> dict[str, Any]:
    """Which type does each column of an account-level file have (fixed, so that every streamed batch agrees)?"""
    kinds: dict[str, Any] = {
        "target": pl.Int8,
        "label_confidence": pl.Float64,
        "labeled_at": pl.Datetime("us", "UTC"),
        "first_seen": pl.Datetime("us", "UTC"),
        "last_seen": pl.Datetime("us", "UTC"),
        "calls": pl.Int64,
        "output_tokens": pl.Int64,
        "n_keys": pl.Int64,
        "mean_key_extraction_share": pl.Float64,
        "score": pl.Float64,
        "max_key_score": pl.Float64,
        "alerting": pl.Boolean,
        "allowlisted": pl.Boolean,
    }
    out: dict[str, Any] = {}
    for c in account_columns(with_detector_outputs=with_detector_outputs):
        out[c] = FEATURE_TYPES.get(c[2:], pl.Float64) if c.startswith("f_") else kinds.get(c, pl.String)
    return out

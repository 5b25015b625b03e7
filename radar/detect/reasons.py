"""Reasons in words an analyst understands, with the numbers behind each score, strongest first."""

from __future__ import annotations

from typing import Any

from radar.detect.clusters import HARVEST_EXCESS_BASE, HARVEST_FULL

#: evidence below this share of full strength is not worth a sentence
MIN_EVIDENCE = 0.25


def _pct(x: float | None) -> str:
    return f"{100.0 * float(x or 0.0):.0f}%"


def _carried(row: dict[str, Any], noun: str) -> list[str]:
    share = float(row.get("campaign_share") or 0.0)
    if share < 0.05 or not row.get("carried_campaign") or row.get("campaign_id") == row.get("carried_campaign"):
        return []
    return [
        f"{_pct(share)} of its {int(row['calls']):,} {noun} carry the prompt templates of campaign {row['carried_campaign']} (interleaved with other traffic)"
    ]


def behaviour_reasons(row: dict[str, Any], peers: dict[str, float], *, noun: str = "prompts") -> list[tuple[float, str]]:
    """Which of an entity's own behaviours stand out against its peers, as (strength, sentence)?"""
    out: list[tuple[float, str]] = []
    ev = lambda f: float(row.get(f"ev_{f}") or 0.0)  # noqa: E731
    if ev("cot_share") >= MIN_EVIDENCE:
        out.append(
            (ev("cot_share"), f"{_pct(row['cot_share'])} of {noun} elicit step-by-step reasoning vs {_pct(peers['cot_share'])} for peers")
        )
    if ev("shared_template_share") >= MIN_EVIDENCE:
        out.append(
            (
                ev("shared_template_share"),
                f"{_pct(row['shared_template_share'])} of calls use prompt templates shared with other accounts vs {_pct(peers['shared_template_share'])} for peers",
            )
        )
    if ev("top_capability_share") >= MIN_EVIDENCE and row.get("top_capability"):
        out.append(
            (
                0.8 * ev("top_capability_share"),
                f"{_pct(row['top_capability_share'])} of calls target {row['top_capability']} vs {_pct(peers['top_capability_share'])} for peers",
            )
        )
    if ev("refusal_share") >= MIN_EVIDENCE:
        out.append(
            (
                0.8 * ev("refusal_share"),
                f"{_pct(row['refusal_share'])} of calls end in a refusal vs {_pct(peers['refusal_share'])} for peers",
            )
        )
    if ev("anon_ip_share") >= MIN_EVIDENCE:
        out.append(
            (
                0.7 * ev("anon_ip_share"),
                f"{_pct(row['anon_ip_share'])} of calls come from datacenter, VPN or Tor addresses vs {_pct(peers['anon_ip_share'])} for peers",
            )
        )
    if ev("output_input_ratio") >= MIN_EVIDENCE:
        out.append(
            (
                0.7 * ev("output_input_ratio"),
                f"harvests {float(row['output_input_ratio']):.1f} output tokens per input token vs {float(peers['output_input_ratio']):.1f} for peers",
            )
        )
    return out


def cluster_reasons(row: dict[str, Any], peers: dict[str, float]) -> list[str]:
    """Why is this cluster risky? Sentences, strongest first."""
    n = int(row["n_accounts"])
    out: list[tuple[float, str]] = []
    if row.get("payment_instruments"):
        out.append((1.0, f"{int(row['payment_accounts']):,} accounts share {int(row['payment_instruments']):,} payment instruments"))
    if float(row.get("burst_share") or 0) >= 0.5 and n >= 3:
        out.append((float(row["burst_share"]), f"{_pct(row['burst_share'])} of its {n:,} accounts signed up within 48 hours"))
    if float(row.get("low_verification_share") or 0) >= 0.5 and n >= 3:
        out.append(
            (
                0.6 * float(row["low_verification_share"]),
                f"{_pct(row['low_verification_share'])} of its accounts have no verification beyond e-mail",
            )
        )
    if n >= 3 and float(row.get("top_share") or 1) < 0.5:
        out.append(
            (
                0.9,
                f"each of {n:,} accounts is light (median {float(row['median_calls']):,.0f} calls) while together they made "
                f"{int(row['calls']):,} calls and harvested {int(row['output_tokens']):,} output tokens",
            )
        )
    for strength, sentence in behaviour_reasons(row, peers):
        out.append((strength, sentence.replace("of prompts", "of the cluster's prompts", 1)))
    out.extend(family_reasons(row))
    if float(row.get("controlled_accounts") or 0) >= 2 and not row.get("payment_instruments"):
        out.append(
            (0.7, f"{int(row['controlled_accounts']):,} accounts share sign-up infrastructure (IP prefix or e-mail domain in a burst)")
        )
    return [s for _, s in sorted(out, key=lambda t: -t[0])]


def family_reasons(row: dict[str, Any]) -> list[tuple[float, str]]:
    """Which of a cluster's control, automation and extraction figures are worth a sentence, as (strength, sentence)?
    Each sentence names its family and the figure behind it."""
    out: list[tuple[float, str]] = []
    f = lambda k: float(row.get(k) or 0.0)  # noqa: E731
    n = int(row.get("n_accounts") or 0)
    if f("synchrony") >= MIN_EVIDENCE:
        out.append(
            (
                f("synchrony"),
                f"control: its accounts are active in the same hours {f('sync_lift'):.1f}x as often as independent accounts of their activity would be",
            )
        )
    if f("family_share") >= 0.5 and n >= 3:
        out.append(
            (
                0.6 * f("family_share"),
                f"control: {_pct(row['family_share'])} of its {n:,} accounts send the same prompt families, rare outside it",
            )
        )
    if f("automation") >= MIN_EVIDENCE:
        out.append(
            (
                0.5 * f("automation"),
                f"automation: its accounts' activity scores {f('automation'):.2f} on round-the-clock work, steady pace, day-long sessions and key rotation",
            )
        )
    if row.get("harvest") is not None and f("extraction_signals") >= 0.5:
        calls, tokens = int(row.get("calls") or 0), int(row.get("output_tokens") or 0)
        if f("harvest") < MIN_EVIDENCE:
            out.append(
                (
                    0.8,
                    f"extraction: together it took only {calls:,} exchanges ({f('harvest_ratio'):.1f}x a typical account's output per member), too little to be a harvest",
                )
            )
        else:
            out.append(
                (
                    0.6 * f("harvest"),
                    f"extraction: it harvested {tokens:,} output tokens in {calls:,} exchanges, {f('harvest_ratio'):.1f}x a typical account's output per member"
                    + (
                        f", {f('harvest_excess'):,.0f} typical accounts' output beyond ordinary use in all"
                        if f("harvest_ratio") < HARVEST_FULL and f("harvest_excess") >= HARVEST_EXCESS_BASE
                        else ""
                    ),
                )
            )
    return out


def account_reasons(
    row: dict[str, Any], peers: dict[str, float], cluster_sentences: dict[str, list[str]], lineage: dict[str, list[str]]
) -> list[str]:
    """Why did this account score as it did? Lineage first, then its cluster's reasons, then its own behaviour."""
    out: list[str] = list(lineage.get(row["account_id"], []))
    out.extend(_carried(row, "calls"))
    cid = row.get("cluster_id")
    if cid and float(row.get("cluster_score") or 0) >= 0.3:
        out.extend(f"cluster {cid}: {s}" for s in cluster_sentences.get(cid, [])[:3])
    out.extend(s for _, s in sorted(behaviour_reasons(row, peers), key=lambda t: -t[0]))
    if row.get("allowlisted"):
        out.append("allowlisted by analysts: scored but not alerting")
    if row.get("dismissed"):
        out.append("dismissed by an analyst: scored but not alerting")
    return out[:6]


def key_reasons(row: dict[str, Any], peers: dict[str, float]) -> list[str]:
    """Why did this key score as it did? Its extraction share first."""
    out = [
        f"{_pct(row['extraction_share'])} of this key's {int(row['calls']):,} calls look like extraction (reasoning elicitation or shared templates)"
    ]
    comp, other = int(row.get("comp_calls") or 0), int(row.get("other_calls") or 0)
    if comp and other and float(row.get("behaviour_component") or 0.0) > float(row.get("behaviour_whole") or 0.0) + 0.05:
        out.append(
            f"extraction: its {comp:,} calls on shared templates, scored apart from its {other:,} other calls,"
            f" show {float(row['behaviour_component']):.2f} extraction evidence against {float(row['behaviour_whole']):.2f} for the key as a whole"
        )
    out.extend(s for _, s in sorted(behaviour_reasons(row, peers, noun="the key's prompts"), key=lambda t: -t[0]))
    if float(row.get("account_score") or 0) >= 0.5:
        out.append(f"its account {row['account_id']} scores {float(row['account_score']):.2f}")
    return out[:5]


def lineage_sentences(hits: list[dict[str, Any]], campaign_name: str = "a confirmed campaign") -> dict[str, list[str]]:
    """Which lineage sentences does each account get ("shares 2 payment instruments with a confirmed campaign")?"""
    words = {
        "payment": "payment instruments",
        "signup_ip": "sign-up IPs",
        "prefix": "IP prefixes",
        "asn": "ASNs",
        "template": "prompt templates",
        "email_domain": "e-mail domains",
        "user_agent": "user agents",
    }
    out: dict[str, list[str]] = {}
    for h in hits:
        out.setdefault(h["account_id"], []).append(f"shares {int(h['n'])} {words.get(h['kind'], h['kind'])} with {campaign_name}")
    return out

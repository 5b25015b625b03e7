"""Which of a campaign's values are worth sharing? Only those that pick out its accounts and few others.

queries/indicators.py counts, per value the campaign used, accounts inside and outside it over the run's window.
A value is kept when it is exclusive to the campaign and not a commons: a cloud or hosting network (its tenants are
anyone who rents a server), a public SDK's or HTTP library's user agent (every user of it sends the same string),
a webmail domain or any value many outside accounts share. Where neither half is specific alone, the combination can
be: a user agent with the system-prompt hash it sends, an IP prefix during the campaign's use of it.

Each kept value carries a confidence (the 95 % lower bound of its exclusivity, so support counts: two accounts out of
two prove less than two hundred), a validity window (first seen to last seen plus a time to live by kind), its
evidence counts and its STIX pattern.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import polars as pl
from sqlalchemy import Engine

from queries.indicators import indicator_exclusivity
from queries.run import run_all

#: Keep a value only when at least 90 % of the accounts holding it are the campaign's: shared with partners that block
#: on it, a lower bar would hit one bystander for every few campaign accounts.
MIN_EXCLUSIVITY = 0.9
#: ...and at most this many outside accounts hold it, whatever the campaign's size: a handful can be members detection
#: did not attach, more is a population (a 10,000-account campaign at 0.9 would take 1,000 bystanders along).
MAX_OUTSIDE = 5
#: ...held by at least this many campaign accounts: one holder describes that account, not the operation, and makes
#: any value look exclusive.
MIN_INSIDE = 2
#: an ASN is shared infrastructure when at least half its calls come from addresses the gateway classes as datacenter,
#: VPN or Tor (queries/indicators.py SHARED_CLASSES): a server, a VPN exit or a relay there can be anyone's
HOSTING_SHARE = 0.5
#: the largest cloud and hosting providers' ASNs (AWS 16509/14618, Azure 8075, Google 15169/396982, Cloudflare 13335,
#: DigitalOcean 14061, Hetzner 24940, OVH 16276, Akamai/Linode 63949, Vultr 20473, Alibaba 45102, Tencent 132203,
#: Oracle 31898): commons even where the gateway's address classes are missing
CLOUD_ASNS = frozenset({16509, 14618, 8075, 15169, 396982, 13335, 14061, 24940, 16276, 63949, 20473, 45102, 132203, 31898})
#: product tokens (before the "/") of public SDKs, HTTP libraries, browsers and coding tools: any of their users sends them
PUBLIC_CLIENTS = frozenset(
    {
        "openai",
        "python-requests",
        "python-httpx",
        "httpx",
        "python-urllib",
        "aiohttp",
        "curl",
        "wget",
        "axios",
        "node-fetch",
        "undici",
        "got",
        "go-http-client",
        "okhttp",
        "java-http-client",
        "apache-httpclient",
        "litellm",
        "ai-sdk",
        "mozilla",
        "postmanruntime",
        "claude-cli",
        "cursor",
        "cline",
        "continue",
        "aider",
    }
)
PUBLIC_CLIENT_PREFIXES = ("anthropic-sdk-", "anthropic-", "openai-", "langchain", "llama-index", "google-genai", "google-generativeai")
#: How long after its last use an indicator stays valid. Addresses are re-leased within weeks; a harness keeps its
#: client and system prompt until it is caught (a quarter); a domain registered for an operation lives as long as its
#: registration; a card until it is cancelled or re-issued.
TTL = {
    "prefix": timedelta(days=30),
    "signup_ip": timedelta(days=30),
    "asn": timedelta(days=90),
    "user_agent": timedelta(days=90),
    "system_prompt": timedelta(days=90),
    "ua_sysprompt": timedelta(days=90),
    "email_domain": timedelta(days=180),
    "payment": timedelta(days=365),
}
KIND_LABEL = {
    "asn": "Autonomous system",
    "prefix": "IP prefix, while the campaign used it",
    "user_agent": "User agent",
    "system_prompt": "System-prompt hash",
    "ua_sysprompt": "User agent with system-prompt hash",
    "email_domain": "Sign-up e-mail domain",
    "signup_ip": "Sign-up IP",
    "payment": "Payment fingerprint (sha256)",
}
#: z of a two-sided 95 % interval, for the Wilson lower bound that makes the confidence
Z95 = 1.96
UA_FIELD = "network-traffic:extensions.'http-request-ext'.request_header.'User-Agent'"
#: the gateway's system-prompt hash travels in a custom network-traffic extension (STIX has no property for it)
SYSPROMPT_FIELD = "network-traffic:extensions.'x-llm-request-ext'.system_prompt_hash"


@dataclass(frozen=True)
class Indicator:
    """One value worth sharing, with its evidence, confidence, validity and STIX pattern."""

    kind: str
    value: str
    inside: int
    outside: int
    exchanges: int
    first_seen: datetime
    last_seen: datetime
    exclusivity: float
    confidence: int
    valid_until: datetime
    pattern: str

    @property
    def label(self) -> str:
        return KIND_LABEL[self.kind]


@dataclass(frozen=True)
class LeftOut:
    """A value the campaign used that is not shared, and why."""

    kind: str
    value: str
    inside: int
    outside: int
    reason: str


@dataclass(frozen=True)
class Assessment:
    """A campaign's indicators worth sharing and the values left out, over one detection run's window."""

    campaign_id: str
    window: tuple[datetime, datetime]
    kept: list[Indicator]
    left_out: list[LeftOut]


def sha256(value: str) -> str:
    """The sha256 hex digest under which a payment fingerprint is shared."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def wilson_lower(k: int, n: int, z: float = Z95) -> float:
    """What share of holders are at least the campaign's, at 95 %, when k of n are (the Wilson score lower bound)?"""
    if n <= 0:
        return 0.0
    p = k / n
    centre = p + z * z / (2 * n)
    margin = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return max(0.0, (centre - margin) / (1 + z * z / n))


def public_client(user_agent: str) -> bool:
    """Does this user agent name a public SDK, HTTP library, browser or tool (sent alike by all its users)?"""
    product = user_agent.split("/")[0].strip().lower()
    return product in PUBLIC_CLIENTS or product.startswith(PUBLIC_CLIENT_PREFIXES)


def _quote(value: str) -> str:
    return value.replace("\\", "\\\\").replace("'", "\\'")


def _t(ts: datetime) -> str:
    return ts.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def pattern_for(kind: str, value: str, first_seen: datetime, last_seen: datetime) -> str | None:
    """The STIX 2.1 pattern that matches this value (None when the value is not well formed for its kind)."""
    if kind in ("prefix", "signup_ip"):
        try:
            net = ipaddress.ip_network(value, strict=False)
        except ValueError:
            return None
        obj = "ipv4-addr" if net.version == 4 else "ipv6-addr"
        if kind == "signup_ip":
            return f"[{obj}:value = '{net.network_address}']"
        # STOP is exclusive: one second past the last call seen from the prefix
        start, stop = first_seen.replace(microsecond=0), last_seen.replace(microsecond=0) + timedelta(seconds=1)
        return f"[{obj}:value ISSUBSET '{net}'] START t'{_t(start)}' STOP t'{_t(stop)}'"
    if kind == "asn":
        return f"[autonomous-system:number = {int(value)}]" if value.isdigit() else None
    if kind == "user_agent":
        return f"[{UA_FIELD} = '{_quote(value)}']"
    if kind == "system_prompt":
        return f"[{SYSPROMPT_FIELD} = '{_quote(value)}']"
    if kind == "ua_sysprompt":
        ua, _, prompt = value.partition(" | ")
        return f"[{UA_FIELD} = '{_quote(ua)}' AND {SYSPROMPT_FIELD} = '{_quote(prompt)}']" if ua and prompt else None
    if kind == "email_domain":
        return f"[email-addr:value LIKE '%@{_quote(value)}']"
    if kind == "payment":
        return f"[x-payment-card:fingerprint_sha256 = '{value}']"
    return None


def _commons_reason(row: dict[str, Any], value: str, exclusivity: float) -> str | None:
    """Why is this value not specific to the campaign (None when it is)?"""
    kind, outside = row["kind"], int(row["outside_accounts"])
    if kind == "asn" and ((row["hosting_share"] or 0.0) >= HOSTING_SHARE or (value.isdigit() and int(value) in CLOUD_ASNS)):
        return "cloud, hosting or VPN network: anyone can rent a server or exit there"
    if kind == "user_agent" and public_client(value):
        return "a public SDK's or HTTP library's user agent: all its users send it"
    if exclusivity < MIN_EXCLUSIVITY or outside > MAX_OUTSIDE:
        return f"shared with {outside:,} account{'s' if outside != 1 else ''} outside the campaign (exclusivity {exclusivity:.2f})"
    return None


def assess(frame: pl.DataFrame, *, campaign_id: str, window: tuple[datetime, datetime]) -> Assessment:
    """Which rows of an `indicator_exclusivity` answer are indicators worth sharing, and why is each other one not?"""
    kept: list[Indicator] = []
    left: list[LeftOut] = []
    for row in frame.sort("kind", "value").iter_rows(named=True):
        kind, inside, outside = str(row["kind"]), int(row["inside_accounts"]), int(row["outside_accounts"])
        # a payment fingerprint is personal data: only its digest leaves the warehouse, even in the left-out list
        value = sha256(str(row["value"])) if kind == "payment" else str(row["value"])
        exclusivity = inside / max(inside + outside, 1)
        pattern = pattern_for(kind, value, row["first_seen"], row["last_seen"])
        reason = _commons_reason(row, value, exclusivity)
        if reason is None and inside < MIN_INSIDE:
            reason = f"used by only {inside} campaign account{'s' if inside != 1 else ''}"
        if reason is None and pattern is None:
            reason = f"not a well-formed {KIND_LABEL[kind].lower()}"
        if reason is not None or pattern is None:
            left.append(LeftOut(kind, value, inside, outside, reason or ""))
            continue
        first, last = row["first_seen"].astimezone(UTC), row["last_seen"].astimezone(UTC)
        kept.append(
            Indicator(
                kind=kind,
                value=value,
                inside=inside,
                outside=outside,
                exchanges=int(row["exchanges"] or 0),
                first_seen=first,
                last_seen=last,
                exclusivity=exclusivity,
                confidence=round(100 * wilson_lower(inside, inside + outside)),
                valid_until=last + TTL[kind],
                pattern=pattern,
            )
        )
    return Assessment(campaign_id, window, *_drop_covered_compounds(kept, left))


def _drop_covered_compounds(kept: list[Indicator], left: list[LeftOut]) -> tuple[list[Indicator], list[LeftOut]]:
    """A user agent with its system-prompt hash is shared only where neither half is specific alone: otherwise the half
    already matches every such call, and the pair adds nothing."""
    alone = {(i.kind, i.value) for i in kept}
    out: list[Indicator] = []
    for ind in kept:
        ua, _, prompt = ind.value.partition(" | ")
        if ind.kind == "ua_sysprompt" and (("user_agent", ua) in alone or ("system_prompt", prompt) in alone):
            left.append(LeftOut(ind.kind, ind.value, ind.inside, ind.outside, "covered by the indicator of one of its halves"))
        else:
            out.append(ind)
    return out, left


def specific_indicators(warehouse: Engine, *, run_id: str, start: datetime, end: datetime, campaign_id: str) -> Assessment:
    """Which of this campaign's values are specific to it over the run's window (counted in the warehouse)?"""
    # the batch executor: a campaign on a residential proxy pool uses more prefixes than a page's row cap
    frame = run_all(warehouse, indicator_exclusivity(start, end, run_id=run_id, campaign_id=campaign_id, min_inside=MIN_INSIDE))
    return assess(frame, campaign_id=campaign_id, window=(start, end))

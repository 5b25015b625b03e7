"""What can we share with other providers about a confirmed campaign? Its indicators as a STIX 2.1 bundle.

Network indicators (IPv4/IPv6 prefixes, autonomous systems, user agents) become STIX patterns; payment
fingerprints are personal data, so only their sha256 travels, as a custom property of the campaign.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import stix2
from sqlalchemy import Engine

from queries.membership import campaign_details
from queries.run import run_all
from radar.cases.store import CaseError, get_case
from radar.export.labels import run_window
from radar.stored import decode_object, decode_reasons

PRODUCER = "Distillation Radar"


def _quote(value: str) -> str:
    return value.replace("\\", "\\\\").replace("'", "\\'")


def indicator_patterns(indicators: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    """Which (kind, value, STIX pattern) triples describe these indicators?"""
    out: list[tuple[str, str, str]] = []
    for kind in ("prefix", "prefixes", "signup_prefix", "ip", "signup_ip"):
        for value in indicators.get(kind, []) or []:
            try:
                net = ipaddress.ip_network(str(value), strict=False)
            except ValueError:
                continue
            obj = "ipv4-addr" if net.version == 4 else "ipv6-addr"
            out.append((kind, str(net), f"[{obj}:value = '{net}']"))
    for kind in ("asn", "asns"):
        for value in indicators.get(kind, []) or []:
            try:
                out.append((kind, str(int(value)), f"[autonomous-system:number = {int(value)}]"))
            except (TypeError, ValueError):
                continue
    agents: dict[str, str] = {}
    for kind in ("user_agent", "user_agents", "ua_sysprompt"):
        for value in indicators.get(kind, []) or []:
            # ua_sysprompt pairs a user agent with a system-prompt hash ("UA | hash"); only the agent is observable on the wire.
            agents.setdefault(str(value).split(" | ")[0].strip(), kind)
    for ua, kind in sorted(agents.items()):
        if ua:
            out.append((kind, ua, f"[network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = '{_quote(ua)}']"))
    return out


def sha256(value: str) -> str:
    """The sha256 hex digest under which a payment fingerprint is shared."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def stix_bundle(
    campaign_id: str,
    indicators: Mapping[str, Any],
    *,
    first_seen: datetime | None = None,
    last_seen: datetime | None = None,
    description: str = "",
    decision: Mapping[str, Any] | None = None,
) -> stix2.Bundle:
    """The STIX 2.1 bundle (identity, campaign, indicators, relationships) for one campaign's indicators."""
    valid_from = first_seen or datetime.now(UTC)
    producer = stix2.Identity(name=PRODUCER, identity_class="system", description="LLM API provider abuse detection")
    payments = sorted({sha256(str(v)) for k in ("payment", "payment_fingerprint") for v in (indicators.get(k) or [])})
    templates = sorted({str(v) for v in (indicators.get("template") or indicators.get("templates") or [])})
    props: dict[str, Any] = {"x_radar_campaign_id": campaign_id}
    if payments:
        props["x_payment_fingerprint_sha256"] = payments
    if templates:
        props["x_prompt_template_fingerprints"] = templates
    if decision:
        props["x_radar_decision"] = {k: str(v) for k, v in decision.items() if v is not None}
    campaign = stix2.Campaign(
        name=f"Model extraction campaign {campaign_id}",
        description=description or "Coordinated accounts extracting model capabilities (distillation) through the API.",
        created_by_ref=producer.id,
        first_seen=first_seen,
        last_seen=last_seen,
        custom_properties=props,
    )
    objects: list[Any] = [producer, campaign]
    for kind, value, pattern in indicator_patterns(indicators):
        ind = stix2.Indicator(
            name=f"{kind}: {value}",
            pattern=pattern,
            pattern_type="stix",
            valid_from=valid_from,
            indicator_types=["malicious-activity"],
            created_by_ref=producer.id,
        )
        objects += [ind, stix2.Relationship(ind, "indicates", campaign, created_by_ref=producer.id)]
    return stix2.Bundle(objects=objects, allow_custom=True)


def validate_bundle(text: str) -> stix2.Bundle:
    """Does this text parse as a valid STIX 2.1 bundle? Returns the parsed bundle (raises on invalid)."""
    parsed = stix2.parse(text, allow_custom=True, version="2.1")
    if not isinstance(parsed, stix2.Bundle):
        raise ValueError("The STIX document is not a bundle.")
    return parsed


def bundle_json(bundle: stix2.Bundle) -> str:
    """The bundle as pretty JSON text, validated by parsing it back."""
    text = bundle.serialize(pretty=True)
    validate_bundle(text)
    json.loads(text)
    return text


def campaign_stix(cases: Engine, warehouse: Engine, campaign_id: str, *, run_id: str | None = None) -> str:
    """The STIX bundle text for a campaign whose case is confirmed; refuses unconfirmed campaigns."""
    case = get_case(cases, "campaign", campaign_id)
    if not case or case.get("status") != "confirmed":
        raise CaseError(f"Campaign {campaign_id} is not confirmed; confirm it on the Triage or Case page before sharing its indicators.")
    rid, _, _ = run_window(warehouse, run_id)
    frame = run_all(warehouse, campaign_details(rid, campaign_ids=[campaign_id]))
    if frame.is_empty():
        raise CaseError(f"Campaign {campaign_id} is not in detection run {rid}.")
    row = frame.row(0, named=True)
    decision = {k: case.get(k) for k in ("status", "disposition", "updated_by", "updated_at")}
    bundle = stix_bundle(
        campaign_id,
        decode_object(row["indicators"]),
        first_seen=row.get("first_seen"),
        last_seen=row.get("last_seen"),
        description=" ".join(decode_reasons(row.get("reasons"))),
        decision=decision,
    )
    return bundle_json(bundle)

"""What can we share with other providers about a confirmed campaign? Its specific indicators, as a STIX 2.1 bundle.

Only values specific to the campaign are shared (radar/export/indicators.py decides which); each indicator carries
its confidence, validity window and evidence counts, and every object carries the TLP 2.0 marking chosen at export.
Payment fingerprints travel only as sha256 digests. The bundle parses with stix2 without custom properties.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import stix2
from sqlalchemy import Engine

from queries.membership import campaign_details
from queries.run import run_all
from radar.cases.store import CaseError, get_case
from radar.export.indicators import Assessment, Indicator, sha256, specific_indicators
from radar.export.labels import run_window
from radar.stored import decode_reasons

__all__ = ["DEFAULT_TLP", "TLP_LEVELS", "bundle_json", "campaign_stix", "sha256", "stix_bundle", "tlp_marking", "validate_bundle"]

PRODUCER = "Distillation Radar"
#: ids derive from this namespace, so a re-export names the same campaign and indicators (a new version, not a new object)
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:distillation-radar:stix")

#: TLP 2.0 as the OASIS CTI TC publishes it for STIX 2.1 (cti-stix-common-objects, tlp-2.0): a property extension of
#: marking-definition, with fixed ids and creation time by which consumers recognise each level. stix2 3.0 ships only
#: TLP 1.0 objects (WHITE, GREEN, AMBER, RED), so the 2.0 ones are built here from the published values.
TLP_EXTENSION = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
TLP_CREATED = "2022-10-01T00:00:00.000Z"
TLP_IDS = {
    "clear": "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    "green": "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    "amber": "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    "amber+strict": "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
    "red": "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}
TLP_LEVELS = tuple(TLP_IDS)
#: partners may share within their organisation and its clients: the usual level for abuse indicators between providers
DEFAULT_TLP = "amber"


def tlp_level(level: str) -> str:
    """Which TLP 2.0 level does this name mean ("AMBER+STRICT", "tlp:amber", "amber_strict" ...)? Raises on unknown."""
    name = level.strip().lower().removeprefix("tlp:").replace("_", "+").replace(" ", "+")
    if name not in TLP_IDS:
        raise CaseError(f"Unknown TLP level {level!r}; choose one of {', '.join(t.upper() for t in TLP_LEVELS)}.")
    return name


def tlp_marking(level: str = DEFAULT_TLP) -> stix2.MarkingDefinition:
    """The published TLP 2.0 marking-definition object of this level."""
    name = tlp_level(level)
    return stix2.MarkingDefinition(
        id=TLP_IDS[name],
        created=TLP_CREATED,
        name=f"TLP:{name.upper()}",
        extensions={TLP_EXTENSION: {"extension_type": "property-extension", "tlp_2_0": name}},
    )


def _sdo_id(kind: str, *parts: str) -> str:
    return f"{kind}--{uuid.uuid5(NAMESPACE, '|'.join(parts))}"


def _evidence(ind: Indicator, campaign_id: str, window: tuple[datetime, datetime]) -> str:
    start, end = window
    return (
        f"{ind.label}. Held by {ind.inside:,} accounts of campaign {campaign_id} and {ind.outside:,} accounts outside it "
        f"in the detection window {start:%Y-%m-%d} to {end:%Y-%m-%d}; the campaign made {ind.exchanges:,} exchanges with it. "
        f"Exclusivity {ind.exclusivity:.2f}; confidence {ind.confidence} is the 95% lower bound of that share."
    )


def _sentence(reasons: list[str]) -> str:
    """The detection's reasons as one sentence ("" when none)."""
    text = "; ".join(r.strip().rstrip(".") for r in reasons if r.strip())
    return f"{text[:1].upper()}{text[1:]}." if text else ""


def stix_bundle(
    assessment: Assessment,
    *,
    tlp: str = DEFAULT_TLP,
    first_seen: datetime | None = None,
    last_seen: datetime | None = None,
    description: str = "",
    decision: Mapping[str, Any] | None = None,
) -> stix2.Bundle:
    """The STIX 2.1 bundle (marking, identity, campaign, indicators, relationships) of one campaign's specific indicators."""
    marking = tlp_marking(tlp)
    marks = {"object_marking_refs": [marking.id]}
    cid = assessment.campaign_id
    producer = stix2.Identity(
        id=_sdo_id("identity", PRODUCER), name=PRODUCER, identity_class="system", description="LLM API provider abuse detection", **marks
    )
    d = {k: v for k, v in (decision or {}).items() if v is not None}
    decided = (
        f" Case confirmed ({d.get('disposition') or 'no disposition'}); last changed by {d.get('updated_by', 'an analyst')}"
        f" on {d['updated_at']:%Y-%m-%d %H:%M} UTC."
        if isinstance(d.get("updated_at"), datetime)
        else ""
    )
    campaign = stix2.Campaign(
        id=_sdo_id("campaign", cid),
        name=f"Model extraction campaign {cid}",
        description=(description or "Coordinated accounts extracting model capabilities (distillation) through the API.") + decided,
        created_by_ref=producer.id,
        first_seen=first_seen,
        last_seen=last_seen,
        external_references=[{"source_name": PRODUCER, "external_id": cid, "description": "campaign id in the detection run"}],
        **marks,
    )
    objects: list[Any] = [marking, producer, campaign]
    for ind in assessment.kept:
        indicator = stix2.Indicator(
            id=_sdo_id("indicator", cid, ind.kind, ind.value),
            name=f"{ind.label}: {ind.value}",
            description=_evidence(ind, cid, assessment.window),
            pattern=ind.pattern,
            pattern_type="stix",
            valid_from=ind.first_seen,
            valid_until=ind.valid_until,
            confidence=ind.confidence,
            indicator_types=["malicious-activity"],
            created_by_ref=producer.id,
            **marks,
        )
        relation = stix2.Relationship(
            indicator, "indicates", campaign, id=_sdo_id("relationship", cid, ind.kind, ind.value), created_by_ref=producer.id, **marks
        )
        objects += [indicator, relation]
    return stix2.Bundle(objects=objects)


def validate_bundle(text: str) -> stix2.Bundle:
    """Does this text parse as a valid STIX 2.1 bundle with no custom content? Returns the parsed bundle (raises on invalid)."""
    parsed = stix2.parse(text, allow_custom=False, version="2.1")
    if not isinstance(parsed, stix2.Bundle):
        raise ValueError("The STIX document is not a bundle.")
    return parsed


def bundle_json(bundle: stix2.Bundle) -> str:
    """The bundle as pretty JSON text, validated by parsing it back."""
    text = bundle.serialize(pretty=True)
    validate_bundle(text)
    json.loads(text)
    return text


def campaign_stix(cases: Engine, warehouse: Engine, campaign_id: str, *, run_id: str | None = None, tlp: str = DEFAULT_TLP) -> str:
    """The STIX bundle text for a campaign whose case is confirmed, marked with this TLP level; refuses unconfirmed ones."""
    level = tlp_level(tlp)
    case = get_case(cases, "campaign", campaign_id)
    if not case or case.get("status") != "confirmed":
        raise CaseError(f"Campaign {campaign_id} is not confirmed; confirm it on the Triage or Case page before sharing its indicators.")
    rid, start, end = run_window(warehouse, run_id)
    frame = run_all(warehouse, campaign_details(rid, campaign_ids=[campaign_id]))
    if frame.is_empty():
        raise CaseError(f"Campaign {campaign_id} is not in detection run {rid}.")
    row = frame.row(0, named=True)
    assessment = specific_indicators(warehouse, run_id=rid, start=start, end=end, campaign_id=campaign_id)
    bundle = stix_bundle(
        assessment,
        tlp=level,
        first_seen=row.get("first_seen"),
        last_seen=row.get("last_seen"),
        description=_sentence(decode_reasons(row.get("reasons"))),
        decision={k: case.get(k) for k in ("disposition", "updated_by", "updated_at")},
    )
    return bundle_json(bundle)

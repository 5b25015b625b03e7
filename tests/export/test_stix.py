"""Shared indicators are the campaign's own: commons stay out, specific values go out with confidence, expiry and TLP 2.0.

The world (tests/export/world.py) hides a campaign among benign accounts that share its cloud ASN, SDK user agent,
webmail domain, system prompt and one of its prefixes; it also has values of its own. Runs on DuckDB and PostgreSQL.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
import stix2
from sqlalchemy import Engine

from radar.cases.actor import Actor
from radar.cases.store import CaseError, open_case_store, save_case
from radar.cli import main
from radar.export.indicators import MAX_OUTSIDE, MIN_EXCLUSIVITY, pattern_for, public_client, sha256, wilson_lower
from radar.export.stix import TLP_EXTENSION, TLP_IDS, campaign_stix, tlp_marking, validate_bundle
from tests.export import world

LEAD = Actor("bo", "lead", "local")
UA_FIELD = "network-traffic:extensions.'http-request-ext'.request_header.'User-Agent'"
SP_FIELD = "network-traffic:extensions.'x-llm-request-ext'.system_prompt_hash"


@pytest.fixture()
def confirmed(tmp_path: Path, warehouse_url: str) -> tuple[Engine, Engine, str]:
    """The world's warehouse and a case store where campaign CW is confirmed; (cases, warehouse, cases URL)."""
    wh = world.seed_world(warehouse_url)
    cases_url = f"sqlite:///{tmp_path / 'cases.sqlite'}"
    cs = open_case_store(cases_url)
    save_case(
        cs, "campaign", world.CAMPAIGN, {"status": "confirmed", "disposition": "true_positive_extraction"}, expected_version=0, actor=LEAD
    )
    return cs, wh, cases_url


def _indicators(text: str) -> dict[str, stix2.Indicator]:
    return {o.pattern: o for o in validate_bundle(text).objects if o.type == "indicator"}


def test_commons_stay_out_and_specific_values_are_shared(confirmed: tuple[Engine, Engine, str]) -> None:
    cs, wh, _ = confirmed
    text = campaign_stix(cs, wh, world.CAMPAIGN)
    found = _indicators(text)
    assert set(found) == {
        # the campaign's prefix, while it used it: b00 had it on 9 Feb, before the campaign; START/STOP are its first and last call
        "[ipv4-addr:value ISSUBSET '3.80.17.0/24'] START t'2026-02-11T00:01:00Z' STOP t'2026-02-13T23:06:01Z'",
        # neither the SDK user agent nor the tutor system prompt is the campaign's alone; the pair is
        f"[{UA_FIELD} = '{world.SDK}' AND {SP_FIELD} = '{world.SYSPROMPT}']",
        f"[{UA_FIELD} = '{world.HARNESS_UA}']",
        f"[email-addr:value LIKE '%@{world.THROWAWAY}']",
        f"[ipv4-addr:value = '{world.SIGNUP_IP}']",
        f"[x-payment-card:fingerprint_sha256 = '{sha256(world.CARD)}']",
    }
    patterns = " ".join(found)
    # commons: the cloud ASN, the busy cloud prefix, the SDK alone, the system prompt alone, webmail, a card a bystander holds
    for common in ("14618", world.BUSY_PREFIX, f"{UA_FIELD} = '{world.SDK}']", f"[{SP_FIELD}", world.WEBMAIL, sha256(world.FAMILY_CARD)):
        assert common not in patterns
    assert world.CARD not in text and world.FAMILY_CARD not in text  # payment fingerprints leave only as digests
    prefix = found["[ipv4-addr:value ISSUBSET '3.80.17.0/24'] START t'2026-02-11T00:01:00Z' STOP t'2026-02-13T23:06:01Z'"]
    assert "Held by 6 accounts of campaign CW and 0 accounts outside it" in prefix.description
    assert "648 exchanges" in prefix.description  # 6 accounts x (72 calls on key b + 36 on key a before its revocation)
    pair = found[f"[{UA_FIELD} = '{world.SDK}' AND {SP_FIELD} = '{world.SYSPROMPT}']"]
    assert "Held by 8 accounts of campaign CW and 0 accounts outside it" in pair.description


def test_every_indicator_has_confidence_validity_and_the_marking(confirmed: tuple[Engine, Engine, str]) -> None:
    cs, wh, _ = confirmed
    found = _indicators(campaign_stix(cs, wh, world.CAMPAIGN))
    by_name = {i.name.split(": ", 1)[1]: i for i in found.values()}
    for ind in found.values():
        assert 0 <= ind.confidence <= 100
        assert ind.valid_from < ind.valid_until
        assert ind.object_marking_refs == [TLP_IDS["amber"]]  # the default level
    # Wilson 95% lower bounds: 8 of 8 holders -> 0.676, 6 of 6 -> 0.610, 2 of 2 -> 0.342; more support, more confidence
    assert by_name[f"{world.SDK} | {world.SYSPROMPT}"].confidence == 68
    assert by_name["3.80.17.0/24"].confidence == 61 and by_name[world.HARNESS_UA].confidence == 34
    # valid until the last use plus the kind's time to live: 30 days for a prefix, 90 for a harness's client
    assert by_name["3.80.17.0/24"].valid_until == datetime(2026, 3, 15, 23, 6, tzinfo=UTC)
    assert by_name[world.HARNESS_UA].valid_until == datetime(2026, 5, 14, 23, 2, tzinfo=UTC)
    assert by_name[world.HARNESS_UA].valid_from == datetime(2026, 2, 11, 0, 1, tzinfo=UTC)


@pytest.mark.parametrize("level", ["clear", "green", "amber", "amber+strict", "red"])
def test_tlp_marking_is_the_published_tlp2_object(level: str) -> None:
    marking = json.loads(tlp_marking(level).serialize())
    assert marking == {
        "type": "marking-definition",
        "spec_version": "2.1",
        "id": TLP_IDS[level],
        "created": "2022-10-01T00:00:00.000Z",
        "name": f"TLP:{level.upper()}",
        "extensions": {TLP_EXTENSION: {"extension_type": "property-extension", "tlp_2_0": level}},
    }
    assert TLP_IDS[level] not in {stix2.TLP_WHITE.id, stix2.TLP_GREEN.id, stix2.TLP_AMBER.id, stix2.TLP_RED.id}  # not TLP 1.0's


def test_bundle_marks_every_object_with_the_chosen_level(confirmed: tuple[Engine, Engine, str]) -> None:
    cs, wh, _ = confirmed
    bundle = validate_bundle(campaign_stix(cs, wh, world.CAMPAIGN, tlp="RED"))
    markings = [o for o in bundle.objects if o.type == "marking-definition"]
    assert [m.id for m in markings] == [TLP_IDS["red"]]
    assert all(o.object_marking_refs == [TLP_IDS["red"]] for o in bundle.objects if o.type != "marking-definition")
    with pytest.raises(CaseError, match="Unknown TLP level"):
        campaign_stix(cs, wh, world.CAMPAIGN, tlp="white")


def test_reexport_names_the_same_objects(confirmed: tuple[Engine, Engine, str]) -> None:
    cs, wh, _ = confirmed
    ids = [{o.id for o in validate_bundle(campaign_stix(cs, wh, world.CAMPAIGN)).objects if o.type != "bundle"} for _ in range(2)]
    assert ids[0] == ids[1]


def test_cli_passes_the_tlp_level(confirmed: tuple[Engine, Engine, str], tmp_path: Path, warehouse_url: str) -> None:
    _, _, cases_url = confirmed
    out = tmp_path / "cw.json"
    args = ["export", "stix", "--campaign", world.CAMPAIGN, "--out", str(out), "--warehouse", warehouse_url, "--cases", cases_url]
    assert main([*args, "--tlp", "amber+strict"]) == 0
    bundle = validate_bundle(out.read_text(encoding="utf-8"))
    assert {o.id for o in bundle.objects if o.type == "marking-definition"} == {TLP_IDS["amber+strict"]}
    assert len([o for o in bundle.objects if o.type == "indicator"]) == 6


def test_thresholds_and_confidence() -> None:
    assert MIN_EXCLUSIVITY == 0.9 and MAX_OUTSIDE == 5
    assert wilson_lower(0, 0) == 0.0 and wilson_lower(8, 8) == pytest.approx(0.6756, abs=1e-4)
    assert wilson_lower(90, 100) < wilson_lower(100, 100) < wilson_lower(1000, 1000)
    assert (
        public_client("anthropic-sdk-python/0.47.2") and public_client("python-requests/2.32.3") and public_client("OpenAI/Python 1.66.3")
    )
    assert not public_client("harvest-kit/0.3")
    start, stop = datetime(2026, 2, 11, tzinfo=UTC), datetime(2026, 2, 12, 5, 30, 59, 900_000, tzinfo=UTC)
    assert pattern_for("prefix", "2001:db8:1::/48", start, stop) == (
        "[ipv6-addr:value ISSUBSET '2001:db8:1::/48'] START t'2026-02-11T00:00:00Z' STOP t'2026-02-12T05:31:00Z'"
    )
    assert pattern_for("prefix", "not-an-address", start, stop) is None
    assert pattern_for("user_agent", "it's\\x", start, stop) == f"[{UA_FIELD} = 'it\\'s\\\\x']"

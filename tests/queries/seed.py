"""A small, hand-built warehouse with known numbers: benign users, two campaigns, one benign cluster, one run.

Layout (UTC, 10-12 Feb 2026):
- 8 benign accounts (b01..b08), one key each, 2 calls/hour at 09-16h: 48 calls each, 384 in all.
- campaign C1 = cluster CL1: 6 accounts (x01..x06), 2 keys each, 3 calls/hour around the clock; key kx01a is
  revoked at 11 Feb 12:00 and stops: 11 keys x 216 + 108 = 2,484 calls; model-a on 10-11 Feb, model-b on 12 Feb.
- campaign C2 = cluster CL2: 3 accounts (y01..y03), one key each, 1 call/hour: 216 calls.
- cluster CL3: benign accounts b01, b02 sharing an office prefix; no campaign.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert

from queries import schema
from radar.detect.summaries import write_summaries
from radar.ingest.rollup import rebuild_in
from radar.warehouse import ensure_schema, open_engine

DAY0 = datetime(2026, 2, 10, tzinfo=UTC)
START, END = DAY0, DAY0 + timedelta(days=3)
RUN_ID = "run-seed"
REVOKED_AT = datetime(2026, 2, 11, 12, tzinfo=UTC)

BENIGN_CALLS, C1_CALLS, C2_CALLS = 384, 2484, 216
TOTAL_CALLS = BENIGN_CALLS + C1_CALLS + C2_CALLS
C1_BEFORE = 1296  # 12 keys x (72 + 36) calls before 11 Feb 12:00
C1_OUTPUT_TOKENS = C1_CALLS * 1000
N_KEYS, N_ACCOUNTS = 8 + 12 + 3, 8 + 6 + 3

CAMPAIGN_PROMPT = "Solve step by step, showing your reasoning: problem {n}. Reply to evil.ops@example.com or +1 415 555 0100, key sk-abcdefghijklmnopqrstuvwx"
BENIGN_PROMPT = "Help me write a friendly note to my team about item {n}"


def _request(n: int, ts: datetime, account: str, key: str, **kw: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "request_id": f"req-{n:06d}",
        "ts": ts,
        "account_id": account,
        "api_key_id": key,
        "org_id": None,
        "client_ip": "192.0.2.10",
        "asn": 64496,
        "ip_class": "business",
        "country": "US",
        "user_agent": "python-sdk/1.2",
        "model": "model-a",
        "operation": "chat",
        "input_tokens": 100,
        "output_tokens": 200,
        "latency_ms": 900,
        "status": 200,
        "finish_reason": "stop",
        "tool_count": 0,
        "has_image": False,
        "system_prompt_hash": None,
        "conversation_id": None,
        "turn": 0,
        "prompt": BENIGN_PROMPT.format(n=n),
        "ip_prefix": "192.0.2.0/24",
        "template_fp": f"tpl-b{n % 7}",
        "near_dup_a": n,
        "near_dup_b": n,
        **{f"similar_{b}": n for b in range(1, 5)},  # every benign prompt its own bucket in each band
        "capability": "writing",
        "cot": False,
        "prompt_chars": 300,
        "load_id": "load-1",
    }
    row.update(kw)
    return row


def requests_rows() -> list[dict[str, Any]]:
    """Every request row of the seeded warehouse."""
    rows: list[dict[str, Any]] = []
    for d in range(3):
        day = DAY0 + timedelta(days=d)
        for i in range(1, 9):
            for h in range(9, 17):
                for m in (5, 35):
                    rows.append(
                        _request(
                            len(rows),
                            day + timedelta(hours=h, minutes=m + i),
                            f"b{i:02d}",
                            f"kb{i:02d}",
                            capability="coding" if i % 2 == 0 else "writing",
                        )
                    )
        for i in range(1, 7):
            for suffix in "ab":
                key = f"kx{i:02d}{suffix}"
                for h in range(24):
                    for s in (0, 2, 4):
                        ts = day + timedelta(hours=h, seconds=s + i * 7)
                        if key == "kx01a" and ts >= REVOKED_AT:
                            continue
                        rows.append(
                            _request(
                                len(rows),
                                ts,
                                f"x{i:02d}",
                                key,
                                client_ip=f"203.0.113.{i}",
                                asn=64500,
                                ip_class="datacenter",
                                country="NL",
                                user_agent="httpx/0.27",
                                model="model-b" if d == 2 else "model-a",
                                output_tokens=1000,
                                input_tokens=400,
                                prompt=CAMPAIGN_PROMPT.format(n=len(rows)),
                                ip_prefix="203.0.113.0/24",
                                template_fp="tpl-A",
                                # rewordings of one wrapper: the same bucket in every band, across the campaign's accounts
                                **{f"similar_{b}": 9000 + b for b in range(1, 5)},
                                capability="reasoning",
                                cot=True,
                                prompt_chars=1500,
                                system_prompt_hash="sys-1",
                            )
                        )
        for i in range(1, 4):
            for h in range(24):
                rows.append(
                    _request(
                        len(rows),
                        day + timedelta(hours=h, minutes=30, seconds=i),
                        f"y{i:02d}",
                        f"ky{i:02d}",
                        client_ip=f"198.51.100.{i}",
                        asn=64501,
                        ip_class="vpn",
                        country="SG",
                        output_tokens=600,
                        ip_prefix="198.51.100.0/24",
                        template_fp="tpl-C",
                        capability="coding",
                        prompt_chars=800,
                    )
                )
    return rows


def _accounts() -> list[str]:
    return [f"b{i:02d}" for i in range(1, 9)] + [f"x{i:02d}" for i in range(1, 7)] + [f"y{i:02d}" for i in range(1, 4)]


def _keys() -> list[tuple[str, str]]:
    return (
        [(f"kb{i:02d}", f"b{i:02d}") for i in range(1, 9)]
        + [(f"kx{i:02d}{s}", f"x{i:02d}") for i in range(1, 7) for s in "ab"]
        + [(f"ky{i:02d}", f"y{i:02d}") for i in range(1, 4)]
    )


def _placement(account: str) -> tuple[float, str | None, str | None]:
    if account.startswith("x"):
        return 0.92, "CL1", "C1"
    if account.startswith("y"):
        return 0.71, "CL2", "C2"
    return 0.1, ("CL3" if account in ("b01", "b02") else None), None


def result_rows(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """The detection-result rows of one finished run over the seeded telemetry."""
    calls: dict[str, int] = {}
    tokens: dict[str, int] = {}
    for r in rows:
        calls[r["api_key_id"]] = calls.get(r["api_key_id"], 0) + 1
        tokens[r["api_key_id"]] = tokens.get(r["api_key_id"], 0) + r["output_tokens"]
    keys = _keys()
    acc_rows, key_rows = [], []
    for acc in _accounts():
        score, cluster, campaign = _placement(acc)
        own = [k for k, a in keys if a == acc]
        reasons = (
            ["uniform prompt template across 2 keys", "calls around the clock at machine pace"]
            if campaign
            else ["ordinary office-hours use"]
        )
        acc_rows.append(
            {
                "run_id": RUN_ID,
                "account_id": acc,
                "score": score,
                "cluster_id": cluster,
                "campaign_id": campaign,
                "allowlisted": False,
                "reasons": json.dumps(reasons),
                "calls": sum(calls[k] for k in own),
                "output_tokens": sum(tokens[k] for k in own),
                "n_keys": len(own),
                "alerting": score >= schema.ALERT_SCORE,  # as scoring stores it: nobody is allowlisted or dismissed here
                "features": json.dumps({"cot_share": 1.0 if campaign == "C1" else 0.0}),
            }
        )
        for k in own:
            key_rows.append(
                {
                    "run_id": RUN_ID,
                    "api_key_id": k,
                    "account_id": acc,
                    "score": score - (0.01 if k.endswith("b") else 0.0),
                    "extraction_share": 0.95 if campaign else 0.02,
                    "allowlisted": False,
                    "reasons": json.dumps(reasons),
                    "calls": calls[k],
                    "output_tokens": tokens[k],
                    "features": json.dumps({"template_top_share": 1.0 if campaign == "C1" else 0.2}),
                }
            )
    links = []
    for i in range(1, 7):
        acc = f"x{i:02d}"
        links += [
            ("CL1", acc, "prefix", "203.0.113.0/24"),
            ("CL1", acc, "asn", "64500"),
            ("CL1", acc, "payment", "pay-1" if i <= 3 else "pay-2"),
            ("CL1", acc, "template", "tpl-A"),
        ]
    for i in range(1, 4):
        links += [("CL2", f"y{i:02d}", "prefix", "198.51.100.0/24"), ("CL2", f"y{i:02d}", "ua_sysprompt", "python-sdk/1.2|none")]
    links += [("CL3", "b01", "prefix", "192.0.2.0/24"), ("CL3", "b02", "prefix", "192.0.2.0/24")]
    link_rows = [{"run_id": RUN_ID, "cluster_id": c, "account_id": a, "edge_type": t, "value": v, "weight": 1.0} for c, a, t, v in links]

    def volume(prefix: str) -> tuple[int, int]:
        sel = [r for r in rows if r["account_id"].startswith(prefix)]
        return len(sel), sum(r["output_tokens"] for r in sel)

    (c1_calls, c1_tok), (c2_calls, c2_tok) = volume("x"), volume("y")
    b12 = [r for r in rows if r["account_id"] in ("b01", "b02")]
    cluster_rows = [
        {
            "run_id": RUN_ID,
            "cluster_id": "CL1",
            "score": 0.92,
            "n_accounts": 6,
            "n_keys": 12,
            "calls": c1_calls,
            "output_tokens": c1_tok,
            "reasons": json.dumps(["6 accounts on one /24 and ASN 64500"]),
        },
        {
            "run_id": RUN_ID,
            "cluster_id": "CL2",
            "score": 0.71,
            "n_accounts": 3,
            "n_keys": 3,
            "calls": c2_calls,
            "output_tokens": c2_tok,
            "reasons": json.dumps(["3 accounts on one VPN /24"]),
        },
        {
            "run_id": RUN_ID,
            "cluster_id": "CL3",
            "score": 0.12,
            "n_accounts": 2,
            "n_keys": 2,
            "calls": len(b12),
            "output_tokens": sum(r["output_tokens"] for r in b12),
            "reasons": json.dumps(["shared office prefix"]),
        },
    ]
    campaign_rows = [
        {
            "run_id": RUN_ID,
            "campaign_id": "C1",
            "cluster_id": "CL1",
            "score": 0.92,
            "n_accounts": 6,
            "n_keys": 12,
            "calls": c1_calls,
            "output_tokens": c1_tok,
            "first_seen": DAY0,
            "last_seen": END - timedelta(seconds=1),
            "capability_profile": json.dumps({"reasoning": 1.0}),
            "indicators": json.dumps({"prefixes": ["203.0.113.0/24"], "asns": [64500], "templates": ["tpl-A"]}),
            "reasons": json.dumps(["chain-of-thought elicitation on every call", "one template across 12 keys"]),
        },
        {
            "run_id": RUN_ID,
            "campaign_id": "C2",
            "cluster_id": "CL2",
            "score": 0.71,
            "n_accounts": 3,
            "n_keys": 3,
            "calls": c2_calls,
            "output_tokens": c2_tok,
            "first_seen": DAY0,
            "last_seen": END - timedelta(seconds=1),
            "capability_profile": json.dumps({"coding": 1.0}),
            "indicators": json.dumps({"prefixes": ["198.51.100.0/24"]}),
            "reasons": json.dumps(["coding sweep from a VPN range"]),
        },
    ]
    run_rows = [
        {
            "run_id": RUN_ID,
            "started_at": END,
            "finished_at": END + timedelta(minutes=1),
            "window_start": START,
            "window_end": END,
            "params": "{}",
            "status": "done",
        }
    ]
    return {
        "score_runs": run_rows,
        "account_scores": acc_rows,
        "key_scores": key_rows,
        "clusters": cluster_rows,
        "cluster_links": link_rows,
        "campaigns": campaign_rows,
    }


def seed_warehouse(url: str, *, with_run: bool = True) -> None:
    """Create the warehouse at `url` and fill it with the seeded telemetry (and, by default, one finished run)."""
    engine = open_engine(url)
    ensure_schema(engine)
    rows = requests_rows()
    now = END + timedelta(hours=1)
    with engine.begin() as conn:
        conn.execute(insert(schema.requests), rows)
        rebuild_in(conn)  # the rollups the pages read, as ingest keeps them
        conn.execute(
            insert(schema.accounts),
            [
                {
                    "account_id": a,
                    "created_at": DAY0 - timedelta(days=30 if a.startswith("b") else 2),
                    "email_domain": "example.com",
                    "payment_fingerprint": None,
                    "verification": "email",
                    "country": "US",
                    "signup_ip": None,
                    "signup_prefix": None,
                    "org_id": None,
                    "load_id": "load-1",
                }
                for a in _accounts()
            ],
        )
        conn.execute(
            insert(schema.api_keys),
            [
                {
                    "api_key_id": k,
                    "account_id": a,
                    "created_at": DAY0 - timedelta(days=1),
                    "revoked_at": REVOKED_AT if k == "kx01a" else None,
                    "load_id": "load-1",
                }
                for k, a in _keys()
            ],
        )
        conn.execute(
            insert(schema.load_log),
            [
                {
                    "load_id": "load-1",
                    "source_file": "requests-0001.parquet",
                    "file_digest": "x",
                    "table_name": "requests",
                    "format": "parquet",
                    "started_at": now,
                    "finished_at": now + timedelta(seconds=5),
                    "rows_read": TOTAL_CALLS + 2,
                    "rows_loaded": TOTAL_CALLS,
                    "rows_quarantined": 2,
                    "rows_duplicate": 0,
                    "status": "loaded",
                    "message": None,
                }
            ],
        )
        conn.execute(
            insert(schema.quarantine),
            [
                {
                    "load_id": "load-1",
                    "table_name": "requests",
                    "source_file": "requests-0001.parquet",
                    "row_number": n,
                    "reason": "negative output_tokens",
                    "raw": "{}",
                    "quarantined_at": now,
                }
                for n in (7, 9)
            ],
        )
        if with_run:
            for name, table_rows in result_rows(rows).items():
                conn.execute(insert(schema.metadata.tables[name]), table_rows)
            write_summaries(conn, RUN_ID)  # as a scoring run stores them, in the transaction of its results
    engine.dispose()

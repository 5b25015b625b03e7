"""A small deterministic warehouse with one finished detection run: two campaigns, nine accounts, eighteen keys."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, insert

from queries import schema
from radar.ingest.rollup import rebuild_in
from radar.warehouse import ensure_schema, open_engine

RUN_ID = "run-1"
T0 = datetime(2026, 2, 1, tzinfo=UTC)
CAMPAIGN_MEMBERS = {"C1": ["a1", "a2", "a3", "a4"], "C2": ["a5", "a6"]}
ALL_ACCOUNTS = [f"a{i}" for i in range(1, 10)]
INDICATORS = {
    "C1": {
        "prefix": ["203.0.113.0/24", "2001:db8:1::/48"],
        "asn": [64500],
        "user_agent": ["python-httpx/0.27"],
        "payment": ["pm_card_4242"],
    },
    "C2": {"prefix": ["198.51.100.0/24"], "asn": [64501], "user_agent": ["curl/8.5"], "payment": ["pm_card_1111"]},
}


def campaign_of(account: str) -> str | None:
    return next((c for c, m in CAMPAIGN_MEMBERS.items() if account in m), None)


def seed_warehouse(url: str, *, requests_per_account: int = 20) -> Engine:
    """Build the warehouse at `url` and fill it; returns a read-write engine."""
    engine = open_engine(url)
    ensure_schema(engine)
    acc_rows, key_rows, req_rows, kscore_rows, ascore_rows = [], [], [], [], []
    for i, a in enumerate(ALL_ACCOUNTS):
        camp = campaign_of(a)
        acc_rows.append({"account_id": a, "created_at": T0 - timedelta(days=10 - i), "email_domain": "example.org", "load_id": "L1"})
        ascore_rows.append(
            {
                "run_id": RUN_ID,
                "account_id": a,
                "score": 0.9 - i * 0.05 if camp else 0.1 + i * 0.01,
                "cluster_id": f"K{camp}" if camp else None,
                "campaign_id": camp,
                "allowlisted": False,
                "reasons": json.dumps(["uniform prompts"]),
                "calls": requests_per_account,
                "output_tokens": 1000 * (i + 1),
                "n_keys": 2,
                "features": json.dumps({"cot_share": 0.8 if camp else 0.1, "template_share": 0.5 + i / 100, "calls_per_hour": float(i)}),
            }
        )
        for j in range(2):
            kid = f"k{i + 1}_{j}"
            key_rows.append({"api_key_id": kid, "account_id": a, "created_at": T0 - timedelta(days=5), "load_id": "L1"})
            kscore_rows.append(
                {
                    "run_id": RUN_ID,
                    "api_key_id": kid,
                    "account_id": a,
                    "score": 0.8 if camp else 0.2,
                    "extraction_share": 0.7 if camp else 0.0,
                    "allowlisted": False,
                    "reasons": "[]",
                    "calls": requests_per_account // 2,
                    "output_tokens": 500,
                    "features": json.dumps({"burstiness": 1.5 + j}),
                }
            )
        for n in range(requests_per_account):
            # Campaign C1 is active on days 0-1, C2 on days 3-4, the rest throughout.
            day = {"C1": 0, "C2": 3}.get(camp or "", n % 6)
            req_rows.append(
                {
                    "request_id": f"r-{a}-{n}",
                    "ts": T0 + timedelta(days=day, hours=n % 24, minutes=i),
                    "account_id": a,
                    "api_key_id": f"k{i + 1}_{n % 2}",
                    "client_ip": "203.0.113.7",
                    "model": "m1",
                    "operation": "chat",
                    "input_tokens": 100 + n,
                    "output_tokens": 400 + n,
                    "status": 200,
                    "prompt": f"Think step by step. Contact jane.doe{n}@example.com or +1 415 555 01{n % 10}{n % 10}, key sk-ant-{a}XYZ0123456789abcdef",
                    "capability": "reasoning",
                    "cot": bool(camp),
                    "template_fp": f"T{camp or a}",
                    "prompt_chars": 90,
                    "load_id": "L1",
                }
            )
    camp_rows = [
        {
            "run_id": RUN_ID,
            "campaign_id": c,
            "cluster_id": f"K{c}",
            "score": 0.95 if c == "C1" else 0.7,
            "n_accounts": len(m),
            "n_keys": 2 * len(m),
            "calls": requests_per_account * len(m),
            "output_tokens": 5000,
            "first_seen": T0,
            "last_seen": T0 + timedelta(days=4),
            "capability_profile": json.dumps({"reasoning": 0.8, "coding": 0.2}),
            "indicators": json.dumps(INDICATORS[c]),
            "reasons": json.dumps([f"{len(m)} accounts share a /24 and a payment fingerprint"]),
        }
        for c, m in CAMPAIGN_MEMBERS.items()
    ]
    cluster_rows = [
        {
            "run_id": RUN_ID,
            "cluster_id": f"K{c}",
            "score": 0.9,
            "n_accounts": len(m),
            "n_keys": 2 * len(m),
            "calls": 1,
            "output_tokens": 1,
            "reasons": "[]",
        }
        for c, m in CAMPAIGN_MEMBERS.items()
    ]
    run_row = {
        "run_id": RUN_ID,
        "started_at": T0 + timedelta(days=7),
        "finished_at": T0 + timedelta(days=7, minutes=1),
        "window_start": T0,
        "window_end": T0 + timedelta(days=7),
        "params": "{}",
        "status": "done",
    }
    with engine.begin() as conn:
        conn.execute(insert(schema.accounts), acc_rows)
        conn.execute(insert(schema.api_keys), key_rows)
        conn.execute(insert(schema.requests), req_rows)
        rebuild_in(conn)  # the rollups the pages read, as ingest keeps them
        conn.execute(insert(schema.score_runs), [run_row])
        conn.execute(insert(schema.account_scores), ascore_rows)
        conn.execute(insert(schema.key_scores), kscore_rows)
        conn.execute(insert(schema.campaigns), camp_rows)
        conn.execute(insert(schema.clusters), cluster_rows)
    return engine

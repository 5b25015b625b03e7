"""A small, independent writer of files in the gateway contract's shape (every encoding), for ingest tests."""

from __future__ import annotations

import csv
import gzip
import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import polars as pl

T0 = datetime(2026, 2, 3, 9, 0, tzinfo=UTC)
PROMPTS = [
    "Solve {n} + {m} step by step and show your work.",
    "Write a Python function that returns the {n}th prime number.",
    "Grade the following answer on a scale of 1 to {n}: the capital is Paris.",
    "Write a short poem about the sea near Lisbon.",
]


def request_rows(n: int, *, seed: int = 1, prefix: str = "req") -> list[dict[str, Any]]:
    """n valid request rows with every contract field, plus an extra column the loader must ignore."""
    rnd = random.Random(seed)
    rows = []
    for i in range(n):
        v6 = i % 5 == 0
        rows.append(
            {
                "request_id": f"{prefix}-{i:06d}",
                "ts": (T0 + timedelta(seconds=i * 7)).isoformat().replace("+00:00", "Z"),
                "account_id": f"acct-{i % 7}",
                "api_key_id": f"key-{i % 11}",
                "org_id": None if i % 3 else f"org-{i % 2}",
                "client_ip": f"2001:db8:{i % 4:x}:1::{i % 200 + 1:x}" if v6 else f"198.51.{i % 3}.{i % 250 + 1}",
                "asn": 64500 + i % 9,
                "ip_class": ["datacenter", "residential", "mobile", "vpn"][i % 4],
                "country": "PT",
                "user_agent": "anthropic-python/0.40",
                "model": "model-large",
                "operation": "chat",
                "input_tokens": rnd.randint(10, 900),
                "output_tokens": rnd.randint(1, 2000),
                "latency_ms": rnd.randint(100, 9000),
                "status": 200,
                "finish_reason": "stop",
                "tool_count": 0,
                "has_image": False,
                "system_prompt_hash": None,
                "conversation_id": f"conv-{i // 3}",
                "turn": i % 3,
                "prompt": PROMPTS[i % len(PROMPTS)].format(n=rnd.randint(2, 99), m=rnd.randint(2, 99)) if i % 6 else None,
                "gateway_region": "eu-west",  # not in the contract: ignored
            }
        )
    return rows


def account_rows(n: int) -> list[dict[str, Any]]:
    return [
        {
            "account_id": f"acct-{i}",
            "created_at": (T0 - timedelta(days=i + 1)).isoformat(),
            "email_domain": "example.org",
            "payment_fingerprint": f"pf-{i % 2}",
            "verification": "email",
            "country": "PT",
            "signup_ip": f"203.0.113.{i + 1}" if i % 2 else f"2001:db8:ff{i}::1",
            "org_id": None,
        }
        for i in range(n)
    ]


def key_rows(n: int, *, revoked: bool = False) -> list[dict[str, Any]]:
    return [
        {
            "api_key_id": f"key-{i}",
            "account_id": f"acct-{i % 7}",
            "created_at": (T0 - timedelta(hours=i + 1)).isoformat(),
            "revoked_at": (T0 + timedelta(days=1)).isoformat() if revoked and i % 2 == 0 else None,
        }
        for i in range(n)
    ]


def write(rows: list[dict[str, Any]], path: Path) -> Path:
    """Write rows in the encoding the file name says: .parquet, .jsonl, .jsonl.gz or .csv."""
    path.parent.mkdir(parents=True, exist_ok=True)
    name = path.name
    if name.endswith(".parquet"):
        frame = pl.DataFrame(rows, infer_schema_length=None)
        for c in ("ts", "created_at", "revoked_at"):
            if c in frame.columns:
                frame = frame.with_columns(pl.col(c).str.to_datetime(time_zone="UTC"))
        frame.write_parquet(path)
    elif name.endswith(".jsonl.gz"):
        with gzip.open(path, "wt") as f:
            f.writelines(json.dumps(r) + "\n" for r in rows)
    elif name.endswith(".jsonl"):
        path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    elif name.endswith(".csv"):
        with path.open("w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[0]))
            w.writeheader()
            w.writerows({k: ("" if v is None else str(v).lower() if isinstance(v, bool) else v) for k, v in r.items()} for r in rows)
    else:
        raise ValueError(name)
    return path


def _any(v: Any) -> dict[str, Any]:
    if isinstance(v, bool):
        return {"boolValue": v}
    if isinstance(v, int):
        return {"intValue": str(v)}
    if isinstance(v, float):
        return {"doubleValue": v}
    if isinstance(v, list):
        return {"arrayValue": {"values": [_any(x) for x in v]}}
    return {"stringValue": v}


def otlp_span(row: dict[str, Any], *, drop: tuple[str, ...] = ()) -> dict[str, Any]:
    """One GenAI span carrying a request row, as an OTLP/JSON exporter writes it."""
    start = int(datetime.fromisoformat(row["ts"].replace("Z", "+00:00")).timestamp() * 1e9)
    attrs = {
        "gen_ai.operation.name": row["operation"],
        "gen_ai.request.model": row["model"],
        "gen_ai.usage.input_tokens": row["input_tokens"],
        "gen_ai.usage.output_tokens": row["output_tokens"],
        "gen_ai.response.finish_reasons": [row["finish_reason"]],
        "gen_ai.conversation.id": row["conversation_id"],
        "client.address": row["client_ip"],
        "user_agent.original": row["user_agent"],
        "user.id": row["account_id"],
    }
    attrs = {k: v for k, v in attrs.items() if k not in drop}
    return {
        "traceId": "5b8efff798038103d269b633813fc60c",
        "spanId": row["request_id"],
        "name": f"chat {row['model']}",
        "kind": 3,
        "startTimeUnixNano": str(start),
        "endTimeUnixNano": str(start + row["latency_ms"] * 1_000_000),
        "attributes": [{"key": k, "value": _any(v)} for k, v in attrs.items()],
        "status": {},
    }


def write_otlp(rows: list[dict[str, Any]], path: Path, *, per_line: int = 3, drop_in: dict[int, tuple[str, ...]] | None = None) -> Path:
    """Spans grouped per_line to a line under one resource carrying the key and organisation, as OTLP/JSON lines."""
    drop_in = drop_in or {}
    lines = []
    for start in range(0, len(rows), per_line):
        group = rows[start : start + per_line]
        resource = [
            {"key": "service.name", "value": {"stringValue": "gateway"}},
            {"key": "api_key.id", "value": {"stringValue": group[0]["api_key_id"]}},
            {"key": "client.asn", "value": {"intValue": str(group[0]["asn"])}},
        ]
        spans = [otlp_span(r, drop=drop_in.get(start + j, ())) for j, r in enumerate(group)]
        doc = {"resourceSpans": [{"resource": {"attributes": resource}, "scopeSpans": [{"scope": {"name": "gw"}, "spans": spans}]}]}
        lines.append(json.dumps(doc))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")
    return path

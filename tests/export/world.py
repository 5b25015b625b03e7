"""A small warehouse where a campaign hides among commons: it shares a cloud ASN, a popular SDK's user agent, a webmail
domain, a common system prompt and a busy cloud prefix with many benign accounts, and has values of its own.

Window 9-16 Feb 2026 (UTC), one finished run "run-w". Campaign "CW" = 8 accounts x01..x08, two keys each, one call per
key per hour from 11 Feb 00:00 to 13 Feb 23:00, all on AWS (AS14618, datacenter addresses), with the SDK user agent
`anthropic-sdk-python/0.47.2` and system prompt `sp-tutor`:
- accounts x01-x06 call from 3.80.17.0/24, which one benign tenant (b00) used on 9 Feb, before the campaign;
  x07-x08 call from 52.94.1.0/24, which the benign AWS tenants b00-b19 use every day;
- x01-x02 send their own user agent `harvest-kit/0.3` on key b (instead of the SDK's);
- sign-ups: x01-x05 on gmail.com (like all 40 benign accounts), x06-x08 on the throwaway `quickmail-x.dev`; x01-x04 pay
  with card fingerprint `pm_fp_camp`, x05-x06 with `pm_fp_family`, which benign b39 also holds; x01-x06 signed up
  from 198.51.100.77.
Benign: b00..b39 send `anthropic-sdk-python/0.47.2` with no system prompt, except b20..b31 who send `sp-tutor` with
`OpenAI/Python 1.66.3`; b00-b19 on AWS 52.94.1.0/24, b20-b39 on a residential ISP (AS7922).
Keys: x01a..x06a revoked 12 Feb 12:00, x07a, x08a revoked 13 Feb 06:00; revoked keys stop calling.
Models: key a calls frontier-large (400 in, 1,200 out tokens), key b frontier-small (100 in, 300 out).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, insert

from queries import schema
from radar.detect.summaries import write_summaries
from radar.warehouse import ensure_schema, open_engine

RUN_ID, CAMPAIGN = "run-w", "CW"
START, END = datetime(2026, 2, 9, tzinfo=UTC), datetime(2026, 2, 16, tzinfo=UTC)
CAMP_START, CAMP_HOURS = datetime(2026, 2, 11, tzinfo=UTC), 72
MEMBERS = [f"x{i:02d}" for i in range(1, 9)]
BENIGN = [f"b{i:02d}" for i in range(40)]
SDK, HARNESS_UA, OPENAI_UA = "anthropic-sdk-python/0.47.2", "harvest-kit/0.3", "OpenAI/Python 1.66.3"
SYSPROMPT = "sp-tutor"
OWN_PREFIX, BUSY_PREFIX = "3.80.17.0/24", "52.94.1.0/24"
THROWAWAY, WEBMAIL, SIGNUP_IP = "quickmail-x.dev", "gmail.com", "198.51.100.77"
CARD, FAMILY_CARD = "pm_fp_camp", "pm_fp_family"
REVOKED = {**{f"x{i:02d}a": datetime(2026, 2, 12, 12, tzinfo=UTC) for i in range(1, 7)}}
REVOKED |= {"x07a": datetime(2026, 2, 13, 6, tzinfo=UTC), "x08a": datetime(2026, 2, 13, 6, tzinfo=UTC)}
FIRST_ACTION = datetime(2026, 2, 12, 12, tzinfo=UTC)
#: (model, input tokens, output tokens) per call of a member's key a and key b
KEY_MODEL = {"a": ("frontier-large", 400, 1200), "b": ("frontier-small", 100, 300)}
PROMPT = (
    "Solve step by step and show all reasoning: task {n}. Send results to ops{n}@quickmail-x.dev, key sk-ant-api03-{n:06d}abcdefghijklmnop"
)


def _req(n: int, ts: datetime, account: str, key: str, **kw: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "request_id": f"w-{n:06d}",
        "ts": ts,
        "account_id": account,
        "api_key_id": key,
        "client_ip": "73.1.1.1",
        "asn": 7922,
        "ip_class": "residential",
        "user_agent": SDK,
        "model": "frontier-small",
        "operation": "chat",
        "input_tokens": 50,
        "output_tokens": 80,
        "status": 200,
        "system_prompt_hash": None,
        "prompt": f"Draft a short note about item {n}",
        "ip_prefix": "73.1.1.0/24",
        "template_fp": f"tpl-b{n % 9}",
        "capability": "writing",
        "cot": False,
        "prompt_chars": 40,
        "load_id": "L1",
    }
    return row | kw


def requests_rows() -> list[dict[str, Any]]:
    """Every request of the world (benign first, then the campaign's)."""
    rows: list[dict[str, Any]] = []
    for i, b in enumerate(BENIGN):
        for d in range(7):
            ts = START + timedelta(days=d, hours=9 + i % 8, minutes=i)
            kw: dict[str, Any] = {}
            if i < 20:  # AWS tenants on the busy prefix
                kw = {"asn": 14618, "ip_class": "datacenter", "client_ip": "52.94.1.9", "ip_prefix": BUSY_PREFIX}
            if 20 <= i < 32:
                kw |= {"user_agent": OPENAI_UA, "system_prompt_hash": SYSPROMPT}
            rows.append(_req(len(rows), ts, b, f"k{b}", **kw))
        if i == 0:  # one tenant had the campaign's prefix before the campaign
            rows.append(_req(len(rows), START + timedelta(hours=3), b, f"k{b}", asn=14618, ip_class="datacenter", ip_prefix=OWN_PREFIX))
    for j, acc in enumerate(MEMBERS, start=1):
        prefix = OWN_PREFIX if j <= 6 else BUSY_PREFIX
        for suffix in "ab":
            key = f"{acc}{suffix}"
            model, tin, tout = KEY_MODEL[suffix]
            ua = HARNESS_UA if (suffix == "b" and j <= 2) else SDK
            for h in range(CAMP_HOURS):
                ts = CAMP_START + timedelta(hours=h, minutes=j)
                if key in REVOKED and ts >= REVOKED[key]:
                    continue
                rows.append(
                    _req(len(rows), ts, acc, key, asn=14618, ip_class="datacenter", client_ip=prefix.replace("0/24", str(j)), ip_prefix=prefix,
                         user_agent=ua, system_prompt_hash=SYSPROMPT, model=model, input_tokens=tin, output_tokens=tout,
                         prompt=PROMPT.format(n=len(rows)), template_fp="tpl-camp", capability="reasoning", cot=True, prompt_chars=120)
                )  # fmt: skip
    return rows


def _account(acc: str) -> dict[str, Any]:
    j = int(acc[1:])
    mine = acc.startswith("x")
    card = (CARD if j <= 4 else FAMILY_CARD if j <= 6 else None) if mine else (FAMILY_CARD if acc == "b39" else None)
    return {
        "account_id": acc,
        "created_at": START - timedelta(days=3 if mine else 200 - j, hours=-j),
        "email_domain": (THROWAWAY if j >= 6 else WEBMAIL) if mine else WEBMAIL,
        "payment_fingerprint": card,
        "verification": "email",
        "country": "US",
        "signup_ip": SIGNUP_IP if mine and j <= 6 else None,
        "load_id": "L1",
    }


def seed_world(url: str) -> Engine:
    """Build the world at `url` (telemetry and one finished run); returns a read-write engine."""
    engine = open_engine(url)
    ensure_schema(engine)
    reqs = requests_rows()
    keys = [(f"k{b}", b) for b in BENIGN] + [(f"{a}{s}", a) for a in MEMBERS for s in "ab"]
    calls: dict[str, int] = {}
    for r in reqs:
        calls[r["api_key_id"]] = calls.get(r["api_key_id"], 0) + 1
    scores = [
        {"run_id": RUN_ID, "account_id": a, "score": (0.9 - int(a[1:]) / 100) if a in MEMBERS else 0.05, "cluster_id": "KW" if a in MEMBERS else None,
         "campaign_id": CAMPAIGN if a in MEMBERS else None, "allowlisted": False, "reasons": "[]", "alerting": a in MEMBERS,
         "calls": sum(calls[k] for k, o in keys if o == a), "output_tokens": 0, "n_keys": sum(o == a for _, o in keys), "features": "{}"}
        for a in BENIGN + MEMBERS
    ]  # fmt: skip
    key_scores = [
        {"run_id": RUN_ID, "api_key_id": k, "account_id": a, "score": 0.8 if a in MEMBERS else 0.05, "extraction_share": 0.9,
         "allowlisted": False, "reasons": "[]", "calls": calls[k], "output_tokens": 0, "features": "{}"}
        for k, a in keys
    ]  # fmt: skip
    camp = [r for r in reqs if r["account_id"] in MEMBERS]
    campaign_row = {
        "run_id": RUN_ID, "campaign_id": CAMPAIGN, "cluster_id": "KW", "score": 0.93, "n_accounts": len(MEMBERS), "n_keys": 2 * len(MEMBERS),
        "calls": len(camp), "output_tokens": sum(r["output_tokens"] for r in camp), "first_seen": min(r["ts"] for r in camp),
        "last_seen": max(r["ts"] for r in camp), "capability_profile": json.dumps({"reasoning": 1.0}),
        # what the account graph linked on: commons included (the export must not pass these on unexamined)
        "indicators": json.dumps({"asn": ["14618"], "prefix": [OWN_PREFIX, BUSY_PREFIX], "ua_sysprompt": [f"{SDK} | {SYSPROMPT}"]}),
        "reasons": json.dumps(["one harness template across 16 keys", "eight accounts paid by two cards"]),
    }  # fmt: skip
    run = {"run_id": RUN_ID, "started_at": END, "finished_at": END + timedelta(minutes=2), "window_start": START, "window_end": END,
           "params": "{}", "status": "done"}  # fmt: skip
    with engine.begin() as conn:
        conn.execute(insert(schema.accounts), [_account(a) for a in BENIGN + MEMBERS])
        conn.execute(
            insert(schema.api_keys),
            [
                {"api_key_id": k, "account_id": a, "created_at": START - timedelta(days=1), "revoked_at": REVOKED.get(k), "load_id": "L1"}
                for k, a in keys
            ],
        )
        conn.execute(insert(schema.requests), reqs)
        conn.execute(insert(schema.score_runs), [run])
        conn.execute(insert(schema.account_scores), scores)
        conn.execute(insert(schema.key_scores), key_scores)
        conn.execute(insert(schema.campaigns), [campaign_row])
        write_summaries(conn, RUN_ID)  # as a scoring run stores them, in the transaction of its results
    return engine


def expected_harvest() -> dict[str, dict[str, int]]:
    """The campaign's exchanges and tokens per phase ("before any action", "after first revocation"), from the rows."""
    out: dict[str, dict[str, int]] = {}
    for r in requests_rows():
        if r["account_id"] not in MEMBERS:
            continue
        phase = "after first revocation" if r["ts"] >= FIRST_ACTION else "before any action"
        t = out.setdefault(phase, {"exchanges": 0, "input_tokens": 0, "output_tokens": 0, "frontier-large": 0, "frontier-small": 0})
        t["exchanges"] += 1
        t["input_tokens"] += r["input_tokens"]
        t["output_tokens"] += r["output_tokens"]
        t[r["model"]] += 1
    return out

"""A small hand-built warehouse whose answers are known: ordinary users, one hydra, one heavy evaluator, one reseller."""

from __future__ import annotations

import random
import zlib
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, insert

from queries import schema
from radar.warehouse import ensure_schema

T0 = datetime(2026, 2, 2, tzinfo=UTC)
CAPS = ("reasoning", "coding", "writing", "other", "agentic", "vision")
HYDRA = [f"h{i:02d}" for i in range(12)]
BENIGN = [f"b{i:03d}" for i in range(100)]
EVALUATOR = "e00"
RESELLER = "r00"
HYDRA_TEMPLATES = ("tplA", "tplB", "tplC")


def _req(
    rid: str,
    acc: str,
    key: str,
    ts: datetime,
    *,
    prefix: str,
    tpl: str,
    cot: bool,
    cap: str,
    ua: str = "sdk-py/1.2",
    out: int = 400,
    finish: str = "stop",
    asn: int = 7922,
) -> dict[str, Any]:
    return {
        "request_id": rid,
        "ts": ts,
        "account_id": acc,
        "api_key_id": key,
        "client_ip": prefix[:-4] + "7",
        "asn": asn,
        "ip_class": "residential",
        "user_agent": ua,
        "model": "m-large",
        "operation": "chat",
        "input_tokens": 200,
        "output_tokens": out,
        "status": 200,
        "finish_reason": finish,
        "ip_prefix": prefix,
        "template_fp": tpl,
        "near_dup_a": zlib.crc32(tpl.encode()),
        "capability": cap,
        "cot": cot,
        "prompt_chars": 600,
        "turn": 0,
        "load_id": "L",
    }


def build(engine: Engine, *, seed: int = 5) -> None:
    """Fill a fresh warehouse with the known world."""
    ensure_schema(engine)
    rnd = random.Random(seed)
    reqs: list[dict[str, Any]] = []
    accts: list[dict[str, Any]] = []
    keys: list[dict[str, Any]] = []
    n = 0

    def add(acc: str, key: str, ts: datetime, **kw: Any) -> None:
        nonlocal n
        n += 1
        reqs.append(_req(f"q{n:06d}", acc, key, ts, **kw))

    for i, a in enumerate(BENIGN):
        # ordinary users: own network, own card, webmail; a little reasoning now and then
        accts.append(
            {
                "account_id": a,
                "created_at": T0 - timedelta(days=30 + 7 * i),
                "email_domain": "webmail.example",
                "payment_fingerprint": f"card-{a}",
                "verification": "phone" if i % 2 else "payment",
                "signup_ip": f"10.{i}.0.9",
                "signup_prefix": f"10.{i}.0.0/24",
                "load_id": "L",
            }
        )
        keys.append({"api_key_id": f"k-{a}", "account_id": a, "created_at": T0 - timedelta(days=20), "load_id": "L"})
        for j in range(rnd.randint(20, 60)):
            add(
                a,
                f"k-{a}",
                T0 + timedelta(hours=rnd.uniform(0, 160)),
                prefix=f"10.{i}.0.0/24",
                tpl=f"own-{a}-{j % 9}",
                cot=rnd.random() < 0.05,
                cap=rnd.choice(CAPS),
            )
    for i, a in enumerate(HYDRA):
        # one actor: cards shared four ways, sign-ups minutes apart, each account light, reasoning templates swept
        accts.append(
            {
                "account_id": a,
                "created_at": T0 + timedelta(minutes=7 * i),
                "email_domain": "mailbox-7.example",
                "payment_fingerprint": f"card-hydra-{i % 3}",
                "verification": "email",
                "signup_ip": "203.0.113.5",
                "signup_prefix": "203.0.113.0/24",
                "load_id": "L",
            }
        )
        keys.append({"api_key_id": f"k-{a}", "account_id": a, "created_at": T0, "load_id": "L"})
        # light each, heavy together: 100 calls a head, 1,200 exchanges in all (a harvest, see clusters.HARVEST_*)
        for _j in range(100):
            add(
                a,
                f"k-{a}",
                T0 + timedelta(hours=rnd.uniform(1, 160)),
                prefix=f"198.51.{i}.0/24",
                tpl=rnd.choice(HYDRA_TEMPLATES),
                cot=rnd.random() < 0.9,
                cap="reasoning",
                out=1500,
            )
    # a heavy evaluation customer: verified organisation, many calls, many asking for reasoning, all its own templates
    accts.append(
        {
            "account_id": EVALUATOR,
            "created_at": T0 - timedelta(days=300),
            "email_domain": "evalcorp.example",
            "payment_fingerprint": "card-evalcorp",
            "verification": "organisation",
            "org_id": "org-eval",
            "signup_ip": "192.0.2.10",
            "signup_prefix": "192.0.2.0/24",
            "load_id": "L",
        }
    )
    keys.append({"api_key_id": "k-e00", "account_id": EVALUATOR, "created_at": T0 - timedelta(days=100), "load_id": "L"})
    for j in range(300):
        add(EVALUATOR, "k-e00", T0 + timedelta(hours=j * 0.5), prefix="192.0.2.0/24", tpl=f"bench-{j % 4}", cot=j % 2 == 0, cap="reasoning")
    # a reseller: one clean key, one key whose traffic is 40% the hydra's templates under ordinary cover
    accts.append(
        {
            "account_id": RESELLER,
            "created_at": T0 - timedelta(days=90),
            "email_domain": "proxy.example",
            "payment_fingerprint": "card-proxy",
            "verification": "payment",
            "signup_ip": "100.64.0.1",
            "signup_prefix": "100.64.0.0/24",
            "load_id": "L",
        }
    )
    for k in ("k-r00-clean", "k-r00-mixed"):
        keys.append({"api_key_id": k, "account_id": RESELLER, "created_at": T0 - timedelta(days=60), "load_id": "L"})
    for j in range(100):
        add(
            RESELLER,
            "k-r00-clean",
            T0 + timedelta(hours=j * 1.5),
            prefix="100.64.0.0/24",
            tpl=f"own-r-{j % 9}",
            cot=False,
            cap=rnd.choice(CAPS),
        )
        mixed = j % 5 < 2
        add(
            RESELLER,
            "k-r00-mixed",
            T0 + timedelta(hours=j * 1.5, minutes=3),
            prefix="100.64.0.0/24",
            tpl=rnd.choice(HYDRA_TEMPLATES) if mixed else f"own-r-{j % 9}",
            cot=mixed,
            cap="reasoning" if mixed else rnd.choice(CAPS),
        )
    with engine.begin() as c:
        c.execute(insert(schema.accounts), accts)
        c.execute(insert(schema.api_keys), keys)
        c.execute(insert(schema.requests), reqs)

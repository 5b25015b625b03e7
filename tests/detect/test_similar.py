"""Prompt-content similarity on hand-built prompts with known answers: rewordings of one wrapper prompt collide across
accounts, unrelated prompts on the same topic do not, and a commons prompt used by many accounts links nobody
(DuckDB and PostgreSQL)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

import polars as pl
from sqlalchemy import insert

from queries import schema
from radar.detect import similar
from radar.ingest.enrich import SIMILAR_COLUMNS, enrich_requests
from radar.warehouse import ensure_schema, open_engine
from tests.detect.world import _req

T0 = datetime(2026, 2, 2, tzinfo=UTC)
END = T0 + timedelta(days=7)

# A wrapper an operator has a model reword per call: the request stays, the framing around it changes.
WRAPPER = (
    "Grade the following essay on the causes of the French revolution using this rubric: thesis, evidence, "
    "organisation and style. Score each criterion, justify every score and explain your reasoning step by step."
)
SWAPS = [
    ("Grade the following", "Please grade this"),
    ("justify every score", "give a justification for each score"),
    ("explain your reasoning", "walk through your reasoning"),
    ("Score each criterion", "Mark each criterion"),
]
OPENERS = ["", "Hello! ", "Quick one: ", "I need your help with something. ", "Good afternoon, "]
CONTEXTS = ["", " It is for a history seminar.", " My tutor wants detailed feedback.", " Please be strict."]
CLOSERS = ["", " Thanks!", " Many thanks in advance.", " Appreciated."]
# Ordinary users asking their own questions about the same topic.
SAME_TOPIC = [
    "What were the main economic causes of the French revolution?",
    "Write a short poem about the storming of the Bastille.",
    "Summarise the role of Robespierre during the Terror in three paragraphs.",
    "Which books would you recommend for a beginner reading about the French revolution?",
    "How did the French revolution influence later revolutions in Latin America?",
    "Explain the difference between the Girondins and the Jacobins for a school project.",
    "Translate this sentence about the estates general into German: the deputies met in May.",
    "Draft a lesson plan about the French revolution for twelve year old pupils.",
]
# A popular SDK's default request, sent word for word by most accounts.
COMMONS = "You are a helpful assistant. Summarise the following document in a few sentences for the user."


def reword(rnd: random.Random) -> str:
    """One rewording of WRAPPER: an opening, some phrases swapped, a line of context and a closing."""
    body = WRAPPER
    for a, b in SWAPS:
        if rnd.random() < 0.5:
            body = body.replace(a, b)
    return rnd.choice(OPENERS) + body + rnd.choice(CONTEXTS) + rnd.choice(CLOSERS)


def _rows(prompts: dict[str, list[str]]) -> list[dict[str, Any]]:
    """Request rows (one per prompt, per account) enriched the way ingest enriches them."""
    reqs: list[dict[str, Any]] = []
    for acc, texts in prompts.items():
        for text in texts:
            n = len(reqs)
            row = _req(f"q{n:05d}", acc, f"k-{acc}", T0 + timedelta(minutes=7 * n), prefix="10.0.0.0/24", tpl="t", cot=False, cap="other")
            reqs.append({**row, "prompt": text})
    frame = pl.DataFrame(reqs).drop("template_fp", "near_dup_a", "capability", "cot", "prompt_chars")
    enriched = enrich_requests(frame.with_columns(pl.lit(None, dtype=pl.Int32).alias("tool_count"), pl.lit(False).alias("has_image")))
    return enriched.drop("tool_count", "has_image").to_dicts()


def _world() -> dict[str, list[str]]:
    rnd = random.Random(11)
    prompts: dict[str, list[str]] = {}
    for i in range(5):  # the operation: five accounts, each sending eight rewordings of the wrapper
        prompts[f"op{i}"] = [reword(rnd) for _ in range(8)]
    for i, text in enumerate(SAME_TOPIC):  # ordinary users: each their own questions on the same topic
        prompts[f"user{i}"] = [text, SAME_TOPIC[(i + 3) % len(SAME_TOPIC)]]
    for i in range(12):  # the commons: twelve accounts, more than the cap below
        prompts[f"sdk{i}"] = [COMMONS] * 4
    return prompts


CAP = 10  # the commons cap for this world: a family of more than ten accounts links nobody


def test_rewordings_collide_across_accounts_but_same_topic_and_commons_do_not(warehouse_url: str) -> None:
    engine = open_engine(warehouse_url)
    ensure_schema(engine)
    with engine.begin() as conn:
        conn.execute(insert(schema.requests), _rows(_world()))
    with engine.connect() as conn:
        mem = similar.similar_prompt_memberships(conn, T0, END, max_accounts=CAP)
    assert set(mem["edge_type"].to_list()) == {"similar_prompt"}
    by_family = mem.group_by("value").agg(pl.col("account_id").sort())
    operation = {f"op{i}" for i in range(5)}
    # every account of the operation shares one family with all the others
    assert any(set(accs) == operation for accs in by_family["account_id"].to_list())
    # no family reaches beyond the operation: not the same-topic users, not the commons
    assert set(mem["account_id"].to_list()) == operation
    assert mem["n_accounts"].min() >= similar.MIN_ACCOUNTS  # type: ignore[operator]
    assert mem["n_accounts"].max() <= CAP  # type: ignore[operator]
    # with the cap lifted above the commons' reach, the SDK prompt is a family of its own: the cap is what drops it
    with engine.connect() as conn:
        wide = similar.similar_prompt_memberships(conn, T0, END, max_accounts=100)
    assert {f"sdk{i}" for i in range(12)} <= set(wide["account_id"].to_list())
    assert not any(a.startswith("user") for a in wide["account_id"].to_list())


def test_rewordings_share_a_bucket_far_more_often_than_same_topic_prompts() -> None:
    rnd = random.Random(3)
    reworded = [reword(rnd) for _ in range(40)]
    frame = pl.DataFrame({"prompt": reworded + SAME_TOPIC, "has_image": False, "tool_count": None, "finish_reason": None})
    sig = enrich_requests(frame.with_columns(pl.col("tool_count").cast(pl.Int32), pl.col("finish_reason").cast(pl.String)))
    rows = sig.select(*SIMILAR_COLUMNS).rows()

    def shares(i: int, j: int) -> bool:
        return any(a == b for a, b in zip(rows[i], rows[j], strict=True))

    n = len(reworded)
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    reworded_rate = sum(shares(i, j) for i, j in pairs) / len(pairs)
    topic = [(i, n + k) for i in range(n) for k in range(len(SAME_TOPIC))] + [
        (n + a, n + b) for a in range(len(SAME_TOPIC)) for b in range(a + 1, len(SAME_TOPIC))
    ]
    topic_rate = sum(shares(i, j) for i, j in topic) / len(topic)
    assert reworded_rate >= 0.6
    assert topic_rate <= 0.02


def test_buckets_two_accounts_share_are_one_family_and_a_commons_family_is_dropped() -> None:
    def bucket(band: int, value: str, holders: str, reach: int) -> list[tuple[int, str, str, int]]:
        return [(band, value, a, reach) for a in holders]

    rows = (
        bucket(1, "77", "abc", 3)
        + bucket(3, "12", "abcx", 4)  # shares a, b and c with 1:77: the same family
        + bucket(2, "5", "def", 3)  # shares nothing with it: a family of its own
        + bucket(4, "9", "cdy", 3)  # one account in common with each: no merge
        + bucket(2, "8", "pq", 30)  # reaches thirty accounts in the window: a commons under a cap of ten
        + bucket(1, "3", "z", 3)  # held by one account of the answer: links nobody
    )
    buckets = pl.DataFrame(rows, schema=["band", "value", "account_id", "n_accounts"], orient="row")
    fam = similar.families(buckets, max_accounts=10)
    got = fam.group_by("value").agg(pl.col("account_id").sort(), pl.col("n_accounts").first()).sort("value")
    assert got.rows() == [
        ("sp-1:77", ["a", "b", "c", "x"], 4),
        ("sp-2:5", ["d", "e", "f"], 3),
        ("sp-4:9", ["c", "d", "y"], 3),
    ]
    assert set(fam["edge_type"].to_list()) == {"similar_prompt"}
    assert similar.families(buckets.clear()).columns == ["edge_type", "value", "account_id", "n_accounts"]

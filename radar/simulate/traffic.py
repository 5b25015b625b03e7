"""The requests of a batch of accounts: conversations, times, keys, addresses, models, prompts, tokens, outcomes."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from radar.simulate import timing
from radar.simulate.archetypes import MIX_PERSONAL, Archetype
from radar.simulate.ids import hex_ids
from radar.simulate.population import Population
from radar.simulate.prompts import N_TOPICS, TEMPLATE_COUNTS, build_prompts, course_prompts
from radar.simulate.vocab import MODELS, MS_PER_TOKEN, NEW_MODEL_RELEASE_S, USER_AGENTS, WINDOW_START

_arr = np.array
PERSONAL_CDF = np.cumsum(MIX_PERSONAL) / np.sum(MIX_PERSONAL)


@dataclass(frozen=True)
class Habits:
    """The archetypes' traffic habits as arrays indexed by archetype code."""

    conv_mean: np.ndarray
    gap_s: np.ndarray
    ordinary: np.ndarray
    cot: np.ndarray
    errors: np.ndarray
    reword: np.ndarray
    n_templ: np.ndarray
    course: np.ndarray
    sweep: np.ndarray
    paraphrase: np.ndarray
    timing: list[str]
    mix_cdf: np.ndarray
    ops_cdf: np.ndarray
    names: np.ndarray


def habits(archs: list[Archetype]) -> Habits:
    """How does each archetype of this population converse, prompt and fail, as arrays by archetype code?"""
    mix_cdf = np.cumsum(_arr([a.mix for a in archs]), axis=1)
    mix_cdf /= mix_cdf[:, -1:]
    return Habits(
        conv_mean=_arr([a.conv_mean for a in archs]),
        gap_s=_arr([a.gap_s for a in archs]),
        ordinary=_arr([a.ordinary for a in archs]),
        cot=_arr([a.cot for a in archs]),
        errors=_arr([a.errors for a in archs]),
        reword=_arr([a.reword for a in archs]),
        n_templ=_arr([a.templates for a in archs]),
        course=_arr([a.course for a in archs]),
        sweep=_arr([a.sweep for a in archs]),
        paraphrase=_arr([a.paraphrase for a in archs]),
        timing=[a.timing for a in archs],
        mix_cdf=mix_cdf,
        ops_cdf=np.cumsum(_arr([a.ops for a in archs]), axis=1),
        names=_arr([a.name for a in archs]),
    )


OPERATIONS = pl.Series(["chat", "completion", "embeddings", "batch"])
# Typical output tokens per capability (reasoning, coding, agentic, vision, rubric, censorship, writing, support).
OUT_MEDIAN = _arr([650, 600, 220, 180, 350, 300, 550, 140], dtype=np.float64)
CONTEXT_PER_TURN = _arr([300, 600, 900, 300, 200, 200, 300, 150], dtype=np.float64)
UA_SERIES = pl.Series([u for u, _ in USER_AGENTS])
MODEL_SERIES = pl.Series(MODELS)
FINISH = pl.Series(["stop", "length", "tool_use", "refusal", "content_filter"])


def batch_requests(pop: Population, ids: np.ndarray, rng: np.random.Generator) -> pl.DataFrame:
    """Every request the given accounts make during the week, in contract shape, ordered by time."""
    c, g = pop.cols, pop.groups
    h = habits(pop.archetypes)
    counts = c["n_req"][ids]
    n = int(counts.sum())
    acct = np.repeat(ids, counts)
    pos = np.arange(n) - np.repeat(np.cumsum(counts) - counts, counts)
    arch = c["arch"][acct]
    grp = c["group"][acct]
    # Conversations: a new one starts with probability 1/mean turns; every account's first call starts one.
    new = (rng.random(n) < 1.0 / h.conv_mean[arch]) | (pos == 0)
    conv = np.cumsum(new) - 1
    first = np.flatnonzero(new)
    turn = np.arange(n) - first[conv]
    conv_acct, conv_arch = acct[first], arch[first]
    ordinary_conv = rng.random(len(first)) < h.ordinary[conv_arch]
    ordinary = ordinary_conv[conv]
    start = _conversation_starts(pop, rng, conv_acct, conv_arch, ordinary_conv, h.timing)
    gaps = np.where(turn > 0, timing.turn_gaps(rng, np.where(ordinary, 70.0, h.gap_s[arch])), 0.0)
    csum = np.cumsum(gaps)
    t = timing.settle(start[conv] + csum - csum[first][conv], c["created"][acct])
    # Operation and model.
    op = (rng.random(n)[:, None] > h.ops_cdf[arch]).sum(axis=1).clip(0, 3)
    op = np.where(ordinary, np.where(rng.random(n) < 0.96, 0, 1), op)
    model = (rng.random(n)[:, None] > c["model_cdf"][acct]).sum(axis=1).clip(0, 2)
    adopt = (model == 0) & (t >= NEW_MODEL_RELEASE_S) & (rng.random(n) < c["adopt"][acct])
    model = np.where(adopt, 4, np.where(op == 2, 3, model))
    # What is asked: capability, template, topic and wording.
    cdf = np.where(ordinary[:, None], PERSONAL_CDF[None, :], h.mix_cdf[arch])
    cap = (rng.random(n)[:, None] > cdf).sum(axis=1).clip(0, 7)
    scripted = (~ordinary) & (h.n_templ[arch] > 0)
    k = np.maximum(h.n_templ[arch], 1)
    tmpl = np.where(scripted, g["templates"][grp, cap, rng.integers(0, 1 << 20, n) % k], rng.integers(0, 1 << 20, n) % TEMPLATE_COUNTS[cap])
    sweep = h.sweep[arch] & ~ordinary
    personal = (c["persona"][acct] + rng.integers(0, 5, n) * 53) % N_TOPICS
    personal = np.where(rng.random(n) < 0.25, rng.integers(0, N_TOPICS, n), personal)
    topic = np.where(sweep, c["sweep_offset"][acct] + pos, personal) % N_TOPICS
    cot_on = rng.random(n) < np.where(ordinary, 0.06, h.cot[arch]) * np.where(cap == 7, 0.1, 1.0)
    pick = rng.integers(0, 2, n)
    cot = np.where(cot_on, np.where(scripted, g["cot"][grp, pick], rng.integers(0, 6, n)), -1)
    prefix = np.where(scripted, g["prefix"][grp, pick], rng.integers(0, 10, n))
    suffix = np.where(scripted, g["suffix"][grp, rng.integers(0, 2, n)], rng.integers(0, 9, n))
    prompt = build_prompts(
        rng,
        cap=cap,
        tmpl=tmpl,
        topic=topic,
        sweep=sweep,
        cot=cot,
        prefix=prefix,
        suffix=suffix,
        reword_p=h.reword[arch],
        paraphrase=scripted & h.paraphrase[arch],
    )
    if (h.course[arch] > 0).any():  # drawn only when these callers paste a course's prompts (other archetypes' draws stay)
        rows = np.flatnonzero((~ordinary) & (rng.random(n) < h.course[arch]))
        if len(rows):
            prompt = prompt.clone().scatter(rows, course_prompts(grp[rows], cap[rows], rng))
    u = rng.random(n)
    err = h.errors[arch]
    status = np.select([u < 0.012 * err, u < 0.015 * err, u < 0.017 * err, u < 0.017 * err + 0.005], [429, 500, 503, 400], default=200)
    ok = status == 200
    # Retries: after an error (and now and then regardless) a client sends the same message again.
    prev_failed = np.concatenate([[False], ~ok[:-1]])
    retry = (~new) & ((prev_failed & (rng.random(n) < 0.7)) | (rng.random(n) < 0.01))
    prompt = pl.select(pl.when(pl.lit(pl.Series(retry))).then(pl.lit(prompt).shift(1)).otherwise(pl.lit(prompt))).to_series()
    # Request shape: tools, images, system prompt.
    embed = op == 2
    agentic = (cap == 2) | ((cap == 1) & (rng.random(n) < 0.5))
    tools = np.where(agentic, np.where(ordinary, rng.integers(3, 9, n), c["tool_base"][acct] + rng.integers(0, 2, n)), 0)
    tools = np.where((h.names[arch] == "saas_integration") & ~embed, 2, tools)
    has_image = cap == 3
    sys_on = rng.random(n) < np.where(ordinary, 0.1, c["sys_share"][acct])
    # Tokens, status, finish reason, latency.
    chars = prompt.str.len_chars().to_numpy().astype(np.float64)
    tin = chars / 4.0 * rng.uniform(0.9, 1.15, n) + np.where(sys_on, c["sys_tokens"][acct], 0) + turn * CONTEXT_PER_TURN[cap]
    tin = tin + np.where(has_image, rng.integers(800, 1600, n), 0) + tools * 120
    cot_boost = np.where(cot >= 0, 1.8, 1.0)
    tout = np.exp(np.log(OUT_MEDIAN[cap] * cot_boost) + 0.6 * rng.standard_normal(n))
    cap_tokens = np.where(model == 2, 4096, 8192)
    length = (tout >= cap_tokens) | (rng.random(n) < 0.02)
    tout = np.where(length, np.minimum(tout, cap_tokens), tout)
    finish = np.select(
        [length, (cap == 5) & (rng.random(n) < 0.35), (tools > 0) & (rng.random(n) < 0.55), rng.random(n) < 0.002],
        [1, 3, 2, 4],
        default=0,
    )
    tout = np.where(ok & ~embed, np.round(tout), 0).astype(np.int64)
    ms = _arr(MS_PER_TOKEN)[model]
    latency = np.where(ok, 180 + tout * ms * np.exp(0.25 * rng.standard_normal(n)) + tin / 40.0, rng.uniform(15, 400, n)).astype(np.int64)
    conv_ids = hex_ids(rng, len(first), "conv_", 10).gather(conv)
    key = _keys(pop, rng, acct, t)
    ip = c["ip_start"][acct] + np.floor(c["ip_len"][acct] * rng.random(n) ** np.where(c["ip_uniform"][acct], 1.0, 2.0)).astype(np.int64)
    ua = np.where(rng.random(n) < 0.9, c["ua1"][acct], c["ua2"][acct])
    ts_us = np.round(t * 1_000_000).astype(np.int64) + int(WINDOW_START.timestamp() * 1_000_000)
    ips = pop.ips[ip]
    geo_miss = rng.random(n) < 0.01

    def null(values: pl.Series | np.ndarray, mask: np.ndarray) -> pl.Expr:
        return pl.when(pl.lit(pl.Series(mask))).then(None).otherwise(pl.lit(pl.Series(values)))

    frame = pl.select(
        request_id=pl.lit(hex_ids(rng, n, "req_", 12)),
        ts=pl.lit(pl.Series(ts_us)).cast(pl.Datetime("us", "UTC")),
        account_id=pl.lit(pop.accounts["account_id"].gather(acct)),
        api_key_id=pl.lit(pop.api_keys["api_key_id"].gather(key)),
        org_id=pl.lit(pop.accounts["org_id"].gather(acct)),
        client_ip=pl.lit(ips["ip"]),
        # The edge's geo/ASN lookup misses now and then: no ASN, no country, class unknown (or not sent).
        asn=null(ips["asn"], geo_miss),
        ip_class=null(
            pl.select(pl.when(pl.lit(pl.Series(geo_miss))).then(pl.lit("unknown")).otherwise(pl.lit(ips["ip_class"]))).to_series(),
            rng.random(n) < 0.005,
        ),
        country=null(ips["country"], geo_miss),
        user_agent=null(UA_SERIES.gather(ua), rng.random(n) < 0.005),
        model=pl.lit(MODEL_SERIES.gather(model)),
        operation=pl.lit(OPERATIONS.gather(op)),
        input_tokens=pl.lit(pl.Series(np.maximum(1, np.round(tin)).astype(np.int64))),
        output_tokens=pl.lit(pl.Series(tout)),
        latency_ms=null(latency, rng.random(n) < 0.02),
        status=pl.lit(pl.Series(status.astype(np.int32))),
        finish_reason=null(FINISH.gather(finish), ~ok | embed),
        tool_count=null(pl.Series(tools.astype(np.int32)), embed),
        has_image=null(pl.Series(has_image), embed),
        system_prompt_hash=null(pop.sys_hashes.gather(c["sys_idx"][acct]), ~sys_on | embed),
        conversation_id=null(conv_ids, embed),
        turn=null(pl.Series(turn.astype(np.int32)), embed),
        prompt=null(prompt, ~c["logging"][acct]),
    )
    return frame.sort("ts", "request_id")


def _conversation_starts(
    pop: Population, rng: np.random.Generator, acct: np.ndarray, arch: np.ndarray, ordinary: np.ndarray, kinds: list[str]
) -> np.ndarray:
    """When does each conversation begin, following its account's timing habit?"""
    c, g = pop.cols, pop.groups
    n = len(acct)
    out = np.zeros(n)
    kind = np.array(kinds)[arch]
    kind = np.where(ordinary, "diurnal", kind)
    for name in ("diurnal", "steady", "runs", "scripted", "waves"):
        m = kind == name
        if not m.any():
            continue
        a = acct[m]
        if name == "diurnal":
            out[m] = timing.diurnal_starts(rng, c["day_w"][a], c["tz"][a])
        elif name == "steady":
            out[m] = timing.steady_starts(rng, int(m.sum()))
        elif name == "runs":
            out[m] = timing.run_starts(rng, c["run_start"][a], c["run_len"][a])
        else:
            grp = c["group"][a]
            jitter = g["jitter"][grp] * (3.0 if name == "waves" else 1.0)
            out[m] = timing.scripted_starts(rng, c["day_w"][a], g["shift_start"][grp], g["shift_len"][grp], g["period"][grp], jitter)
    return out


def _keys(pop: Population, rng: np.random.Generator, acct: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Which key made each call: the newest key at that moment, or any of them for keys used side by side."""
    c = pop.cols
    start, count = c["key_start"][acct], c["key_len"][acct]
    owner = np.repeat(np.arange(len(c["key_len"])), c["key_len"])
    span = 1e7  # > seconds in a week, so (owner, time) sorts as one number
    keyed = owner * span + np.clip(pop.key_created, -1.0, span - 1)
    idx = np.searchsorted(keyed, acct * span + t, side="right") - 1
    idx = np.clip(idx, start, start + count - 1)
    parallel = c["key_parallel"][acct]
    return np.where(parallel, start + (rng.random(len(acct)) * count).astype(np.int64), idx)

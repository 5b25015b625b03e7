"""Account paperwork: sign-up times, e-mail domains, payment instruments, verification, user agents and keys."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from radar.simulate.archetypes import ARCHETYPES, Archetype
from radar.simulate.ids import hex_ids
from radar.simulate.vocab import (
    COMPANY_TLDS,
    DOMAIN_WORDS,
    IDE_AGENTS,
    SERVER_AGENTS,
    THROWAWAY,
    UNIVERSITY_FORMS,
    USER_AGENTS,
    VERIFICATION,
    WEBMAIL,
    WEBMAIL_WEIGHTS,
    WEEK_S,
)

DAY = 86_400.0
# Term starts (days from the window start): autumn semester 2025-09-01 and spring term 2026-01-12.
TERM_STARTS = np.array([-161.0, -28.0])
UA_W = np.array([w for _, w in USER_AGENTS])


def draw_signup(rng: np.random.Generator, arch: Archetype, group_local: np.ndarray, n_groups: int) -> np.ndarray:
    """When did each account sign up (seconds from the window start; negative = before the week)?"""
    n = len(group_local)
    if arch.signup == "spread":
        # Users joined over the past three years; a few percent join during the week itself.
        days = -np.minimum(rng.exponential(320.0, n), 1_100.0)
        days = np.where(rng.random(n) < 0.15, -rng.uniform(0.0, 45.0, n), days)  # steady growth: new users every week
        during = rng.random(n) < 0.04
        return np.where(during, rng.uniform(0, WEEK_S * 0.9, n), days * DAY + rng.uniform(0, DAY, n))
    if arch.signup == "term":
        term = TERM_STARTS[rng.integers(0, 2, n_groups)][group_local]
        return (term + rng.exponential(2.5, n)) * DAY + rng.uniform(8 * 3600, 20 * 3600, n)
    if arch.signup == "old":
        return -rng.uniform(60.0, 900.0, n_groups)[group_local] * DAY - rng.uniform(0, 30 * DAY, n)
    if arch.signup == "lecture":
        # A course that starts this week: the lecturer asks the room to sign up in the first session (Monday or
        # Tuesday, working hours), so a course's students register minutes apart; some already had an account.
        lecture = rng.integers(0, 2, n_groups) * DAY + rng.uniform(7 * 3600, 15 * 3600, n_groups)
        earlier = rng.random(n) < 0.15
        during = lecture[group_local] + np.minimum(rng.exponential(15 * 60, n), 2 * 3600)
        return np.where(earlier, -rng.uniform(5.0, 400.0, n) * DAY, during)
    if arch.signup == "aged":
        # Registered one by one over weeks and left to age before the operation uses them: no waves, none new.
        return -rng.uniform(21.0, 70.0, n) * DAY
    # Bursts: each cluster registers its accounts in a few waves, minutes apart; some waves land inside the week.
    late = 2.0 if arch.campaign == "c" else 0.5
    centers = rng.uniform(-45.0, late, (n_groups, 3)) * DAY
    wave = rng.integers(0, 3, n)
    burst = centers[group_local, wave] + rng.exponential(25 * 60, n)
    # Some accounts are bought aged rather than registered for the operation.
    aged = rng.random(n) < (0.0 if arch.campaign == "a" else 0.2)
    return np.where(aged, -rng.uniform(90.0, 400.0, n) * DAY, burst)


def _choice(rng: np.random.Generator, values: list[str], n: int, weights: list[float] | None = None) -> pl.Series:
    p = None if weights is None else np.asarray(weights) / np.sum(weights)
    return pl.Series(values, dtype=pl.String).gather(rng.choice(len(values), size=n, p=p))


def _domains(rng: np.random.Generator, n: int, forms: list[str]) -> list[str]:
    """n made-up organisation domains (word + word + ending)."""
    a, b = rng.integers(0, len(DOMAIN_WORDS), n), rng.integers(0, len(DOMAIN_WORDS), n)
    f = rng.integers(0, len(forms), n)
    return [forms[f[i]].format(w=DOMAIN_WORDS[a[i]] + DOMAIN_WORDS[b[i]]) for i in range(n)]


def draw_emails(rng: np.random.Generator, arch: Archetype, n: int, group_local: np.ndarray, n_groups: int) -> pl.DataFrame:
    """Each account's e-mail domain, payment fingerprint and verification level."""
    webmail = _choice(rng, WEBMAIL, n, WEBMAIL_WEIGHTS)
    throwaway = _choice(rng, THROWAWAY, n)
    if arch.email == "company":
        domain = pl.Series(_domains(rng, n_groups, [w + t for t in COMPANY_TLDS for w in ("{w}",)])).gather(group_local)
    elif arch.email == "university":
        domain = pl.Series(_domains(rng, n_groups, UNIVERSITY_FORMS)).gather(group_local)
    elif arch.email == "bought":
        # Accounts bought on the market: each was registered by a different small company, so each its own domain.
        domain = pl.Series(_domains(rng, n, [w + t for t in COMPANY_TLDS for w in ("{w}",)]))
    elif arch.email == "attacker":
        lookalike = pl.Series(_domains(rng, n_groups, ["{w}mail.com", "{w}.xyz", "{w}-inbox.net", "{w}.top"])).gather(group_local)
        u = rng.random(n)
        domain = pl.select(
            pl.when(pl.lit(pl.Series(u < 0.65)))
            .then(pl.lit(webmail))
            .when(pl.lit(pl.Series(u < 0.9)))
            .then(pl.lit(throwaway))
            .otherwise(pl.lit(lookalike))
        ).to_series()
    else:
        company = pl.Series(_domains(rng, n, [w + t for t in COMPANY_TLDS for w in ("{w}",)]))
        u = rng.random(n)
        company_share = 0.25 if arch.name == "agentic_coder" else 0.08
        domain = pl.select(
            pl.when(pl.lit(pl.Series(u < company_share)))
            .then(pl.lit(company))
            .when(pl.lit(pl.Series(u < company_share + 0.02)))
            .then(pl.lit(throwaway))
            .otherwise(pl.lit(webmail))
        ).to_series()
    verification = _choice(rng, VERIFICATION, n, list(arch.verification))
    if arch.payment == "own":
        fp = hex_ids(rng, n, "pm_", 10)
        free = verification.is_in(["none", "email"]).to_numpy() & (rng.random(n) < 0.7)
    elif arch.payment == "group":
        fp = hex_ids(rng, n_groups, "pm_", 10).gather(group_local)
        free = np.zeros(n, dtype=bool)
    else:
        # A few instruments pay for many accounts of a cluster.
        per_group = max(2, int(np.ceil(n / n_groups / 12)))
        pool = hex_ids(rng, n_groups * per_group, "pm_", 10)
        fp = pool.gather(group_local * per_group + rng.integers(0, per_group, n))
        free = rng.random(n) < 0.25
    payment = pl.select(pl.when(pl.lit(pl.Series(free))).then(None).otherwise(pl.lit(fp))).to_series()
    return pl.DataFrame({"email_domain": domain, "payment": payment, "verification": verification})


def draw_user_agents(rng: np.random.Generator, kind: str, n: int) -> np.ndarray:
    """Which SDK user agent (index into USER_AGENTS) does each account use?"""
    if kind == "server":
        pool = np.array(SERVER_AGENTS)
    elif kind == "ide":
        pool = np.array(IDE_AGENTS)
    elif kind == "popular":
        pool = np.argsort(-UA_W)[:7]  # the most common SDKs, to blend in
    else:
        pool = np.arange(len(USER_AGENTS))
    w = UA_W[pool] / UA_W[pool].sum()
    return pool[rng.choice(len(pool), size=n, p=w)]


@dataclass
class Keys:
    """API keys, grouped by owner: first key row and count per account; created / revoked seconds per key."""

    start: np.ndarray
    count: np.ndarray
    created: np.ndarray
    revoked: np.ndarray
    side_by_side: np.ndarray  # per account: keys used in parallel rather than rotated


def draw_keys(rng: np.random.Generator, cols: dict[str, np.ndarray], archs: list[Archetype] = ARCHETYPES) -> Keys:
    """Which keys does each account hold, when were they made and revoked?"""
    arch = cols["arch"]
    n = len(arch)
    extra = np.array([a.keys[0] for a in archs])[arch]
    parallel = rng.random(n) < np.array([a.keys[1] for a in archs])[arch]
    count = 1 + np.minimum(rng.poisson(extra), 5)
    start = np.cumsum(count) - count
    owner = np.repeat(np.arange(n), count)
    rank = np.arange(len(owner)) - start[owner]
    created_acct = cols["created"][owner]
    # The first key is made minutes after sign-up; rotated keys at random moments of the week after that.
    first = created_acct + rng.uniform(30, 600, len(owner))
    begin = np.maximum(created_acct + 900, 0.0)
    rotated = begin + rng.random(len(owner)) * (WEEK_S - begin)
    side = parallel[owner]
    created = np.where((rank == 0) | side, np.where(side & (rank > 0), first + rng.uniform(0, 5 * DAY, len(owner)), first), rotated)
    created = np.minimum(created, np.where(rank == 0, created, WEEK_S - 60))
    # Sort each account's keys by creation so rotation order is time order.
    order = np.lexsort((created, owner))
    created = created[order]
    nxt = np.append(created[1:], np.inf)
    last = np.append(owner[1:] != owner[:-1], True)
    is_attack = np.array([bool(a.campaign) for a in archs])[arch][owner]
    revoke = (~last) & (~side) & (rng.random(len(owner)) < np.where(is_attack, 0.7, 0.5))
    revoked = np.where(revoke, nxt + rng.uniform(60, 2 * 3600, len(owner)), np.nan)
    revoked = np.where(revoked < WEEK_S, revoked, np.nan)  # not yet revoked when the week's drop was cut
    return Keys(start, count, created, revoked, parallel)

"""The callers: accounts with their groups, sign-up, volume, habits, addresses and keys (one archetype at a time)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import polars as pl

from radar.simulate.addresses import draw_addresses
from radar.simulate.archetypes import ARCHETYPES, Archetype, scaled_accounts, scaled_rows
from radar.simulate.ids import hex_ids
from radar.simulate.infra import COUNTRY_TZ, COUNTRY_W, IpTable
from radar.simulate.people import draw_emails, draw_keys, draw_signup, draw_user_agents
from radar.simulate.prompts import N_TOPICS, TEMPLATE_COUNTS
from radar.simulate.vocab import COUNTRIES, WEEK_S, WINDOW_START

if TYPE_CHECKING:
    from radar.simulate.variants import Variant

WEEKEND = {"individual": 0.8, "institution_nat": 0.25, "agentic_coder": 0.45}
#: how much busier a deadline day is than an ordinary active day (students' submission rush; half of it the day before)
DEADLINE_WEIGHT = 6.0


@dataclass
class Population:
    """Every account's contract rows plus the per-account habits that traffic generation reads."""

    accounts: pl.DataFrame
    api_keys: pl.DataFrame
    truth: pl.DataFrame
    ips: pl.DataFrame
    cols: dict[str, np.ndarray] = field(default_factory=dict)  # per-account arrays, index = account row
    groups: dict[str, np.ndarray] = field(default_factory=dict)  # per-group arrays, index = group id
    key_created: np.ndarray = field(default_factory=lambda: np.zeros(0))  # seconds from window start, per key
    sys_hashes: pl.Series = field(default_factory=lambda: pl.Series(dtype=pl.String))
    archetypes: list[Archetype] = field(default_factory=lambda: list(ARCHETYPES))  # index = cols["arch"]

    @property
    def size(self) -> int:
        """How many accounts?"""
        return self.accounts.height


def slice_streams(seed: int, code: int) -> tuple[np.random.Generator, np.random.Generator]:
    """Which random streams draw one archetype's callers (its own, and its variant's own)?

    Every archetype draws from streams of its own, so a variant that changes one archetype leaves every other
    archetype's accounts, keys and requests exactly as the default drop has them (row for row)."""
    return np.random.default_rng([seed, 0, code]), np.random.default_rng([seed, 3, code])


def build_slice(seed: int, code: int, scale: float, variant: Variant | None = None) -> Population:
    """Who are the callers of one archetype (by code) at this scale, and how does each behave (as the variant says)?"""
    rng, vrng = slice_streams(seed, code)
    archs = variant.archetypes() if variant else list(ARCHETYPES)
    arch = archs[code]
    ips = IpTable(rng)
    n = scaled_accounts(arch, scale)
    varied = variant.pick(vrng, arch, n) if variant else np.zeros(n, dtype=bool)
    cols, info = _archetype(rng, code, arch, n, scaled_rows(arch, scale, n), ips, variant, vrng, varied)
    # Shuffle accounts so no ordering or position inside the archetype tells one group from another.
    perm = rng.permutation(n)
    cols = {k: v[perm] for k, v in cols.items()}
    info = info[perm]
    account_ids = hex_ids(rng, n, "acct_", 8)
    n_groups = int(cols["group"].max()) + 1
    groups = _group_habits(rng, n_groups)
    org_ids = hex_ids(rng, max(n_groups, int(cols["org"].max()) + 1), "org_", 6)
    org = pl.Series(cols["org"]).cast(pl.Int64)
    org_id = pl.select(pl.when(org >= 0).then(pl.lit(org_ids).gather(org.clip(0))).otherwise(None)).to_series()
    cols["sys_idx"], sys_hashes, cols["sys_tokens"] = _system_prompts(rng, cols, archs)
    keys = draw_keys(rng, cols, archs)
    if variant:
        keys = variant.keys(vrng, keys, cols)
    cols["key_start"], cols["key_len"], cols["key_parallel"] = keys.start, keys.count, keys.side_by_side
    accounts = pl.DataFrame(
        {
            "account_id": account_ids,
            "created_at": _ts(cols["created"]),
            "email_domain": info["email_domain"],
            "payment_fingerprint": info["payment"],
            "verification": info["verification"],
            "country": info["country"],
            "signup_ip": None,
            "org_id": org_id,
        }
    )
    ip_frame = ips.frame()
    accounts = accounts.with_columns(signup_ip=ip_frame["ip"].gather(cols["signup_row"]))
    key_owner = np.repeat(np.arange(n), keys.count)
    api_keys = pl.DataFrame(
        {
            "api_key_id": hex_ids(rng, len(key_owner), "key_", 10),
            "account_id": account_ids.gather(key_owner),
            "created_at": _ts(keys.created),
            "revoked_at": _ts(keys.revoked),
        }
    )
    truth = pl.DataFrame(
        {
            "account_id": account_ids,
            "label": np.full(n, "attack" if arch.campaign else "benign"),
            "campaign": np.full(n, arch.campaign),
            "archetype": np.full(n, arch.name),
            # which accounts the variant changed (empty without one); read by the evaluation, never by detection
            "variant": np.where(cols["varied"], variant.name if variant else "", ""),
        }
    )
    return Population(accounts, api_keys, truth, ip_frame, cols, groups, keys.created, sys_hashes, archs)


def build_population(seed: int, scale: float, variant: Variant | None = None) -> list[Population]:
    """Who are all the callers at this scale, archetype by archetype (in the order of ARCHETYPES)?"""
    return [build_slice(seed, code, scale, variant) for code in range(len(ARCHETYPES))]


def _ts(seconds: np.ndarray) -> pl.Series:
    """Seconds from the window start (NaN = none) as UTC timestamps with microseconds."""
    base = int(WINDOW_START.timestamp() * 1_000_000)
    us = pl.Series(np.round(np.nan_to_num(seconds) * 1_000_000).astype(np.int64) + base)
    out = us.cast(pl.Datetime("us", "UTC"))
    return pl.select(pl.when(pl.lit(pl.Series(np.isnan(seconds)))).then(None).otherwise(pl.lit(out))).to_series()


def _archetype(
    rng: np.random.Generator,
    code: int,
    arch: Archetype,
    n: int,
    rows: int,
    ips: IpTable,
    variant: Variant | None,
    vrng: np.random.Generator,
    varied: np.ndarray,
) -> tuple[dict[str, np.ndarray], pl.DataFrame]:
    """The accounts of one archetype: per-account habits and their contract fields (the varied ones changed)."""
    n_groups = max(1, -(-n // arch.group_size))
    group_local = rng.permutation(np.arange(n) % n_groups)
    group = group_local.copy()
    country_idx = rng.choice(len(COUNTRY_W), size=n, p=COUNTRY_W)
    if arch.group_size > 1 and not arch.campaign:
        # An organisation or institution sits in one country.
        country_idx = rng.choice(len(COUNTRY_W), size=n_groups, p=COUNTRY_W)[group_local]
    created = draw_signup(rng, arch, group_local, n_groups)
    if variant and varied.any():
        created, country_idx = variant.signup(vrng, created, country_idx, varied)
    tz = COUNTRY_TZ[country_idx]
    # Active days: each day on with the account's activity share; nothing before sign-up.
    share = rng.uniform(*arch.active_days, n)
    day_w = (rng.random((n, 7)) < share[:, None]).astype(np.float64)
    day_w[:, 5:] *= arch.weekend if arch.weekend is not None else WEEKEND.get(arch.name, 0.9 if not arch.campaign else 1.0)
    if arch.deadline is not None:
        # Work piles up before a deadline: everyone works the day it is due and the evening before, most of all then.
        d = arch.deadline
        day_w[:, d] = np.maximum(day_w[:, d], 1.0) * DEADLINE_WEIGHT
        if d > 0:
            day_w[:, d - 1] = np.maximum(day_w[:, d - 1], 1.0) * DEADLINE_WEIGHT / 2
    first_day = np.clip(np.floor(np.maximum(created + 900, 0) / 86_400), 0, 6).astype(np.int64)
    day_w[np.arange(7)[None, :] < first_day[:, None]] = 0.0
    empty = day_w.sum(1) == 0
    day_w[empty, first_day[empty]] = 1.0
    weight = rng.lognormal(0.0, arch.volume_sigma, n) * day_w.sum(1)
    n_req = 1 + rng.multinomial(rows - n, weight / weight.sum())
    ip_start, ip_len, ip_uniform = draw_addresses(rng, arch, n, group_local, n_groups, country_idx, ips)
    signup_row = ip_start  # an account signs up from the first address it calls from, unless a variant moves its calls
    if variant and varied.any():
        ip_start, ip_len, ip_uniform = variant.addresses(vrng, ips, varied, ip_start, ip_len, ip_uniform)
    ua1, ua2 = draw_user_agents(rng, arch.ua, n), draw_user_agents(rng, arch.ua, n)
    org = np.full(n, -1, dtype=np.int64)
    if arch.email in ("company", "university"):
        org = group.copy()
    elif arch.email == "bought":
        org = np.arange(n, dtype=np.int64)  # each bought account is verified as its own (small) organisation
    elif arch.name == "agentic_coder":
        org = np.where(rng.random(n) < 0.2, -2, -1)  # small teams: an organisation of their own, assigned below
    elif arch.campaign == "b":
        org = np.where(rng.random(n) < 0.3, group, -1)
    # Sweeps: accounts of a group start at spread-out points of the taxonomy and walk forward.
    member_rank = np.zeros(n, dtype=np.int64)
    order = np.argsort(group_local, kind="stable")
    counts = np.bincount(group_local, minlength=n_groups)
    member_rank[order] = np.arange(n) - np.repeat(np.cumsum(counts) - counts, counts)
    sweep_offset = (group * 97 + member_rank * max(1, N_TOPICS // max(1, arch.group_size))) % N_TOPICS
    runs = np.sort(rng.uniform(0, WEEK_S - 3 * 3600, (n, 12)), axis=1)
    cols = {
        "arch": np.full(n, code, dtype=np.int64),
        "group": group,
        "org": org,
        "n_req": n_req.astype(np.int64),
        "tz": tz,
        "created": created,
        "day_w": day_w,
        "ip_start": ip_start,
        "ip_len": ip_len,
        "ip_uniform": ip_uniform,
        "signup_row": signup_row,
        "varied": varied,
        "ua1": ua1,
        "ua2": ua2,
        "logging": rng.random(n) >= (0.03 if arch.name != "saas_integration" else 0.15),
        "sweep_offset": sweep_offset,
        "run_start": runs,
        "run_len": np.maximum(600.0, n_req / 12 / rng.uniform(1.0, 6.0, n)),
        "tool_base": np.maximum(0, arch.tools + rng.integers(-2, 3, n)),
        "persona": rng.integers(0, 1 << 30, n),
        # Habits vary between accounts of one archetype: model preference, new-model uptake, system prompts.
        "model_cdf": _cdf(np.array(arch.models[:3]) * rng.lognormal(0.0, 0.7, (n, 3))),
        "adopt": np.clip(arch.adopt * rng.uniform(0.3, 1.3, n), 0.0, 1.0),
        "sys_share": _beta_around(rng, arch.sys_prompt, n),
    }
    info = draw_emails(rng, arch, n, group_local, n_groups)
    info = info.with_columns(country=pl.Series([c for c, _, _ in COUNTRIES]).gather(country_idx))
    if arch.name == "agentic_coder":
        cols["org"] = np.where(org == -2, -1, org)
    return cols, info


def _cdf(weights: np.ndarray) -> np.ndarray:
    """Row-wise cumulative shares of positive weights."""
    c = np.cumsum(weights, axis=1)
    return c / c[:, -1:]


def _beta_around(rng: np.random.Generator, mean: float, n: int) -> np.ndarray:
    """Per-account shares spread around an archetype's mean (Beta with concentration 2)."""
    m = min(max(mean, 0.02), 0.98)
    return rng.beta(2 * m, 2 * (1 - m), n)


def _group_habits(rng: np.random.Generator, n_groups: int) -> dict[str, np.ndarray]:
    """Per group: the templates, wording and script timing its members share."""
    return {
        "templates": rng.integers(0, 1 << 20, (n_groups, len(TEMPLATE_COUNTS), 4)) % TEMPLATE_COUNTS[None, :, None],
        "cot": rng.integers(0, 6, (n_groups, 2)),
        "prefix": rng.integers(0, 10, (n_groups, 2)),
        "suffix": rng.integers(0, 9, (n_groups, 2)),
        "period": rng.uniform(20.0, 90.0, n_groups),
        "jitter": rng.uniform(1.0, 6.0, n_groups),
        "shift_start": rng.uniform(0, 86_400, n_groups),
        "shift_len": rng.uniform(10 * 3600, 20 * 3600, n_groups),
    }


def _system_prompts(
    rng: np.random.Generator, cols: dict[str, np.ndarray], archs: list[Archetype]
) -> tuple[np.ndarray, pl.Series, np.ndarray]:
    """Which system prompt (hash) does each account send when it sends one?"""
    n = len(cols["arch"])
    names = np.array([a.name for a in archs])[cols["arch"]]
    n_groups = int(cols["group"].max()) + 1
    # Groups share one; coding tools share one per tool (user agent); individuals have their own.
    idx = np.where(np.isin(names, ["individual", "institution_nat"]), n_groups + 64 + np.arange(n), cols["group"])
    idx = np.where(names == "agentic_coder", n_groups + cols["ua1"], idx)
    uniq, inverse = np.unique(idx, return_inverse=True)
    hashes = hex_ids(rng, len(uniq), "", 16)
    tokens = rng.integers(60, 3_500, len(uniq))
    return inverse.astype(np.int64), hashes, tokens[inverse]

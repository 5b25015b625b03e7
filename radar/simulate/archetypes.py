"""Who calls the API: benign archetypes and the three February 2026 campaigns, as numbers at scale 1.0."""

from __future__ import annotations

from dataclasses import dataclass

# Capability weights, in the order of templates.CAPABILITIES:
#            reasoning coding agentic vision rubric censor writing support
MIX_PERSONAL = (0.17, 0.16, 0.04, 0.07, 0.03, 0.005, 0.30, 0.225)


@dataclass(frozen=True)
class Archetype:
    """One population of callers and how it behaves."""

    name: str
    campaign: str  # a, b, c for the campaigns, "" for benign traffic
    accounts: int  # at scale 1.0
    min_accounts: int
    rows: int  # requests over the week at scale 1.0
    group_size: int  # accounts per organisation / institution / cluster
    timing: str  # diurnal | steady | runs | scripted | waves
    conv_mean: float  # mean turns per conversation
    gap_s: float  # median seconds between turns
    mix: tuple[float, ...]  # capability weights
    cot: float  # share of prompts that ask for step-by-step reasoning
    templates: int  # templates per capability a group sticks to (0 = any)
    sweep: bool  # prompts walk a topic taxonomy systematically
    ip: str  # home | cloud | nat | proxy | office
    email: str  # webmail | company | university | attacker
    verification: tuple[float, ...]  # weights over none, email, phone, payment, organisation
    payment: str  # own | group | shared
    keys: tuple[float, float]  # (mean extra keys, share of accounts using their keys side by side)
    signup: str  # spread | term | old | burst
    ua: str  # any | server | ide | popular
    sys_prompt: float  # share of calls with a system prompt
    tools: int  # typical tool definitions on agentic calls
    models: tuple[float, ...]  # weights over large, medium, small, embed (large-3.5 taken up after release)
    adopt: float  # share of large-model calls that move to the new model after release
    ops: tuple[float, ...]  # weights over chat, completion, embeddings, batch
    active_days: tuple[float, float]  # range of the share of days an account is active
    volume_sigma: float  # spread (lognormal sigma) of volume between accounts
    ordinary: float = 0.0  # share of calls that copy the personal prompt mix (proxy-network cover traffic)
    errors: float = 1.0  # multiplier on the 429/5xx rates
    reword: float = 0.25  # chance per synonym of a rewording


ARCHETYPES: list[Archetype] = [
    Archetype(
        "individual",
        "",
        40_000,
        300,
        5_000_000,
        1,
        "diurnal",
        3.0,
        70.0,
        MIX_PERSONAL,
        0.08,
        0,
        False,
        "home",
        "webmail",
        (0.15, 0.45, 0.2, 0.2, 0.0),
        "own",
        (0.12, 0.0),
        "spread",
        "any",
        0.15,
        6,
        (0.35, 0.45, 0.2, 0.0),
        0.3,
        (0.93, 0.04, 0.03, 0.0),
        (0.15, 1.0),
        1.1,
    ),
    Archetype(
        "saas_integration",
        "",
        300,
        10,
        4_000_000,
        5,
        "steady",
        1.6,
        4.0,
        (0.0, 0.0, 0.05, 0.0, 0.0, 0.0, 0.15, 0.80),
        0.0,
        2,
        False,
        "cloud",
        "company",
        (0.0, 0.0, 0.0, 0.6, 0.4),
        "group",
        (1.5, 1.0),
        "old",
        "server",
        1.0,
        2,
        (0.05, 0.55, 0.3, 0.1),
        0.0,
        (0.8, 0.05, 0.15, 0.0),
        (1.0, 1.0),
        0.6,
    ),
    Archetype(
        "eval_harness",
        "",
        24,
        4,
        3_500_000,
        4,
        "runs",
        1.0,
        1.0,
        (0.35, 0.2, 0.1, 0.05, 0.2, 0.02, 0.05, 0.03),
        0.55,
        3,
        True,
        "cloud",
        "company",
        (0.0, 0.0, 0.0, 0.0, 1.0),
        "group",
        (2.0, 1.0),
        "old",
        "server",
        0.6,
        8,
        (0.6, 0.3, 0.1, 0.0),
        0.8,
        (0.45, 0.05, 0.0, 0.5),
        (0.4, 0.9),
        0.4,
        errors=3.0,
        reword=0.02,
    ),
    Archetype(
        "institution_nat",
        "",
        3_000,
        30,
        1_600_000,
        200,
        "diurnal",
        2.5,
        80.0,
        MIX_PERSONAL,
        0.12,
        0,
        False,
        "nat",
        "university",
        (0.0, 0.3, 0.0, 0.0, 0.7),
        "group",
        (0.05, 0.0),
        "term",
        "any",
        0.1,
        4,
        (0.3, 0.5, 0.2, 0.0),
        0.2,
        (0.95, 0.03, 0.02, 0.0),
        (0.3, 0.8),
        0.9,
    ),
    Archetype(
        "agentic_coder",
        "",
        2_500,
        25,
        3_000_000,
        1,
        "diurnal",
        14.0,
        18.0,
        (0.05, 0.4, 0.45, 0.02, 0.0, 0.0, 0.05, 0.03),
        0.05,
        0,
        False,
        "office",
        "webmail",
        (0.05, 0.35, 0.2, 0.3, 0.1),
        "own",
        (0.4, 0.0),
        "spread",
        "ide",
        0.95,
        16,
        (0.7, 0.25, 0.05, 0.0),
        0.7,
        (0.97, 0.01, 0.02, 0.0),
        (0.5, 1.0),
        0.8,
    ),
    # (a) reasoning with chain-of-thought elicitation, rubric grading, censorship-bypass rewrites.
    Archetype(
        "campaign_a",
        "a",
        500,
        15,
        150_000,
        25,
        "scripted",
        1.2,
        25.0,
        (0.5, 0.0, 0.0, 0.0, 0.28, 0.22, 0.0, 0.0),
        0.9,
        3,
        True,
        "proxy",
        "attacker",
        (0.55, 0.35, 0.07, 0.03, 0.0),
        "shared",
        (1.0, 0.0),
        "burst",
        "popular",
        0.5,
        0,
        (0.85, 0.15, 0.0, 0.0),
        0.9,
        (0.97, 0.03, 0.0, 0.0),
        (0.5, 1.0),
        0.7,
    ),
    # (b) agentic reasoning, tool use, coding, computer vision.
    Archetype(
        "campaign_b",
        "b",
        3_000,
        15,
        3_400_000,
        60,
        "scripted",
        6.0,
        9.0,
        (0.2, 0.28, 0.32, 0.2, 0.0, 0.0, 0.0, 0.0),
        0.45,
        4,
        True,
        "proxy",
        "attacker",
        (0.45, 0.35, 0.12, 0.08, 0.0),
        "shared",
        (0.8, 0.0),
        "burst",
        "popular",
        0.8,
        12,
        (0.8, 0.2, 0.0, 0.0),
        0.9,
        (0.9, 0.02, 0.0, 0.08),
        (0.6, 1.0),
        0.5,
        errors=1.5,
    ),
    # (c) agentic coding and tool orchestration through a proxy network of light accounts with cover traffic.
    Archetype(
        "campaign_c",
        "c",
        20_500,
        15,
        13_000_000,
        400,
        "waves",
        5.0,
        12.0,
        (0.05, 0.45, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0),
        0.2,
        4,
        True,
        "proxy",
        "attacker",
        (0.4, 0.4, 0.15, 0.05, 0.0),
        "shared",
        (0.4, 0.0),
        "burst",
        "popular",
        0.6,
        14,
        (0.75, 0.2, 0.05, 0.0),
        0.8,
        (0.96, 0.02, 0.02, 0.0),
        (0.45, 1.0),
        0.5,
        ordinary=0.4,
    ),
]


def scaled_accounts(arch: Archetype, scale: float) -> int:
    """How many accounts does this archetype have at this scale (never below its minimum)?"""
    return max(arch.min_accounts, round(arch.accounts * scale))


def scaled_rows(arch: Archetype, scale: float, accounts: int) -> int:
    """How many requests does this archetype send at this scale (at least a few per account)?"""
    return max(3 * accounts, round(arch.rows * scale))

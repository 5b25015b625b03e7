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
    email: str  # webmail | company | university | attacker | bought (each account its own company's domain)
    verification: tuple[float, ...]  # weights over none, email, phone, payment, organisation
    payment: str  # own | group | shared
    keys: tuple[float, float]  # (mean extra keys, share of accounts using their keys side by side)
    signup: str  # spread | term | old | burst | aged | lecture
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
    weekend: float | None = None  # weight of Saturday and Sunday (None: the population's usual, see population.WEEKEND)
    paraphrase: bool = False  # scripted prompts are paraphrased call by call instead of sent as filled templates
    course: float = 0.0  # share of calls pasting one of the group's course prompts verbatim (a tutorial's exercises)
    deadline: int | None = None  # day of the week (0 = Monday) an assignment is due: that day and the one before are busiest


ARCHETYPES: list[Archetype] = [
    Archetype(
        name="individual",
        campaign="",
        accounts=40_000,
        min_accounts=300,
        rows=8_000_000,
        group_size=1,
        timing="diurnal",
        conv_mean=3.0,
        gap_s=70.0,
        mix=MIX_PERSONAL,
        cot=0.12,
        templates=0,
        sweep=False,
        ip="home",
        email="webmail",
        verification=(0.15, 0.45, 0.2, 0.2, 0.0),
        payment="own",
        keys=(0.12, 0.0),
        signup="spread",
        ua="any",
        sys_prompt=0.15,
        tools=6,
        models=(0.35, 0.45, 0.2, 0.0),
        adopt=0.3,
        ops=(0.93, 0.04, 0.03, 0.0),
        active_days=(0.15, 1.0),
        volume_sigma=1.1,
        ordinary=0.0,
        errors=1.0,
        reword=0.25,
    ),
    Archetype(
        name="saas_integration",
        campaign="",
        accounts=300,
        min_accounts=10,
        rows=4_000_000,
        group_size=5,
        timing="steady",
        conv_mean=1.6,
        gap_s=4.0,
        mix=(0.0, 0.0, 0.05, 0.0, 0.0, 0.0, 0.15, 0.8),
        cot=0.0,
        templates=2,
        sweep=False,
        ip="cloud",
        email="company",
        verification=(0.0, 0.0, 0.0, 0.6, 0.4),
        payment="group",
        keys=(1.5, 1.0),
        signup="old",
        ua="server",
        sys_prompt=1.0,
        tools=2,
        models=(0.05, 0.55, 0.3, 0.1),
        adopt=0.0,
        ops=(0.8, 0.05, 0.15, 0.0),
        active_days=(1.0, 1.0),
        volume_sigma=0.6,
        ordinary=0.0,
        errors=1.0,
        reword=0.25,
    ),
    Archetype(
        name="eval_harness",
        campaign="",
        accounts=24,
        min_accounts=4,
        rows=3_500_000,
        group_size=4,
        timing="runs",
        conv_mean=1.0,
        gap_s=1.0,
        mix=(0.35, 0.2, 0.1, 0.05, 0.2, 0.02, 0.05, 0.03),
        cot=0.55,
        templates=3,
        sweep=True,
        ip="cloud",
        email="company",
        verification=(0.0, 0.0, 0.0, 0.0, 1.0),
        payment="group",
        keys=(2.0, 1.0),
        signup="old",
        ua="server",
        sys_prompt=0.6,
        tools=8,
        models=(0.6, 0.3, 0.1, 0.0),
        adopt=0.8,
        ops=(0.45, 0.05, 0.0, 0.5),
        active_days=(0.4, 0.9),
        volume_sigma=0.4,
        ordinary=0.0,
        errors=3.0,
        reword=0.02,
    ),
    Archetype(
        name="institution_nat",
        campaign="",
        accounts=3_000,
        min_accounts=30,
        rows=1_600_000,
        group_size=200,
        timing="diurnal",
        conv_mean=2.5,
        gap_s=80.0,
        mix=MIX_PERSONAL,
        cot=0.2,
        templates=0,
        sweep=False,
        ip="nat",
        email="university",
        verification=(0.0, 0.3, 0.0, 0.0, 0.7),
        payment="group",
        keys=(0.05, 0.0),
        signup="term",
        ua="any",
        sys_prompt=0.1,
        tools=4,
        models=(0.3, 0.5, 0.2, 0.0),
        adopt=0.2,
        ops=(0.95, 0.03, 0.02, 0.0),
        active_days=(0.3, 0.8),
        volume_sigma=0.9,
        ordinary=0.0,
        errors=1.0,
        reword=0.25,
    ),
    Archetype(
        name="agentic_coder",
        campaign="",
        accounts=2_500,
        min_accounts=25,
        rows=3_000_000,
        group_size=1,
        timing="diurnal",
        conv_mean=14.0,
        gap_s=18.0,
        mix=(0.05, 0.4, 0.45, 0.02, 0.0, 0.0, 0.05, 0.03),
        cot=0.05,
        templates=0,
        sweep=False,
        ip="office",
        email="webmail",
        verification=(0.05, 0.35, 0.2, 0.3, 0.1),
        payment="own",
        keys=(0.4, 0.0),
        signup="spread",
        ua="ide",
        sys_prompt=0.95,
        tools=16,
        models=(0.7, 0.25, 0.05, 0.0),
        adopt=0.7,
        ops=(0.97, 0.01, 0.02, 0.0),
        active_days=(0.5, 1.0),
        volume_sigma=0.8,
        ordinary=0.0,
        errors=1.0,
        reword=0.25,
    ),
    # (a) reasoning with chain-of-thought elicitation, rubric grading, censorship-bypass rewrites.
    Archetype(
        name="campaign_a",
        campaign="a",
        accounts=500,
        min_accounts=15,
        rows=150_000,
        group_size=25,
        timing="scripted",
        conv_mean=1.2,
        gap_s=25.0,
        mix=(0.5, 0.0, 0.0, 0.0, 0.28, 0.22, 0.0, 0.0),
        cot=0.9,
        templates=3,
        sweep=True,
        ip="proxy",
        email="attacker",
        verification=(0.55, 0.35, 0.07, 0.03, 0.0),
        payment="shared",
        keys=(1.0, 0.0),
        signup="burst",
        ua="popular",
        sys_prompt=0.5,
        tools=0,
        models=(0.85, 0.15, 0.0, 0.0),
        adopt=0.9,
        ops=(0.97, 0.03, 0.0, 0.0),
        active_days=(0.5, 1.0),
        volume_sigma=0.7,
        ordinary=0.0,
        errors=1.0,
        reword=0.25,
    ),
    # (b) agentic reasoning, tool use, coding, computer vision.
    Archetype(
        name="campaign_b",
        campaign="b",
        accounts=3_000,
        min_accounts=15,
        rows=3_400_000,
        group_size=60,
        timing="scripted",
        conv_mean=6.0,
        gap_s=9.0,
        mix=(0.2, 0.28, 0.32, 0.2, 0.0, 0.0, 0.0, 0.0),
        cot=0.45,
        templates=4,
        sweep=True,
        ip="proxy",
        email="attacker",
        verification=(0.45, 0.35, 0.12, 0.08, 0.0),
        payment="shared",
        keys=(0.8, 0.0),
        signup="burst",
        ua="popular",
        sys_prompt=0.8,
        tools=12,
        models=(0.8, 0.2, 0.0, 0.0),
        adopt=0.9,
        ops=(0.9, 0.02, 0.0, 0.08),
        active_days=(0.6, 1.0),
        volume_sigma=0.5,
        ordinary=0.0,
        errors=1.5,
        reword=0.25,
    ),
    # (c) agentic coding and tool orchestration through a proxy network of light accounts with cover traffic.
    Archetype(
        name="campaign_c",
        campaign="c",
        accounts=20_500,
        min_accounts=15,
        rows=13_000_000,
        group_size=400,
        timing="waves",
        conv_mean=5.0,
        gap_s=12.0,
        mix=(0.05, 0.45, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0),
        cot=0.1,
        templates=4,
        sweep=True,
        ip="proxy",
        email="attacker",
        verification=(0.4, 0.4, 0.15, 0.05, 0.0),
        payment="shared",
        keys=(0.4, 0.0),
        signup="burst",
        ua="popular",
        sys_prompt=0.6,
        tools=14,
        models=(0.75, 0.2, 0.05, 0.0),
        adopt=0.8,
        ops=(0.96, 0.02, 0.02, 0.0),
        active_days=(0.45, 1.0),
        volume_sigma=0.5,
        ordinary=0.4,
        errors=1.0,
        reword=0.25,
    ),
]


def scaled_accounts(arch: Archetype, scale: float) -> int:
    """How many accounts does this archetype have at this scale (never below its minimum)?"""
    return max(arch.min_accounts, round(arch.accounts * scale))


def scaled_rows(arch: Archetype, scale: float, accounts: int) -> int:
    """How many requests does this archetype send at this scale (at least a few per account)?"""
    return max(3 * accounts, round(arch.rows * scale))

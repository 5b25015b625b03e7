"""Habits the adversary and look-alike variants give an archetype: the figures they change and the reseller's shape."""

from __future__ import annotations

from dataclasses import replace

from radar.simulate.archetypes import Archetype

#: accounts per account the operator would otherwise run: 24k accounts instead of ~5k at the same harvest
LOW_AND_SLOW = 5
#: accounts of ordinary campaign size that one reseller account stands in for
RESELLER_FAN_IN = 20
#: bought accounts come verified: sellers advertise organisation- or card-verified, aged accounts at a premium
BOUGHT_VERIFICATION = (0.0, 0.05, 0.05, 0.3, 0.6)
#: a lab benchmarks the frontier: the large model almost always (weights over large, medium, small, embed)
LAB_MODELS = (0.8, 0.15, 0.05, 0.0)
#: an evaluation suite's capabilities: reasoning and grading first, then coding, agentic and the rest
EVAL_MIX = (0.35, 0.2, 0.1, 0.05, 0.2, 0.02, 0.05, 0.03)


def reseller(a: Archetype) -> Archetype:
    """How does a campaign look when it runs through a reseller's verified organisation accounts?

    An API reseller or aggregator holds a few old, organisation-verified accounts with many keys and resells access:
    the operator buys volume there, so its calls arrive on the reseller's cloud workers among the reseller's other
    customers' chat. Twenty times fewer accounts carry the same harvest."""
    return replace(
        a,
        accounts=max(1, a.accounts // RESELLER_FAN_IN),
        min_accounts=3,
        group_size=max(1, a.group_size // RESELLER_FAN_IN),
        timing="steady",
        ip="cloud",
        email="company",
        payment="group",
        verification=(0.0, 0.0, 0.0, 0.3, 0.7),
        signup="old",
        ua="server",
        keys=(4.0, 1.0),
        weekend=1.0,
        ordinary=0.3,
    )

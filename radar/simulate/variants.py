"""Named variants of the simulated week: every campaign style with one signal removed, or one benign archetype with
one suspicious trait added, so detection is measured against traffic shaped differently from the default drop.

Evidence comes in three families:

- control: one operator holds the accounts (shared payment instruments, sign-up IPs, address pools and prefixes,
  look-alike e-mail domains, sign-up waves);
- automation: a script makes the calls (a schedule's timing: shifts, a shared grid, no weekend, fast turns; key
  handling);
- extraction: what is asked (templates walked over a topic taxonomy, chain-of-thought requests, a capability focus on
  reasoning, rubric grading, censorship bypass or agentic coding, long outputs).

Three kinds of variant: a campaign style with one signal removed; a campaign run by an operator who has read the
detector's reasons and changes how the harvest is gathered (spread thin, spread wide, bought verified accounts, a
reseller's keys); a benign archetype given a suspicious trait, or made into a real look-alike (a university course,
a verified organisation's evaluation job, a benchmark lab). A variant changes behaviour, never identifiers: ids stay
random, and the archetypes it does not target are row for row those of the default drop (each archetype draws from
streams of its own).

A campaign variant keeps a family when every one of the family's signals stays on at least half of the campaign's
calls or accounts. A campaign variant changes all three campaign styles at once (one drop per variant); a benign
variant changes one archetype (or a share of it) and names the families its traits imitate. The February 2026
campaigns this follows ran ~24k accounts and 35k keys for 16M exchanges in a week, one proxy network driving 20k+
accounts at once and mixing extraction with ordinary calls, aimed at reasoning and chain of thought, rubric grading,
censorship bypass, agentic tool use, coding and vision.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from radar.simulate import traits
from radar.simulate.archetypes import ARCHETYPES, MIX_PERSONAL, Archetype
from radar.simulate.infra import IpTable
from radar.simulate.people import Keys
from radar.simulate.population import WEEKEND
from radar.simulate.reshapes import BOUGHT_VERIFICATION, EVAL_MIX, LAB_MODELS, LOW_AND_SLOW, reseller

FAMILIES = ("control", "automation", "extraction")
CAMPAIGNS = tuple(a.name for a in ARCHETYPES if a.campaign)
_BY_NAME = {a.name: a for a in ARCHETYPES}
#: people pause to read and type: a chat extraction paced like individuals, an agentic one like coders in their IDE
HUMAN_GAP_S = {"a": _BY_NAME["individual"].gap_s, "b": _BY_NAME["agentic_coder"].gap_s, "c": _BY_NAME["agentic_coder"].gap_s}
#: a tutoring product's mix: worked problems first, then explanations in prose, some coding homework and support
TUTORING_MIX = (0.55, 0.1, 0.0, 0.0, 0.0, 0.0, 0.15, 0.2)

SignupHook = Callable[[np.random.Generator, np.ndarray, np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]
AddressHook = Callable[
    [np.random.Generator, IpTable, np.ndarray, np.ndarray, np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray, np.ndarray]
]
KeysHook = Callable[[np.random.Generator, Keys, np.ndarray, np.ndarray], Keys]


@dataclass(frozen=True)
class Variant:
    """One documented change to how the population and its traffic are generated."""

    name: str
    kind: str  # "campaign" (a signal removed from every campaign style) or "benign" (a trait added to one archetype)
    targets: tuple[str, ...]  # archetypes it changes
    change: str  # what it removes or adds, in words
    families: tuple[str, ...]  # campaign: the evidence families it keeps; benign: the family its trait imitates
    reshape: Callable[[Archetype], Archetype] | None = None  # new habits for every account of a target archetype
    share: float = 1.0  # share of a target's accounts the hooks change (reshape always changes all of them)
    least: int = 0  # ...but at least this many accounts
    on_signup: SignupHook | None = None
    on_addresses: AddressHook | None = None
    on_keys: KeysHook | None = None

    def archetypes(self) -> list[Archetype]:
        """Which archetypes make up the population under this variant (same order and codes as the default)?"""
        return [self.reshape(a) if self.reshape and a.name in self.targets else a for a in ARCHETYPES]

    def pick(self, rng: np.random.Generator, arch: Archetype, n: int) -> np.ndarray:
        """Which of an archetype's n accounts does this variant change?"""
        if arch.name not in self.targets:
            return np.zeros(n, dtype=bool)
        if self.share >= 1.0:
            return np.ones(n, dtype=bool)
        k = min(n, max(self.least, round(self.share * n)))
        out = np.zeros(n, dtype=bool)
        out[rng.choice(n, size=k, replace=False)] = True
        return out

    def signup(
        self, rng: np.random.Generator, created: np.ndarray, country_idx: np.ndarray, varied: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """When did the changed accounts sign up, and in which country are they?"""
        return self.on_signup(rng, created, country_idx, varied) if self.on_signup else (created, country_idx)

    def addresses(
        self, rng: np.random.Generator, ips: IpTable, varied: np.ndarray, start: np.ndarray, length: np.ndarray, uniform: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Which addresses do the changed accounts call from (first row, how many, rotate uniformly)?"""
        return self.on_addresses(rng, ips, varied, start, length, uniform) if self.on_addresses else (start, length, uniform)

    def keys(self, rng: np.random.Generator, keys: Keys, cols: dict[str, np.ndarray]) -> Keys:
        """Which keys do the accounts hold once the changed ones handle keys the variant's way?"""
        return self.on_keys(rng, keys, cols["created"], cols["varied"]) if self.on_keys and cols["varied"].any() else keys


def _campaign(name: str, change: str, keeps: tuple[str, ...], **kw: object) -> Variant:
    """Which variant changes every campaign style this way?"""
    return Variant(name=name, kind="campaign", targets=CAMPAIGNS, change=change, families=keeps, **kw)  # type: ignore[arg-type]


def _cover(share: float) -> Callable[[Archetype], Archetype]:
    """How does a campaign look when this share of its conversations is ordinary chat?"""
    return lambda a: replace(a, ordinary=share)


ALL = FAMILIES

_VARIANTS = [
    _campaign(
        "no_shared_infra",
        "each account its own card (or none), sign-up IP and residential exits; no look-alike domains (sign-up waves stay)",
        ("automation", "extraction"),
        reshape=lambda a: replace(a, ip="home", email="webmail", payment="own"),
    ),
    _campaign(
        "diurnal_timing",
        "calls follow a person's day in the account's time zone, quieter weekends, human pauses between turns",
        ("control", "extraction"),
        reshape=lambda a: replace(a, timing="diurnal", weekend=WEEKEND["individual"], gap_s=HUMAN_GAP_S[a.campaign]),
    ),
    _campaign(
        "paraphrased",
        "every scripted prompt reworded and framed anew per call instead of a filled template (chain-of-thought requests stay)",
        ("control", "automation"),
        reshape=lambda a: replace(a, paraphrase=True),
    ),
    _campaign(
        "no_cot", "no chain-of-thought requests on extraction calls", ("control", "automation"), reshape=lambda a: replace(a, cot=0.0)
    ),
    _campaign("cover_20", "20% of conversations are ordinary chat (a proxy network's resold traffic)", ALL, reshape=_cover(0.2)),
    _campaign("cover_50", "50% of conversations are ordinary chat", ALL, reshape=_cover(0.5)),
    _campaign(
        "cover_80",
        "80% of conversations are ordinary chat: scripted timing and extraction on one call in five",
        ("control",),
        reshape=_cover(0.8),
    ),
    _campaign(
        "keys_daily",
        "a new key every day at the same hour, the old one revoked: no key lives more than a day",
        ALL,
        on_keys=traits.daily_keys,
    ),
    _campaign(
        "aged_accounts",
        "accounts registered one by one 3-10 weeks before use: no sign-up waves, no new accounts",
        ("automation", "extraction"),
        reshape=lambda a: replace(a, signup="aged"),
    ),
    # The operator who has read the detector's reasons. Each keeps the campaigns' goal (a large harvest of reasoning,
    # agentic and coding outputs) and changes how it is gathered, as the February 2026 operations did.
    _campaign(
        "low_and_slow",
        "the same harvest spread over five times the accounts in five times the clusters, each account a fifth as busy"
        " (24k accounts at scale 1.0 for campaign c's share alone: far lighter per-account volume)",
        ALL,
        reshape=lambda a: replace(a, accounts=a.accounts * LOW_AND_SLOW, min_accounts=a.min_accounts * LOW_AND_SLOW),
    ),
    _campaign(
        "broad_sweep",
        "scripted prompts spread over every capability in the benign mix's proportions (writing and support too), so no"
        " capability stands out; templates, sweeps and step-by-step requests stay",
        ("control", "automation"),
        reshape=lambda a: replace(a, mix=MIX_PERSONAL),
    ),
    _campaign(
        "aged_verified",
        "accounts bought aged (3-10 weeks old) and organisation-verified: each its own company domain, organisation and"
        " card; no sign-up waves (the proxy pools stay)",
        ("automation", "extraction"),
        reshape=lambda a: replace(a, signup="aged", email="bought", payment="own", verification=BOUGHT_VERIFICATION),
    ),
    _campaign(
        "reseller_keys",
        "extraction routed through a reseller's long-standing verified accounts: a few heavy accounts per reseller"
        " organisation on its cloud workers and server SDKs, many keys side by side, round the clock, the reseller's"
        " own customers' ordinary chat on 30% of conversations",
        ("automation", "extraction"),
        reshape=reseller,
    ),
    Variant(
        name="event_signup_burst",
        kind="benign",
        targets=("individual",),
        change="5% of individuals (at least 20) sign up within an hour or two at one event, each with their own e-mail and card",
        families=("control",),
        share=0.05,
        least=20,
        on_signup=traits.event_signup,
    ),
    Variant(
        name="venue_network",
        kind="benign",
        targets=("agentic_coder",),
        change="20% of coders (at least 10) work the week from one venue: all their calls leave through its few NAT addresses",
        families=("control",),
        share=0.2,
        least=10,
        on_addresses=traits.venue_addresses,
    ),
    Variant(
        name="tutorial_templates",
        kind="benign",
        targets=("institution_nat",),
        change="students paste their course's prompts word for word (three exercises per capability per institution) in half their calls",
        families=("extraction",),
        reshape=lambda a: replace(a, course=0.5),
    ),
    Variant(
        name="cot_tutoring",
        kind="benign",
        targets=("saas_integration",),
        change="the integrations are tutoring products: worked problems with step-by-step requests on most calls",
        families=("extraction",),
        reshape=lambda a: replace(a, mix=TUTORING_MIX, cot=0.8),
    ),
    Variant(
        name="verified_org_fleet",
        kind="benign",
        targets=("eval_harness",),
        change="the verified evaluation organisations run round the clock every day, each account with 8-24 keys used side by side",
        families=("automation",),
        reshape=lambda a: replace(a, timing="steady", active_days=(1.0, 1.0), weekend=1.0),
        on_keys=traits.fleet_keys,
    ),
    # Customers who look like a campaign, from what real look-alikes do.
    Variant(
        name="university_course",
        kind="benign",
        targets=("institution_nat",),
        change="each course starts this week: its students sign up minutes apart in the first lecture, work from the"
        " campus network, paste the assignment's prompts in 60% of their calls and rush before Thursday's deadline",
        families=("control", "extraction"),
        reshape=lambda a: replace(a, signup="lecture", course=0.6, deadline=3),
    ),
    Variant(
        name="batch_eval_job",
        kind="benign",
        targets=("saas_integration",),
        change="the integrations are verified organisations' evaluation jobs: one key each, round the clock every day,"
        " half batch calls, templated reasoning and grading prompts walked over a benchmark, most asking for steps",
        families=("automation", "extraction"),
        reshape=lambda a: replace(
            a, mix=EVAL_MIX, cot=0.7, templates=3, sweep=True, keys=(0.0, 0.0), ops=(0.5, 0.0, 0.0, 0.5), weekend=1.0
        ),
    ),
    Variant(
        name="benchmark_lab",
        kind="benign",
        targets=("institution_nat",),
        change="the institutions are research labs (25 researchers each) running public benchmarks from their"
        " network: shared benchmark prompts walked over the taxonomy in runs, step-by-step requests, moving to the new model",
        families=("control", "automation", "extraction"),
        reshape=lambda a: replace(
            a,
            group_size=25,
            timing="runs",
            mix=EVAL_MIX,
            cot=0.6,
            templates=3,
            sweep=True,
            models=LAB_MODELS,
            adopt=1.0,
            ua="server",
            reword=0.02,
        ),
    ),
]
VARIANTS: dict[str, Variant] = {v.name: v for v in _VARIANTS}


def get_variant(name: str | None) -> Variant | None:
    """Which variant does this name mean (None or "" for the default drop)? Raises ValueError naming the known ones."""
    if not name:
        return None
    if name not in VARIANTS:
        raise ValueError(f"unknown variant {name!r}; known variants: {', '.join(VARIANTS)}")
    return VARIANTS[name]

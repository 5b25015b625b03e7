"""Authenticated actors for tests: the case store takes no bare names, only a person with a role and a sign-in."""

from __future__ import annotations

from radar.cases.actor import LOCAL, Actor


def lead(name: str = "lena", via: str = LOCAL) -> Actor:
    """A lead: triage, bulk actions and the allowlist."""
    return Actor(name, "lead", via)


def analyst(name: str = "ana", via: str = LOCAL) -> Actor:
    """An analyst: single items only."""
    return Actor(name, "analyst", via)


def viewer(name: str = "vic", via: str = LOCAL) -> Actor:
    """A viewer: reads only."""
    return Actor(name, "viewer", via)

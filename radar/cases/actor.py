"""Who is changing the case store, in which role, authenticated how? The actor every change names, and what each role may do.

Roles, weakest first: a viewer reads only; an analyst triages single items (a case, its label, a campaign's
label that reaches its members); a lead also changes many items at once and the allowlist, the two changes that
silence detection widely (an allowlisted account stops alerting in the next `radar score`). Every write function
in `radar.cases` calls `require` before it touches the store, so the rule holds from any page or script.
"""

from __future__ import annotations

from dataclasses import dataclass

ROLES = ("viewer", "analyst", "lead")

#: How an identity was established (recorded on every audit row).
OIDC, PROXY, LOCAL = "oidc", "proxy-header", "local"

TRIAGE, BULK, ALLOWLIST = "triage", "bulk", "allowlist"
#: The weakest role that may make each kind of change.
NEEDS = {TRIAGE: "analyst", BULK: "lead", ALLOWLIST: "lead"}
#: Each kind of change, as the refusal names it.
CHANGES = {TRIAGE: "change a case or a label", BULK: "change many items at once", ALLOWLIST: "change the allowlist"}


class PermissionDenied(PermissionError):
    """A change the actor's role does not allow; the message says who was refused, what, and which role it takes."""


@dataclass(frozen=True)
class Actor:
    """An authenticated person: the name recorded on changes, their role, and how the dashboard knows who they are."""

    name: str
    role: str
    via: str

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise ValueError("An actor needs a name.")
        if self.role not in ROLES:
            raise ValueError(f"Roles are {', '.join(ROLES)}, not {self.role!r}.")

    def may(self, change: str) -> bool:
        """May this actor make this kind of change (TRIAGE, BULK or ALLOWLIST)?"""
        return ROLES.index(self.role) >= ROLES.index(NEEDS[change])

    @property
    def read_only(self) -> bool:
        """Does this actor only read?"""
        return not self.may(TRIAGE)


def require(actor: object, change: str) -> Actor:
    """The actor, if they may make this kind of change; PermissionDenied (one sentence) otherwise."""
    if not isinstance(actor, Actor):
        raise PermissionDenied(f"A change to the case store needs an authenticated actor with a role, not {actor!r}.")
    if not actor.may(change):
        needed = NEEDS[change]
        roles = " or ".join(ROLES[ROLES.index(needed) :])
        article = "an" if actor.role[0] in "aeiou" else "a"
        raise PermissionDenied(
            f"{actor.name} is {article} {actor.role} and may not {CHANGES[change]}: that takes the {roles} role (RADAR_ROLES)."
        )
    return actor

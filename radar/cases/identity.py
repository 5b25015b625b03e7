"""Who is at the keyboard, and in which role? The identity the deployment vouches for, never one the browser claims.

Three deployments, tried in this order:

1. OpenID Connect through Streamlit (`st.login`, an `[auth]` section in .streamlit/secrets.toml): the signed-in
   user's e-mail (else username, name or subject). Configured but not signed in: nobody, the dashboard asks to sign in.
2. A trusted reverse-proxy header (RADAR_TRUSTED_USER_HEADER, e.g. X-Forwarded-User from oauth2-proxy): off by
   default, because any client can send that header; only safe when the proxy is the one way in and overwrites it.
   Configured but absent: nobody.
3. Local mode: the single analyst RADAR_ANALYST (else the OS user) in the role RADAR_ANALYST_ROLE (default analyst),
   while the server listens on a loopback address only; listening anywhere else without authentication makes
   them a viewer, since anyone who reaches the port would act in their name.

Roles of authenticated users come from RADAR_ROLES ("alice@corp.example:lead,bob:analyst") and RADAR_ROLES_FILE
(the same pairs, one per line, # comments); anyone not listed is a viewer.
"""

from __future__ import annotations

import getpass
import ipaddress
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from radar.cases.actor import LOCAL, OIDC, PROXY, ROLES, Actor
from radar.config import Settings

#: The OpenID Connect claims that name a person, in the order the audit trail prefers them.
NAME_CLAIMS = ("email", "preferred_username", "name", "sub")
_PAIR_SPLIT = re.compile(r"[,\n]")


class RolesError(ValueError):
    """The role configuration cannot be read; the message names the entry and what to write instead."""


class NotSignedIn(Exception):
    """The deployment requires sign-in and this browser has not signed in; the message says how to."""

    def __init__(self, message: str, *, can_sign_in: bool) -> None:
        super().__init__(message)
        self.can_sign_in = can_sign_in


def parse_roles(text: str, *, source: str) -> dict[str, str]:
    """Which role does each listed user have? `name:role` pairs split by commas or lines; names compare case-blind."""
    roles: dict[str, str] = {}
    for raw in _PAIR_SPLIT.split(text):
        entry = raw.split("#", 1)[0].strip()
        if not entry:
            continue
        name, sep, role = entry.rpartition(":")
        name, role = name.strip(), role.strip().lower()
        if not sep or not name or role not in ROLES:
            raise RolesError(f"{source}: {entry!r} is not name:role with a role of {', '.join(ROLES)} (e.g. alice@corp.example:lead).")
        roles[name.casefold()] = role
    return roles


def configured_roles(settings: Settings) -> dict[str, str]:
    """Which role does each user named in RADAR_ROLES_FILE and RADAR_ROLES have (the variable wins over the file)?"""
    roles: dict[str, str] = {}
    if settings.roles_file:
        path = Path(settings.roles_file)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise RolesError(f"RADAR_ROLES_FILE {path} cannot be read ({exc.strerror}); fix the path or unset it.") from exc
        roles |= parse_roles(text, source=str(path))
    return roles | parse_roles(settings.roles, source="RADAR_ROLES")


def role_of(name: str, roles: Mapping[str, str]) -> str:
    """Which role does this authenticated user have (viewer when nobody gave them one)?"""
    return roles.get(name.strip().casefold(), "viewer")


def is_loopback(address: str | None) -> bool:
    """Does a server bound to this address answer only this machine (None or empty: every interface, so no)?"""
    if not address:
        return False
    if address.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(address.strip().strip("[]")).is_loopback
    except ValueError:
        return False


def header_value(headers: Mapping[str, str] | None, name: str) -> str | None:
    """The value of one request header, looked up case-blind (None when absent or blank)."""
    if not headers:
        return None
    wanted = name.strip().lower()
    for key, value in headers.items():
        if str(key).lower() == wanted and str(value).strip():
            return str(value).strip()
    return None


def local_name(settings: Settings) -> str:
    """Which name does local mode record? RADAR_ANALYST, else the OS user."""
    if settings.analyst.strip():
        return settings.analyst.strip()
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no OS user name (containers without passwd entries)
        return "local analyst"


def oidc_configured(user: Mapping[str, Any] | None) -> bool:
    """Is Streamlit's OpenID Connect sign-in configured? `st.user` carries `is_logged_in` exactly then."""
    return user is not None and "is_logged_in" in user


def resolve_actor(
    settings: Settings, *, user: Mapping[str, Any] | None, headers: Mapping[str, str] | None, server_address: str | None
) -> Actor:
    """Who is at the keyboard, in which role? `user` is `st.user`, `headers` the request's headers (raises NotSignedIn)."""
    roles = configured_roles(settings)
    if oidc_configured(user):
        assert user is not None
        if not bool(user.get("is_logged_in")):
            raise NotSignedIn("Sign in to open Distillation Radar.", can_sign_in=True)
        name = next((str(user[c]).strip() for c in NAME_CLAIMS if user.get(c) and str(user[c]).strip()), "")
        if not name:
            raise NotSignedIn("The identity provider named nobody (no e-mail, username, name or subject claim).", can_sign_in=True)
        return Actor(name, role_of(name, roles), OIDC)
    if settings.trusted_user_header.strip():
        header = settings.trusted_user_header.strip()
        vouched = header_value(headers, header)
        if vouched is None:
            raise NotSignedIn(
                f"The sign-in proxy did not say who you are (no {header} header): open the dashboard through it.", can_sign_in=False
            )
        return Actor(vouched, role_of(vouched, roles), PROXY)
    role = settings.analyst_role.strip().lower() or "analyst"
    if role not in ROLES:
        raise RolesError(f"RADAR_ANALYST_ROLE is {settings.analyst_role!r}; use one of {', '.join(ROLES)}.")
    return Actor(local_name(settings), role if is_loopback(server_address) else "viewer", LOCAL)

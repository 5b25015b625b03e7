"""Who is making this change? The signed-in user (OpenID Connect), else the configured analyst, else the OS user."""

from __future__ import annotations

import getpass
from typing import Any

from radar.config import Settings, load_settings


def analyst_name(user: Any = None, settings: Settings | None = None) -> str:
    """Which name does the audit trail record? `user` is the dashboard's `st.user` (None from the command line)."""
    if user is not None:
        try:
            if bool(getattr(user, "is_logged_in", False)):
                for attr in ("email", "name", "sub"):
                    value = user.get(attr) if hasattr(user, "get") else getattr(user, attr, None)
                    if value:
                        return str(value)
        except Exception:  # noqa: BLE001 - st.user raises when no login is configured; fall back to configuration
            pass
    configured = (settings or load_settings()).analyst
    if configured:
        return configured
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no OS user name (containers without passwd entries)
        return "unknown"

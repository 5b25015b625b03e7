"""How are stored JSON columns (reasons, indicators, profiles, audit states) read back? One decoder each, used everywhere."""

from __future__ import annotations

import json
from typing import Any


def decode_reasons(raw: str | None) -> list[str]:
    """Which reasons (sentences, strongest first) does a stored `reasons` JSON column hold? Empty when none or unreadable."""
    try:
        value = json.loads(raw) if raw else []
    except ValueError:
        return []
    return [str(r) for r in value] if isinstance(value, list) else []


def decode_object(raw: str | None) -> dict[str, Any]:
    """Which mapping does a stored JSON object column (indicators, features, profile, audit state) hold? Empty when none or unreadable."""
    try:
        value = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}

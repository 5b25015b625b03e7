"""What does a prompt look like with personal data and secrets masked? E-mails, phone numbers and API keys."""

from __future__ import annotations

import re

# Order matters: keys first (they may contain digit runs a phone pattern would eat), then e-mails, then phones.
_PATTERNS = (
    (re.compile(r"\b(?:sk|pk|rk|api|key|tok)[-_][A-Za-z0-9_\-]{12,}\b", re.IGNORECASE), "[API_KEY]"),
    (re.compile(r"\b(?:AKIA|ASIA)[A-Z0-9]{16}\b"), "[API_KEY]"),
    (re.compile(r"\b[A-Fa-f0-9]{32,}\b"), "[API_KEY]"),
    (re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}"), "[EMAIL]"),
    (re.compile(r"(?<![\w(])\+?\(?\d[\d\s().\-]{7,}\d(?![\w])"), "[PHONE]"),
)


def redact(text: str | None) -> str | None:
    """The text with e-mail addresses, phone numbers and API keys replaced by placeholders."""
    if text is None:
        return None
    for pattern, placeholder in _PATTERNS:
        text = pattern.sub(placeholder, text)
    return text

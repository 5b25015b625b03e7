"""What may an analyst see of a prompt? The text with e-mail addresses, phone numbers and API keys masked."""

from __future__ import annotations

import re

_PATTERNS = (
    # API keys: common provider prefixes, then long opaque tokens.
    (re.compile(r"\b(?:sk|pk|rk|sess|key|api)[-_][A-Za-z0-9_\-]{12,}\b"), "[API KEY]"),
    (re.compile(r"\b[A-Za-z0-9_\-]{32,}\b"), "[TOKEN]"),
    (re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}"), "[EMAIL]"),
)
#: Phone numbers: optional +country, digits with spaces, dots, dashes or parentheses between; at least
#: 9 digits, so dates (8 digits) and ordinary numbers stay readable.
_PHONE = re.compile(r"(?<!\w)\+?\(?\d[\d\s().\-]{6,}\d(?!\w)")
_MIN_PHONE_DIGITS = 9


def redact(text: str | None) -> str:
    """The prompt with e-mails, phone numbers and API keys replaced by placeholders."""
    if not text:
        return ""
    for pattern, placeholder in _PATTERNS:
        text = pattern.sub(placeholder, text)
    return _PHONE.sub(lambda m: "[PHONE]" if sum(ch.isdigit() for ch in m.group()) >= _MIN_PHONE_DIGITS else m.group(), text)

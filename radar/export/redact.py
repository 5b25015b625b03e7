"""What does a prompt look like with personal data and secrets masked? E-mails, phone numbers and API keys.

The patterns avoid look-around so that the same expressions run in Python (`redact`) and, vectorised, in polars
(`redact_expr`, Rust regex) when millions of prompts are exported.
"""

from __future__ import annotations

import re

import polars as pl

# (pattern, Python replacement, polars replacement). Order matters: keys first (they may contain digit runs a
# phone pattern would eat), then e-mails, then phones.
PATTERNS = (
    (r"(?i)\b(?:sk|pk|rk|api|key|tok)[-_][A-Za-z0-9_\-]{12,}\b", "[API_KEY]", "[API_KEY]"),
    (r"\b(?:AKIA|ASIA)[A-Z0-9]{16}\b", "[API_KEY]", "[API_KEY]"),
    (r"\b[A-Fa-f0-9]{32,}\b", "[API_KEY]", "[API_KEY]"),
    (r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}", "[EMAIL]", "[EMAIL]"),
    # A phone number: not glued to a word, 9+ digits with spaces, dots, dashes or brackets between them.
    (r"(^|[^\w(])\+?\(?\d[\d\s().\-]{7,}\d\b", r"\1[PHONE]", "${1}[PHONE]"),
)
_COMPILED = tuple((re.compile(p), r) for p, r, _ in PATTERNS)


def redact(text: str | None) -> str | None:
    """The text with e-mail addresses, phone numbers and API keys replaced by placeholders."""
    if text is None:
        return None
    for pattern, placeholder in _COMPILED:
        text = pattern.sub(placeholder, text)
    return text


def redact_expr(column: str) -> pl.Expr:
    """The same redaction as a polars expression over a string column (vectorised)."""
    expr = pl.col(column)
    for pattern, _, placeholder in PATTERNS:
        expr = expr.str.replace_all(pattern, placeholder)
    return expr.alias(column)

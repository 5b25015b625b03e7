"""What may leave the warehouse of a prompt? The text with secrets, e-mail addresses and phone numbers masked.

One pattern list serves both the campaign page (`redact`, a handful of strings) and exports (`redact_expr`, a
vectorised polars expression over millions of prompts). Both run the patterns through the same engine (polars,
i.e. the Rust `regex` crate), so what an analyst sees and what an export writes cannot disagree. That engine has
no look-around, so each pattern states its context with plain classes and capture groups instead.

Order matters: a whole JWT, a labelled secret or a provider key is masked before a weaker pattern (a generic long
token, a phone number) could mask only part of it and leave the rest readable.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

API_KEY, TOKEN, SECRET, EMAIL, PHONE = "[API KEY]", "[TOKEN]", "[SECRET]", "[EMAIL]", "[PHONE]"
PLACEHOLDERS = (API_KEY, TOKEN, SECRET, EMAIL, PHONE)

# Characters of a generic token run: word characters and the hyphen (base64url alphabet). "/" and "+" are left
# out on purpose: with them, every URL path with a number in it would read as a token.
_LETTERS = r"[A-Za-z_\-]"
_RUN = r"[A-Za-z0-9_\-]"
#: A generic token is a run of at least this many characters. 32 is the length of a 128-bit hex secret.
TOKEN_MIN_CHARS = 32


def _long_run_with_digit(min_chars: int) -> str:
    """Which regex matches a whole run of `min_chars`+ token characters holding at least one digit (no look-ahead)?

    The first digit sits at some position i; for i < min_chars - 1 the rest must supply min_chars - 1 - i more
    characters. A run with no digit at all is taken for a word (or an identifier) and left alone.
    """
    alternatives = [f"{_LETTERS}{{{i}}}[0-9]{_RUN}{{{min_chars - 1 - i},}}" for i in range(min_chars - 1)]
    alternatives.append(f"{_LETTERS}{{{min_chars - 1},}}[0-9]{_RUN}*")
    return "(?:" + "|".join(alternatives) + ")"


@dataclass(frozen=True)
class Pattern:
    """One kind of sensitive text: its name, a `regex`-crate pattern and the replacement (`${n}` keeps group n)."""

    name: str
    regex: str
    replacement: str


# Values of labelled secrets stop at whitespace, quotes, separators and brackets (brackets: a placeholder already
# put there stays as it is).
_VALUE = r"""[^\s;"',&<>\[\]]+"""

PATTERNS: tuple[Pattern, ...] = (
    # Secrets whose parts a weaker pattern would split: JWTs (header.payload.signature), then labelled values.
    Pattern("jwt", r"\beyJ[A-Za-z0-9_\-]+\.eyJ[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]*", TOKEN),
    Pattern("url_password", r"(?i)\b([a-z][a-z0-9+.\-]*://[^\s:/@\[\]]+:)[^\s@/\[\]]+@", f"${{1}}{SECRET}@"),
    Pattern("sas_signature", r"(?i)([?&]sig=)[^\s&\"'\[\]]+", f"${{1}}{SECRET}"),
    Pattern(
        "labelled_secret",
        r"(?i)\b(account_?key|shared_?access_?key|shared_?access_?signature|aws_secret_access_key|client_?secret"
        r"|secret_?key|api_?key|access_?key|access_?token|auth_?token|refresh_?token|password|passwd|pwd)"
        r"([\"']?\s*[=:]\s*[\"']?)" + _VALUE,  # a quote after the name: JSON and YAML spell it "password": "..."
        f"${{1}}${{2}}{SECRET}",
    ),
    # Other HTTP auth schemes by header; bearer values (the common case) also outside a header, below.
    Pattern("authorization_header", r"(?i)\b(authorization\s*[:=]\s*(?:basic|digest|token)\s+)" + _VALUE, f"${{1}}{TOKEN}"),
    # A bearer value is long, or short with a digit in it: "Bearer tokens" stays prose.
    Pattern("bearer", r"(?i)\b(bearer\s+)(?:[A-Za-z0-9._~+/\-]{16,}|[A-Za-z._~+/\-]*[0-9][A-Za-z0-9._~+/\-]*)=*", f"${{1}}{TOKEN}"),
    # Provider API tokens, by their documented prefixes.
    Pattern("openai_anthropic", r"\bsk-[A-Za-z0-9_\-]{16,}", API_KEY),
    Pattern("stripe", r"\b(?:sk|pk|rk)_(?:live|test)_[A-Za-z0-9]{10,}|\bwhsec_[A-Za-z0-9]{16,}|\btok_[A-Za-z0-9]{10,}", API_KEY),
    Pattern("github", r"\bgh[pousr]_[A-Za-z0-9]{30,}|\bgithub_pat_[A-Za-z0-9_]{40,}", API_KEY),
    Pattern("slack", r"\bxox[abposr]-[A-Za-z0-9\-]{10,}", API_KEY),
    Pattern("huggingface", r"\bhf_[A-Za-z0-9]{30,}", API_KEY),
    Pattern("prefixed_key", r"\b(?:sess|key|api|secret|sk|pk|rk)_[A-Za-z0-9]{16,}", API_KEY),
    # Cloud keys: AWS access key ids (AKIA long-term, ASIA temporary, and the other IAM id prefixes), GCP API keys.
    Pattern("aws_key_id", r"\b(?:AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|A3T[A-Z0-9])[A-Z0-9]{16}\b", API_KEY),
    Pattern("gcp_api_key", r"\bAIza[A-Za-z0-9_\-]{30,}", API_KEY),
    # E-mail before the generic token: a long local part must not leave its domain readable.
    Pattern("email", r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}", EMAIL),
    # Base64 with padding (an Azure storage key ends in "=="): masked whole, "/" and "+" included.
    Pattern("padded_base64", r"[A-Za-z0-9+/]{20,}={1,2}\B", TOKEN),
    Pattern("long_token", _long_run_with_digit(TOKEN_MIN_CHARS), TOKEN),
    # Phone numbers, last: only digits no key or token pattern claimed are left. Each shape has at least 9
    # digits or a leading "+", so years, dates (2026-02-14, 01.02.2026), versions and counts stay readable.
    Pattern("phone_international", r"\+[1-9][0-9]{0,2}[\s.\-]?\(?[0-9]{1,4}\)?(?:[\s.\-]?[0-9]{2,4}){2,4}\b", PHONE),
    Pattern("phone_north_american", r"(?:\b1[\s.\-])?(?:\([0-9]{3}\)\s?|\b[0-9]{3}[\s.\-])[0-9]{3}[\s.\-][0-9]{4}\b", PHONE),
    # French style: ten digits in pairs, one separator throughout (a backreference is unavailable, hence three).
    Pattern("phone_pairs", r"\b0[1-9](?:[0-9]{8}|(?: [0-9]{2}){4}|(?:\.[0-9]{2}){4}|(?:-[0-9]{2}){4})\b", PHONE),
    # Trunk-prefixed national numbers (UK 020 7946 0958, DE 030 1234567): area code then at least six digits.
    Pattern("phone_national", r"\b0[1-9][0-9]{1,3}[\s/.\-]?[0-9]{3,4}[\s.\-]?[0-9]{3,4}\b", PHONE),
)


def masked(text: pl.Expr) -> pl.Expr:
    """What does this string expression read like with every pattern masked, in order?"""
    for p in PATTERNS:
        text = text.str.replace_all(p.regex, p.replacement)
    return text


def redact_expr(column: str) -> pl.Expr:
    """The redacted text of a string column, as a vectorised expression keeping the column's name (nulls stay null)."""
    return masked(pl.col(column)).alias(column)


def redact(text: str | None) -> str:
    """What may an analyst see of this one text? It, masked by the same expression exports use (empty when none)."""
    if not text:
        return ""
    out = pl.select(masked(pl.lit(text, dtype=pl.String))).item()
    return str(out)

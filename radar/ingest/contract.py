"""Which fields does each contract table carry, of which kind, and which are required?"""

from __future__ import annotations

from dataclasses import dataclass

# Kinds a field can have; each kind has one validator in validate.py.
STR, TS, INT, BOOL, ENUM, IP = "str", "ts", "int", "bool", "enum", "ip"

OPERATIONS = ("chat", "completion", "embeddings", "batch")
IP_CLASSES = ("datacenter", "residential", "mobile", "vpn", "tor", "business", "unknown")
FINISH_REASONS = ("stop", "length", "tool_use", "refusal", "content_filter")
VERIFICATIONS = ("none", "email", "phone", "payment", "organisation")


@dataclass(frozen=True)
class Field:
    """One contract field: its name, kind, whether it is required, and its allowed values."""

    name: str
    kind: str
    required: bool = False
    values: tuple[str, ...] = ()
    nonneg: bool = False


REQUESTS = (
    Field("request_id", STR, True),
    Field("ts", TS, True),
    Field("account_id", STR, True),
    Field("api_key_id", STR, True),
    Field("org_id", STR),
    Field("client_ip", IP, True),
    Field("asn", INT, nonneg=True),
    Field("ip_class", ENUM, values=IP_CLASSES),
    Field("country", STR),
    Field("user_agent", STR),
    Field("model", STR, True),
    Field("operation", ENUM, True, OPERATIONS),
    Field("input_tokens", INT, True, nonneg=True),
    Field("output_tokens", INT, True, nonneg=True),
    Field("latency_ms", INT, nonneg=True),
    Field("status", INT, True),
    Field("finish_reason", ENUM, values=FINISH_REASONS),
    Field("tool_count", INT, nonneg=True),
    Field("has_image", BOOL),
    Field("system_prompt_hash", STR),
    Field("conversation_id", STR),
    Field("turn", INT, nonneg=True),
    Field("prompt", STR),
)

ACCOUNTS = (
    Field("account_id", STR, True),
    Field("created_at", TS, True),
    Field("email_domain", STR),
    Field("payment_fingerprint", STR),
    Field("verification", ENUM, values=VERIFICATIONS),
    Field("country", STR),
    Field("signup_ip", IP),
    Field("org_id", STR),
)

API_KEYS = (
    Field("api_key_id", STR, True),
    Field("account_id", STR, True),
    Field("created_at", TS, True),
    Field("revoked_at", TS),
)

FIELDS: dict[str, tuple[Field, ...]] = {"requests": REQUESTS, "accounts": ACCOUNTS, "api_keys": API_KEYS}
KEYS = {"requests": "request_id", "accounts": "account_id", "api_keys": "api_key_id"}
TABLES = tuple(FIELDS)


def field_names(table: str) -> list[str]:
    """Which contract field names does `table` carry, in contract order?"""
    return [f.name for f in FIELDS[table]]

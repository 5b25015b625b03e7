"""One typed settings object, read from environment variables (defaults and a help line per field)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _default_data_dir() -> Path:
    return Path(os.environ.get("RADAR_DATA_DIR", ROOT / "data"))


@dataclass(frozen=True)
class Settings:
    """Where the warehouse and case store live, and the limits every query runs under."""

    warehouse_url: str = field(
        default="",
        metadata={"env": "RADAR_WAREHOUSE_URL", "help": "SQLAlchemy URL of the telemetry warehouse; empty = DuckDB file data/radar.duckdb"},
    )
    cases_url: str = field(
        default="",
        metadata={"env": "RADAR_CASES_URL", "help": "SQLAlchemy URL of the case store; empty = SQLite file data/cases.sqlite"},
    )
    data_dir: str = field(
        default="",
        metadata={"env": "RADAR_DATA_DIR", "help": "folder for the embedded warehouse, case store and demo drop"},
    )
    analyst: str = field(
        default="",
        metadata={"env": "RADAR_ANALYST", "help": "analyst name recorded on changes when no OpenID Connect login is configured"},
    )
    analyst_role: str = field(
        default="analyst",
        metadata={"env": "RADAR_ANALYST_ROLE", "help": "role of the local analyst (viewer, analyst or lead) when no sign-in is configured"},
    )
    roles: str = field(
        default="",
        metadata={
            "env": "RADAR_ROLES",
            "help": "roles of signed-in users, e.g. alice@corp.example:lead,bob:analyst; anyone else is a viewer",
        },
    )
    roles_file: str = field(
        default="",
        metadata={"env": "RADAR_ROLES_FILE", "help": "file of name:role lines (# comments), read before RADAR_ROLES"},
    )
    trusted_user_header: str = field(
        default="",
        metadata={
            "env": "RADAR_TRUSTED_USER_HEADER",
            "help": "request header naming the signed-in user (e.g. X-Forwarded-User); only behind a proxy that overwrites it",
        },
    )
    asn_names: str = field(
        default="",
        metadata={
            "env": "RADAR_ASN_NAMES",
            "help": "offline file naming each AS's operator (iptoasn.com ip2asn-v4.tsv, or a CSV with header asn,name)",
        },
    )
    bind_address: str = field(
        default="127.0.0.1",
        metadata={"env": "RADAR_BIND_ADDRESS", "help": "address `make run` serves on; anything but loopback needs sign-in"},
    )
    query_timeout_s: float = field(
        default=30.0, metadata={"env": "RADAR_QUERY_TIMEOUT_S", "help": "statement timeout for dashboard queries, seconds"}
    )
    row_cap: int = field(
        default=50_000, metadata={"env": "RADAR_ROW_CAP", "help": "most rows a dashboard query returns; more sets `truncated`"}
    )
    allowlist_path: str = field(
        default="",
        metadata={"env": "RADAR_ALLOWLIST", "help": "CSV of allowlisted entities (entity_type,entity_id,reason); empty = none"},
    )
    ingest_chunk_rows: int = field(
        default=500_000, metadata={"env": "RADAR_INGEST_CHUNK_ROWS", "help": "rows validated and loaded per chunk during ingest"}
    )
    chunk_bytes: int = field(
        default=32 << 20,
        metadata={
            "env": "RADAR_CHUNK_BYTES",
            "help": "most bytes of a file read into one ingest chunk (a chunk ends at this or at the row count, first reached)",
        },
    )
    max_prompt_chars: int = field(
        default=32_768,
        metadata={
            "env": "RADAR_MAX_PROMPT_CHARS",
            "help": "longest prompt stored, in characters; longer ones are cut, flagged prompt_truncated, full length in prompt_chars",
        },
    )
    prices: str = field(
        default="",
        metadata={
            "env": "RADAR_PRICES",
            "help": "JSON or CSV file of list prices (model, input and output USD per million tokens) for harvest costs; "
            "empty = the built-in table in radar/pricing.py, to be set per deployment",
        },
    )
    lock_wait_s: float = field(
        default=120.0,
        metadata={
            "env": "RADAR_LOCK_WAIT_S",
            "help": "how long a load waits for the dashboard to release a DuckDB warehouse file, seconds (longer than the query timeout)",
        },
    )

    @property
    def data_path(self) -> Path:
        return Path(self.data_dir) if self.data_dir else _default_data_dir()

    @property
    def warehouse(self) -> str:
        """The warehouse URL in force (the embedded DuckDB file when none is configured)."""
        return self.warehouse_url or f"duckdb:///{self.data_path / 'radar.duckdb'}"

    @property
    def cases(self) -> str:
        """The case-store URL in force (an embedded SQLite file when none is configured)."""
        return self.cases_url or f"sqlite:///{self.data_path / 'cases.sqlite'}"

    @property
    def warehouse_configured(self) -> bool:
        return bool(self.warehouse_url)


def load_settings(**overrides: object) -> Settings:
    """What settings are in force, from the environment, with explicit overrides winning?"""
    values: dict[str, object] = {}
    for f in fields(Settings):
        raw = os.environ.get(f.metadata["env"])
        if raw is not None and raw != "":
            kind: type = type(f.default)
            values[f.name] = raw if kind is str else kind(raw)
    values.update({k: v for k, v in overrides.items() if v is not None})
    return Settings(**values)  # type: ignore[arg-type]


def settings_help() -> str:
    """Which environment variables configure the product, and what does each do?"""
    return "\n".join(f"{f.metadata['env']:<26} {f.metadata['help']} (default: {f.default!r})" for f in fields(Settings))

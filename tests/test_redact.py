"""One redaction for the campaign page and for exports: every secret in one table is masked on both paths.

The page path is `radar.redact.redact` (what pages/campaign.py applies to each sample prompt); the export path is
`radar.redact.redact_expr` over a polars column, and the prompt column of a real request-level export file.
"""

from __future__ import annotations

import ast
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import bindparam, update

from queries import schema
from queries.run import write
from radar.cases.labels import set_labels
from radar.cases.store import open_case_store
from radar.export.labels import export_labels
from radar.export.writers import read_back
from radar.redact import PLACEHOLDERS, redact, redact_expr
from tests.cases.actors import lead
from tests.cases.seed import ALL_ACCOUNTS, seed_warehouse

ROOT = Path(__file__).resolve().parent.parent
AZURE_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
JWT = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
    ".eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkFuYSIsImlhdCI6MTUxNjIzOTAyMn0"
    ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
)

# (sample, what must disappear from it). Each sample is also embedded in prose, which must survive.
SECRETS: list[tuple[str, tuple[str, ...]]] = [
    # Cloud keys.
    ("AKIAIOSFODNN7EXAMPLE", ("AKIAIOSFODNN7EXAMPLE",)),
    ("aws temporary key ASIAY34FZKBOKMUTVV7A", ("ASIAY34FZKBOKMUTVV7A",)),
    ("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ("wJalrXUtnFEMI", "K7MDENG", "bPxRfiCYEXAMPLEKEY")),
    ("AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe", ("AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe", "HjGw7ISLn")),
    (
        f"DefaultEndpointsProtocol=https;AccountName=radarstore;AccountKey={AZURE_KEY};EndpointSuffix=core.windows.net",
        (AZURE_KEY, "Eby8vdM02x", "K1SZFPTOtr", "KBHBeksoGMGw"),
    ),
    (
        "Endpoint=sb://radar.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;"
        "SharedAccessKey=q9Xv2LmN4pR7sT1uW3yZ5aB8cD0eF6gH2jK4lM6nP8=",
        ("q9Xv2LmN4pR7sT1uW3yZ5aB8cD0eF6gH2jK4lM6nP8",),
    ),
    ("https://radar.blob.core.windows.net/c/b?sv=2022-11-02&se=2026-03-01&sig=Zm9vYmFyYmF6cXV4%2Fabc%3D", ("Zm9vYmFyYmF6cXV4",)),
    (f"storage key {AZURE_KEY}", (AZURE_KEY, "K1SZFPTOtr", "KBHBeksoGMGw")),
    # Provider API tokens.
    ("sk-proj-AbCdEf0123456789xyzAbCdEf0123456789", ("AbCdEf0123456789", "sk-proj-")),
    ("sk-ant-api03-AbCdEf0123456789_xyz-AbCdEf0123456789AA", ("sk-ant-", "AbCdEf0123456789")),
    ("sk-ant-a1XYZ0123456789abcdef", ("sk-ant-", "XYZ0123456789")),
    ("sk_live_4eC39HqLyjWDarjtT1zdp7dc", ("4eC39HqLyjWDarjtT1zdp7dc",)),
    ("pk_live_TYooMQauvdEDq54NiTphI7jx and rk_test_51H8cLKJx0Qz9", ("TYooMQauvdEDq54NiTphI7jx", "51H8cLKJx0Qz9")),
    ("tok_1N3T00LkdIwHu7ixt44h1F8k", ("1N3T00LkdIwHu7ixt44h1F8k",)),
    ("tok_abcdefghijklmnop", ("abcdefghijklmnop",)),
    ("ghp_1234567890abcdefghijABCDEFGHIJ123456", ("1234567890abcdefghijABCDEFGHIJ",)),
    ("github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP", ("11ABCDEFG0123456789", "abcdefghijklmnopqrstuvwxyz")),
    ("xoxb-1234567890-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx", ("1234567890123", "AbCdEfGhIjKlMnOpQrStUvWx")),
    ("xoxp-2345678901-2345678901-2345678901234-0a1b2c3d4e5f6a7b", ("2345678901234", "0a1b2c3d4e5f6a7b")),
    ("hf_AbCdEfGhIjKlMnOpQrStUvWxYz01234567", ("AbCdEfGhIjKlMnOpQrStUvWxYz",)),
    # JWTs and bearer tokens: masked whole, no part left readable.
    (JWT, tuple(JWT.split("."))),
    (f"Authorization: Bearer {JWT}", tuple(JWT.split("."))),
    ("curl -H 'Authorization: Bearer abc123def456ghi789'", ("abc123def456ghi789",)),
    ("Authorization: Basic cmFkYXI6aHVudGVyMg==", ("cmFkYXI6aHVudGVyMg",)),
    # Labelled secrets and credentials in URLs.
    ("postgresql://radar:hunter2@db.internal:5432/radar", ("hunter2",)),
    ('{"password": "Winter2026!"}', ("Winter2026",)),
    ("api_key=7f3kq9x2LmN4", ("7f3kq9x2LmN4",)),
    ("client_secret: Qm9vdHN0cmFw~1", ("Qm9vdHN0cmFw",)),
    # Generic long tokens: hex and base64-ish of 32+ characters (the 37-character non-hex one the page alone masked).
    ("Zx9qL2mN8vB4cR7tY1wE5uI3oP6aS0dF2gH4j", ("Zx9qL2mN8vB4cR7tY1wE5uI3oP6aS0dF2gH4j", "Zx9qL2mN8vB4")),
    ("0123456789abcdef0123456789abcdef", ("0123456789abcdef",)),
    ("session 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", ("9f86d081884c7d659a2feaa0c55ad015",)),
    # E-mail addresses.
    ("jane.doe+ops@example.co.uk", ("jane.doe", "example.co.uk")),
    ("OPS@Evil.Example", ("OPS@", "Evil.Example")),
    ("contact jane.doe7@example.com", ("jane.doe7", "example.com")),
    # Phone numbers, international and national.
    ("+44 20 7946 0958", ("7946", "0958")),
    ("+1 (415) 555-0100", ("415", "555-0100")),
    ("+1 415 555 0133", ("415 555", "0133")),
    ("+14155550100", ("4155550100",)),
    ("+33 6 12 34 56 78", ("12 34 56 78",)),
    ("+49 171 1234567", ("1234567",)),
    ("+91 98765 43210", ("98765", "43210")),
    ("+81 3-1234-5678", ("1234-5678",)),
    ("(415) 555-0100", ("415", "555-0100")),
    ("415-555-0100", ("415-555", "0100")),
    ("415.555.0100", ("415.555", "0100")),
    ("06 12 34 56 78", ("12 34 56 78",)),
    ("06.12.34.56.78", ("12.34.56.78",)),
    ("020 7946 0958", ("7946", "0958")),
    ("030 1234567", ("1234567",)),
    ("07700 900123", ("900123",)),
]

# Ordinary prose, numbers and short ids: both paths must return them unchanged.
HARMLESS = [
    "In 2026 the value 3.14 rose by 12%",
    "The run used 12,345 input tokens and 1,234,567 output tokens; max_tokens=4096.",
    "1 234 567 requests in 2025, up from 987 654",
    "Released v1.2.3 on 2026-02-14 10:30:00 UTC (build 20260214).",
    "Due 01.02.2026 or 14/02/2026.",
    "Traffic from 203.0.113.7 and 2001:db8:1::/48 in AS64500.",
    "Account a7, key k7_1, request r-a1-12, run run-1, id a1b2c3, ticket #4821.",
    "See https://github.com/radar/radar/issues/12345 and src/components/graph.py line 88.",
    "Bearer tokens go in the Authorization header; basic understanding of OAuth helps.",
    "The password is never stored and the api key field stays empty.",
    "Use the AKIA prefix to spot AWS keys; a JWT starts with eyJ.",
    "Score +5 points, port 5432, latency 250 ms, 99.9% uptime, 24/7.",
    "Think step by step: pneumonoultramicroscopicsilicovolcanoconiosis is a long word.",
    "def test_campaign_split_never_puts_a_campaign_on_both_sides():",
    "ISBN 978-3-16-148410-0, order 2026-0042, version 10.0.19045.",
    "",
]


def _check_masked(sample: str, out: str, gone: tuple[str, ...]) -> None:
    for secret in gone:
        assert secret not in out, f"{secret!r} survives in {out!r}"
    assert any(p in out for p in PLACEHOLDERS), out
    assert out.startswith("Before ") and out.endswith(" after."), f"prose around {sample!r} was eaten: {out!r}"


@pytest.mark.parametrize(("sample", "gone"), SECRETS, ids=[s[:32] for s, _ in SECRETS])
def test_page_path_masks_every_secret(sample: str, gone: tuple[str, ...]) -> None:
    _check_masked(sample, redact(f"Before {sample} after."), gone)


def test_export_expression_masks_every_secret_like_the_page() -> None:
    texts = [f"Before {s} after." for s, _ in SECRETS]
    out = pl.DataFrame({"prompt": texts}).select(redact_expr("prompt"))["prompt"].to_list()
    for (sample, gone), masked in zip(SECRETS, out, strict=True):
        _check_masked(sample, masked, gone)
    assert out == [redact(t) for t in texts]


@pytest.mark.parametrize("text", HARMLESS)
def test_harmless_text_is_kept_on_both_paths(text: str) -> None:
    assert redact(text) == text
    assert pl.DataFrame({"prompt": [text]}).select(redact_expr("prompt"))["prompt"].to_list() == [text]


def test_missing_text() -> None:
    assert redact(None) == ""
    frame = pl.DataFrame({"prompt": [None, "mail ana@example.org"]}, schema={"prompt": pl.String})
    assert frame.select(redact_expr("prompt"))["prompt"].to_list() == [None, "mail [EMAIL]"]


def test_request_export_file_masks_every_secret(tmp_path: Path) -> None:
    """A real request-level export (DuckDB warehouse, SQLite case store) whose prompts are the secrets table."""
    warehouse = seed_warehouse(f"duckdb:///{tmp_path / 'radar.duckdb'}")
    r = schema.requests
    prompts = {f"r-{a}-{n}": i for i, (a, n) in enumerate((a, n) for a in ALL_ACCOUNTS for n in range(20))}
    rows = [{"rid": rid, "text": f"Before {SECRETS[i % len(SECRETS)][0]} after."} for rid, i in prompts.items()]
    assert len(rows) >= len(SECRETS)
    with write(warehouse) as conn:
        conn.execute(update(r).where(r.c.request_id == bindparam("rid")).values(prompt=bindparam("text")), rows)
    cases = open_case_store(f"sqlite:///{tmp_path / 'cases.sqlite'}")
    set_labels(cases, "account", ALL_ACCOUNTS, "true_positive_extraction", actor=lead("ana"))

    res = export_labels(cases, warehouse, tmp_path / "out", level="request", fmt="jsonl", split="time", with_prompts=True)

    back = pl.concat([read_back(res.files["train"]), read_back(res.files["test"])])
    assert back.height == len(prompts)
    for rid, masked in back.select("request_id", "prompt").iter_rows():
        sample, gone = SECRETS[prompts[rid] % len(SECRETS)]
        _check_masked(sample, masked, gone)


def test_campaign_prompts_are_redacted_with_the_shared_function() -> None:
    # The campaign page shows sample prompts from the run's summaries, masked before they were stored: the scoring
    # run's summary writer uses the shared vectorised expression (the table above runs it too).
    tree = ast.parse((ROOT / "radar" / "detect" / "summaries.py").read_text(encoding="utf-8"))
    imports = {(n.module, a.name) for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) for a in n.names}
    assert imports & {("radar.redact", "redact"), ("radar.redact", "redact_expr")}, (
        "stored sample prompts must be redacted with radar.redact"
    )
    assert not (ROOT / "components" / "redact.py").exists() and not (ROOT / "radar" / "export" / "redact.py").exists()

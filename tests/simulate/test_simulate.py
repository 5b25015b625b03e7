"""The simulator: determinism, contract conformance, truth, scale, capability targets, parts and encodings."""

from __future__ import annotations

import gzip
import ipaddress
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest

from radar.simulate import SimSummary, simulate
from radar.simulate import drop as drop_module
from radar.simulate.population import build_population

Make = Callable[..., tuple[Path, SimSummary]]
REQUIRED = ["request_id", "ts", "account_id", "api_key_id", "client_ip", "model", "operation", "input_tokens", "output_tokens", "status"]
OPTIONAL = [
    "org_id",
    "asn",
    "ip_class",
    "country",
    "user_agent",
    "latency_ms",
    "finish_reason",
    "tool_count",
    "has_image",
    "system_prompt_hash",
    "conversation_id",
    "turn",
    "prompt",
]


def _read(folder: Path, table: str, ext: str = "parquet") -> pl.DataFrame:
    if table == "requests":
        # a part holds one archetype, so a text part may carry a column with no value at all (read as Null)
        return pl.concat([_read_file(p) for p in sorted((folder / "requests").glob(f"part-*.{ext}"))], how="vertical_relaxed")
    return _read_file(folder / f"{table}.{ext}")


def _read_file(path: Path) -> pl.DataFrame:
    if path.name.endswith(".parquet"):
        return pl.read_parquet(path)
    if path.name.endswith(".jsonl.gz"):
        return pl.read_ndjson(gzip.decompress(path.read_bytes()), infer_schema_length=None)
    return pl.read_csv(path, infer_schema_length=None)


def test_same_seed_same_drop_and_other_seed_differs(make_drop: Make, tmp_path: Path) -> None:
    a_dir, _ = make_drop(0.002, 3)
    b_dir = tmp_path / "again"
    simulate(b_dir, scale=0.002, seed=3)
    for table in ("requests", "accounts", "api_keys"):
        assert _read(a_dir, table).equals(_read(b_dir, table)), table
    files = sorted(p.relative_to(a_dir) for p in a_dir.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(b_dir) for p in b_dir.rglob("*") if p.is_file())
    for rel in files:  # same bytes, not just equal frames
        assert (a_dir / rel).read_bytes() == (b_dir / rel).read_bytes(), rel
    c_dir, _ = make_drop(0.002, 4)
    assert not _read(a_dir, "requests").equals(_read(c_dir, "requests"))
    assert set(_read(a_dir, "accounts")["account_id"]).isdisjoint(set(_read(c_dir, "accounts")["account_id"]))


def test_requests_follow_the_contract(make_drop: Make) -> None:
    folder, summary = make_drop()
    r = _read(folder, "requests")
    assert r.height == summary.requests
    assert set(REQUIRED + OPTIONAL) <= set(r.columns)
    assert r.select(pl.col(REQUIRED).null_count()).sum_horizontal().item() == 0
    assert r.schema["ts"] == pl.Datetime("us", "UTC")
    assert r["request_id"].n_unique() == r.height
    assert set(r["operation"].unique()) <= {"chat", "completion", "embeddings", "batch"}
    assert set(r["ip_class"].drop_nulls().unique()) <= {"datacenter", "residential", "mobile", "vpn", "tor", "business", "unknown"}
    assert set(r["finish_reason"].drop_nulls().unique()) <= {"stop", "length", "tool_use", "refusal", "content_filter"}
    assert set(r["status"].unique()) >= {200, 429, 500}
    assert r.select((pl.col("input_tokens") < 0).sum() + (pl.col("output_tokens") < 0).sum()).item() == 0
    assert r["country"].drop_nulls().str.len_chars().eq(2).all()
    for ip in r["client_ip"].unique().to_list():
        ipaddress.ip_address(ip)
    start, end = datetime(2026, 2, 9, tzinfo=UTC), datetime(2026, 2, 16, tzinfo=UTC)
    assert r.select((pl.col("ts").min() >= start) & (pl.col("ts").max() < end)).item()
    # Timestamps carry sub-second precision for everyone (no population is rounded to the second).
    assert r.select((pl.col("ts").dt.microsecond() != 0).mean()).item() > 0.99
    # Optional fields are present for most rows and absent for some, as a gateway sends them.
    for col in ("asn", "user_agent", "latency_ms", "prompt", "system_prompt_hash", "org_id"):
        share = r[col].null_count() / r.height
        assert 0.0 < share < 0.95, (col, share)


def test_accounts_and_keys_are_consistent(make_drop: Make) -> None:
    folder, summary = make_drop()
    r, accounts, keys = _read(folder, "requests"), _read(folder, "accounts"), _read(folder, "api_keys")
    assert accounts.height == summary.accounts and keys.height == summary.api_keys
    assert accounts["account_id"].n_unique() == accounts.height and keys["api_key_id"].n_unique() == keys.height
    assert set(accounts["verification"].drop_nulls().unique()) <= {"none", "email", "phone", "payment", "organisation"}
    used = r.group_by("api_key_id", "account_id").agg(pl.col("ts").min().alias("first"), pl.col("ts").max().alias("last"))
    joined = used.join(keys, on="api_key_id", how="left", suffix="_owner")
    assert joined["account_id_owner"].null_count() == 0
    assert (joined["account_id"] == joined["account_id_owner"]).all(), "a key is used by an account that does not own it"
    assert (joined["created_at"] <= joined["first"]).all(), "a key is used before it was created"
    revoked = joined.filter(pl.col("revoked_at").is_not_null())
    assert (revoked["last"] <= revoked["revoked_at"]).all(), "a key is used after it was revoked"
    firsts = r.group_by("account_id").agg(pl.col("ts").min()).join(accounts, on="account_id")
    assert (firsts["created_at"] <= firsts["ts"]).all(), "an account calls before it signed up"


def test_truth_covers_every_account_once_with_campaign_sizes(make_drop: Make) -> None:
    folder, summary = make_drop()
    truth = pl.read_csv(folder / "truth.csv")
    assert truth.columns == ["account_id", "label", "campaign", "archetype", "variant"]
    assert (truth["variant"].fill_null("") == "").all()  # the default drop changes nobody
    accounts = _read(folder, "accounts")
    assert truth["account_id"].n_unique() == truth.height == accounts.height
    assert set(truth["account_id"]) == set(accounts["account_id"])
    assert set(truth["label"].unique()) == {"attack", "benign"}
    r = _read(folder, "requests").join(truth, on="account_id")
    per = {c: (n, a) for c, n, a in r.group_by("campaign").agg(pl.len(), pl.col("account_id").n_unique()).iter_rows() if c}
    # Scale 0.01 of ~150k / 3.4M / 13M exchanges, each campaign with at least ~15 accounts.
    for campaign, expected in {"a": 1_500, "b": 34_000, "c": 130_000}.items():
        rows, accts = per[campaign]
        assert abs(rows - expected) <= 0.1 * expected, (campaign, rows)
        assert accts >= 15
    assert summary.attack_requests == sum(n for n, _ in per.values())
    benign = r.filter(pl.col("label") == "benign")
    assert benign.height >= summary.attack_requests
    assert set(truth.filter(pl.col("label") == "benign")["archetype"]) == {
        "individual",
        "saas_integration",
        "eval_harness",
        "institution_nat",
        "agentic_coder",
    }


def test_full_scale_population_matches_the_disclosed_figures() -> None:
    slices = build_population(5, 1.0)
    t = pl.concat([s.truth.with_columns(n=pl.Series(s.cols["n_req"])) for s in slices])
    attack = t.filter(pl.col("label") == "attack")
    assert 22_000 <= attack.height <= 26_000
    assert 15_500_000 <= attack["n"].sum() <= 17_500_000
    assert t.filter(pl.col("label") == "benign")["n"].sum() >= 16_500_000
    keys = pl.concat([s.api_keys for s in slices]).join(attack, on="account_id", how="semi").height
    assert 31_000 <= keys <= 40_000
    sizes = dict(attack.group_by("campaign").agg(pl.col("n").sum()).iter_rows())
    assert abs(sizes["a"] - 150_000) < 15_000 and abs(sizes["b"] - 3_400_000) < 340_000 and abs(sizes["c"] - 13_000_000) < 1_300_000
    c = t.filter(pl.col("campaign") == "c")
    assert c.height >= 20_000 and c.select(pl.col("n").median()).item() < 1_500  # a proxy network of light accounts


def _share(prompts: pl.Series, pattern: str) -> float:
    return float(pl.select(pl.lit(prompts.drop_nulls()).str.contains(pattern).mean()).item() or 0.0)


def test_each_campaign_prompts_show_its_capability_targets(make_drop: Make) -> None:
    folder, _ = make_drop()
    truth = pl.read_csv(folder / "truth.csv")
    r = _read(folder, "requests").join(truth, on="account_id")
    prompts = {c: r.filter(pl.col("campaign") == c)["prompt"] for c in ("a", "b", "c")}
    benign = r.filter(pl.col("label") == "benign")["prompt"]
    cot = r"(?i)step by step|reasoning|chain of thought|show all work"
    rubric = r"(?i)rubric|grade|score|marking"
    censor = r"(?i)unrestricted|uncensored|refusal|content policies|filter|forbidden|officials avoid"
    tools = r"(?i)\btool|call them|dispatch|web_search|run_tests|bash|edit_file|read_file|autonomous|sql_query|http_request|\bgit\b|grep|browser|spreadsheet|calendar|computer|next action|the plan"
    code = r"(?i)function|routine|refactor|build fails|class in|snippet|pull request|unit tests|sql query|\bcode\b|loop|python|typescript|\bgo\b|rust|java|kotlin|ruby|php|swift|scala"
    vision = r"(?i)image|photo|screenshot|picture|diagram"
    assert _share(prompts["a"], cot) > 0.6 > _share(benign, cot) + 0.4
    assert _share(prompts["a"], rubric) > 0.15 and _share(prompts["a"], censor) > 0.12
    assert _share(prompts["b"], tools) > 0.2 and _share(prompts["b"], code) > 0.15 and _share(prompts["b"], vision) > 0.12
    assert _share(prompts["c"], tools) + _share(prompts["c"], code) > 0.5
    # Campaign c mixes in ordinary-looking calls: personal writing and support prompts make up a real share.
    personal = r"(?i)blog post|email to|short story|customer|refund|catchy titles|cover letter|translate"
    assert 0.1 < _share(prompts["c"], personal) < 0.4
    # Prompts are varied text, not one string per campaign; benign users also ask for step-by-step reasoning.
    assert prompts["c"].n_unique() > 0.3 * prompts["c"].len()
    assert 0.02 < _share(benign, cot) < 0.3 and _share(benign, rubric) > 0.01


def test_parts_respect_the_row_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(drop_module, "PART_ROWS", 4_000)
    summary = simulate(tmp_path, scale=0.002, seed=9)
    parts = sorted((tmp_path / "requests").glob("part-*.parquet"))
    sizes = [pl.scan_parquet(p).select(pl.len()).collect().item() for p in parts]
    assert len(parts) > 3 and sum(sizes) == summary.requests
    big_accounts = pl.read_parquet(parts).group_by("account_id").len().filter(pl.col("len") > 4_000).height
    assert sum(s > 4_000 for s in sizes) <= big_accounts  # only an account larger than a part fills one alone


@pytest.mark.parametrize("fmt,ext", [("jsonl", "jsonl.gz"), ("csv", "csv")])
def test_text_encodings_are_readable_and_match(make_drop: Make, fmt: str, ext: str) -> None:
    base, _ = make_drop(0.002, 3)
    folder, _ = make_drop(0.002, 3, fmt)
    for table in ("requests", "accounts", "api_keys"):
        text = _read(folder, table, ext)
        ref = _read(base, table)
        assert text.height == ref.height and set(ref.columns) == set(text.columns)
    r = _read(folder, "requests", ext)
    parsed = r["ts"].str.to_datetime("%Y-%m-%dT%H:%M:%S%.fZ", time_zone="UTC")
    assert parsed.equals(_read(base, "requests")["ts"].alias("ts"))
    assert r["prompt"].equals(_read(base, "requests")["prompt"])


def test_memory_stays_bounded_by_the_part_size(tmp_path: Path) -> None:
    # VmHWM is the peak of this process image only (ru_maxrss would carry the forking test runner's peak over).
    code = (
        "import re; from pathlib import Path; from radar.simulate import drop; drop.PART_ROWS = 100_000; "
        f"drop.simulate(Path({str(tmp_path)!r}), scale=0.03, seed=1); "
        "print(re.search(r'VmHWM:\\s+(\\d+)', Path('/proc/self/status').read_text()).group(1))"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=Path(__file__).parents[2])
    peak_mb = int(out.stdout.split()[-1]) / 1024
    rows = sum(pl.scan_parquet(p).select(pl.len()).collect().item() for p in (tmp_path / "requests").glob("*.parquet"))
    assert rows > 900_000
    # ~1M rows with prompts would need well over 1 GB as one frame; parts of 100k keep it far below.
    assert peak_mb < 600, peak_mb


def test_bad_arguments_fail_with_a_sentence(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="scale must be a positive number"):
        simulate(tmp_path, scale=0, seed=1)
    with pytest.raises(ValueError, match="format must be one of"):
        simulate(tmp_path, scale=0.01, seed=1, fmt="xml")

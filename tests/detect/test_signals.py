"""Each detection signal on a small hand-built warehouse whose answers are known."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import Engine, select

from queries import detect_edges, schema
from queries.run import run_all_on
from radar.detect import score
from radar.detect.features import commons_cap
from radar.feedback import Feedback
from radar.warehouse import open_engine
from tests.detect import world


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    eng = open_engine(f"duckdb:///{tmp_path_factory.mktemp('detect') / 'w.duckdb'}")
    world.build(eng)
    return eng


def _table(engine: Engine, table: object, run_id: str) -> pl.DataFrame:
    with engine.connect() as conn:
        return run_all_on(conn, select(table).where(table.c.run_id == run_id))  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def run(engine: Engine) -> dict[str, pl.DataFrame]:
    r = score(engine)
    return {
        t: _table(engine, getattr(schema, t), r.run_id) for t in ("account_scores", "key_scores", "clusters", "campaigns", "cluster_links")
    }


def test_hydra_is_one_cluster_and_one_campaign(run: dict[str, pl.DataFrame]) -> None:
    a = run["account_scores"]
    hydra = a.filter(pl.col("account_id").is_in(world.HYDRA))
    assert hydra["cluster_id"].n_unique() == 1 and hydra["cluster_id"][0] is not None
    assert hydra["campaign_id"].null_count() == 0 and hydra["campaign_id"].n_unique() == 1
    assert hydra["score"].min() >= 0.6
    assert hydra["alerting"].all()
    camp = run["campaigns"].row(0, named=True)
    assert run["campaigns"].height == 1
    assert camp["n_accounts"] >= 12
    assert json.loads(camp["capability_profile"])["reasoning"] >= 0.5
    ind = json.loads(camp["indicators"])
    assert sorted(ind["payment"]) == ["card-hydra-0", "card-hydra-1", "card-hydra-2"]
    assert set(world.HYDRA_TEMPLATES) <= set(ind["template"])
    reasons = json.loads(hydra["reasons"][0])
    assert any("12 accounts share 3 payment instruments" in s for s in reasons)
    assert any("elicit step-by-step reasoning" in s for s in reasons)


def test_ordinary_users_and_heavy_evaluator_are_not_flagged(run: dict[str, pl.DataFrame]) -> None:
    a = run["account_scores"]
    benign = a.filter(pl.col("account_id").is_in(world.BENIGN))
    assert benign.height == 100
    assert benign["score"].max() < 0.2
    assert benign["cluster_id"].null_count() == 100  # a shared webmail domain and ISP link nobody
    ev = a.filter(pl.col("account_id") == world.EVALUATOR).row(0, named=True)
    assert ev["score"] < 0.5 and not ev["alerting"]
    assert ev["cluster_id"] is None
    assert any("50% of prompts elicit step-by-step reasoning" in s for s in json.loads(ev["reasons"]))
    feats = json.loads(ev["features"])
    assert feats["calls"] == 300 and feats["cot_share"] == 0.5


def test_commons_link_nobody_but_payment_instruments_do(engine: Engine) -> None:
    end = world.T0.replace(year=2027)
    with engine.connect() as conn:
        cap = commons_cap(114)
        m = run_all_on(conn, detect_edges.memberships(world.T0.replace(year=2025), end, max_accounts=cap))
    assert cap == 23
    # the ISP (ASN 7922) is held by all 114 accounts and the webmail domain by 112: commons, no memberships
    assert m.filter(pl.col("edge_type") == "asn").height == 0
    assert m.filter(pl.col("value").str.starts_with("webmail.example")).filter(pl.col("n_accounts") > cap).height == 0
    pay = m.filter(pl.col("edge_type") == "payment")
    assert sorted(pay["value"].unique().to_list()) == ["card-hydra-0", "card-hydra-1", "card-hydra-2"]
    assert pay.height == 12 and set(pay["n_accounts"].to_list()) == {4}


def test_reseller_key_scored_by_extraction_share(run: dict[str, pl.DataFrame]) -> None:
    k = run["key_scores"].filter(pl.col("account_id") == world.RESELLER).sort("api_key_id")
    clean, mixed = k.row(0, named=True), k.row(1, named=True)
    assert clean["api_key_id"] == "k-r00-clean" and mixed["api_key_id"] == "k-r00-mixed"
    assert mixed["extraction_share"] == pytest.approx(0.4)
    assert clean["extraction_share"] == pytest.approx(0.0)
    assert mixed["score"] >= 0.5 > clean["score"]
    assert any(
        s.startswith("40% of its 100 calls carry the prompt templates of campaign") for s in json.loads(mixed["reasons"])
    ) or json.loads(mixed["reasons"])[0].startswith("40% of this key's 100 calls look like extraction")


def test_feedback_allowlist_dismissal_and_lineage(engine: Engine) -> None:
    fb = Feedback(
        allowlisted={("account", "h00")},
        dismissed={("account", "h01")},
        confirmed_indicators={"payment": {"card-b007"}, "signup_ip": {"10.7.0.0/24"}},
    )
    r = score(engine, feedback=fb)
    a = _table(engine, schema.account_scores, r.run_id)
    h0 = a.filter(pl.col("account_id") == "h00").row(0, named=True)
    assert h0["allowlisted"] and not h0["alerting"] and h0["score"] >= 0.6  # still scored
    h1 = a.filter(pl.col("account_id") == "h01").row(0, named=True)
    assert not h1["allowlisted"] and not h1["alerting"] and h1["score"] >= 0.6
    b7 = a.filter(pl.col("account_id") == "b007").row(0, named=True)
    assert b7["score"] >= 0.9 and b7["alerting"]
    reasons = json.loads(b7["reasons"])
    assert "shares 1 payment instruments with a confirmed campaign" in reasons
    assert "shares 1 sign-up IPs with a confirmed campaign" in reasons


def test_out_file_and_evaluate_cli(engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from radar.cli import main

    url = str(engine.url)
    out = tmp_path / "scores.csv"
    assert main(["score", "--warehouse", url, "--out", str(out)]) == 0
    f = pl.read_csv(out)
    assert f.columns == ["account_id", "score", "cluster_id", "campaign_id", "reasons"]
    assert f.height == 114
    truth = tmp_path / "truth.csv"
    rows = [(a, "attacker", "hydra", "") for a in world.HYDRA] + [(a, "benign", "", "ordinary") for a in world.BENIGN]
    rows += [(world.EVALUATOR, "benign", "", "batch_eval"), (world.RESELLER, "attacker", "", "")]
    pl.DataFrame(rows, schema=["account_id", "label", "campaign", "archetype"], orient="row").write_csv(truth)
    capsys.readouterr()
    assert main(["evaluate", str(truth), "--warehouse", url]) == 0
    text = capsys.readouterr().out
    assert "recall at 1% benign false-positive rate: 1.0000" in text
    assert "average precision: 1.0000" in text
    assert "batch_eval                   0.0000" in text
    assert "hydra                        1.0000" in text
    assert main(["score", "--warehouse", url, "--out", str(tmp_path / "x.txt")]) == 2
    assert main(["score", "--warehouse", url, "--start", "yesterday"]) == 2
    assert "not an RFC 3339 time" in capsys.readouterr().err

"""A dataset built for training, on a simulated and scored warehouse: both classes on both sides, campaigns kept whole,
the detector's outputs left out unless asked for, a stated and seeded sample, and a card whose counts are the files'.

The warehouse is the simulator's at small scale (two campaigns among a few hundred benign accounts), ingested and
scored once per module with two benign accounts allowlisted, so every negative source (dismissals, the allowlist,
the unflagged sample) exists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import Engine

from queries.export_labels import export_population
from queries.run import run_all
from queries.schema import ALERT_SCORE
from radar.cases.decisions import propagate_campaign_label
from radar.cases.labels import set_labels
from radar.cases.store import open_case_store
from radar.cli import main
from radar.detect import score
from radar.detect.evaluate import read_truth
from radar.export.columns import LEAKAGE
from radar.export.labels import ExportResult, export_labels, run_window
from radar.export.sampling import STRATA, Selection
from radar.export.writers import read_back
from radar.feedback import Feedback
from radar.warehouse import ensure_schema, open_engine
from tests.cases.actors import analyst, lead

#: The smallest simulated drop that holds two campaigns (15 and 56 accounts) beside 369 unclustered accounts.
SCALE, SEED = 0.002, 20260214


@dataclass(frozen=True)
class World:
    """The scored warehouse: its URL, the run's population, its campaigns (largest first) and the allowlisted accounts."""

    url: str
    population: pl.DataFrame
    campaigns: list[str]
    allowlisted: list[str]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    from radar.ingest import ingest_paths
    from radar.simulate import simulate

    root = tmp_path_factory.mktemp("dataset")
    simulate(root / "drop", scale=SCALE, seed=SEED, fmt="parquet", progress=False)
    url = f"duckdb:///{root / 'radar.duckdb'}"
    engine = open_engine(url)
    ensure_schema(engine)
    assert ingest_paths([root / "drop"], engine, progress=False).ok
    truth = read_truth(root / "drop" / "truth.csv")
    allowlisted = sorted(truth.filter(~pl.col("attacker"))["account_id"].to_list())[:2]
    run = score(engine, feedback=Feedback(allowlisted={("account", a) for a in allowlisted}))
    run_id, start, end = run_window(engine)
    assert run_id == run.run_id
    population = run_all(engine, export_population(start, end, run_id=run_id))
    engine.dispose()
    sizes = population.filter(pl.col("campaign_id").is_not_null()).group_by("campaign_id").len().sort("len", descending=True)
    assert sizes.height >= 2, "the drop must hold two campaigns"
    return World(url=url, population=population, campaigns=sizes["campaign_id"].to_list(), allowlisted=allowlisted)


@pytest.fixture()
def stores(world: World, tmp_path: Path) -> tuple[Engine, Engine]:
    """A fresh case store and a read-only engine on the scored warehouse."""
    return open_case_store(f"sqlite:///{tmp_path / 'cases.sqlite'}"), open_engine(world.url, read_only=True)


def _confirm(cases: Engine, warehouse: Engine, campaigns: list[str]) -> None:
    for c in campaigns:
        propagate_campaign_label(cases, warehouse, c, "true_positive_extraction", actor=analyst())


def _files(res: ExportResult) -> dict[str, pl.DataFrame]:
    return {name: read_back(path) for name, path in res.files.items()}


def _table(card: str, heading: str) -> list[list[str]]:
    """The rows of the card's table under `## heading` (cells as text, header and rule dropped)."""
    section = card.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|")]
    return [[cell.strip() for cell in r.strip("|").split("|")] for r in rows[2:]]


def _number(cell: str) -> int:
    return int(cell.replace(",", ""))


def _card_matches_files(res: ExportResult, files: dict[str, pl.DataFrame]) -> None:
    card = res.card.read_text(encoding="utf-8")
    counts = {r[0]: _number(r[1]) for r in _table(card, "Counts")}
    assert counts == {name: f.height for name, f in files.items()}
    balance = {r[0]: (_number(r[1]), _number(r[2])) for r in _table(card, "Class balance")}
    for s in ("train", "test"):
        t = files[s]["target"]
        assert balance[s] == (int((t == 1).sum()), int((t == 0).sum())), s
        assert res.class_balance[s] == {"positive": balance[s][0], "negative": balance[s][1]}


def test_two_campaigns_give_both_classes_on_both_sides_grouped_by_campaign(world: World, stores: tuple, tmp_path: Path) -> None:
    cases, wh = stores
    _confirm(cases, wh, world.campaigns[:2])
    res = export_labels(cases, wh, tmp_path / "out", level="account", fmt="parquet", split="campaign")
    files = _files(res)
    train, test = files["train"], files["test"]

    assert set(train["target"]) == {0, 1} and set(test["target"]) == {0, 1}
    assert set(train["campaign_id"].drop_nulls()).isdisjoint(test["campaign_id"].drop_nulls())
    assert set(train["account_id"]).isdisjoint(test["account_id"])
    assert set(LEAKAGE).isdisjoint(train.columns) and set(LEAKAGE).isdisjoint(test.columns)
    assert res.warnings == [] and "## Warnings" not in res.card.read_text(encoding="utf-8")
    _card_matches_files(res, files)

    both = pl.concat([train, test])
    members = world.population.filter(pl.col("campaign_id").is_in(world.campaigns[:2]))
    positives = both.filter(pl.col("target") == 1)
    assert set(positives["account_id"]) == set(members["account_id"])
    assert set(positives["label_source"]) == {f"campaign:{c}" for c in world.campaigns[:2]}
    allow = both.filter(pl.col("label_source") == "allowlist")
    assert sorted(allow["account_id"]) == world.allowlisted and set(allow["target"]) == {0}
    # The unflagged sample: k = 3 per positive, only from accounts the run neither flagged nor scored at the alert score.
    sampled = both.filter(pl.col("label_source") == "sample:unflagged")
    assert res.sampled is not None and sampled.height == res.sampled.drawn == 3 * positives.height
    judged = sampled.join(world.population, on="account_id")
    assert judged.height == sampled.height
    assert not judged["alerting"].fill_null(False).any() and (judged["score"] < ALERT_SCORE).all()
    assert (judged["label_confidence"] - (1 - judged["score"])).abs().max() < 1e-9  # type: ignore[operator]


def test_the_sample_is_stratified_by_activity_and_fixed_by_its_seed(world: World, stores: tuple, tmp_path: Path) -> None:
    cases, wh = stores
    _confirm(cases, wh, world.campaigns[:2])
    runs = {
        name: export_labels(cases, wh, tmp_path / name, selection=Selection(seed=seed)) for name, seed in (("a", 5), ("b", 5), ("c", 6))
    }
    drawn = {
        name: set(pl.concat(_files(r).values()).filter(pl.col("label_source") == "sample:unflagged")["account_id"])
        for name, r in runs.items()
    }
    assert drawn["a"] == drawn["b"] and drawn["a"] != drawn["c"] and len(drawn["a"]) == len(drawn["c"])
    sampled = runs["a"].sampled
    assert sampled is not None and len(sampled.strata) == STRATA
    per = [s["drawn"] for s in sampled.strata]
    assert max(per) - min(per) <= 1 and sum(per) == sampled.wanted
    # Strata are activity deciles: each stratum's calls lie at or above the previous one's.
    assert all(a["calls_max"] <= b["calls_min"] for a, b in zip(sampled.strata, sampled.strata[1:], strict=False))
    card = runs["a"].card.read_text(encoding="utf-8")
    assert "seed 5" in card and f"cut into {STRATA} equal strata" in card
    assert [[_number(r[2]), _number(r[3])] for r in _table(card, "Selection")] == [[s["population"], s["drawn"]] for s in sampled.strata]


def test_detector_outputs_are_present_and_marked_as_leakage_only_when_asked(world: World, stores: tuple, tmp_path: Path) -> None:
    cases, wh = stores
    _confirm(cases, wh, world.campaigns[:2])
    plain = export_labels(cases, wh, tmp_path / "plain", fmt="csv")
    assert "Left out by default" in plain.card.read_text(encoding="utf-8")

    res = export_labels(cases, wh, tmp_path / "leaky", fmt="csv", with_detector_outputs=True)
    files = _files(res)
    assert set(LEAKAGE) <= set(files["train"].columns)
    card = res.card.read_text(encoding="utf-8")
    for column in LEAKAGE:
        assert f"| `{column}` | **LEAKAGE: detector output, do not train on it**" in card, column
    assert "Included on request, and marked LEAKAGE" in card
    both = pl.concat(files.values()).join(world.population.select("account_id", pl.col("score").alias("run_score")), on="account_id")
    assert (both["score"] - both["run_score"]).abs().max() < 1e-9  # type: ignore[operator]
    # The same examples either way: asking for the detector's columns changes columns, not rows.
    assert set(pl.concat(_files(plain).values())["account_id"]) == set(both["account_id"])


def test_one_campaign_warns_in_the_card_and_the_command_line(
    world: World, stores: tuple, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cases, wh = stores
    _confirm(cases, wh, world.campaigns[:1])
    cases_url = str(cases.url)
    out = tmp_path / "cli"
    assert main(["export", "labels", "--out", str(out), "--warehouse", world.url, "--cases", cases_url]) == 0
    printed = capsys.readouterr()
    warning = f"The test split holds no positive examples: every positive example belongs to one group ({world.campaigns[0]})"
    assert f"warning: {warning}" in printed.err
    assert re.search(r"test: 0 positive, [1-9][\d,]* negative", printed.out)
    card = (out / "dataset_card.md").read_text(encoding="utf-8")
    assert "## Warnings" in card and warning in card
    assert {r[0]: _number(r[1]) for r in _table(card, "Class balance")}["test"] == 0


def test_time_split_keeps_both_classes_and_puts_later_accounts_in_test(world: World, stores: tuple, tmp_path: Path) -> None:
    cases, wh = stores
    _confirm(cases, wh, world.campaigns[:2])
    res = export_labels(cases, wh, tmp_path / "t", split="time", fmt="jsonl")
    files = _files(res)
    assert set(files["train"]["target"]) == {0, 1} and set(files["test"]["target"]) == {0, 1} and res.warnings == []
    assert files["train"]["first_seen"].max() < files["test"]["first_seen"].min()  # type: ignore[operator]
    _card_matches_files(res, files)


def test_request_level_streams_with_progress_and_the_card_counts_the_rows(world: World, stores: tuple, tmp_path: Path) -> None:
    cases, wh = stores
    _confirm(cases, wh, world.campaigns[:2])
    seen: list[tuple[int, int]] = []
    res = export_labels(cases, wh, tmp_path / "r", level="request", split="campaign", progress=lambda d, t: seen.append((d, t)))
    files = _files(res)
    assert seen and seen[-1][0] == seen[-1][1] and [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert set(files["train"]["target"]) == {0, 1} and set(files["test"]["target"]) == {0, 1}
    assert set(files["train"]["campaign_id"].drop_nulls()).isdisjoint(files["test"]["campaign_id"].drop_nulls())
    assert set(LEAKAGE).isdisjoint(files["train"].columns)
    _card_matches_files(res, files)
    accounts = export_labels(cases, wh, tmp_path / "a")
    by_account = pl.concat(_files(accounts).values())
    assert set(pl.concat(files.values())["account_id"]) == set(by_account["account_id"]) and seen[-1][1] == by_account.height


def test_unlabeled_accounts_have_their_own_file_and_every_scored_account_appears_once(world: World, stores: tuple, tmp_path: Path) -> None:
    cases, wh = stores
    _confirm(cases, wh, world.campaigns[:1])
    res = export_labels(cases, wh, tmp_path / "u", selection=Selection(unlabeled=True))
    files = _files(res)
    assert set(files) == {"train", "test", "unlabeled"}
    assert files["unlabeled"]["target"].is_null().all() and set(files["unlabeled"]["label_source"]) == {"none"}
    every = pl.concat(files.values())
    assert every["account_id"].n_unique() == every.height == world.population.height
    # The unreviewed campaign's flagged members are unlabeled, never sampled as negatives.
    other = set(world.population.filter(pl.col("campaign_id") == world.campaigns[1])["account_id"])
    assert other <= set(files["unlabeled"]["account_id"])
    assert "exported to the unlabeled file" in res.card.read_text(encoding="utf-8")


def test_detector_positives_carry_the_run_score_as_confidence(world: World, stores: tuple, tmp_path: Path) -> None:
    cases, wh = stores
    res = export_labels(cases, wh, tmp_path / "d", selection=Selection(positives="analyst+detector"))
    every = pl.concat(_files(res).values())
    positives = every.filter(pl.col("target") == 1).join(world.population.select("account_id", "score", "alerting"), on="account_id")
    flagged = world.population.filter(pl.col("alerting").fill_null(False))
    assert set(positives["account_id"]) == set(flagged["account_id"]) and set(positives["label_source"]) == {"detector"}
    assert (positives["label_confidence"] - positives["score"]).abs().max() < 1e-9  # type: ignore[operator]
    assert "learns to agree with the detector" in res.card.read_text(encoding="utf-8")


def test_dismissals_are_negatives_and_bad_data_is_left_out(world: World, stores: tuple, tmp_path: Path) -> None:
    cases, wh = stores
    _confirm(cases, wh, world.campaigns[:2])
    members = sorted(world.population.filter(pl.col("campaign_id") == world.campaigns[0])["account_id"])
    unflagged = sorted(world.population.filter(~pl.col("alerting").fill_null(False) & ~pl.col("allowlisted"))["account_id"])
    set_labels(cases, "account", unflagged[:3], "false_positive_detection_logic", actor=lead())
    set_labels(cases, "account", members[:1], "false_positive_bad_data", actor=analyst())
    res = export_labels(cases, wh, tmp_path / "x")
    every = pl.concat(_files(res).values())
    dismissed = every.filter(pl.col("account_id").is_in(unflagged[:3]))
    assert dismissed.height == 3 and set(dismissed["label_source"]) == {"analyst"} and set(dismissed["target"]) == {0}
    assert members[0] not in set(every["account_id"])
    assert "- false_positive_bad_data (the telemetry behind the alert was bad, so the account's features are too): 1" in res.card.read_text(
        encoding="utf-8"
    )

"""The robustness matrix: variant lists, verdicts, and a small matrix end to end, gated where a small drop can measure."""

from __future__ import annotations

import io
from pathlib import Path

import polars as pl
import pytest

from radar.cli import main
from radar.detect.evaluate import read_truth
from radar.detect.matrix import BASELINE, GATE_FAMILIES, GATE_FLAGGED, GATE_RECALL, MatrixError, MatrixRow, matrix_names, run_matrix
from radar.simulate.variants import VARIANTS


def _row(kind: str, families: tuple[str, ...], recall: float, flagged: float) -> MatrixRow:
    return MatrixRow("v", kind, families, 10, recall, 0.9, flagged, 1.0, 1.0, 1.0)


def test_verdicts_follow_the_done_when_thresholds() -> None:
    two, one = ("control", "extraction"), ("control",)
    assert _row("campaign", two, GATE_RECALL, 0.0).verdict == "PASS"
    assert _row("campaign", two, GATE_RECALL - 0.001, 1.0).verdict == "FAIL"
    assert _row("campaign", one, 0.1, 0.0).verdict == "-"  # one family left: reported, not gated
    assert _row("benign", one, 0.0, GATE_FLAGGED).verdict == "PASS"
    assert _row("benign", one, 1.0, GATE_FLAGGED + 0.001).verdict == "FAIL"


def test_variant_lists() -> None:
    assert matrix_names(None) == [BASELINE, *VARIANTS]
    assert matrix_names(" no_cot, baseline,no_cot ") == ["no_cot", BASELINE]
    with pytest.raises(MatrixError, match="unknown variant"):
        matrix_names("no_cot,typo")


def test_evaluate_needs_a_truth_file_or_matrix(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate"]) == 2
    assert "--matrix" in capsys.readouterr().err
    assert main(["evaluate", "--matrix", "--variants", "typo"]) == 2
    assert "unknown variant" in capsys.readouterr().err


#: The small matrix of `make test`: a few hundred accounts per drop (scale 0.005 keeps each archetype near its minimum
#: size), so it can honestly gate only what that many accounts resolve:
#: - campaign rows keeping >= 2 families, on recall at 1% benign FPR (132 campaign accounts: one miss is 0.8%);
#: - benign rows, on at most one flagged account of the 20-30 changed (1% of so few cannot be told from 0%).
#: It cannot gate: the 1% FPR threshold itself rests on ~4 benign accounts here (the 0.2 matrix on ~15,000);
#: campaign-c-sized clusters (400 accounts at scale 1.0, one cluster of ~100 here); one-family rows (never gated);
#: benign archetypes under 20 accounts at this scale (saas_integration, eval_harness). Those are the 0.2 matrix's job.
SMALL_SCALE, SMALL_SEED = 0.005, 2026
SMALL_ROWS = ("baseline", "keys_daily", "aged_accounts", "event_signup_burst", "university_course")
#: Rows the detector does not yet bring up to the bar on this drop, each with the figure last measured. Listed, not
#: hidden: the test fails when a listed row reaches the bar (take it off the list) as well as when another row falls.
KNOWN_BELOW_BAR: dict[str, str] = {}


@pytest.mark.slow
def test_small_matrix_meets_the_bar_where_a_small_drop_can_measure_it(tmp_path: Path) -> None:
    out = io.StringIO()
    rows = run_matrix(list(SMALL_ROWS), scale=SMALL_SCALE, seed=SMALL_SEED, workdir=tmp_path, out=out)
    printed = out.getvalue()
    print("\n" + printed)  # the table, for the test log
    assert [r.variant for r in rows] == list(SMALL_ROWS)
    missed: list[str] = []  # every row below the bar, named together (one run measures them all)
    for row in rows:
        assert row.line() in printed
        if row.kind == "benign":
            truth = read_truth(tmp_path / row.variant / "drop" / "truth.csv")  # the changed archetype's accounts
            assert row.accounts == truth.filter(pl.col("variant") == row.variant).height >= 20, row.variant
            if row.flagged * row.accounts > 1.0 + 1e-9:
                missed.append(row.line())
        else:
            assert row.accounts >= 100 and len(row.families) >= GATE_FAMILIES, row.variant
            if row.recall < GATE_RECALL:
                missed.append(row.line())
    assert "total" in printed and "default drop, shared by every row" in printed
    below = {line.split()[0] for line in missed}
    assert below <= set(KNOWN_BELOW_BAR), "below the robustness bar:\n" + "\n".join(missed)
    assert below == set(KNOWN_BELOW_BAR), f"now at the bar, take off KNOWN_BELOW_BAR: {sorted(set(KNOWN_BELOW_BAR) - below)}"

"""The robustness matrix: variant lists, verdicts, and the command end to end on two small drops (figures printed, not gated)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from radar.cli import main
from radar.detect.matrix import BASELINE, GATE_FLAGGED, GATE_RECALL, MatrixError, MatrixRow, matrix_names
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


@pytest.mark.slow
def test_matrix_runs_end_to_end_and_prints_a_row_per_variant(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    names = ["no_cot", "venue_network"]
    code = main(["evaluate", "--matrix", "--scale", "0.005", "--seed", "5", "--variants", ",".join(names), "--workdir", str(tmp_path)])
    out = capsys.readouterr().out
    with capsys.disabled():
        print("\n" + out)  # the figures are reported, not gated: the detector is measured here, not changed
    assert code == 0
    rows = {line.split()[0]: line.split() for line in out.splitlines() if line.split() and line.split()[0] in names}
    assert sorted(rows) == sorted(names)
    for name, cells in rows.items():
        kind, accounts, recall, ap, flagged, gate = cells[1], int(cells[4].replace(",", "")), *map(float, cells[5:8]), cells[8]
        truth = pl.read_csv(tmp_path / name / "drop" / "truth.csv", infer_schema=False)
        assert kind == VARIANTS[name].kind
        assert accounts == truth.filter(pl.col("variant") == name).height > 0
        assert 0.0 <= recall <= 1.0 and 0.0 <= ap <= 1.0 and 0.0 <= flagged <= 1.0
        expected = (recall >= GATE_RECALL) if kind == "campaign" else (flagged <= GATE_FLAGGED)
        assert gate == ("PASS" if expected else "FAIL"), cells
        assert (tmp_path / name / "warehouse.duckdb").exists()
    assert "PASS," in out and "total" in out

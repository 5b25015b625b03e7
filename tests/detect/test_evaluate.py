"""The evaluation figures on lists whose answers are worked out by hand."""

from __future__ import annotations

import pytest

from radar.detect.evaluate import average_precision, recall_at_fpr, roc_auc


def test_recall_at_fpr_uses_the_threshold_that_admits_one_percent() -> None:
    neg = [i / 1000 for i in range(200)]  # 0.000 .. 0.199; 1% of 200 = 2 may pass
    pos = [0.1985, 0.1965, 0.5, 0.9]
    rec, thr = recall_at_fpr(pos, neg)
    assert thr == pytest.approx(0.197)
    assert rec == pytest.approx(0.75)


def test_average_precision_and_auc() -> None:
    assert average_precision([0.9, 0.8], [0.1, 0.2]) == pytest.approx(1.0)
    # ranking: pos 0.9, neg 0.8, pos 0.7 -> AP = (1/2)(1) + (1/2)(2/3)
    assert average_precision([0.9, 0.7], [0.8]) == pytest.approx(0.5 + 1 / 3)
    assert roc_auc([0.9, 0.7], [0.8]) == pytest.approx(0.5)
    assert roc_auc([0.5], [0.5]) == pytest.approx(0.5)

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


def test_a_campaigns_largest_cluster_reports_how_much_of_it_is_the_campaign() -> None:
    import polars as pl

    from radar.detect.evaluate import evaluate

    # campaign a: 4 accounts, 3 in cluster X, which also holds 2 of campaign b's and one benign account; b's other
    # 4 accounts are alone in cluster Y
    rows = [("a1", "X", "a"), ("a2", "X", "a"), ("a3", "X", "a"), ("a4", None, "a")]
    rows += [("b1", "X", "b"), ("b2", "X", "b"), ("b3", "Y", "b"), ("b4", "Y", "b"), ("b5", "Y", "b"), ("b6", "Y", "b")]
    rows += [("n1", "X", None), ("n2", None, None)]
    ids, cluster, campaign = zip(*rows, strict=True)
    scores = pl.DataFrame(
        {"account_id": ids, "score": [0.9] * 10 + [0.1, 0.0], "cluster_id": cluster}, schema_overrides={"cluster_id": pl.String}
    )
    truth = pl.DataFrame(
        {
            "account_id": ids,
            "campaign": campaign,
            "archetype": [f"campaign_{c}" if c else "individual" for c in campaign],
            "attacker": [c is not None for c in campaign],
        },
        schema_overrides={"campaign": pl.String},
    )
    got = evaluate(scores, truth)
    assert got.campaign_in_one_cluster == {"a": pytest.approx(0.75), "b": pytest.approx(4 / 6)}
    assert got.campaign_cluster_purity == {"a": pytest.approx(3 / 6), "b": pytest.approx(1.0)}
    assert got.campaign_cluster_shared == {"a": ("b",), "b": ()}
    assert "0.7500   0.5000   b" in "\n".join(got.lines())

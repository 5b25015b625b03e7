"""How good is a stored run against known truth? Recall at 1% false positives, AP, ROC AUC, archetypes, campaigns."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from radar.detect.scoring import ALERT

#: label values that mean "not an attacker" in a truth file
BENIGN_LABELS = {"benign", "0", "false", "normal", "legit", "legitimate", "negative"}
FPR = 0.01


class TruthError(ValueError):
    """The truth file cannot be used; the message says why."""


@dataclass
class Evaluation:
    """The figures an evaluation reports."""

    n_attackers: int
    n_benign: int
    recall_at_fpr: float
    threshold_at_fpr: float
    average_precision: float
    roc_auc: float
    flagged_by_archetype: dict[str, float] = field(default_factory=dict)
    campaign_in_one_cluster: dict[str, float] = field(default_factory=dict)
    #: per campaign, the share of its largest cluster's accounts that are that campaign's (1.0: the cluster is the
    #: campaign alone; below, it also holds other campaigns' or benign accounts)
    campaign_cluster_purity: dict[str, float] = field(default_factory=dict)
    #: per campaign, the other campaigns its largest cluster also holds
    campaign_cluster_shared: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def lines(self) -> list[str]:
        """The report, one line per figure."""
        out = [
            f"accounts: {self.n_attackers:,} attacker, {self.n_benign:,} benign",
            f"recall at {FPR:.0%} benign false-positive rate: {self.recall_at_fpr:.4f} (score > {self.threshold_at_fpr:.4f})",
            f"average precision: {self.average_precision:.4f}",
            f"ROC AUC: {self.roc_auc:.4f}",
            f"flagged share per archetype (score >= {ALERT}):",
        ]
        out += [f"  {k:<28} {v:.4f}" for k, v in sorted(self.flagged_by_archetype.items())]
        out.append("campaign share of accounts in its largest cluster; share of that cluster that is the campaign; other campaigns in it:")
        for k, v in sorted(self.campaign_in_one_cluster.items()):
            shared = ", ".join(self.campaign_cluster_shared.get(k, ())) or "none"
            out.append(f"  {k:<28} {v:.4f}   {self.campaign_cluster_purity.get(k, 0.0):.4f}   {shared}")
        return out


def read_truth(path: str | Path) -> pl.DataFrame:
    """Which accounts are attackers? Reads account_id, label, campaign, archetype; adds boolean `attacker`."""
    try:
        t = pl.read_csv(path, infer_schema=False)
    except (OSError, pl.exceptions.PolarsError) as exc:
        raise TruthError(f"Cannot read the truth file {path}: {exc}") from exc
    if "account_id" not in t.columns or "label" not in t.columns:
        raise TruthError(f"{path}: the truth file must have account_id and label columns (and campaign, archetype).")
    for c in ("campaign", "archetype"):
        if c not in t.columns:
            t = t.with_columns(pl.lit(None, dtype=pl.String).alias(c))
    attacker = ~pl.col("label").str.to_lowercase().str.strip_chars().is_in(sorted(BENIGN_LABELS))
    return t.with_columns(attacker.alias("attacker"), pl.col("campaign").replace("", None))


def recall_at_fpr(pos: list[float], neg: list[float], fpr: float = FPR) -> tuple[float, float]:
    """What share of attackers score above the threshold that lets at most `fpr` of benign accounts through?"""
    if not pos:
        return 0.0, 1.0
    neg_sorted = sorted(neg, reverse=True)
    k = int(math.floor(fpr * len(neg_sorted)))
    thr = neg_sorted[k] if k < len(neg_sorted) else -math.inf
    return sum(1 for p in pos if p > thr) / len(pos), thr


def average_precision(pos: list[float], neg: list[float]) -> float:
    """Area under the precision-recall step curve (tied scores enter together)."""
    if not pos:
        return 0.0
    items = sorted([(s, 1) for s in pos] + [(s, 0) for s in neg], key=lambda t: -t[0])
    tp = fp = 0
    ap = 0.0
    i = 0
    while i < len(items):
        j = i
        dtp = dfp = 0
        while j < len(items) and items[j][0] == items[i][0]:
            dtp += items[j][1]
            dfp += 1 - items[j][1]
            j += 1
        tp, fp = tp + dtp, fp + dfp
        ap += (dtp / len(pos)) * (tp / (tp + fp))
        i = j
    return ap


def roc_auc(pos: list[float], neg: list[float]) -> float:
    """Probability that an attacker outscores a benign account (ties count half)."""
    if not pos or not neg:
        return float("nan")
    s = pl.DataFrame({"s": pos + neg, "y": [1] * len(pos) + [0] * len(neg)}).with_columns(pl.col("s").rank("average").alias("r"))
    rank_sum = float(s.filter(pl.col("y") == 1)["r"].sum())
    return (rank_sum - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg))


def evaluate(scores: pl.DataFrame, truth: pl.DataFrame) -> Evaluation:
    """How well do a run's account scores (account_id, score, cluster_id, allowlisted) match the truth?

    Accounts in the truth that made no calls in the window score 0 and sit in no cluster.
    """
    j = truth.join(scores.select("account_id", "score", "cluster_id"), on="account_id", how="left").with_columns(
        pl.col("score").fill_null(0.0)
    )
    pos = j.filter(pl.col("attacker"))["score"].to_list()
    neg = j.filter(~pl.col("attacker"))["score"].to_list()
    rec, thr = recall_at_fpr(pos, neg)
    flagged = j.filter(pl.col("archetype").is_not_null()).group_by("archetype").agg((pl.col("score") >= ALERT).mean().alias("share"))
    camp = j.filter(pl.col("campaign").is_not_null())
    in_one: dict[str, float] = {}
    purity: dict[str, float] = {}
    shared: dict[str, tuple[str, ...]] = {}
    held = scores.filter(pl.col("cluster_id").is_not_null()).group_by("cluster_id").len().rename({"len": "size"})
    for name in sorted(set(camp["campaign"].to_list())):
        members = camp.filter(pl.col("campaign") == name)
        sizes = members.filter(pl.col("cluster_id").is_not_null()).group_by("cluster_id").len()
        if sizes.is_empty():
            in_one[name], purity[name] = min(1, members.height) / members.height, 0.0
            continue
        top = sizes.sort(["len", "cluster_id"], descending=[True, False]).row(0, named=True)
        in_one[name] = int(top["len"]) / members.height
        size = held.filter(pl.col("cluster_id") == top["cluster_id"])["size"]
        purity[name] = int(top["len"]) / int(size[0]) if size.len() else 0.0
        others = camp.filter((pl.col("cluster_id") == top["cluster_id"]) & (pl.col("campaign") != name))["campaign"]
        shared[name] = tuple(sorted(set(others.to_list())))
    return Evaluation(
        n_attackers=len(pos),
        n_benign=len(neg),
        recall_at_fpr=rec,
        threshold_at_fpr=thr,
        average_precision=average_precision(pos, neg),
        roc_auc=roc_auc(pos, neg),
        flagged_by_archetype={r["archetype"]: float(r["share"]) for r in flagged.iter_rows(named=True)},
        campaign_in_one_cluster=in_one,
        campaign_cluster_purity=purity,
        campaign_cluster_shared=shared,
    )

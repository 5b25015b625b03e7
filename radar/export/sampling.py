"""Which accounts make a training set? Positives, negatives (dismissed, allowlisted, a seeded sample of unflagged accounts), unlabeled.

Positives are analysts' confirmed labels (set on the account or propagated from a campaign) and, when asked for,
accounts the detector flagged that nobody reviewed, weighted by the run's score. Negatives are analysts'
dismissals and permitted look-alikes, allowlisted accounts, and a sample of accounts the run did not flag: k per
positive, spread evenly over activity deciles, drawn in an order fixed by a seed. Everything else is unlabeled,
exported only when asked for.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from queries.schema import ALERT_SCORE

POSITIVE, NEGATIVE = 1, 0
CLASS_NAMES = {POSITIVE: "positive", NEGATIVE: "negative"}
# How each analyst disposition maps to the target (1 = unpermitted extraction).
TARGET_OF = {
    "true_positive_extraction": POSITIVE,
    # Real extraction-like behaviour that is permitted (a partner's evaluation): the model must learn to let it pass.
    "benign_positive_allowed": NEGATIVE,
    # The detector was wrong: the most informative negatives there are.
    "false_positive_detection_logic": NEGATIVE,
}
# Dispositions that make no example, and why (stated in the card).
LEFT_OUT = {"false_positive_bad_data": "the telemetry behind the alert was bad, so the account's features are too"}

SOURCE_DETECTOR, SOURCE_ALLOWLIST, SOURCE_SAMPLE, SOURCE_NONE = "detector", "allowlist", "sample:unflagged", "none"
POSITIVES = ("analyst", "analyst+detector")
# Three controls per case: a case-control design's efficiency is k/(k+1) of a full cohort's, 75 % at k = 3, and
# each further control adds little (80 % at 4); the sample stays small enough that analysts' negatives still count.
DEFAULT_K = 3.0
DEFAULT_SEED = 16
# Strata of the unflagged sample: deciles of activity (calls in the run's window). Each decile gives its share, so the
# sample covers every activity level for sure, the heavy tail where hard negatives (evaluators, integrations) live included,
# which a simple random sample of a few hundred accounts may miss.
STRATA = 10
CHOSEN_SCHEMA: dict[str, Any] = {
    "account_id": pl.String,
    "campaign_id": pl.String,
    "first_seen": pl.Datetime("us", "UTC"),
    "last_seen": pl.Datetime("us", "UTC"),
    "score": pl.Float64,
    "alerting": pl.Boolean,
    "allowlisted": pl.Boolean,
    "target": pl.Int8,
    "label": pl.String,
    "label_source": pl.String,
    "label_confidence": pl.Float64,
    "labeled_by": pl.String,
    "labeled_at": pl.Datetime("us", "UTC"),
}


@dataclass(frozen=True)
class Selection:
    """Which examples an export holds: the choices the card states."""

    positives: str = "analyst"
    negatives_per_positive: float = DEFAULT_K
    seed: int = DEFAULT_SEED
    unlabeled: bool = False


@dataclass
class Sampled:
    """What the unflagged sample drew: how many were wanted, from how many, and per activity stratum."""

    wanted: int
    population: int
    strata: list[dict[str, Any]] = field(default_factory=list)

    @property
    def drawn(self) -> int:
        """How many unflagged accounts were drawn in all?"""
        return sum(int(s["drawn"]) for s in self.strata)


@dataclass
class Chosen:
    """The accounts chosen, one row each (CHOSEN_SCHEMA), with what was left out and how the sample was drawn."""

    frame: pl.DataFrame
    sampled: Sampled
    left_out: dict[str, int]


def seeded_key(seed: int, name: str) -> int:
    """Where does this name fall in the seed's order (sha256, the same on every engine, platform and library version)?"""
    return int.from_bytes(hashlib.sha256(f"{seed}:{name}".encode()).digest()[:8], "big")


def _keyed(frame: pl.DataFrame, seed: int, column: str = "account_id") -> pl.DataFrame:
    keys = [seeded_key(seed, str(v)) for v in frame[column].to_list()]
    return frame.with_columns(pl.Series("_key", keys, dtype=pl.UInt64))


def _as(frame: pl.DataFrame, **values: Any) -> pl.DataFrame:
    """What are these rows in CHOSEN_SCHEMA, with the given columns set (a value or an expression)?"""
    exprs = [pl.lit(v) if not isinstance(v, pl.Expr) else v for v in values.values()]
    frame = frame.with_columns(e.alias(n) for n, e in zip(values, exprs, strict=True))
    missing = [pl.lit(None, dtype=t).alias(c) for c, t in CHOSEN_SCHEMA.items() if c not in frame.columns]
    return frame.with_columns(missing).select(pl.col(c).cast(t) for c, t in CHOSEN_SCHEMA.items())


def stratified_sample(candidates: pl.DataFrame, wanted: int, seed: int) -> tuple[pl.DataFrame, Sampled]:
    """Which `wanted` candidates are drawn, evenly over activity deciles, in the seed's order? Returns (rows, report).

    Candidates are ranked by calls (ties broken by the seeded order) and cut into STRATA equal strata; each stratum
    gives its share of `wanted` (largest remainders first), taking its accounts in the seeded order.
    """
    n = candidates.height
    report = Sampled(wanted=wanted, population=n)
    if n == 0 or wanted <= 0:
        return candidates.head(0), report
    ranked = _keyed(candidates.with_columns(pl.col("calls").fill_null(0)), seed).sort(["calls", "_key"])
    ranked = ranked.with_columns((pl.int_range(pl.len(), dtype=pl.Int64) * STRATA // n).alias("_stratum"))
    sizes = ranked.group_by("_stratum").agg(pl.len().alias("size"), pl.col("calls").min().alias("lo"), pl.col("calls").max().alias("hi"))
    sizes = sizes.sort("_stratum")
    take = min(wanted, n)
    exact = [take * s / n for s in sizes["size"].to_list()]
    quota = [int(e) for e in exact]
    for i in sorted(range(len(exact)), key=lambda i: (quota[i] - exact[i], i))[: take - sum(quota)]:
        quota[i] += 1
    quotas = pl.DataFrame({"_stratum": sizes["_stratum"], "_quota": quota}, schema_overrides={"_quota": pl.Int64})
    drawn = (
        ranked.join(quotas, on="_stratum")
        .sort(["_stratum", "_key"])
        .filter(pl.int_range(pl.len()).over("_stratum") < pl.col("_quota"))
        .drop("_key", "_quota")
    )
    report.strata = [
        {"stratum": int(s) + 1, "calls_min": lo, "calls_max": hi, "population": size, "drawn": q}
        for (s, size, lo, hi), q in zip(sizes.select("_stratum", "size", "lo", "hi").iter_rows(), quota, strict=True)
    ]
    return drawn.drop("_stratum"), report


def choose(population: pl.DataFrame, labels: pl.DataFrame, selection: Selection) -> Chosen:
    """Which scored accounts are positives, negatives or unlabeled, from which source, with what confidence?

    `population` is one row per account the run scored (queries.export_labels.export_population); `labels` the
    effective account labels (radar.cases.labels.effective_labels) with `entity_id` renamed to `account_id`.
    """
    if selection.positives not in POSITIVES:
        raise ValueError(f"Positives are chosen from {' or '.join(POSITIVES)}, not {selection.positives!r}.")
    if selection.negatives_per_positive < 0:
        raise ValueError(f"Unflagged negatives per positive must be 0 or more, not {selection.negatives_per_positive:g}.")
    lab = labels.select("account_id", "label", "label_source", "labeled_by", "labeled_at")
    pop = population.join(lab, on="account_id", how="left")
    left_out = {"labels on accounts the run did not score": lab.join(population, on="account_id", how="anti").height}
    labeled = pop.filter(pl.col("label").is_not_null())
    for disposition, why in LEFT_OUT.items():
        left_out[f"{disposition} ({why})"] = labeled.filter(pl.col("label") == disposition).height
    decided = labeled.filter(pl.col("label").is_in(list(TARGET_OF)))
    parts = [_as(decided, target=pl.col("label").replace_strict(TARGET_OF, return_dtype=pl.Int8), label_confidence=1.0)]
    rest = pop.filter(pl.col("label").is_null()).drop("label", "label_source", "labeled_by", "labeled_at")
    allowed = rest["allowlisted"].fill_null(False)
    parts.append(_as(rest.filter(allowed), target=NEGATIVE, label_source=SOURCE_ALLOWLIST, label_confidence=1.0))
    rest = rest.filter(~allowed)
    flagged = rest.filter(pl.col("alerting").fill_null(False))
    rest = rest.filter(~pl.col("alerting").fill_null(False))
    unlabeled = []
    if selection.positives == "analyst+detector":
        parts.append(_as(flagged, target=POSITIVE, label_source=SOURCE_DETECTOR, label_confidence=pl.col("score")))
    else:
        unlabeled.append(flagged)
        left_out["flagged by the run, not reviewed (export with detector positives to include them)"] = flagged.height
    # Unflagged = not flagged and under the alert score: an account scored high but not alerting was dismissed by feedback.
    under = pl.col("score") < ALERT_SCORE
    unlabeled.append(rest.filter(~under))
    positives = sum(int((p["target"] == POSITIVE).sum()) for p in parts)
    wanted = round(selection.negatives_per_positive * positives)
    drawn, sampled = stratified_sample(rest.filter(under), wanted, selection.seed)
    parts.append(_as(drawn, target=NEGATIVE, label_source=SOURCE_SAMPLE, label_confidence=1.0 - pl.col("score")))
    unlabeled.append(rest.filter(under).join(drawn.select("account_id"), on="account_id", how="anti"))
    if selection.unlabeled:
        parts += [_as(u, target=None, label_source=SOURCE_NONE) for u in unlabeled]
    frame = pl.concat(parts).sort("account_id")
    return Chosen(frame=frame, sampled=sampled, left_out={k: v for k, v in left_out.items() if v})

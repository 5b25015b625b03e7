"""Which examples go to train and which to test? Splits that keep campaigns whole, or cut by time, each with both classes.

A campaign split never puts one campaign on both sides (accounts outside campaigns are each their own group); a
time split puts every example first seen at or after a cutoff in test. Both aim for TEST_SHARE of each class in
test and keep both classes on both sides where the data allows it. Where it does not (one campaign holds every
positive, say), the export says so in words: `warnings` turns the counts into sentences for the card, page and CLI.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime

import polars as pl

from radar.export.sampling import CLASS_NAMES, NEGATIVE, POSITIVE, seeded_key

# Share of each class held out for testing; 20 % is the customary hold-out for a few thousand labeled accounts.
TEST_SHARE = 0.2
SPLITS = ("train", "test")


def group_of() -> pl.Expr:
    """Which group keeps an account on one side (its campaign, or the account itself outside any campaign)?"""
    return pl.coalesce(pl.col("campaign_id"), pl.lit("account:") + pl.col("account_id"))


def campaign_sides(labeled: pl.DataFrame, seed: int) -> set[str]:
    """Which groups (group_of) go to test, so that each class has about TEST_SHARE of its examples there?

    Groups are visited in the seed's order; a group goes to test while a class it holds is short of its share and
    no class would overshoot it. A class still absent from test then gets its smallest group, provided train keeps
    an example of every class.
    """
    groups = labeled.group_by(group_of().alias("g")).agg(
        (pl.col("target") == POSITIVE).sum().alias("pos"), (pl.col("target") == NEGATIVE).sum().alias("neg")
    )
    rows = sorted(groups.iter_rows(named=True), key=lambda r: (seeded_key(seed, str(r["g"])), str(r["g"])))
    total = {c: sum(int(r[c]) for r in rows) for c in ("pos", "neg")}
    share = {c: math.ceil(TEST_SHARE * n) for c, n in total.items()}
    taken = {"pos": 0, "neg": 0}
    test: set[str] = set()

    def keeps_train(r: dict[str, int]) -> bool:
        return all(total[c] - taken[c] - r[c] > 0 for c in total if total[c])

    for r in rows:
        short = any(r[c] and taken[c] < share[c] for c in total)
        fits = all(taken[c] + r[c] <= share[c] for c in total)
        if short and fits and keeps_train(r):
            test.add(r["g"])
            taken = {c: taken[c] + r[c] for c in total}
    for c in ("pos", "neg"):
        if taken[c] or not total[c]:
            continue
        spare = [r for r in rows if r["g"] not in test and r[c] and keeps_train(r)]
        if spare:
            r = min(spare, key=lambda r: r["pos"] + r["neg"])
            test.add(r["g"])
            taken = {k: taken[k] + r[k] for k in total}
    return test


def time_cutoff(labeled: pl.DataFrame) -> datetime | None:
    """From which first-seen time on do examples go to test?

    Of the first-seen times at which train and test would both hold both classes, the one that puts each class's
    share in test closest to TEST_SHARE; when there is none, the (1 - TEST_SHARE) quantile of first activity.
    """
    seen = labeled.filter(pl.col("first_seen").is_not_null())
    if seen.is_empty():
        return None
    at = (
        seen.group_by("first_seen")
        .agg((pl.col("target") == POSITIVE).sum().alias("pos"), (pl.col("target") == NEGATIVE).sum().alias("neg"))
        .sort("first_seen")
    )
    n_pos, n_neg = int(at["pos"].sum()), int(at["neg"].sum())
    # Test at cutoff t = everything first seen at or after t: the counts from t on.
    at = at.with_columns(
        (n_pos - pl.col("pos").cum_sum() + pl.col("pos")).alias("test_pos"),
        (n_neg - pl.col("neg").cum_sum() + pl.col("neg")).alias("test_neg"),
    )
    feasible = at.filter((pl.col("test_pos") > 0) & (pl.col("test_neg") > 0) & (pl.col("test_pos") < n_pos) & (pl.col("test_neg") < n_neg))
    if not feasible.is_empty():
        # Each class's own share, not the total: positives arrive in bursts (campaign launches) and would otherwise
        # end up nearly all on one side while the total looks right.
        gap = (pl.col("test_pos") / n_pos - TEST_SHARE).abs() + (pl.col("test_neg") / n_neg - TEST_SHARE).abs()
        cut: datetime = feasible.sort(gap, pl.col("first_seen"), descending=[False, True])["first_seen"][0]
        return cut.astimezone(UTC)
    times = seen["first_seen"].sort()
    quantile: datetime = times[min(len(times) - 1, int(len(times) * (1 - TEST_SHARE)))]
    return quantile.astimezone(UTC)


def assign(chosen: pl.DataFrame, split: str, seed: int) -> tuple[pl.DataFrame, datetime | None]:
    """Which side is each chosen account on (column `split`), and the time cutoff (time split)?

    Sides are chosen from the labeled examples; an unlabeled account takes its group's side (campaign split) or
    its time's side (time split), so that nothing unlabeled shares a campaign or a period with the test split
    while being marked train.
    """
    labeled = chosen.filter(pl.col("target").is_not_null())
    if split == "campaign":
        test = campaign_sides(labeled, seed)
        side = pl.when(group_of().is_in(sorted(test))).then(pl.lit("test")).otherwise(pl.lit("train"))
        return chosen.with_columns(side.alias("split")), None
    cutoff = time_cutoff(labeled)
    late = pl.col("first_seen").is_not_null() & (pl.col("first_seen") >= cutoff) if cutoff is not None else pl.lit(False)
    return chosen.with_columns(pl.when(late).then(pl.lit("test")).otherwise(pl.lit("train")).alias("split")), cutoff


def warnings(balance: dict[str, dict[str, int]], labeled: pl.DataFrame, split: str) -> list[str]:
    """What is wrong with this class balance per split, in sentences that say what to do?"""
    out: list[str] = []
    for cls in (POSITIVE, NEGATIVE):
        name = CLASS_NAMES[cls]
        if not any(balance.get(s, {}).get(name) for s in SPLITS):
            hint = (
                "label a campaign or accounts true_positive_extraction, or include detector-flagged positives"
                if cls == POSITIVE
                else "dismiss false positives, allowlist benign accounts, or sample more unflagged accounts per positive"
            )
            out.append(f"The export holds no {name} examples: {hint}.")
            continue
        for s in SPLITS:
            if balance.get(s, {}).get(name):
                continue
            if split == "campaign":
                groups = labeled.filter(pl.col("target") == cls).select(group_of().alias("g"))["g"].unique().to_list()
                why = (
                    f"every {name} example belongs to one group ({groups[0]}), and a campaign split keeps a group whole"
                    if len(groups) == 1
                    else f"the {name} examples' {len(groups)} groups could not be divided without emptying the other class"
                )
                fix = "label another campaign (or accounts outside it), or export with the time split"
            else:
                why = "no first-seen time divides the examples so that both splits hold both classes"
                fix = "export with the campaign split, or label examples first seen at other times"
            out.append(f"The {s} split holds no {name} examples: {why}. A model cannot be {_use(s)} on it; {fix}.")
    return out


def _use(split: str) -> str:
    return "trained to find this class" if split == "train" else "tested on this class"

"""What does a labeled-data export hold? The dataset card: warnings, counts per class and split, label sources, sampling, leakage.

Every number in the card is counted from the rows the writers wrote, so the card and the files agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import polars as pl
from sqlalchemy import Engine, Select

from queries.schema import ALERT_SCORE
from radar.export.columns import FEATURE_DEFINITIONS, KEY_COLUMNS, LABEL_COLUMNS, LEAKAGE, REQUEST_LEAKAGE, describe
from radar.export.sampling import CLASS_NAMES, SOURCE_DETECTOR, STRATA, Chosen, Selection
from radar.export.splits import SPLITS, TEST_SHARE

__all__ = ["FEATURE_DEFINITIONS", "dataset_card"]


def _sql(stmt: Select, engine: Engine) -> str:
    """How does the warehouse run this statement (values inlined where the dialect can render them)?"""
    try:
        return str(stmt.compile(dialect=engine.dialect, compile_kwargs={"literal_binds": True}))
    except Exception:  # noqa: BLE001 - some literal types cannot be inlined; show placeholders and parameters
        compiled = stmt.compile(dialect=engine.dialect)
        return f"{compiled}\n-- parameters: {compiled.params}"


def _split_line(split: str, level: str, cutoff: datetime | None, seed: int) -> str:
    if split == "campaign":
        return (
            "- Split: by campaign (every campaign wholly on one side; accounts without a campaign are their own group; "
            f"groups taken into test in the order of sha256(seed:group), seed {seed}, until each class has about {TEST_SHARE:.0%} there)"
        )
    what = "requests at or after" if level == "request" else "accounts first seen at or after"
    how = f"chosen to put about {TEST_SHARE:.0%} of each class in test while both splits hold both classes, where any time can"
    return f"- Split: by time (test = {what} {cutoff}; the cutoff is a first-seen time, {how})"


def _counts(counts: dict[str, int], accounts: pl.DataFrame) -> list[str]:
    lines = ["## Counts", "", "| split | rows | accounts | campaigns |", "|---|---:|---:|---:|"]
    labeled = pl.col("target").is_not_null()
    for s in counts:
        part = accounts.filter(~labeled) if s == "unlabeled" else accounts.filter(labeled & (pl.col("split") == s))
        lines.append(f"| {s} | {counts[s]:,} | {part.height:,} | {part['campaign_id'].drop_nulls().n_unique():,} |")
    return lines


def _balance(written: pl.DataFrame) -> list[str]:
    lines = ["## Class balance", "", "| split | positive | negative | positive share |", "|---|---:|---:|---:|"]
    for s in SPLITS:
        part = written.filter(pl.col("file") == s)
        pos, neg = (int(part.filter(pl.col("target") == t)["rows"].sum()) for t in (1, 0))
        share = f"{pos / (pos + neg):.1%}" if pos + neg else "n/a"
        lines.append(f"| {s} | {pos:,} | {neg:,} | {share} |")
    return lines


def _sources(written: pl.DataFrame, files: Sequence[str]) -> list[str]:
    lines = ["## Label sources", "", "| source | class | " + " | ".join(files) + " |", "|---|---|" + "---:|" * len(files)]
    keys = written.select("label_source", "target").unique().sort("target", "label_source", descending=[True, False], nulls_last=True)
    for source, target in keys.iter_rows():
        part = written.filter((pl.col("label_source") == source) & (pl.col("target").eq_missing(target)))
        cells = [f"{int(part.filter(pl.col('file') == f)['rows'].sum()):,}" for f in files]
        lines.append(f"| `{source}` | {CLASS_NAMES.get(target, 'unlabeled')} | " + " | ".join(cells) + " |")
    return lines


def _selection(selection: Selection, chosen: Chosen) -> list[str]:
    detector = selection.positives == "analyst+detector"
    lines = [
        "## Selection",
        "",
        "- Positives (target 1): analysts' `true_positive_extraction`, set on the account (`analyst`) or propagated from a "
        "campaign (`campaign:<id>`)"
        + (
            f"; and accounts the run flagged that nobody reviewed (`{SOURCE_DETECTOR}`, label_confidence = the run's score). "
            "These are the detector's own judgements: a model trained on them learns to agree with the detector."
            if detector
            else "."
        ),
        "- Negatives (target 0): analysts' `false_positive_detection_logic` and `benign_positive_allowed` (permitted "
        "look-alikes), accounts allowlisted when the run scored them (`allowlist`), and a sample of unflagged accounts "
        "(`sample:unflagged`, below).",
        f"- Unlabeled accounts: {'exported to the unlabeled file (target empty)' if selection.unlabeled else 'not exported'}.",
    ]
    if chosen.left_out:
        lines += ["", "Left out:", ""] + [f"- {why}: {n:,}" for why, n in chosen.left_out.items()]
    s = chosen.sampled
    short = f" (short by {s.wanted - s.drawn:,}: the population is smaller)" if s.drawn < s.wanted else ""
    lines += [
        "",
        "### Sample of unflagged accounts",
        "",
        f"Scheme: k = {selection.negatives_per_positive:g} per positive, so {s.wanted:,} wanted; drawn {s.drawn:,}{short} "
        f"from {s.population:,} accounts the run scored below {ALERT_SCORE} and did not flag, with no label and no allowlisting. "
        f"Stratified by activity: the population is ranked by calls and cut into {STRATA} equal strata (deciles), each giving "
        "its share of the sample; within a stratum accounts are taken in the order of sha256(seed:account_id), "
        f"seed {selection.seed}, so the same seed draws the same accounts. label_confidence = 1 - the run's score.",
        "",
        "| stratum | calls | population | drawn |",
        "|---:|---|---:|---:|",
    ]
    lines += [f"| {r['stratum']} | {r['calls_min']:,}-{r['calls_max']:,} | {r['population']:,} | {r['drawn']:,} |" for r in s.strata]
    if not s.strata:
        lines.append("| - | - | 0 | 0 |")
    return lines


def _leakage(columns: Sequence[str], with_detector_outputs: bool, level: str) -> list[str]:
    present = [c for c in columns if c in LEAKAGE]
    lines = ["## Detector outputs (leakage)", ""]
    if with_detector_outputs:
        lines.append(
            "**Included on request, and marked LEAKAGE in the column table.** These columns are the detector's outputs or "
            "follow from analysts' decisions: a model trained on them learns to reproduce the detector, and its test score "
            "says nothing about finding extraction the detector misses. Use them to compare with the detector, not as features."
        )
    else:
        lines.append("Left out by default (export with `--with-detector-outputs` to include them, marked as leakage):")
    shown = present if with_detector_outputs else [c for c in LEAKAGE if level == "account" or c in REQUEST_LEAKAGE]
    lines += ["", "| column | why it leaks |", "|---|---|"] + [f"| `{c}` | {LEAKAGE[c]} |" for c in shown]
    lines += [
        "",
        f"Not features either: {', '.join(f'`{c}`' for c in (*KEY_COLUMNS, *LABEL_COLUMNS))}. `campaign_id` is the detector's "
        "campaign: group cross-validation by it, never train on it.",
    ]
    return lines


def dataset_card(
    *,
    level: str,
    fmt: str,
    split: str,
    run_id: str,
    window: tuple[datetime, datetime],
    counts: dict[str, int],
    written: pl.DataFrame,
    accounts: pl.DataFrame,
    cutoff: datetime | None,
    queries: Sequence[Select],
    engine: Engine,
    with_prompts: bool,
    with_detector_outputs: bool,
    selection: Selection,
    chosen: Chosen,
    warnings: Sequence[str],
    columns: Sequence[str],
) -> str:
    """The markdown card that travels with an export."""
    lines = [
        f"# Distillation Radar labeled data ({level} level)",
        "",
        f"- Detection run: `{run_id}`, window {window[0]} to {window[1]}",
        f"- Format: {fmt}; files " + ", ".join(f"`{s}.{fmt}`" for s in counts),
        _split_line(split, level, cutoff, selection.seed),
        f"- Prompt text: {'included, redacted (keys, tokens, secrets, e-mails, phone numbers)' if with_prompts else 'not included'}",
        f"- Detector outputs: {'included and marked as leakage' if with_detector_outputs else 'left out (see Detector outputs)'}",
        "",
    ]
    if warnings:
        lines += ["## Warnings", ""] + [f"- **{w}**" for w in warnings] + [""]
    lines += [*_counts(counts, accounts), "", *_balance(written), "", *_sources(written, list(counts)), ""]
    lines += [*_selection(selection, chosen), "", *_leakage(columns, with_detector_outputs, level), ""]
    seen, last = accounts["first_seen"].drop_nulls(), accounts["last_seen"].drop_nulls()
    lines += [
        "## Time range",
        "",
        f"Activity from {seen.min() if len(seen) else 'n/a'!s} to {last.max() if len(last) else 'n/a'!s} (UTC).",
        "",
        "## Columns",
        "",
        "| column | meaning |",
        "|---|---|",
    ]
    lines += [f"| `{c}` | {describe(c)} |" for c in columns]
    lines += ["", "## Generating queries", ""]
    for q in queries:
        lines += ["```sql", _sql(q, engine), "```", ""]
    lines.append("Labels come from the case store (analysts' decisions and their propagation from campaigns to members).")
    return "\n".join(lines) + "\n"

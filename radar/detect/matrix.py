"""`python -m radar evaluate --matrix`: detection measured on every simulator variant (one drop each), as one table."""

from __future__ import annotations

import argparse
import gc
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import polars as pl

from queries import detect_results
from queries.run import run_all
from radar.detect.evaluate import evaluate
from radar.detect.matrix_drops import BaseDrop, DropError, build_base, variant_drop
from radar.detect.run import score
from radar.detect.scoring import ALERT
from radar.simulate.variants import FAMILIES, VARIANTS, Variant
from radar.warehouse import open_engine

#: the robustness bar: a campaign variant that keeps at least GATE_FAMILIES evidence families must keep recall at
#: 1% benign false positives at or above GATE_RECALL (the default drop's level); a benign variant must flag at most
#: GATE_FLAGGED of the accounts it changed (the false-positive rate recall is measured at)
GATE_FAMILIES = 2
GATE_RECALL = 0.95
GATE_FLAGGED = 0.01
#: the default drop, measured as a row of its own (its changed population: every campaign account)
BASELINE = "baseline"
_LETTER = {f: f[0].upper() for f in FAMILIES}
_HEADER = (
    f"{'variant':<20} {'kind':<8} {'families':<11} {'accounts':>8} {'recall@1%FPR':>12} {'AP':>7} {'flagged':>8} {'gate':>6}"
    f" {'simulate s':>10} {'ingest s':>9} {'score s':>8} {'row s':>7}"
)


class MatrixError(ValueError):
    """The matrix cannot run as asked; the message says why."""


@dataclass(frozen=True)
class MatrixRow:
    """One variant's drop, measured."""

    variant: str
    kind: str
    families: tuple[str, ...]
    accounts: int  # accounts the variant changed (every campaign account for the baseline)
    recall: float
    average_precision: float
    flagged: float  # share of the changed accounts at or above the alert score
    simulate_s: float
    ingest_s: float
    score_s: float

    @property
    def verdict(self) -> str:
        """Does the row meet the done-when threshold (PASS/FAIL), or is it reported without a gate ("-")?"""
        if self.kind == "benign":
            return "PASS" if self.flagged <= GATE_FLAGGED else "FAIL"
        if len(self.families) >= GATE_FAMILIES:
            return "PASS" if self.recall >= GATE_RECALL else "FAIL"
        return "-"

    def line(self) -> str:
        """The row as the table prints it."""
        letters = "".join(_LETTER[f] for f in FAMILIES if f in self.families)
        fam = f"keeps {letters}" if self.kind == "campaign" else f"adds {letters}"
        return (
            f"{self.variant:<20} {self.kind:<8} {fam:<11} {self.accounts:>8,} {self.recall:>12.4f} {self.average_precision:>7.4f}"
            f" {self.flagged:>8.4f} {self.verdict:>6} {self.simulate_s:>10.1f} {self.ingest_s:>9.1f} {self.score_s:>8.1f}"
            f" {self.simulate_s + self.ingest_s + self.score_s:>7.1f}"
        )


def matrix_names(spec: str | None) -> list[str]:
    """Which variants does a comma-separated list name (all of them, baseline first, when it is empty)?"""
    known = [BASELINE, *VARIANTS]
    if not spec:
        return known
    names = [s.strip() for s in spec.split(",") if s.strip()]
    unknown = [n for n in names if n not in known]
    if unknown:
        raise MatrixError(f"unknown variant(s) {', '.join(unknown)}; known: {', '.join(known)}")
    return list(dict.fromkeys(names))


def _describe(name: str) -> tuple[str, tuple[str, ...]]:
    if name == BASELINE:
        return "campaign", FAMILIES
    v: Variant = VARIANTS[name]
    return v.kind, v.families


def _targets(name: str) -> tuple[str, ...]:
    """Which archetypes does this matrix row simulate anew (none for the default drop)?"""
    return () if name == BASELINE else VARIANTS[name].targets


def measure_variant(name: str, base: BaseDrop, *, scale: float, seed: int, folder: Path) -> MatrixRow:
    """How does detection do on this variant's drop? Its warehouse is the default one with the changed archetypes redone."""
    drop = variant_drop(base, None if name == BASELINE else name, _targets(name), folder, scale=scale, seed=seed)
    t0 = time.perf_counter()
    engine = open_engine(f"duckdb:///{drop.db}")
    try:
        run = score(engine)
        t1 = time.perf_counter()
        rows = run_all(engine, detect_results.run_accounts(run.run_id))
    finally:
        engine.dispose()
    truth = drop.truth
    result = evaluate(rows, truth)
    if name == BASELINE or "variant" not in truth.columns:
        changed = truth.filter(pl.col("attacker"))
    else:
        changed = truth.filter(pl.col("variant") == name)
    scored = changed.join(rows.select("account_id", "score"), on="account_id", how="left").with_columns(pl.col("score").fill_null(0.0))
    flagged = float((scored["score"] >= ALERT).mean() or 0.0) if scored.height else 0.0  # type: ignore[arg-type]
    kind, families = _describe(name)
    return MatrixRow(
        variant=name,
        kind=kind,
        families=families,
        accounts=changed.height,
        recall=result.recall_at_fpr,
        average_precision=result.average_precision,
        flagged=flagged,
        simulate_s=drop.simulate_s,
        ingest_s=drop.ingest_s,
        score_s=t1 - t0,
    )


def run_matrix(names: list[str], *, scale: float, seed: int, workdir: Path | None, out: TextIO) -> list[MatrixRow]:
    """Measure every named variant, printing the table row by row as each drop finishes."""
    t0 = time.perf_counter()
    print(f"robustness matrix: scale {scale}, seed {seed}, {len(names)} drops (one per variant)", file=out)
    print("campaign variants change all three campaign styles (a, b, c) at once; benign variants change one archetype", file=out)
    print("families: C control, A automation, E extraction (campaign: kept by the variant; benign: imitated by the added trait)", file=out)
    print(
        f"gate: a campaign variant keeping >= {GATE_FAMILIES} families needs recall@1%FPR >= {GATE_RECALL}; a benign variant needs"
        f" <= {GATE_FLAGGED:.0%} of its changed accounts flagged (score >= {ALERT}); '-' = reported, not gated",
        file=out,
    )
    print("accounts / flagged: the accounts the variant changed (every campaign account for baseline) and their flagged share", file=out)
    print("seconds: each drop reuses the default drop loaded once; simulate/ingest count only the archetypes it changes", file=out)
    rows: list[MatrixRow] = []
    with tempfile.TemporaryDirectory(prefix="radar-matrix-") as tmp:
        root = workdir if workdir is not None else Path(tmp)
        print("[0] default drop: simulate and ingest once, archetype by archetype", file=sys.stderr, flush=True)
        base = build_base(root / "_default", scale=scale, seed=seed)
        print(f"default drop, shared by every row: simulate {base.simulate_s:.1f} s, ingest {base.ingest_s:.1f} s", file=out)
        print("", file=out)
        print(_HEADER, file=out, flush=True)
        for i, name in enumerate(names, 1):
            print(f"[{i}/{len(names)}] {name}: simulate and ingest what it changes, score", file=sys.stderr, flush=True)
            folder = root / name
            row = measure_variant(name, base, scale=scale, seed=seed, folder=folder)
            if workdir is None:
                shutil.rmtree(folder, ignore_errors=True)  # one variant's warehouse on disk at a time, beside the default one
            gc.collect()
            rows.append(row)
            print(row.line(), file=out, flush=True)
    verdicts = [r.verdict for r in rows]
    print("", file=out)
    print(
        f"{verdicts.count('PASS')} PASS, {verdicts.count('FAIL')} FAIL, {verdicts.count('-')} not gated;"
        f" total {time.perf_counter() - t0:.0f} s",
        file=out,
        flush=True,
    )
    return rows


def matrix_command(args: argparse.Namespace) -> int:
    """`evaluate --matrix`: run the matrix and print it; exit 2 when it cannot run as asked."""
    try:
        if not args.scale > 0:
            raise MatrixError(f"--scale must be a positive number, got {args.scale}")
        names = matrix_names(args.variants)
        workdir = Path(args.workdir) if args.workdir else None
        run_matrix(names, scale=args.scale, seed=args.seed, workdir=workdir, out=sys.stdout)
    except (MatrixError, DropError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0

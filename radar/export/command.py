"""`python -m radar export labels|stix|report`: labeled data, a campaign's STIX bundle, or a case report."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tqdm import tqdm

from radar.cases.store import CaseError, open_case_store
from radar.config import load_settings
from radar.export.labels import export_labels
from radar.export.pdf import html_to_pdf
from radar.export.report import campaign_report
from radar.export.sampling import DEFAULT_K, DEFAULT_SEED, Selection
from radar.export.stix import DEFAULT_TLP, campaign_stix
from radar.feedback import AllowlistError
from radar.warehouse import WarehouseError, open_engine


def export_command(args: argparse.Namespace) -> int:
    """Run one export; prints where it went, or one sentence on what is wrong (exit code 2)."""
    settings = load_settings(warehouse_url=getattr(args, "warehouse", None), cases_url=getattr(args, "cases", None))
    out = Path(args.out)
    try:
        warehouse = open_engine(settings.warehouse, read_only=True)
        cases = open_case_store(settings.cases)
        if args.what == "labels":
            # The bar goes to stderr like ingest's; a pipe or a log file gets the summary lines only.
            bar = tqdm(total=0, unit=" accounts", desc="export", leave=False, dynamic_ncols=True, disable=not sys.stderr.isatty())

            def _progress(done: int, total: int) -> None:
                bar.total = total
                bar.n = done
                bar.refresh()

            k, seed = getattr(args, "negatives_per_positive", None), getattr(args, "seed", None)
            selection = Selection(
                positives=getattr(args, "positives", "analyst"),
                negatives_per_positive=DEFAULT_K if k is None else k,
                seed=DEFAULT_SEED if seed is None else seed,
                unlabeled=getattr(args, "unlabeled", False),
            )
            result = export_labels(
                cases,
                warehouse,
                out,
                level=args.level,
                fmt=args.format,
                split=args.split,
                with_prompts=args.with_prompts,
                selection=selection,
                with_detector_outputs=getattr(args, "with_detector_outputs", False),
                progress=_progress,
            )
            bar.close()
            print(f"wrote {result.counts['train']:,} train and {result.counts['test']:,} test rows to {out} (card: {result.card})")
            if "unlabeled" in result.counts:
                print(f"  and {result.counts['unlabeled']:,} unlabeled rows (unlabeled file)")
            for split, n in result.class_balance.items():
                print(f"  {split}: {n['positive']:,} positive, {n['negative']:,} negative")
            for warning in result.warnings:
                print(f"warning: {warning}", file=sys.stderr)
            return 0
        if not args.campaign:
            raise CaseError(f"`export {args.what}` needs --campaign ID (see the Triage page for campaign ids).")
        tlp = getattr(args, "tlp", DEFAULT_TLP)
        if args.what == "stix":
            text = campaign_stix(cases, warehouse, args.campaign, tlp=tlp)
        else:
            text = campaign_report(cases, warehouse, args.campaign, tlp=tlp)
        out.parent.mkdir(parents=True, exist_ok=True)
        if args.what == "report" and out.suffix.lower() == ".pdf":
            html_to_pdf(text, out)
        else:
            out.write_text(text, encoding="utf-8")
        print(f"wrote {args.what} for campaign {args.campaign} to {out}")
        return 0
    except (CaseError, WarehouseError, AllowlistError, OSError) as exc:
        print(f"export failed: {exc}", file=sys.stderr)
        return 2

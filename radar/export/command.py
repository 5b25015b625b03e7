"""`python -m radar export labels|stix|report`: labeled data, a campaign's STIX bundle, or a case report."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tqdm import tqdm

from radar.cases.store import CaseError, open_case_store
from radar.config import load_settings
from radar.export.labels import export_labels
from radar.export.report import campaign_report
from radar.export.stix import campaign_stix
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
            bar = tqdm(total=0, unit="accounts", desc="export", disable=args.level != "request" or not sys.stderr.isatty())

            def _progress(done: int, total: int) -> None:
                bar.total = total
                bar.n = done
                bar.refresh()

            result = export_labels(
                cases,
                warehouse,
                out,
                level=args.level,
                fmt=args.format,
                split=args.split,
                with_prompts=args.with_prompts,
                progress=_progress,
            )
            bar.close()
            print(f"wrote {result.counts['train']:,} train and {result.counts['test']:,} test rows to {out} (card: {result.card})")
            return 0
        if not args.campaign:
            raise CaseError(f"`export {args.what}` needs --campaign ID (see the Triage page for campaign ids).")
        text = campaign_stix(cases, warehouse, args.campaign) if args.what == "stix" else campaign_report(cases, warehouse, args.campaign)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        print(f"wrote {args.what} for campaign {args.campaign} to {out}")
        return 0
    except (CaseError, WarehouseError, AllowlistError, OSError) as exc:
        print(f"export failed: {exc}", file=sys.stderr)
        return 2

"""Which campaigns should the analyst open first? The overview's campaign table: triage status and strongest reason per row."""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from components.display import STATUS_NAMES
from radar.stored import decode_reasons

COLUMNS = (
    "campaign_id",
    "status",
    "score",
    "n_accounts",
    "n_keys",
    "calls",
    "output_tokens",
    "first_seen",
    "last_seen",
    "why",
    "cluster_id",
)


def top_campaigns_table(top: pl.DataFrame, statuses: Mapping[str, str]) -> pl.DataFrame:
    """The ranked campaigns (overview.top_campaigns) with their triage status in words ("New" when none) and strongest reason."""
    # A join with a small status frame and a decoded column built outside polars: a per-row Python UDF
    # (map_elements) inside a with_columns stalls the server's polars thread pool.
    known = pl.DataFrame(
        {"campaign_id": list(statuses), "status": list(statuses.values())}, schema={"campaign_id": pl.String, "status": pl.String}
    )
    why = pl.Series("why", [(decode_reasons(raw) or [""])[0] for raw in top["reasons"].to_list()], dtype=pl.String)
    return (
        top.with_columns(why)
        .join(known, on="campaign_id", how="left", maintain_order="left")
        .with_columns(pl.col("status").fill_null("new").replace_strict(STATUS_NAMES, default=pl.col("status")))
        .select(COLUMNS)
    )

"""What do analysts' decisions tell the next detection run? Allowlist, dismissals and confirmed campaigns' indicators."""

from __future__ import annotations

import json

from sqlalchemy import Engine, select

from queries import case_schema as cs
from queries.cases import campaign_indicators
from queries.run import run
from radar.cases.store import open_case_store
from radar.feedback import Feedback


def load_feedback(cases_url: str, warehouse: Engine | None = None) -> Feedback:
    """Which entities are allowlisted or dismissed, and which indicators belong to confirmed extraction campaigns?

    Indicators come from the newest finished detection run that recorded each campaign (campaigns.indicators), for
    campaigns whose case is confirmed as a true positive; without a warehouse engine they are left empty.
    """
    engine = open_case_store(cases_url)
    try:
        with engine.connect() as conn:
            allow = {(r.entity_type, r.entity_id) for r in conn.execute(select(cs.allowlist.c.entity_type, cs.allowlist.c.entity_id))}
            c = cs.cases.c
            dismissed = {
                (r.entity_type, r.entity_id) for r in conn.execute(select(c.entity_type, c.entity_id).where(c.status == "dismissed"))
            }
            confirmed = [
                r.entity_id
                for r in conn.execute(
                    select(c.entity_id).where(
                        c.entity_type == "campaign", c.status == "confirmed", c.disposition == "true_positive_extraction"
                    )
                )
            ]
    finally:
        engine.dispose()
    indicators: dict[str, set[str]] = {}
    if warehouse is not None and confirmed:
        frame = run(warehouse, campaign_indicators(campaign_ids=confirmed), row_cap=1_000_000).frame
        # Each confirmed campaign contributes the indicators of the newest run that recorded it.
        for raw in frame.unique("campaign_id", keep="first", maintain_order=True)["indicators"].to_list():
            for kind, values in (json.loads(raw) if raw else {}).items():
                indicators.setdefault(kind, set()).update(str(v) for v in values)
    return Feedback(allowlisted=allow, dismissed=dismissed, confirmed_indicators=indicators)

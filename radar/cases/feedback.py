"""What do analysts' decisions tell the next detection run? Allowlist, dismissals and confirmed campaigns' indicators."""

from __future__ import annotations

from sqlalchemy import Engine

from queries import case_store as q
from queries.membership import campaign_indicators
from queries.run import run_all
from radar.cases.store import open_case_store
from radar.feedback import Feedback
from radar.stored import decode_object


def load_feedback(cases_url: str, warehouse: Engine | None = None) -> Feedback:
    """Which entities are allowlisted or dismissed, and which indicators belong to confirmed extraction campaigns?

    Indicators come from the newest finished detection run that recorded each campaign (campaigns.indicators), for
    campaigns whose case is confirmed as a true positive; without a warehouse engine they are left empty.
    """
    engine = open_case_store(cases_url)
    try:
        with engine.connect() as conn:
            allow = {(r.entity_type, r.entity_id) for r in conn.execute(q.allowlist_entries())}
            dismissed = {(r.entity_type, r.entity_id) for r in conn.execute(q.entities_with_status("dismissed"))}
            confirmed = [r.entity_id for r in conn.execute(q.campaigns_decided(status="confirmed", disposition="true_positive_extraction"))]
    finally:
        engine.dispose()
    indicators: dict[str, set[str]] = {}
    if warehouse is not None and confirmed:
        # Uncapped: every confirmed campaign's indicators feed the run, however many campaigns and runs there are.
        frame = run_all(warehouse, campaign_indicators(campaign_ids=confirmed))
        # Each confirmed campaign contributes the indicators of the newest run that recorded it.
        for raw in frame.unique("campaign_id", keep="first", maintain_order=True)["indicators"].to_list():
            for kind, values in decode_object(raw).items():
                indicators.setdefault(kind, set()).update(str(v) for v in values)
    return Feedback(allowlisted=allow, dismissed=dismissed, confirmed_indicators=indicators)

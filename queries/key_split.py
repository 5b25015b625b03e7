"""The key's traffic split: how many of its calls form the scripted component detection scored on its own?"""

from __future__ import annotations

from sqlalchemy import Select, select

from queries import schema
from queries.catalog import Bound, question


@question(bound=Bound.RUN, pages=("keys",))
def key_split(*, run_id: str, api_key_id: str) -> Select:
    """How many of the key's calls were its scripted component, how many other traffic, and how did the component score?"""
    k = schema.key_scores
    return select(k.c.api_key_id, k.c.calls, k.c.extraction_calls, k.c.other_calls, k.c.component_score, k.c.score).where(
        k.c.run_id == run_id, k.c.api_key_id == api_key_id
    )

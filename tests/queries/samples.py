"""Sample arguments for every catalog question, by parameter name, taken from the seeded warehouse (tests/queries/seed.py).

The snapshot tests compile each question with them and the catalog tests run each on the seeded warehouse, so
the values name things that exist there: the seeded run, campaign C1 (cluster CL1), key kx01a of account x01.
"""

from __future__ import annotations

from typing import Any

from queries.catalog import Question
from tests.queries import seed

#: One value per parameter name, used by every question that takes it. Filters that are optional get a value too,
#: so that the filtered form of each question is what is snapshotted and run.
SAMPLES: dict[str, Any] = {
    "start": seed.START,
    "end": seed.END,
    "run_id": seed.RUN_ID,
    "api_key_id": "kx01a",
    "account_ids": ["x01", "x02", "b01"],
    "campaign_id": "C1",
    "campaign_ids": ["C1", "C2"],
    "cluster_id": "CL1",
    "model": "model-a",
    "edge_types": ("asn", "prefix"),
    "edge_type": "prefix",
    "entity_type": "campaign",
    "entity_id": "C1",
    "templates": ["tpl-A", "tpl-C"],
    "min_accounts": 2,
    "max_accounts": 1_000,
    "top_per_account": 5,
    "accounts_created_before": seed.END,
    "min_score": 0.5,
    "search": "kx",
}

#: Where questions sharing a parameter name take different closed vocabularies: (question, parameter) -> value.
PER_QUESTION: dict[tuple[str, str], Any] = {
    # account edges are sign-up facts (payment, signup_ip, email_burst), not request attributes
    ("detect_edges.account_memberships", "edge_type"): "payment",
}


class MissingSample(LookupError):
    """A question takes a required parameter that SAMPLES has no value for."""


def arguments(q: Question[Any]) -> dict[str, Any]:
    """Which arguments does the test suite call this question with? Every parameter SAMPLES names; defaults for the rest."""
    args: dict[str, Any] = {}
    missing: list[str] = []
    for name, param in q.parameters().items():
        if (q.name, name) in PER_QUESTION:
            args[name] = PER_QUESTION[(q.name, name)]
        elif name in SAMPLES:
            args[name] = SAMPLES[name]
        elif param.default is param.empty:
            missing.append(name)
    if missing:
        raise MissingSample(f"{q.name} requires {', '.join(missing)}: add a sample value to SAMPLES in tests/queries/samples.py")
    return args

"""`python -m radar schema --dialect clickhouse [--cluster NAME]`: which DDL lays the warehouse out on ClickHouse?

Prints the statements for a DBA (queries/clickhouse_ddl.py): MergeTree tables and the rollups' materialized views for
one server, or with --cluster the same layout ON CLUSTER, Replicated*MergeTree on every shard and Distributed tables
sharded by account. The embedded engine and a server reached with a writing user need none of this by hand:
`python -m radar ingest` creates what is missing.
"""

from __future__ import annotations

import argparse
import sys

from queries import clickhouse_ddl


def schema_command(args: argparse.Namespace) -> int:
    """Print the warehouse DDL for the dialect asked; a clear message and exit code 2 for a bad cluster name."""
    try:
        sys.stdout.write(clickhouse_ddl.script(cluster=args.cluster))
    except ValueError as exc:
        print(f"--cluster: {exc}", file=sys.stderr)
        return 2
    return 0

"""`python -m radar grants --reader ROLE`: which grants make a PostgreSQL role a SELECT-only reader of the warehouse?

Without --apply the statements are printed for a DBA; with --apply they run on the configured warehouse (as the
role that ingests, so that tables it creates later are readable too), then the role is checked for any write it
could still make. --check only checks. The statements are in `queries/grants.py`.
"""

from __future__ import annotations

import argparse
import sys

from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from queries import dialect
from queries import grants as statements
from queries.run import write
from radar.config import load_settings
from radar.warehouse import WarehouseError, open_engine

#: Longest identifier PostgreSQL keeps (NAMEDATALEN - 1 bytes); a longer name would be silently cut.
MAX_IDENTIFIER_BYTES = 63


class GrantsError(RuntimeError):
    """The grants cannot be made or checked; the message says what to do."""


def _check_name(kind: str, name: str) -> None:
    if not name or "\x00" in name or len(name.encode()) > MAX_IDENTIFIER_BYTES:
        raise GrantsError(f"{kind} {name!r} is not a PostgreSQL name: use 1 to {MAX_IDENTIFIER_BYTES} bytes and no NUL.")


def reader_statements(role: str, database: str, schema: str = "public") -> list[str]:
    """Which statements, as SQL text, make `role` a reader of `schema` in `database` and nothing more?"""
    for kind, name in (("role", role), ("database", database), ("schema", schema)):
        _check_name(kind, name)
    return [statements.compiled(s) for s in statements.reader_grants(role, database, schema)]


def write_privileges(engine: Engine, role: str, schema: str | None = None) -> list[str]:
    """What could `role` still write on this warehouse (in `schema`, by default the session's), one sentence each? Empty: only read."""
    _check_name("role", role)
    with engine.connect() as conn:
        schema = schema or conn.execute(statements.current_names()).one()[1]
        rows = conn.execute(statements.reader_writes(role, schema)).all()
    return [f"{what}: {obj}" for what, obj in rows]


def grant_reader(engine: Engine, role: str, schema: str | None = None) -> list[str]:
    """Make `role` a SELECT-only reader of the warehouse, in one transaction; which statements ran?"""
    if dialect.dialect_name(engine) != dialect.POSTGRESQL:
        raise GrantsError("Reader grants are for a PostgreSQL warehouse; a DuckDB file is sandboxed by the dashboard's read-only engine.")
    _check_name("role", role)
    with write(engine) as conn:
        database, current = conn.execute(statements.current_names()).one()
        if not conn.execute(statements.role_exists(role)).scalar():
            raise GrantsError(
                f"There is no role {role!r}: create it first, e.g. CREATE ROLE {role} LOGIN PASSWORD '…', then run this again."
            )
        stmts = statements.reader_grants(role, database, schema or current)
        for stmt in stmts:
            conn.execute(stmt)
    return [statements.compiled(s) for s in stmts]


def grants_command(args: argparse.Namespace) -> int:
    """Print, apply or check the reader grants for --reader ROLE; which exit code says how it went?"""
    settings = load_settings(warehouse_url=getattr(args, "warehouse", None))
    url = make_url(settings.warehouse)
    if url.get_backend_name() != dialect.POSTGRESQL:
        print(
            "error: the warehouse is not PostgreSQL; a DuckDB file needs no role (the dashboard opens it read-only and sandboxed).",
            file=sys.stderr,
        )
        return 2
    try:
        if not (args.apply or args.check):
            for line in reader_statements(args.reader, url.database or "postgres", args.schema or "public"):
                print(line)
            print("-- run these as the role that ingests (or add --apply), then point the dashboard's RADAR_WAREHOUSE_URL at the reader")
            return 0
        engine = open_engine(settings.warehouse)
        if args.apply:
            for line in grant_reader(engine, args.reader, args.schema):
                print(line)
        problems = write_privileges(engine, args.reader, args.schema)
    except (GrantsError, WarehouseError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except SQLAlchemyError as e:
        first = (str(getattr(e, "orig", e)).strip().splitlines() or [type(e).__name__])[0]
        print(f"error: the warehouse refused: {first}", file=sys.stderr)
        return 1
    if problems:
        print(f"role {args.reader} can still write; revoke these before the dashboard uses it:", file=sys.stderr)
        for p in problems:
            print(f"  {p}", file=sys.stderr)
        return 1
    print(f"role {args.reader} can read the warehouse and write nothing")
    return 0

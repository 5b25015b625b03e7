"""What makes a PostgreSQL role a reader of the warehouse, and what could a role still write? (PostgreSQL only.)

The dashboard's sessions start read-only (`default_transaction_read_only`), but that is only a default: a session
may say `BEGIN READ WRITE`. Only privileges make the server refuse a write, so the dashboard connects as a role that
holds these grants and nothing else. Role, database and schema names are identifiers, which cannot be bound
parameters: they are quoted by the dialect's own identifier quoting.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import TextClause, bindparam, text
from sqlalchemy.dialects import postgresql


def _quote(name: str) -> str:
    """The name as a quoted identifier, its colons escaped so that text() reads none as a bind parameter."""
    return postgresql.dialect().identifier_preparer.quote_identifier(name).replace(":", r"\:")


#: Predefined roles whose members read or write server files or run programs on the server (COPY ... PROGRAM).
SERVER_ROLES = ("pg_write_server_files", "pg_execute_server_program", "pg_read_server_files", "pg_write_all_data")


def reader_grants(role: str, database: str, schema: str) -> list[TextClause]:
    """Which statements let `role` read every warehouse table, today's and future ones, and do nothing else?

    Default privileges apply to tables later created by the role that runs these statements: run them as the
    role that ingests (it creates the tables)."""
    r, d, s = _quote(role), _quote(database), _quote(schema)
    return [
        text(f"GRANT CONNECT ON DATABASE {d} TO {r}"),
        text(f"GRANT USAGE ON SCHEMA {s} TO {r}"),
        text(f"GRANT SELECT ON ALL TABLES IN SCHEMA {s} TO {r}"),
        text(f"ALTER DEFAULT PRIVILEGES IN SCHEMA {s} GRANT SELECT ON TABLES TO {r}"),
    ]


def role_exists(role: str) -> TextClause:
    """Is there a role of this name on the server?"""
    return text("SELECT count(*) FROM pg_roles WHERE rolname = :role").bindparams(role=role)


def current_names() -> TextClause:
    """Which database and schema is this session in?"""
    return text("SELECT current_database() AS database, current_schema() AS schema")


def reader_writes(role: str, schema: str) -> TextClause:
    """What could `role` still write or run, one row per privilege (what, on what)? No rows: it can only read.

    Covers role attributes, creating in the database or schema, any write privilege on a table of the schema
    (ownership included) and membership of the predefined roles that reach server files and programs."""
    sql = """
        SELECT 'role attribute' AS what, attr AS object
          FROM pg_roles r,
               LATERAL (VALUES ('SUPERUSER', r.rolsuper), ('CREATEDB', r.rolcreatedb), ('CREATEROLE', r.rolcreaterole),
                               ('REPLICATION', r.rolreplication), ('BYPASSRLS', r.rolbypassrls)) AS a(attr, held)
         WHERE r.rolname = :role AND a.held
        UNION ALL
        SELECT 'CREATE on database', current_database() WHERE has_database_privilege(:role, current_database(), 'CREATE')
        UNION ALL
        SELECT 'CREATE on schema', :schema WHERE has_schema_privilege(:role, :schema, 'CREATE')
        UNION ALL
        SELECT 'write on table', c.relname
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = :schema AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
           AND has_table_privilege(:role, c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')
        UNION ALL
        SELECT 'member of', g.rolname
          FROM pg_roles g
         WHERE g.rolname IN :server_roles AND pg_has_role(:role, g.oid, 'USAGE')
        ORDER BY 1, 2
    """
    return text(sql).bindparams(bindparam("server_roles", list(SERVER_ROLES), expanding=True), role=role, schema=schema)


def compiled(stmt: TextClause) -> str:
    """The statement as a DBA would paste it into psql (grants carry no parameters)."""
    out: Any = stmt.compile(dialect=postgresql.dialect())
    return f"{out};"

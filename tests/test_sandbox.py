"""The dashboard's read-only warehouse: a sandboxed DuckDB session, and a SELECT-only PostgreSQL role.

The DuckDB checks run through `open_engine(url, read_only=True)`, the engine the dashboard uses. The PostgreSQL
checks create a reader role on the test server with `radar.grants`, connect as it through the same function and
try every kind of write, each inside `BEGIN READ WRITE` (which overrides the read-only session default).
"""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import duckdb
import psycopg
import pytest
from sqlalchemy import Connection, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from queries import dialect, schema
from queries.catalog import catalog
from queries.run import run_page
from radar.cli import main
from radar.grants import GrantsError, grant_reader, reader_statements, write_privileges
from radar.warehouse import ensure_schema, open_engine
from tests.queries.samples import arguments
from tests.queries.seed import seed_warehouse

# --- DuckDB: the read-only session is sandboxed ----------------------------------------------------------------


def _refused(conn: Connection, sql: str) -> str:
    """The first line of the error a statement raises (it must raise)."""
    with pytest.raises(DBAPIError) as err:
        conn.execute(text(sql))
    return str(err.value.orig).splitlines()[0]


@pytest.fixture()
def duck_files(tmp_path: Path) -> tuple[Path, Path]:
    """A warehouse file, and a second database the session must not reach."""
    db, other = tmp_path / "radar.duckdb", tmp_path / "other.duckdb"
    ensure_schema(open_engine(f"duckdb:///{db}"))
    with duckdb.connect(str(other)) as con:
        con.execute("CREATE TABLE t AS SELECT 1 AS x")
    return db, other


def test_read_only_duckdb_reaches_no_file_extension_or_setting(duck_files: tuple[Path, Path], tmp_path: Path) -> None:
    db, other = duck_files
    out = tmp_path / "stolen.csv"
    # a URL asking to lift the sandbox is not obeyed either
    for url in (f"duckdb:///{db}", f"duckdb:///{db}?enable_external_access=true&lock_configuration=false"):
        engine = open_engine(url, read_only=True)
        for sql in (
            "SELECT * FROM read_csv('/etc/passwd')",
            "SELECT * FROM read_text('/etc/shadow')",
            "SELECT * FROM read_blob('/etc/hostname')",
            "SELECT * FROM glob('/etc/*')",
            f"COPY (SELECT 1) TO '{out}'",
            f"ATTACH '{other}' AS o (READ_WRITE)",
            f"EXPORT DATABASE '{tmp_path / 'export'}'",
        ):
            with engine.connect() as conn:
                assert "disabled by configuration" in _refused(conn, sql), sql
        with engine.connect() as conn:
            assert "locked" in _refused(conn, "SET enable_external_access = true")
        with engine.connect() as conn:
            assert "locked" in _refused(conn, "SET lock_configuration = false")
        with engine.connect() as conn:
            assert "disabled" in _refused(conn, "LOAD httpfs")
        with engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(schema.requests)).scalar() == 0  # the warehouse itself reads
    assert not out.exists() and not (tmp_path / "export").exists()
    with duckdb.connect(str(other), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM t").fetchone() == (1,)


def test_sandboxed_duckdb_still_spills_big_queries_to_its_temp_directory(duck_files: tuple[Path, Path]) -> None:
    db, _ = duck_files
    with duckdb.connect(str(db)) as con:
        con.execute("CREATE TABLE big AS SELECT range AS i, md5(range::VARCHAR) AS s FROM range(3000000)")
    # Sorting three million md5 strings needs about 150 MB; 40 MB of buffer pool forces DuckDB to spill.
    engine = open_engine(f"duckdb:///{db}?memory_limit=40MB&threads=1", read_only=True)
    ranked = "SELECT count(*), max(r) FROM (SELECT s, row_number() OVER (ORDER BY s) AS r FROM big)"
    with engine.connect() as conn:
        assert "disabled by configuration" in _refused(conn, "SELECT * FROM read_text('/etc/hostname')")
    with engine.connect() as conn:
        assert conn.execute(text(ranked)).one() == (3_000_000, 3_000_000)
    engine.dispose()  # the dashboard's pool keeps its connection (and the database's configuration) until let go
    # The same session without a temp directory runs out of memory: the spill above was needed, and allowed.
    config = {**dialect.DUCKDB_SANDBOX, "memory_limit": "40MB", "threads": 1, "temp_directory": ""}
    with duckdb.connect(str(db), read_only=True, config=config) as con, pytest.raises(duckdb.OutOfMemoryException):
        con.execute(ranked)


# --- PostgreSQL: the dashboard connects as a role that can only SELECT -----------------------------------------

_roles = itertools.count()


def _new_role(pg_url: str) -> str:
    """A fresh login role on the test server (trust authentication, so no password), with no privileges of its own."""
    role = f"radar_reader_{os.getpid()}_{next(_roles)}"
    u = make_url(pg_url)
    with psycopg.connect(host=u.host, port=u.port, user=u.username, dbname=u.database, autocommit=True) as c:
        c.execute(f'CREATE ROLE "{role}" LOGIN')
    return role


def _as(pg_url: str, role: str) -> str:
    return make_url(pg_url).set(username=role).render_as_string(hide_password=False)


WRITES = (
    "INSERT INTO requests (request_id, ts, account_id, api_key_id, client_ip, model, operation, input_tokens, output_tokens,"
    " status, load_id) VALUES ('evil', now(), 'a', 'k', '10.0.0.1', 'm', 'chat', 1, 1, 200, 'L')",
    "UPDATE requests SET prompt = 'changed'",
    "DELETE FROM requests",
    "TRUNCATE requests",
    "CREATE TABLE evil (x int)",
    "CREATE SCHEMA evil",
    "COPY requests TO PROGRAM 'cat > /dev/null'",
    "COPY requests FROM PROGRAM 'true'",
    "COPY requests TO '/tmp/radar-evil.csv'",
    "ALTER TABLE requests ADD COLUMN evil int",
)


def _write_in_read_write_transaction(conn: Connection, sql: str) -> str | None:
    """Run one write inside BEGIN READ WRITE ... COMMIT; the error's first line, or None if it committed."""
    conn.exec_driver_sql("BEGIN READ WRITE")
    try:
        conn.exec_driver_sql(sql)
        conn.exec_driver_sql("COMMIT")
    except DBAPIError as e:
        conn.exec_driver_sql("ROLLBACK")
        return str(e.orig).splitlines()[0]
    return None


def test_reader_role_reads_every_question_and_writes_nothing(pg_url: str) -> None:
    seed_warehouse(pg_url)
    owner = open_engine(pg_url)
    with owner.connect() as c:
        before = c.execute(select(func.count()).select_from(schema.requests)).scalar()
    # The hole the role closes: a read-only session is only a default, BEGIN READ WRITE lifts it.
    with open_engine(pg_url, read_only=True).connect().execution_options(isolation_level="AUTOCOMMIT") as c:
        assert _write_in_read_write_transaction(c, "UPDATE load_log SET message = message") is None

    role = _new_role(pg_url)
    ran = grant_reader(owner, role)
    assert len(ran) == 4 and all(s.startswith(("GRANT", "ALTER DEFAULT PRIVILEGES")) for s in ran)
    assert write_privileges(owner, role) == []
    reader = open_engine(_as(pg_url, role), read_only=True)

    with reader.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
        for sql in WRITES:
            refused = _write_in_read_write_transaction(c, sql)
            assert refused is not None and ("permission denied" in refused or "must be" in refused), (sql, refused)

    # every dashboard question still reads, as the reader
    for q in catalog():
        stmt = q(**arguments(q))
        res = run_page(reader, stmt, timeout_s=60, row_cap=q.row_cap)
        assert res.frame.columns == list(stmt.selected_columns.keys())
    with reader.connect() as c:
        assert c.execute(select(func.count()).select_from(schema.requests)).scalar() == before

    # tables the loader creates later are readable too (default privileges)
    with owner.begin() as c:
        c.exec_driver_sql("CREATE TABLE later_results (x int)")
        c.exec_driver_sql("INSERT INTO later_results VALUES (7)")
    with reader.connect() as c:
        assert c.exec_driver_sql("SELECT x FROM later_results").scalar() == 7


def test_write_privileges_names_what_a_role_could_still_write(pg_url: str) -> None:
    ensure_schema(open_engine(pg_url))
    owner = open_engine(pg_url)
    role = _new_role(pg_url)
    grant_reader(owner, role)
    with owner.begin() as c:
        c.exec_driver_sql(f'GRANT INSERT ON requests TO "{role}"')
        c.exec_driver_sql(f'GRANT CREATE ON SCHEMA public TO "{role}"')
        c.exec_driver_sql(f'GRANT pg_execute_server_program TO "{role}"')
    assert write_privileges(owner, role) == [
        "CREATE on schema: public",
        "member of: pg_execute_server_program",
        "write on table: requests",
    ]


def test_grants_command_prints_applies_and_checks(pg_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    ensure_schema(open_engine(pg_url))
    role = _new_role(pg_url)
    database = make_url(pg_url).database
    assert main(["grants", "--reader", role, "--warehouse", pg_url]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[:4] == reader_statements(role, str(database))
    # printing changed nothing: the role still reads nothing
    with open_engine(_as(pg_url, role), read_only=True).connect() as c, pytest.raises(DBAPIError, match="permission denied"):
        c.execute(select(func.count()).select_from(schema.requests))
    assert main(["grants", "--reader", role, "--warehouse", pg_url, "--apply"]) == 0
    assert "write nothing" in capsys.readouterr().out
    with open_engine(_as(pg_url, role), read_only=True).connect() as c:
        assert c.execute(select(func.count()).select_from(schema.requests)).scalar() == 0
    assert main(["grants", "--reader", "nobody_here", "--warehouse", pg_url, "--apply"]) == 2
    assert "create it first" in capsys.readouterr().err
    with pytest.raises(GrantsError, match="not a PostgreSQL name"):
        reader_statements("x" * 64, "db")

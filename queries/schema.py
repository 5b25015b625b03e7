"""Warehouse tables: telemetry as the gateway sends it, enrichment, load bookkeeping and detection results."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Double,
    Index,
    Integer,
    MetaData,
    Select,
    String,
    Table,
    Text,
    column,
    func,
    select,
    table,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.schema import ExecutableDDLElement

from queries.dialect import KEY_TIME_INDEX, UNIQUE_REQUEST_INDEX

metadata = MetaData()

TS = DateTime(timezone=True)

# --- telemetry (docs/telemetry-format.md) ----------------------------------------------------

requests = Table(
    "requests",
    metadata,
    # request_id is the idempotency key; uniqueness is enforced by ingest (see queries/dialect.py).
    Column("request_id", String, nullable=False),
    Column("ts", TS, nullable=False),
    Column("account_id", String, nullable=False),
    Column("api_key_id", String, nullable=False),
    Column("org_id", String),
    Column("client_ip", String, nullable=False),
    Column("asn", BigInteger),
    Column("ip_class", String),
    Column("country", String),
    Column("user_agent", String),
    Column("model", String, nullable=False),
    Column("operation", String, nullable=False),
    Column("input_tokens", BigInteger, nullable=False),
    Column("output_tokens", BigInteger, nullable=False),
    Column("latency_ms", BigInteger),
    Column("status", Integer, nullable=False),
    Column("finish_reason", String),
    Column("tool_count", Integer),
    Column("has_image", Boolean),
    Column("system_prompt_hash", String),
    Column("conversation_id", String),
    Column("turn", Integer),
    Column("prompt", Text),
    # enrichment, computed at ingest from the fields above only
    Column("ip_prefix", String, comment="/24 of an IPv4 address, /48 of an IPv6 address"),
    Column("template_fp", String, comment="hash of the prompt with variable parts normalised away"),
    Column("near_dup_a", BigInteger, comment="MinHash band 1 over word shingles of the normalised prompt"),
    Column("near_dup_b", BigInteger, comment="MinHash band 2 over word shingles of the normalised prompt"),
    Column("capability", String, comment="reasoning, coding, agentic, vision, rubric, censorship, writing, other"),
    Column("cot", Boolean, comment="the prompt elicits step-by-step / chain-of-thought reasoning"),
    Column("prompt_chars", Integer, comment="length of the prompt as sent, in characters (also when the stored text is cut)"),
    Column("load_id", String, nullable=False),
    # added after the first release: ensure_schema adds them to an older warehouse (add_column)
    Column("prompt_truncated", Boolean, comment="the prompt was longer than RADAR_MAX_PROMPT_CHARS and is stored cut"),
    Column("text_replaced", Boolean, comment="a text field held NUL, a lone surrogate or invalid UTF-8, stored as U+FFFD"),
    # similar-prompt LSH buckets (radar/ingest/enrich.py): two MinHash values over the prompt's content words per band,
    # so rewordings of one prompt share a bucket; null without a prompt (and in rows loaded before the columns existed)
    Column("similar_1", BigInteger, comment="similar-prompt LSH bucket, band 1, over the prompt's content words"),
    Column("similar_2", BigInteger, comment="similar-prompt LSH bucket, band 2, over the prompt's content words"),
    Column("similar_3", BigInteger, comment="similar-prompt LSH bucket, band 3, over the prompt's content words"),
    Column("similar_4", BigInteger, comment="similar-prompt LSH bucket, band 4, over the prompt's content words"),
)


def _indexes_request_id(ddl: Any, target: Any, bind: Any, tables: Any = None, state: Any = None, *, dialect: Any, **kw: Any) -> bool:
    """Does the engine this DDL compiles for enforce request_id uniqueness with an index?"""
    return bool(dialect.name in UNIQUE_REQUEST_INDEX)


#: request_id's unique index, made only on the engines that enforce uniqueness with it (UNIQUE_REQUEST_INDEX;
#: DuckDB de-duplicates with an anti-join at load instead).
REQUEST_ID_INDEX = Index("requests_request_id_key", requests.c.request_id, unique=True).ddl_if(callable_=_indexes_request_id)

accounts = Table(
    "accounts",
    metadata,
    Column("account_id", String, primary_key=True),
    Column("created_at", TS, nullable=False),
    Column("email_domain", String),
    Column("payment_fingerprint", String),
    Column("verification", String),
    Column("country", String),
    Column("signup_ip", String),
    Column("signup_prefix", String, comment="/24 or /48 of signup_ip"),
    Column("org_id", String),
    Column("load_id", String, nullable=False),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("api_key_id", String, primary_key=True),
    Column("account_id", String, nullable=False),
    Column("created_at", TS, nullable=False),
    Column("revoked_at", TS),
    Column("load_id", String, nullable=False),
)

quarantine = Table(
    "quarantine",
    metadata,
    Column("load_id", String, nullable=False),
    Column("table_name", String, nullable=False),
    Column("source_file", String, nullable=False),
    Column("row_number", BigInteger, comment="1-based line (JSON Lines, CSV data row) or row index (Parquet, spans)"),
    Column("reason", Text, nullable=False),
    Column("raw", Text, comment="the offending record as text, truncated"),
    Column("quarantined_at", TS, nullable=False),
)

load_log = Table(
    "load_log",
    metadata,
    Column("load_id", String, primary_key=True),
    Column("source_file", String, nullable=False),
    Column("file_digest", String, comment="sha256 of the file's bytes"),
    Column("table_name", String, nullable=False),
    Column("format", String, nullable=False),
    Column("started_at", TS, nullable=False),
    Column("finished_at", TS),
    Column("rows_read", BigInteger),
    Column("rows_loaded", BigInteger),
    Column("rows_quarantined", BigInteger),
    Column("rows_duplicate", BigInteger),
    Column("status", String, nullable=False, comment="loaded or failed"),
    Column("message", Text),
)

# --- detection results (written by `python -m radar score`, read by pages) ------------------------

score_runs = Table(
    "score_runs",
    metadata,
    Column("run_id", String, primary_key=True),
    Column("started_at", TS, nullable=False),
    Column("finished_at", TS),
    Column("window_start", TS, nullable=False),
    Column("window_end", TS, nullable=False),
    Column("params", Text, comment="JSON of the thresholds and weights in force"),
    Column("status", String, nullable=False, comment="running, done or failed"),
)

#: Score at and above which an account or key alerts (is "flagged"): scoring stores `alerting` from it,
#: the overview counts and labels with it. The one definition; change it here only.
ALERT_SCORE = 0.5

account_scores = Table(
    "account_scores",
    metadata,
    Column("run_id", String, nullable=False),
    Column("account_id", String, nullable=False),
    Column("score", Double, nullable=False),
    Column("cluster_id", String),
    Column("campaign_id", String),
    Column("allowlisted", Boolean, nullable=False),
    Column("reasons", Text, comment="JSON list of sentences, strongest first"),
    Column("calls", BigInteger),
    Column("output_tokens", BigInteger),
    Column("n_keys", Integer),
    Column("alerting", Boolean, comment="score at or above the alert threshold and neither allowlisted nor dismissed"),
    Column("features", Text, comment="JSON object of the account's feature values"),
)

key_scores = Table(
    "key_scores",
    metadata,
    Column("run_id", String, nullable=False),
    Column("api_key_id", String, nullable=False),
    Column("account_id", String, nullable=False),
    Column("score", Double, nullable=False),
    Column("extraction_share", Double, comment="share of the key's calls that look like extraction"),
    Column("allowlisted", Boolean, nullable=False),
    Column("reasons", Text, comment="JSON list of sentences, strongest first"),
    Column("calls", BigInteger),
    Column("output_tokens", BigInteger),
    Column("features", Text, comment="JSON object of the key's feature values"),
    # added after the first release (ensure_schema adds them): the key's traffic split into components
    Column("extraction_calls", BigInteger, comment="calls of the key's scripted component (templates shared across accounts)"),
    Column("other_calls", BigInteger, comment="the key's other calls (its own prompts, cover traffic)"),
    Column("component_score", Double, comment="extraction evidence 0-1 of the scripted component scored on its own"),
)

clusters = Table(
    "clusters",
    metadata,
    Column("run_id", String, nullable=False),
    Column("cluster_id", String, nullable=False),
    Column("score", Double, nullable=False),
    Column("n_accounts", Integer, nullable=False),
    Column("n_keys", Integer),
    Column("calls", BigInteger),
    Column("output_tokens", BigInteger),
    Column("reasons", Text, comment="JSON list of sentences"),
)

cluster_links = Table(
    "cluster_links",
    metadata,
    Column("run_id", String, nullable=False),
    Column("cluster_id", String, nullable=False),
    Column("account_id", String, nullable=False),
    Column(
        "edge_type",
        String,
        nullable=False,
        comment="prefix, asn, payment, signup_ip, email_burst, ua_sysprompt, template, near_dup, timing",
    ),
    Column("value", String, nullable=False, comment="the shared attribute value"),
    Column("weight", Double, comment="rarity weight of the attribute"),
)

campaigns = Table(
    "campaigns",
    metadata,
    Column("run_id", String, nullable=False),
    Column("campaign_id", String, nullable=False),
    Column("cluster_id", String, nullable=False),
    Column("score", Double, nullable=False),
    Column("n_accounts", Integer, nullable=False),
    Column("n_keys", Integer),
    Column("calls", BigInteger),
    Column("output_tokens", BigInteger),
    Column("first_seen", TS),
    Column("last_seen", TS),
    Column("capability_profile", Text, comment="JSON {capability: share}"),
    Column("indicators", Text, comment="JSON {kind: [values]}: prefixes, asns, payment, user agents, templates"),
    Column("reasons", Text, comment="JSON list of sentences"),
)

# --- campaign and cluster summaries (radar/detect/summaries.py writes them with the run, the pages read them) ------

#: The two phases of a campaign's harvest, split at the first revocation of one of its keys known at score time.
BEFORE_ACTION, AFTER_ACTION = "before any action", "after first revocation"

campaign_actions = Table(
    "campaign_actions",
    metadata,
    Column("run_id", String, nullable=False),
    Column("campaign_id", String, nullable=False),
    Column("first_revocation", TS, comment="first revoked_at among the members' keys when the run was scored; null = none yet"),
)

campaign_usage_hours = Table(
    "campaign_usage_hours",
    metadata,
    Column("run_id", String, nullable=False),
    Column("campaign_id", String, nullable=False),
    Column("hour", TS, nullable=False),
    Column("model", String, nullable=False),
    Column("phase", String, nullable=False, comment="before any action or after first revocation (campaign_actions)"),
    Column("calls", BigInteger, nullable=False),
    Column("input_tokens", BigInteger, nullable=False),
    Column("output_tokens", BigInteger, nullable=False),
)

campaign_timeline_hours = Table(
    "campaign_timeline_hours",
    metadata,
    Column("run_id", String, nullable=False),
    Column("campaign_id", String, nullable=False),
    Column("account_id", String, nullable=False, comment="one of the campaign's busiest accounts in the run window"),
    Column("hour", TS, nullable=False),
    Column("model", String, nullable=False),
    Column("calls", BigInteger, nullable=False),
)

capability_days = Table(
    "capability_days",
    metadata,
    Column("run_id", String, nullable=False),
    Column("campaign_id", String, comment="null: accounts in no campaign (the benign baseline)"),
    Column("day", TS, nullable=False),
    Column("model", String, nullable=False),
    Column("capability", String, nullable=False),
    Column("calls", BigInteger, nullable=False),
    Column("cot_calls", BigInteger, nullable=False),
)

campaign_infrastructure_top = Table(
    "campaign_infrastructure_top",
    metadata,
    Column("run_id", String, nullable=False),
    Column("campaign_id", String, nullable=False),
    Column("model", String, comment="null: every model"),
    Column("facet", String, nullable=False, comment="ip_prefix, asn, ip_class, country, user_agent, system_prompt_hash"),
    Column("value", String, nullable=False),
    Column("calls", BigInteger, nullable=False),
    Column("accounts", BigInteger, nullable=False, comment="distinct member accounts calling with the value (exact)"),
)

campaign_prompt_samples = Table(
    "campaign_prompt_samples",
    metadata,
    Column("run_id", String, nullable=False),
    Column("campaign_id", String, nullable=False),
    Column("ts", TS, nullable=False),
    Column("account_id", String, nullable=False),
    Column("model", String, nullable=False),
    Column("capability", String),
    Column("template_fp", String),
    Column("template_calls", BigInteger, comment="calls with the template among the sampled accounts"),
    Column("prompt", Text, comment="redacted (radar/redact.py) before it is stored"),
)

cluster_attribute_counts = Table(
    "cluster_attribute_counts",
    metadata,
    Column("run_id", String, nullable=False),
    Column("cluster_id", String, nullable=False),
    Column("edge_type", String, nullable=False),
    Column("value", String, nullable=False),
    Column("accounts", BigInteger, nullable=False, comment="distinct member accounts sharing the value"),
)

peer_band_hours = Table(
    "peer_band_hours",
    metadata,
    Column("run_id", String, nullable=False),
    Column("hour", TS, nullable=False),
    Column("model", String, comment="null: every model"),
    Column("p50", Double, nullable=False, comment="median calls per active key in the hour"),
    Column("p90", Double, nullable=False),
    Column("p99", Double, nullable=False),
    Column("active_keys", BigInteger, nullable=False, comment="keys with at least one call in the hour (exact)"),
)

SUMMARY_TABLES = (
    campaign_actions,
    campaign_usage_hours,
    campaign_timeline_hours,
    capability_days,
    campaign_infrastructure_top,
    campaign_prompt_samples,
    cluster_attribute_counts,
    peer_band_hours,
)

TELEMETRY_TABLES = (requests, accounts, api_keys)
RESULT_TABLES = (score_runs, account_scores, key_scores, clusters, cluster_links, campaigns, *SUMMARY_TABLES)


# --- rollups: mergeable summaries of requests, kept at ingest (queries/rollups.py) ---------------------------------
#
# Every measure is a sum, a count or a min/max, so rows of the same grain merge by adding (or taking min/max): a
# load appends one row per grain and chunk, readers always aggregate, and a summing or aggregating merge tree could
# keep the same tables. Distinct counts are exact by counting distinct grain values (keys, accounts) of these rows.
# On ClickHouse each table maps onto an AggregatingMergeTree ordered by its grain, counts and sums as
# SimpleAggregateFunction(sum, UInt64), first_ts/last_ts as SimpleAggregateFunction(min|max, DateTime64), fed by a
# materialized view over requests; no column needs an engine-specific type here.

#: Capabilities the enrichment assigns (radar/ingest/enrich.py CAPABILITIES); anything else counts as "other".
ROLLUP_CAPABILITIES = ("reasoning", "coding", "agentic", "vision", "rubric", "censorship", "writing", "other")
#: Prompt-length bins (characters, upper bounds) the keys page compares; changing them needs `radar rollup --rebuild`.
PROMPT_LENGTH_BINS = (100, 250, 500, 1000, 2000, 4000, 8000)


def _count(name: str, comment: str) -> Column[Any]:
    return Column(name, BigInteger, nullable=False, comment=comment)


def _measures() -> list[Column[Any]]:
    """The measures both rollups carry: calls, tokens and the counts of behaviour the pages read."""
    return [
        _count("calls", "requests"),
        _count("input_tokens", "sum of input_tokens"),
        _count("output_tokens", "sum of output_tokens"),
        _count("cot_calls", "requests whose prompt elicits chain-of-thought (cot)"),
        _count("tool_calls", "requests that offered the model at least one tool (tool_count > 0)"),
        _count("refusals", "requests that ended in a refusal or content filter (finish_reason)"),
        _count("error_calls", "requests answered with an HTTP status of 400 or more"),
        Column("first_ts", TS, nullable=False, comment="earliest ts of the grain (min)"),
        Column("last_ts", TS, nullable=False, comment="latest ts of the grain (max)"),
    ]


rollup_key_hours = Table(
    "rollup_key_hours",
    metadata,
    Column("hour", TS, nullable=False),
    Column("api_key_id", String, nullable=False),
    Column("account_id", String, nullable=False),
    Column("model", String, nullable=False),
    *_measures(),
    _count("image_calls", "requests that carried an image"),
    _count("prompts_logged", "requests with prompt text (prompt_chars known)"),
    *[_count(f"len_{i}", f"prompts in length bin {i} of PROMPT_LENGTH_BINS") for i in range(len(PROMPT_LENGTH_BINS) + 1)],
    *[_count(f"cap_{c}", f"requests whose capability is {c}") for c in ROLLUP_CAPABILITIES],
    *[_count(f"cot_{c}", f"chain-of-thought requests whose capability is {c}") for c in ROLLUP_CAPABILITIES],
)

rollup_account_hours = Table(
    "rollup_account_hours",
    metadata,
    Column("hour", TS, nullable=False),
    Column("account_id", String, nullable=False),
    *_measures(),
)

ROLLUP_TABLES = (rollup_key_hours, rollup_account_hours)


def _indexes_key_ts(ddl: Any, target: Any, bind: Any, tables: Any = None, state: Any = None, *, dialect: Any, **kw: Any) -> bool:
    """Does the engine this DDL compiles for find one key's requests in a window through an index?"""
    return bool(dialect.name in KEY_TIME_INDEX)


#: One key's requests in a window (the keys page drill-down): an index on PostgreSQL. DuckDB prunes row groups by
#: their ts zone maps instead (ingest appends chunks in time order, each sorted by ts: radar/ingest/load.py clustered).
REQUEST_KEY_TS_INDEX = Index("requests_key_ts", requests.c.api_key_id, requests.c.ts).ddl_if(callable_=_indexes_key_ts)


# --- columns added after a warehouse was created ------------------------------------------------------------------


class AddColumn(ExecutableDDLElement):
    """ALTER TABLE ... ADD COLUMN for one nullable column of the declared schema."""

    inherit_cache = False

    def __init__(self, table: Table, column: Column[Any]) -> None:
        self.table = table
        self.column = column


@compiles(AddColumn)
def _add_column(element: AddColumn, compiler: Any, **kw: Any) -> str:
    # The dialect's own column DDL (type name, quoting), as CREATE TABLE would write it.
    return f"ALTER TABLE {compiler.preparer.format_table(element.table)} ADD COLUMN {compiler.get_column_specification(element.column)}"


def existing_columns() -> Select[Any]:
    """Which columns does each table of the session's schema have in the warehouse (table_name, column_name)?

    information_schema, which every engine of the warehouse answers alike (DuckDB's SQLAlchemy reflection does not)."""
    cols = table("columns", column("table_name"), column("column_name"), column("table_schema"), schema="information_schema")
    return select(cols.c.table_name, cols.c.column_name).where(cols.c.table_schema == func.current_schema())


def add_column(table: Table, name: str) -> AddColumn:
    """The statement that adds column `name` of `table` to a warehouse created before the column existed.

    Only nullable columns are ever added (rows loaded before them hold null): a new NOT NULL column would need a
    value for every old row."""
    column = table.c[name]
    if not column.nullable:
        raise ValueError(f"{table.name}.{name} is NOT NULL: it cannot be added to existing rows")
    return AddColumn(table, column)

"""What do the pages share? App state, kept out of components/ (which only draw): pages use `import app_state as state`.

- `routing`: the navigation's page list (PAGES) and the guard that keeps every page behind app.py;
- `data`: settings, the one read-only warehouse engine, the question cache keyed by warehouse generation, a load in progress;
- `messages`: what the analyst is told (empty warehouse, no run, errors as sentences, truncation);
- `url`: selections and the global window and filters, kept in the URL;
- `identity`: the case store engine and the signed-in actor.
"""

from app_state.asn import asn_names, label_asns, names_version
from app_state.data import (
    CACHE_TTL_S,
    GENERATION_TTL_S,
    LOAD_POLL_S,
    SECRET_SETTINGS,
    has_telemetry,
    latest_run_id,
    load_running_message,
    query,
    settings,
    wait_for_load,
    warehouse_engine,
    warehouse_generation,
    warehouse_tables,
)
from app_state.identity import actor, cases_engine, show_identity, signed_in
from app_state.messages import empty_warehouse_message, error_sentence, no_run_message, require_data, show_error, show_truncated
from app_state.routing import PAGES, PageSpec, ensure_routed, navigation
from app_state.url import (
    GLOBAL_PARAMS,
    data_days,
    iso,
    model_options,
    page_link,
    set_url_value,
    sidebar_filters,
    url_choice,
    url_params,
    url_value,
)
from components.text import md  # the one Markdown escape, for pages that say `state.md`

__all__ = [
    "asn_names",
    "label_asns",
    "names_version",
    "md",
    "PageSpec",
    "PAGES",
    "navigation",
    "ensure_routed",
    "CACHE_TTL_S",
    "GENERATION_TTL_S",
    "LOAD_POLL_S",
    "SECRET_SETTINGS",
    "settings",
    "warehouse_engine",
    "warehouse_generation",
    "query",
    "warehouse_tables",
    "has_telemetry",
    "latest_run_id",
    "wait_for_load",
    "load_running_message",
    "empty_warehouse_message",
    "no_run_message",
    "require_data",
    "error_sentence",
    "show_error",
    "show_truncated",
    "url_value",
    "set_url_value",
    "url_params",
    "page_link",
    "iso",
    "GLOBAL_PARAMS",
    "data_days",
    "model_options",
    "url_choice",
    "sidebar_filters",
    "cases_engine",
    "actor",
    "signed_in",
    "show_identity",
]

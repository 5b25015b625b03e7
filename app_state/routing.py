"""How does the app route? The navigation's one page list, and the guard that keeps every page behind app.py."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import streamlit as st


@dataclass(frozen=True)
class PageSpec:
    """One entry of the app's navigation: the page file, its title and icon, its URL path and its section."""

    path: str
    title: str
    icon: str
    url_path: str
    section: str
    default: bool = False


#: The app's navigation, in menu order: app.py passes exactly this to `st.navigation`.
PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/overview.py", "Overview", ":material/dashboard:", "overview", "Investigate", default=True),
    PageSpec("pages/keys.py", "Keys", ":material/key:", "keys", "Investigate"),
    PageSpec("pages/clusters.py", "Clusters", ":material/hub:", "clusters", "Investigate"),
    PageSpec("pages/campaign.py", "Campaign", ":material/crisis_alert:", "campaign", "Investigate"),
    PageSpec("pages/triage.py", "Triage queue", ":material/checklist:", "triage", "Triage"),
    PageSpec("pages/case.py", "Case", ":material/folder_open:", "case", "Triage"),
    PageSpec("pages/kpis.py", "SOC figures", ":material/monitoring:", "kpis", "Triage"),
    PageSpec("pages/views.py", "Saved views", ":material/bookmarks:", "views", "Triage"),
    PageSpec("pages/export.py", "Export", ":material/download:", "export", "Triage"),
    PageSpec("pages/quarantine.py", "Quarantine", ":material/report:", "quarantine", "Triage"),
)


def navigation() -> dict[str, list[Any]]:
    """The `st.navigation` argument built from PAGES: sections in order, each with its `st.Page` objects."""
    sections: dict[str, list[Any]] = {}
    for p in PAGES:
        page = st.Page(p.path, title=p.title, icon=p.icon, url_path=p.url_path, default=p.default)
        sections.setdefault(p.section, []).append(page)
    return sections


def ensure_routed() -> None:
    """Is this run routed through app.py's navigation? If Streamlit ran a page alone, rerun it through app.py.

    Streamlit 1.67 still starts a `pages/` folder beside the entry script in its legacy layout: on a fresh
    server, a link straight to /keys runs pages/keys.py without app.py (no page list, titles or config).
    Pages call this through `sidebar_filters`; tests/pages/test_routing.py fails when Streamlit changes.
    """
    from pathlib import Path

    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    if ctx is None:
        return
    # Under the legacy layout the page list is built from files and includes the entry script itself.
    if any(Path(str(info.get("script_path", ""))).name == "app.py" for info in ctx.pages_manager.get_pages().values()):
        PagesManager.uses_pages_directory = False
        st.rerun()

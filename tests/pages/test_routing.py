"""Does Streamlit still need `app_state.ensure_routed`? These fail when Streamlit changes under the routing fix.

A folder named `pages/` beside app.py makes Streamlit start in its legacy multipage layout (pages run alone,
without app.py) until app.py first calls `st.navigation`. `ensure_routed` detects such a run and reruns it
through app.py. If the first test fails, Streamlit dropped the legacy layout: remove `ensure_routed`.
The fix itself is exercised by test_pages.py::test_app_registers_exactly_the_navigation (AppTest) and by
tests/browser/test_browser.py::test_a_deep_link_on_a_fresh_server_runs_through_app_py (real server).
"""

from __future__ import annotations

from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import script_runner

ROOT = Path(__file__).resolve().parents[2]


def test_a_pages_folder_still_starts_the_legacy_layout() -> None:
    saved = PagesManager.uses_pages_directory
    try:
        PagesManager.uses_pages_directory = None
        PagesManager(str(ROOT / "app.py"))
        assert PagesManager.uses_pages_directory is True, "Streamlit no longer starts pages/ in the legacy layout: drop ensure_routed"
    finally:
        PagesManager.uses_pages_directory = saved
    assert hasattr(script_runner, "_mpa_v1"), "Streamlit's legacy page runner is gone: check whether ensure_routed is still needed"


def test_the_internals_ensure_routed_uses_are_there() -> None:
    saved = PagesManager.uses_pages_directory
    try:
        pages = PagesManager(str(ROOT / "app.py")).get_pages()  # before st.navigation: the entry script alone, by its path
    finally:
        PagesManager.uses_pages_directory = saved
    assert [Path(str(info["script_path"])).name for info in pages.values()] == ["app.py"]
    assert "uses_pages_directory" in vars(PagesManager)

"""Drawing blocks for the dashboard: pure builders (frame in, figure/HTML out) and thin `render_*` wrappers.

Importing the package also makes sure app.py's `st.navigation` routes every run. Streamlit treats a
folder named `pages/` next to the entry script as the legacy multipage layout until the entry script
first calls `st.navigation`; a browser that lands directly on /overview would then run the page alone,
without app.py, its page list or its titles. Turning the legacy flag off here (and `ensure_routed()`
for the run that is already under way) keeps the product's routing in app.py.
"""

from __future__ import annotations

from streamlit.runtime.pages_manager import PagesManager

PagesManager.uses_pages_directory = False

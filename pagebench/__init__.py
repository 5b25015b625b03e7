"""The page bench and the browser harness: a `streamlit run` server, an offline headless Chromium, timings.

Not part of the product: `python -m radar bench pages` runs `pagebench.bench.bench_pages`, and the
browser tests drive the dashboard through `pagebench.harness`.
"""

"""Drawing blocks for the dashboard: pure builders (frame in, figure/HTML out) and thin `render_*` wrappers."""

"""How does a case report look on screen and on paper? Its one inline style sheet (no web font, no network).

Print rules: A4 pages; a table breaks only between rows and repeats its header on the next page; long values wrap
inside their cell instead of running off the page's edge; headings stay with what follows them; the members start
on a new page; the TLP label repeats at the top of every printed page.
"""

from __future__ import annotations

CSS = """
body { font: 13px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: #1b1b1b; margin: 24px auto; max-width: 980px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 16px; border-bottom: 1px solid #ccc; padding-bottom: 2px; margin-top: 22px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0; table-layout: auto; }
th, td { border: 1px solid #ddd; padding: 3px 6px; text-align: left; vertical-align: top; }
td { overflow-wrap: anywhere; } th { background: #f3f3f3; }
td.num, th.num { text-align: right; } td.num, td.t { white-space: nowrap; }
table.small { width: auto; min-width: 50%; }
table.facts th { width: 16%; } table.prompts td:last-child { font: 11px/1.35 ui-monospace, "DejaVu Sans Mono", monospace; }
.muted { color: #666; } .pill { display: inline-block; padding: 1px 8px; border-radius: 9px; background: #eee; font-weight: 600; }
.tlp { float: right; font: 700 13px/1 ui-monospace, "DejaVu Sans Mono", monospace; padding: 4px 8px; }
.timeline li, .trail li { margin: 2px 0; }
code { font: 11px/1.3 ui-monospace, "DejaVu Sans Mono", monospace; }
svg.chart { display: block; max-width: 100%; height: auto; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 10.5px; }
  .tlp { float: none; position: fixed; top: 0; right: 0; }
  h1 { margin-top: 18px; }
  h2 { break-after: avoid; page-break-after: avoid; }
  section.page { break-before: page; page-break-before: always; }
  section.charts svg, table.small, table.facts, li { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; } tr { break-inside: avoid; page-break-inside: avoid; }
  th, .tlp, .pill, svg.chart rect { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
"""

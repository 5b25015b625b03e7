"""How is a small chart drawn with no script and no network? Inline SVG bar charts for printable reports."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape


def bar_chart_svg(labels: Sequence[str], values: Sequence[float], *, title: str, width: int = 640, height: int = 220) -> str:
    """An inline SVG bar chart of `values` per label, with the title and the largest value marked."""
    pad_l, pad_b, pad_t = 56, 40, 28
    n = max(len(values), 1)
    top = max([float(v) for v in values] + [1.0])
    bw = min((width - pad_l - 10) / n, 60.0)  # a lone bar stays a bar, not a wall
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" class="chart">',
        f'<text x="{pad_l}" y="16" font-size="13" font-weight="600">{escape(title)}</text>',
        f'<line x1="{pad_l}" y1="{height - pad_b}" x2="{width - 10}" y2="{height - pad_b}" stroke="#555"/>',
        f'<text x="{pad_l - 6}" y="{pad_t + 4}" font-size="10" text-anchor="end">{top:,.0f}</text>',
        f'<text x="{pad_l - 6}" y="{height - pad_b}" font-size="10" text-anchor="end">0</text>',
    ]
    plot_h = height - pad_b - pad_t
    step = max(1, n // 10)
    for i, (label, v) in enumerate(zip(labels, values, strict=True)):
        h = plot_h * float(v) / top
        x = pad_l + i * bw
        parts.append(
            f'<rect x="{x + 1:.1f}" y="{height - pad_b - h:.1f}" width="{max(bw - 2, 1):.1f}" height="{h:.1f}" fill="#b3261e">'
            f"<title>{escape(str(label))}: {float(v):,.0f}</title></rect>"
        )
        if i % step == 0:
            parts.append(
                f'<text x="{x + bw / 2:.1f}" y="{height - pad_b + 14}" font-size="10" text-anchor="middle">{escape(str(label))}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)

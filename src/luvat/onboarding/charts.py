"""Server-side SVG bar charts. Each chart is drawn next to a table of the same figures, so the
chart is decoration for sighted readers and the table is what assistive technology reads."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

WIDTH_PER_BAR = 48
HEIGHT = 200
TOP = 20
BOTTOM = 40
LEFT = 8
BAR_COLOUR = "#003479"  # the brand colour; 10:1 against white
TEXT_COLOUR = "#1a1a1a"


def _label(value: float | None, decimals: int) -> str:
    if value is None:
        return "-"
    return f"{value:.{decimals}f}"


def bar_chart(
    *,
    chart_id: str,
    title: str,
    labels: Sequence[str],
    values: Sequence[float | None],
    decimals: int = 0,
) -> SafeString:
    """An SVG bar chart; None values draw no bar and are labelled with a dash."""
    width = LEFT * 2 + WIDTH_PER_BAR * max(1, len(labels))
    height = HEIGHT + TOP + BOTTOM
    peak = max((v for v in values if v is not None), default=0.0) or 1.0
    parts = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{}" role="img" '
            'aria-labelledby="{}-title" viewBox="0 0 {} {}" width="{}" height="{}">'
            '<title id="{}-title">{}</title>',
            chart_id,
            chart_id,
            width,
            height,
            width,
            height,
            chart_id,
            title,
        ),
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1"/>',
            LEFT,
            TOP + HEIGHT,
            width - LEFT,
            TOP + HEIGHT,
            TEXT_COLOUR,
        ),
    ]
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        x = LEFT + index * WIDTH_PER_BAR
        centre = x + WIDTH_PER_BAR / 2
        bar_height = 0.0 if value is None else HEIGHT * value / peak
        if bar_height > 0:
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>',
                    x + 8,
                    f"{TOP + HEIGHT - bar_height:.1f}",
                    WIDTH_PER_BAR - 16,
                    f"{bar_height:.1f}",
                    BAR_COLOUR,
                )
            )
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle" font-size="12" fill="{}">{}</text>',
                f"{centre:.1f}",
                f"{TOP + HEIGHT - bar_height - 4:.1f}",
                TEXT_COLOUR,
                _label(value, decimals),
            )
        )
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle" font-size="11" fill="{}">{}</text>',
                f"{centre:.1f}",
                TOP + HEIGHT + 16,
                TEXT_COLOUR,
                escape(label[2:] if len(label) == 7 else label),  # 2026-03 → 26-03
            )
        )
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(parts))  # noqa: S308  (every part is format_html-escaped)

"""Charts as inline SVG built on the server: no JavaScript, no CDN, nothing fetched by the browser.

Pure Python (no ORM, no Django): the caller gives labels and values, already translated, and marks the returned
markup safe. Every text is escaped here; a bar whose count is suppressed (`value` None) is drawn without a bar and
with its `shown` text ("<5"), so a chart never carries more than the table beside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

# Drawing constants (user units of the viewBox; the SVG scales to the width of its container).
WIDTH = 720
ROW_HEIGHT = 44  # a label on its own line, its bar under it: long Kyrgyz labels need the whole width
LABEL_HEIGHT = 18
BAR_HEIGHT = 16
VALUE_GAP = 6
VALUE_WIDTH = 56
TOP = 8
COLUMN_CHART_HEIGHT = 220
AXIS_HEIGHT = 44
MAX_LABEL_CHARACTERS = 90
MAX_COLUMN_LABEL_CHARACTERS = 10
BAR_COLOUR = "#2f5d8a"
SUPPRESSED_COLOUR = "#8a8a8a"
TEXT_COLOUR = "#1a1a1a"
# Its size and font come from the class "chart" in static/css/app.css (no inline style: the Content-Security-Policy):
# at most its drawn width (720 px) on a wide screen (text stays 13 px), narrower on a phone.


@dataclass(frozen=True)
class Bar:
    """One bar: its label, its count (None when suppressed) and the text shown for it ("12", "<5")."""

    label: str
    value: int | None
    shown: str


def _text(value: object) -> str:
    """Escape text for an SVG element or attribute (XML: &, <, >, and both quotes)."""
    return escape(str(value), quote=True)


def _short(label: str, limit: int = MAX_LABEL_CHARACTERS) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _open_svg(*, chart_id: str, title: str, description: str, height: int) -> list[str]:
    chart_id = _text(chart_id)
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{_text(title)}</title>',
        f'<desc id="{chart_id}-desc">{_text(description)}</desc>',
    ]


def _scale(bars: list[Bar]) -> int:
    return max([bar.value for bar in bars if bar.value is not None] + [1])


def horizontal_bar_chart(*, chart_id: str, title: str, description: str, bars: list[Bar]) -> str:
    """Return an SVG of one horizontal bar per label, each label above its bar, a label too long cut to fit (the
    whole label in its tooltip and in the table beside the chart)."""
    height = TOP * 2 + max(len(bars), 1) * ROW_HEIGHT
    parts = _open_svg(chart_id=chart_id, title=title, description=description, height=height)
    largest = _scale(bars)
    room = WIDTH - VALUE_WIDTH - VALUE_GAP
    for index, bar in enumerate(bars):
        y = TOP + index * ROW_HEIGHT
        bar_top = y + LABEL_HEIGHT + 2
        middle = bar_top + BAR_HEIGHT / 2
        length = 0 if bar.value is None else max(round(room * bar.value / largest), 1 if bar.value else 0)
        parts.append("<g>")
        parts.append(f"<title>{_text(bar.label)}: {_text(bar.shown)}</title>")
        parts.append(f'<text x="0" y="{y + LABEL_HEIGHT - 4}" fill="{TEXT_COLOUR}">{_text(_short(bar.label))}</text>')
        if length:
            parts.append(f'<rect x="0" y="{bar_top}" width="{length}" height="{BAR_HEIGHT}" fill="{BAR_COLOUR}"/>')
        colour = SUPPRESSED_COLOUR if bar.value is None else TEXT_COLOUR
        parts.append(
            f'<text x="{length + VALUE_GAP}" y="{middle + 5}" font-weight="bold" fill="{colour}">'
            f"{_text(bar.shown)}</text>"
        )
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)


def column_chart(*, chart_id: str, title: str, description: str, bars: list[Bar]) -> str:
    """Return an SVG of one vertical column per period (months), labels under the axis, every n-th when crowded."""
    height = TOP + COLUMN_CHART_HEIGHT + AXIS_HEIGHT
    parts = _open_svg(chart_id=chart_id, title=title, description=description, height=height)
    largest = _scale(bars)
    count = max(len(bars), 1)
    slot = (WIDTH - 2 * VALUE_GAP) / count
    width = max(slot * 0.7, 1)
    every = max(1, round(count / 12))
    base = TOP + COLUMN_CHART_HEIGHT
    room = COLUMN_CHART_HEIGHT - 20
    parts.append(
        f'<line x1="{VALUE_GAP}" y1="{base}" x2="{WIDTH - VALUE_GAP}" y2="{base}" stroke="{TEXT_COLOUR}" '
        'stroke-width="1"/>'
    )
    for index, bar in enumerate(bars):
        x = VALUE_GAP + index * slot + (slot - width) / 2
        centre = x + width / 2
        length = 0 if bar.value is None else round(room * bar.value / largest)
        parts.append("<g>")
        parts.append(f"<title>{_text(bar.label)}: {_text(bar.shown)}</title>")
        if length:
            parts.append(
                f'<rect x="{x:.1f}" y="{base - length}" width="{width:.1f}" height="{length}" fill="{BAR_COLOUR}"/>'
            )
        if count <= 24 or bar.value is None or bar.value:
            colour = SUPPRESSED_COLOUR if bar.value is None else TEXT_COLOUR
            parts.append(
                f'<text x="{centre:.1f}" y="{base - length - 4}" text-anchor="middle" fill="{colour}" '
                f'font-size="11">{_text(bar.shown)}</text>'
            )
        if index % every == 0:
            parts.append(
                f'<text x="{centre:.1f}" y="{base + 16}" text-anchor="middle" fill="{TEXT_COLOUR}" '
                f'font-size="11">{_text(_short(bar.label, MAX_COLUMN_LABEL_CHARACTERS))}</text>'
            )
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)

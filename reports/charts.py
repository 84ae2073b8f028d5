"""Charts drawn on the server as inline SVG: no script, no library, nothing for the CSP to allow.

Colours and strokes are classes (static/css/app.css, "Dashboard charts"), never style attributes.
In Arabic the drawing is mirrored: horizontal bars grow from the right with their labels on the
right, and a time axis runs from right (oldest) to left (newest), as the page reads. Numbers are
written with the locale's separators and Latin digits, in left-to-right runs (`direction="ltr"`)
so that digit groups never swap places inside Arabic text. Every chart is `role="img"` with a
title; the page prints the same numbers in a table beside it.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import get_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

WIDTH = 640
ROW = 24
LABEL_W = 210
VALUE_W = 90


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: Decimal | int


@dataclass(frozen=True, slots=True)
class Group:
    """One point of a time axis with one value per series."""

    label: str
    values: Sequence[Decimal | int]


@functools.lru_cache(maxsize=8)
def _separators(language: str) -> dict[int, str]:
    del language  # the cache key: get_format reads the active language's formats
    return str.maketrans({",": str(get_format("THOUSAND_SEPARATOR")), ".": str(get_format("DECIMAL_SEPARATOR"))})


def number_text(value: Decimal | int, decimals: int = 0) -> str:
    """The number in the active language's separators (Latin digits), rounded half up: what
    django.utils.formats.number_format gives with grouping, at a fraction of its cost (a page
    writes a few hundred numbers)."""
    quantum = Decimal(1).scaleb(-decimals)
    shown = format(Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP), ",f")
    return shown.translate(_separators(get_language() or ""))


def _text(x: float, y: float, text: str, *, anchor: str, cls: str = "chart-label", ltr: bool = False) -> str:
    direction = ' direction="ltr" unicode-bidi="embed"' if ltr else ""
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" class="{cls}"{direction}>{escape(text)}</text>'


def _short(text: str, limit: int = 30) -> str:
    """A label cut to fit beside its bar; the whole text stays in the bar's tooltip and the table."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _rect(x: float, y: float, width: float, height: float, tip: str, cls: str = "chart-bar") -> str:
    return f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" class="{cls}">{tip}</rect>'


def _open(height: int, title: str, rtl: bool) -> str:
    direction = "rtl" if rtl else "ltr"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'direction="{direction}" preserveAspectRatio="xMinYMin meet"><title>{escape(title)}</title>'
    )


def bar_chart(*, title: str, bars: Sequence[Bar], rtl: bool, decimals: int = 0) -> SafeString:
    """Horizontal bars, one per label, longest = the largest value."""
    height = max(1, len(bars)) * ROW + 8
    top = max((Decimal(b.value) for b in bars), default=Decimal(0)) or Decimal(1)
    span = WIDTH - LABEL_W - VALUE_W
    parts = [_open(height, title, rtl)]
    for i, bar in enumerate(bars):
        y = 4 + i * ROW
        length = float(Decimal(bar.value) * span / top) if bar.value > 0 else 0.0
        value = number_text(bar.value, decimals)
        tip = f"<title>{escape(bar.label)}: {escape(value)}</title>"
        if rtl:
            edge = WIDTH - LABEL_W  # labels on the right, bars growing leftwards
            parts.append(_text(WIDTH - 4, y + 16, _short(bar.label), anchor="start"))
            parts.append(_rect(edge - length, y + 4, length, ROW - 8, tip))
            parts.append(_text(edge - length - 4, y + 16, value, anchor="end", cls="chart-value", ltr=True))
        else:
            parts.append(_text(LABEL_W - 6, y + 16, _short(bar.label), anchor="end"))
            parts.append(_rect(LABEL_W, y + 4, length, ROW - 8, tip))
            parts.append(_text(LABEL_W + length + 4, y + 16, value, anchor="start", cls="chart-value", ltr=True))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  every text above went through escape()


def column_chart(*, title: str, groups: Sequence[Group], series: Sequence[str], rtl: bool) -> SafeString:
    """Grouped columns along a time axis (one colour per series, a legend above)."""
    height, left, right, top_m, bottom = 260, 56, 12, 30, 46
    plot_w, plot_h = WIDTH - left - right, height - top_m - bottom
    top = max((Decimal(v) for g in groups for v in g.values), default=Decimal(0)) or Decimal(1)
    slot = plot_w / max(1, len(groups))
    width = max(1.0, (slot - 2) / max(1, len(series)))

    def x_at(x: float) -> float:  # mirrored in Arabic: the axis starts on the right
        return WIDTH - x if rtl else x

    parts = [_open(height, title, rtl)]
    for s, name in enumerate(series):  # legend
        lx = left + s * 150
        box = x_at(lx + 10) - (10 if not rtl else 0)
        parts.append(f'<rect x="{box:.1f}" y="6" width="10" height="10" class="chart-s{s}"/>')
        parts.append(_text(x_at(lx + 14), 15, name, anchor="start", cls="chart-legend"))
    base_y = top_m + plot_h
    axis_x = x_at(left)
    parts.append(
        f'<line x1="{x_at(left):.1f}" y1="{base_y}" x2="{x_at(WIDTH - right):.1f}" y2="{base_y}" class="chart-axis"/>'
    )
    parts.append(f'<line x1="{axis_x:.1f}" y1="{top_m}" x2="{axis_x:.1f}" y2="{base_y}" class="chart-axis"/>')
    for tick in (0, 1, 2, 3, 4):
        level = top * tick / 4
        y = base_y - plot_h * tick / 4
        shown = number_text(level.quantize(Decimal(1)) if level >= 10 else level, 0 if level >= 10 else 1)
        parts.append(_text(x_at(left - 4), y + 4, shown, anchor="start" if rtl else "end", cls="chart-tick", ltr=True))
    step = max(1, len(groups) // 8)  # at most about eight date labels
    for i, group in enumerate(groups):
        x0 = left + i * slot + 1
        for s, value in enumerate(group.values):
            h = float(Decimal(value) * plot_h / top) if value > 0 else 0.0
            xs = x0 + s * width
            x = x_at(xs + width) if rtl else xs
            parts.append(
                f'<rect x="{x:.1f}" y="{base_y - h:.1f}" width="{max(width - 1, 0.5):.1f}" height="{h:.1f}" '
                f'class="chart-s{s}"><title>{escape(group.label)}: {escape(number_text(value))}</title></rect>'
            )
        if i % step == 0:
            parts.append(
                _text(x_at(x0 + slot / 2), base_y + 16, group.label, anchor="middle", cls="chart-tick", ltr=True)
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  every text above went through escape()

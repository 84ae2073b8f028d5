"""The server-drawn charts: mirrored in Arabic, numbers in the locale's separators, text escaped."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.formats import number_format

from reports.charts import WIDTH, Bar, Group, bar_chart, column_chart, number_text


def _first_rect_x(svg: str) -> float:
    found = re.search(r'<rect x="([\d.]+)"', svg)
    assert found is not None
    return float(found.group(1))


def test_it_grows_bars_from_the_right_in_arabic() -> None:
    bars = [Bar("Consultation", 100), Bar("Optique", 50)]
    ltr = bar_chart(title="t", bars=bars, rtl=False)
    rtl = bar_chart(title="t", bars=bars, rtl=True)
    assert 'direction="rtl"' in rtl and 'direction="ltr" preserveAspectRatio' in ltr
    # Left to right the longest bar starts after the labels; right to left it ends before them.
    assert _first_rect_x(ltr) > 100
    width = float(re.search(r'<rect x="[\d.]+" y="[\d.]+" width="([\d.]+)"', rtl).group(1))  # type: ignore[union-attr]
    assert _first_rect_x(rtl) + width < WIDTH - 100


def test_it_runs_the_time_axis_from_the_right_in_arabic() -> None:
    groups = [Group("2026-01", [10]), Group("2026-02", [20])]
    ltr = column_chart(title="t", groups=groups, series=["a"], rtl=False)
    rtl = column_chart(title="t", groups=groups, series=["a"], rtl=True)
    xs = [
        float(x)
        for x in re.findall(
            r'<rect x="([\d.]+)" y="[\d.]+" width="[\d.]+" height="[\d.]+" class="chart-s0"><title>', ltr
        )
    ]
    xr = [
        float(x)
        for x in re.findall(
            r'<rect x="([\d.]+)" y="[\d.]+" width="[\d.]+" height="[\d.]+" class="chart-s0"><title>', rtl
        )
    ]
    assert xs[0] < xs[1] and xr[0] > xr[1]  # January first: on the left in French, on the right in Arabic


def test_it_escapes_labels() -> None:
    svg = bar_chart(title="<x>", bars=[Bar('<script>alert("x")</script>', 1)], rtl=False)
    assert "<script>" not in svg and "&lt;script&gt;" in svg


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_it_writes_numbers_as_the_locale_does(lang: str) -> None:
    with translation.override(lang):
        for value, decimals in ((Decimal("1234567.50"), 2), (12, 0), (Decimal("-9876.5"), 1), (Decimal("0.25"), 2)):
            assert number_text(value, decimals) == number_format(value, decimal_pos=decimals, use_l10n=True,
                                                                 force_grouping=True)  # fmt: skip
        # Rounded half up (number_format cuts): a share of 66.666… reads 66.7.
        assert number_text(Decimal("66.65"), 1) == number_format(Decimal("66.7"), decimal_pos=1, use_l10n=True)

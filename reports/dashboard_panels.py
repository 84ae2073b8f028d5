"""The dashboard's panels: each one a chart, the table of the numbers behind it, and its XLSX sheet.

A panel's `rows` are the raw values (Decimal, int, text) the XLSX sheet takes as they are; the page
shows `shown`, the same rows as text in the reader's language. Labels are codes with their names.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from claims.models import ClaimStatus
from engine.reasons import REASONS, reason_label
from grievances.models import Kind
from referentials.choices import RateCategory
from reports import selectors_dashboard as sel
from reports import summary_grievances as griev
from reports.charts import Bar, Group, bar_chart, column_chart, number_text
from reports.models import BacklogStats, SummaryTable

Cell = str | int | Decimal | None
DELAY_BANDS = ((0, 7), (8, 15), (16, 30), (31, 60), (61, 90), (91, None))


@dataclass(frozen=True, slots=True)
class Panel:
    key: str
    title: str
    table: str  # the summary table it reads (its "as of")
    headers: list[str]
    rows: list[list[Cell]]
    chart: SafeString
    note: str = ""

    @property
    def shown(self) -> list[list[str]]:
        return [[cell_text(c) for c in row] for row in self.rows]

    def table_html(self) -> SafeString:
        """The rows as table body markup, built here rather than by a template loop (the page's
        largest cost); every cell escaped, isolated in <bdi> for mixed-direction text."""
        if not self.rows:
            empty = escape(str(_("No figures for this period.")))
            return mark_safe(f'<tr><td colspan="{len(self.headers)}" class="text-muted">{empty}</td></tr>')  # noqa: S308
        out = []
        for row in self.shown:
            head, *rest = row
            cells = "".join(f'<td class="text-end"><bdi>{escape(c)}</bdi></td>' for c in rest)
            out.append(f'<tr><th scope="row" class="fw-normal"><bdi>{escape(head)}</bdi></th>{cells}</tr>')
        return mark_safe("".join(out))  # noqa: S308  every cell went through escape()


def cell_text(value: Cell) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return number_text(value)
    if isinstance(value, Decimal):  # as many decimals as the value carries (money 2, shares 1), at most 2
        exponent = value.as_tuple().exponent
        return number_text(value, min(2, max(0, -exponent)) if isinstance(exponent, int) else 0)
    return str(value)


def _lang() -> str:
    return (get_language() or "fr").split("-")[0]


def reason_text(code: str) -> str:
    if not code:
        return str(_("no reason given"))
    lang = _lang() if _lang() in ("ar", "fr", "en") else "fr"
    return reason_label(code, lang) if code in REASONS else code


def category_labels() -> dict[str, str]:
    return {str(k): str(v) for k, v in RateCategory.choices}


def weekly_panel(weeks: Sequence[sel.Week], rtl: bool) -> Panel:
    series = [str(_("Received")), str(_("Decided")), str(_("Paid"))]
    title = str(_("Files received, decided and paid per week"))
    groups = [Group(f"{w.week:%m-%d}", [w.received, w.decided, w.paid]) for w in weeks]
    rows: list[list[Cell]] = [[w.week.isoformat(), w.received, w.decided, w.paid] for w in weeks]
    return Panel("weekly", title, SummaryTable.WEEKLY, [str(_("Week of")), *series], rows,
                 column_chart(title=title, groups=groups, series=series, rtl=rtl))  # fmt: skip


def backlog_panel(cells: Sequence[sel.BacklogCell], rtl: bool) -> Panel:
    buckets = list(BacklogStats.Bucket)
    by_status: dict[str, dict[str, int]] = {}
    for c in cells:
        by_status.setdefault(c.status, {})[c.bucket] = c.files
    order = [s for s in ClaimStatus.values if s in by_status]
    rows: list[list[Cell]] = []
    for status in order:
        counts = [by_status[status].get(b.value, 0) for b in buckets]
        rows.append([str(ClaimStatus(status).label), *counts, sum(counts)])
    totals = [sum(by_status[s].get(b.value, 0) for s in order) for b in buckets]
    rows.append([str(_("All open files")), *totals, sum(totals)])
    title = str(_("Backlog by age (days since filing)"))
    bars = [Bar(str(b.label), n) for b, n in zip(buckets, totals, strict=True)]
    headers = [str(_("Status")), *[str(b.label) for b in buckets], str(_("Total"))]
    return Panel("backlog", title, SummaryTable.BACKLOG, headers, rows, bar_chart(title=title, bars=bars, rtl=rtl))


def delays_panel(d: sel.Delays, bench: dict[str, Decimal], rtl: bool) -> Panel:
    n = sel.BenchmarkName
    rows: list[list[Cell]] = [
        [str(_("Files paid")), d.files, None],
        [str(_("Average delay (days)")), d.average, bench.get(n.AVERAGE_DELAY)],
        [str(_("90th percentile (days)")), d.p90, bench.get(n.P90_DELAY)],
        [str(_("Paid within 30 days (%)")), d.within_30, bench.get(n.SHARE_30)],
        [str(_("Paid within 60 days (%)")), d.within_60, bench.get(n.SHARE_60)],
    ]
    bars = []
    for low, high in DELAY_BANDS:
        files = sum(f for days, f in d.histogram if days >= low and (high is None or days <= high))
        if high is None:
            label = str(_("%(days)s days or more")) % {"days": low}
        else:
            label = str(_("%(low)s–%(high)s days")) % {"low": low, "high": high}
        bars.append(Bar(label, files))
    title = str(_("Delay from filing to payment"))
    headers = [str(_("Figure")), str(_("Ours")), str(_("Basic insurer (public figures)"))]
    return Panel("delays", title, SummaryTable.DELAYS, headers, rows, bar_chart(title=title, bars=bars, rtl=rtl))


def decisions_panel(d: sel.Decisions, bench: dict[str, Decimal], rtl: bool) -> Panel:
    series = [str(_("Decided")), str(_("With no manual step"))]
    rows: list[list[Cell]] = [[f"{m:%Y-%m}", dec, auto, sel.percent(auto, dec)] for m, dec, auto in d.by_month]
    rows.append([str(_("Period")), d.decided, d.automatic, d.rate])
    groups = [Group(f"{m:%Y-%m}", [dec, auto]) for m, dec, auto in d.by_month]
    title = str(_("Automatic decisions"))
    headers = [str(_("Month")), *series, str(_("Rate (%)"))]
    note = ""
    if sel.BenchmarkName.AUTOMATIC in bench:
        note = str(_("Reference: %(rate)s %%")) % {"rate": number_text(bench[sel.BenchmarkName.AUTOMATIC], 1)}
    chart = column_chart(title=title, groups=groups, series=series, rtl=rtl)
    return Panel("decisions", title, SummaryTable.DECISIONS, headers, rows, chart, note)


def rejections_panel(r: sel.Rejections, rtl: bool) -> Panel:
    rows: list[list[Cell]] = [[x.reason or "—", reason_text(x.reason), x.rejected, x.rate] for x in r.by_reason]
    rows.append(["", str(_("All reasons")), r.rejected, r.rate])
    title = str(_("Rejected lines by reason (share of decided lines)"))
    bars = [Bar(f"{reason_text(x.reason)} ({x.reason})", x.rate or Decimal(0)) for x in r.by_reason]
    headers = [str(_("Code")), str(_("Reason")), str(_("Rejected lines")), str(_("Share of decided lines (%)"))]
    chart = bar_chart(title=title, bars=bars, rtl=rtl, decimals=1)
    return Panel("rejections", title, SummaryTable.REJECTIONS, headers, rows, chart)


def _spending_panel(key: str, title: str, first: str, items: Sequence[sel.Spent], rtl: bool) -> Panel:
    headers = [str(_("Code")), first, str(_("Lines")), str(_("AMO amount")), str(_("Complementary amount")),
               str(_("Reimbursed"))]  # fmt: skip
    rows: list[list[Cell]] = [[s.key, s.label, s.lines, s.amo, s.complementary, s.reimbursed] for s in items]
    bars = [Bar(s.label or str(_("Others")), s.reimbursed) for s in items]
    return Panel(key, title, SummaryTable.SPENDING, headers, rows, bar_chart(title=title, bars=bars, rtl=rtl))


def spending_panels(s: sel.Spending, rtl: bool) -> list[Panel]:
    administrations = [x if x.key else sel.Spent("", str(_("Others")), x.lines, x.amo, x.complementary)
                       for x in s.by_administration]  # fmt: skip
    panels = [
        _spending_panel("category", str(_("Spending by category")), str(_("Category")), s.by_category, rtl),
        _spending_panel("region", str(_("Spending by region")), str(_("Region")), s.by_region, rtl),
        _spending_panel(
            "administration",
            str(_("Spending by administration (largest ten)")),
            str(_("Administration")),
            administrations,
            rtl,
        ),
    ]
    series = [str(_("AMO amount")), str(_("Complementary amount"))]
    title = str(_("Spending by month of care"))
    groups = [Group(m.label, [m.amo, m.complementary]) for m in s.by_month]
    rows: list[list[Cell]] = [[m.key, m.lines, m.amo, m.complementary, m.reimbursed] for m in s.by_month]
    headers = [str(_("Month")), str(_("Lines")), *series, str(_("Reimbursed"))]
    chart = column_chart(title=title, groups=groups, series=series, rtl=rtl)
    panels.append(Panel("month", title, SummaryTable.SPENDING, headers, rows, chart))
    return panels


def money_panel(b: sel.Budget | None, c: sel.Contributions, rtl: bool) -> Panel:
    rows: list[list[Cell]] = []
    bars = []
    if b is not None:
        end = (b.end - dt.timedelta(days=1)).isoformat() if b.end else "…"
        period = f"{b.first.isoformat()} – {end}"
        rows += [
            [str(_("Complementary plan budget")) + f" ({period})", b.amount],
            [str(_("Complementary amounts of care in the budget's period")), b.spent],
            [str(_("Budget used (%)")), b.used],
        ]
        bars += [Bar(str(_("Budget")), b.amount), Bar(str(_("Spent")), b.spent)]
    rows += [
        [str(_("Contributions due")), c.due],
        [str(_("Contributions collected")), c.collected],
        [str(_("Collected of due (%)")), c.collected_share],
        [str(_("Complementary benefits paid")), c.paid_complementary],
        [str(_("Complementary contributions collected")), c.collected_complementary],
        [str(_("Loss ratio, complementary plan (%)")), c.loss_ratio_complementary],
        [str(_("AMO benefits paid")), c.paid_amo],
        [str(_("AMO contributions collected")), c.collected_amo],
        [str(_("Loss ratio, basic insurance (%)")), c.loss_ratio_amo],
    ]
    bars += [Bar(str(_("Contributions due")), c.due), Bar(str(_("Contributions collected")), c.collected)]
    title = str(_("Budget, contributions and loss ratio"))
    headers = [str(_("Figure")), str(_("Value"))]
    return Panel("money", title, SummaryTable.CONTRIBUTIONS, headers, rows, bar_chart(title=title, bars=bars, rtl=rtl))


def grievances_panel(g: griev.Grievances, rtl: bool) -> Panel:
    """By category: filed in the period, open, late, answered, in time (and its share), upheld;
    then the open ones by age, in the Open column (days since filing on the refresh day)."""
    rows: list[list[Cell]] = []
    for c in g.categories:
        rows.append([str(c.label), str(Kind(c.kind).label) if c.kind in Kind.values else c.kind, c.filed,
                     c.open, c.late, c.answered, c.answered_in_time, sel.percent(c.answered_in_time, c.answered),
                     c.upheld])  # fmt: skip
    totals = [sum(getattr(c, f) for c in g.categories) for f in griev.FIGURES]
    filed, open_, late, answered, in_time, upheld = totals
    rows.append([str(_("All categories")), "", filed, open_, late, answered, in_time, sel.percent(in_time, answered),
                 upheld])  # fmt: skip
    ages = ((str(_("Open, 0–5 days since filing")), g.open_0_5), (str(_("Open, 6–30 days since filing")), g.open_6_30),
            (str(_("Open, 31 days or more since filing")), g.open_31))  # fmt: skip
    rows += [[label, "", None, n, None, None, None, None, None] for label, n in ages]
    series = [str(_("Filed")), str(_("Open")), str(_("Late")), str(_("Answered in time"))]
    groups = [Group(c.label, [c.filed, c.open, c.late, c.answered_in_time]) for c in g.categories]
    title = str(_("Complaints and appeals by category and delay"))
    headers = [str(_("Category")), str(_("Kind")), str(_("Filed")), str(_("Open")), str(_("Late (due date passed)")),
               str(_("Answered")), str(_("Answered in time")), str(_("Answered in time (%)")),
               str(_("Upheld (wholly or partly)"))]  # fmt: skip
    chart = column_chart(title=title, groups=groups, series=series, rtl=rtl)
    return Panel("grievances", title, SummaryTable.GRIEVANCES, headers, rows, chart)


def panels_build(*, period: sel.Period, on: dt.date, rtl: bool) -> list[Panel]:
    """Every panel of the page for `period`; `on` picks the benchmark and budget rows in force."""
    bench = sel.benchmarks(on)
    spending = sel.spending(period, category_label=category_labels())
    return [
        weekly_panel(sel.weeks(period), rtl),
        backlog_panel(sel.backlog(), rtl),
        delays_panel(sel.delays(period), bench, rtl),
        decisions_panel(sel.decisions(period), bench, rtl),
        rejections_panel(sel.rejections(period), rtl),
        *spending_panels(spending, rtl),
        money_panel(sel.budget(on), sel.contributions(period), rtl),
        grievances_panel(griev.grievances(period, language=_lang()), rtl),
    ]


def panel_find(panels: Sequence[Panel], key: str) -> Panel | None:
    return next((p for p in panels if p.key == key), None)


def kpis(panels: Sequence[Panel]) -> dict[str, str | None]:
    """The headline figures as text, taken from the panels so that the cards and the tables agree."""
    delays = panel_find(panels, "delays")
    decisions = panel_find(panels, "decisions")
    rejections = panel_find(panels, "rejections")

    def text(value: Cell) -> str | None:
        return None if value is None else cell_text(value)

    return {
        "average": text(delays.rows[1][1]) if delays else None,
        "average_bench": text(delays.rows[1][2]) if delays else None,
        "within_60": text(delays.rows[4][1]) if delays else None,
        "within_60_bench": text(delays.rows[4][2]) if delays else None,
        "automatic": text(decisions.rows[-1][3]) if decisions else None,
        "rejected": text(rejections.rows[-1][3]) if rejections else None,
    }

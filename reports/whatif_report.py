"""A what-if's stored result put in rows for the page, and in JSON for the command (dirhams as text)."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from claims.services.engine_io import to_decimal
from members.models import Region
from referentials.choices import RateCategory
from reports.whatif_result import AMOUNTS, BUCKET_EDGES, GroupRow, TopLine, group_rows, top_lines

AMOUNT_LABELS = {
    "paid": _("Paid by members to providers"),
    "basis": _("Basis"),
    "amo": _("AMO amount"),
    "complementary": _("Complementary amount"),
    "remainder": _("What members still pay"),
}


@dataclass(frozen=True, slots=True)
class Total:
    name: str
    label: Any
    current: int
    proposed: int

    @property
    def change(self) -> int:
        return self.proposed - self.current


@dataclass(frozen=True, slots=True)
class Bucket:
    label: str
    current: int
    proposed: int


@dataclass(frozen=True, slots=True)
class Report:
    lines: int
    lines_changed: int
    members: int
    members_affected: int
    totals: list[Total]
    categories: list[GroupRow]
    regions: list[GroupRow]
    administrations: list[GroupRow]
    buckets: list[Bucket]
    top: list[TopLine]
    files: dict[str, str]  # file id -> number
    category_labels: dict[str, str]

    @property
    def top_numbered(self) -> list[tuple[TopLine, str, str]]:
        """(line, file number, category label) for the page."""
        labels = self.category_labels
        return [(t, self.files.get(str(t.file_id), ""), labels.get(t.category, t.category)) for t in self.top]

    @property
    def mutual_change(self) -> int:
        by = {t.name: t.change for t in self.totals}
        return by["amo"] + by["complementary"]


def _dh(c: int) -> str:
    """In the active language's number format (the page's labels; the JSON keeps them too)."""
    return number_format(to_decimal(c), 2, use_l10n=True, force_grouping=True)


def bucket_labels() -> list[str]:
    edges = BUCKET_EDGES
    out = [str(_("nothing"))]
    for lo, hi in pairwise(edges[1:]):
        out.append(f"{_dh(lo if lo > 1 else 0)} – {_dh(hi)}")
    out.append(f"≥ {_dh(edges[-1])}")
    return out


def report_of(result: dict[str, Any]) -> Report:
    lang = (get_language() or "fr")[:2]
    admins = {k: (v[1] if lang == "ar" and v[1] else v[0]) for k, v in result.get("administrations", {}).items()}
    categories = {str(k): str(v) for k, v in RateCategory.choices}
    categories[""] = str(_("Unknown code"))
    regions = {str(k): str(v) for k, v in Region.choices}
    regions[""] = str(_("Region not known"))
    labels = bucket_labels()
    return Report(
        lines=result["lines"],
        lines_changed=result["lines_changed"],
        members=result["members"],
        members_affected=result["members_affected"],
        totals=[Total(a, AMOUNT_LABELS[a], *result["totals"][a]) for a in AMOUNTS],
        categories=group_rows(result["by_category"], categories),
        regions=group_rows(result["by_region"], regions),
        administrations=group_rows(result["by_administration"], admins),
        buckets=[
            Bucket(labels[i], c, p)
            for i, (c, p) in enumerate(zip(result["buckets_current"], result["buckets_proposed"], strict=True))
        ],
        top=top_lines(result["top"]),
        files=result.get("files", {}),
        category_labels=categories,
    )


def _money(c: int) -> str:
    return str(to_decimal(c))


def _group_json(rows: list[GroupRow]) -> list[dict[str, Any]]:
    return [
        {"key": r.key, "label": r.label, "lines": r.lines, "mutual_current": _money(r.mutual),
         "mutual_proposed": _money(r.mutual_proposed), "change": _money(r.change),
         "complementary_current": _money(r.complementary), "complementary_proposed": _money(r.complementary_proposed),
         "remainder_current": _money(r.remainder), "remainder_proposed": _money(r.remainder_proposed)}
        for r in rows
    ]  # fmt: skip


def report_json(report: Report, *, period: tuple[str, str], name: str) -> dict[str, Any]:
    """The command's output: every amount in dirhams as text ("15.00"), never a float."""
    return {
        "name": name,
        "period": {"from": period[0], "to": period[1], "by": "date of care"},
        "lines": report.lines,
        "lines_changed": report.lines_changed,
        "members": report.members,
        "members_affected": report.members_affected,
        "mutual_change": _money(report.mutual_change),
        "totals": {
            t.name: {"current": _money(t.current), "proposed": _money(t.proposed), "change": _money(t.change)}
            for t in report.totals
        },
        "by_category": _group_json(report.categories),
        "by_region": _group_json(report.regions),
        "by_administration": _group_json(report.administrations),
        "remainder_per_member": [
            {"bucket": b.label, "current": b.current, "proposed": b.proposed} for b in report.buckets
        ],
        "top_lines": [
            {
                "line": t.line_id,
                "file": report.files.get(str(t.file_id), str(t.file_id)),
                "category": t.category,
                "code": t.code,
                "care_date": t.care_date,
                "mutual_current": _money(t.mutual),
                "mutual_proposed": _money(t.mutual_proposed),
                "remainder_current": _money(t.remainder),
                "remainder_proposed": _money(t.remainder_proposed),
            }
            for t in report.top
        ],
    }

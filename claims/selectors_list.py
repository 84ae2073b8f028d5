"""The claim lists of the back office: filters, sorts, totals of everything filtered, and the export rows.

One filtered queryset feeds the page, its totals and the CSV/XLSX export, so the export gives what
the page shows (every page of it), in the page's order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from claims.models import Channel, ClaimFile, ClaimStatus
from claims.selectors import claims_visible
from members.models import Beneficiary, Member
from members.selectors import beneficiaries_named, card_number_normalise

ZERO = Decimal("0.00")
# Sort key in the URL -> ordering; "-" first for descending. "claimed" is what the member paid and
# asks back (ClaimFile.paid), "reimbursed" the basic plus the complementary amount.
SORT_FIELDS = {
    "number": "number",
    "filed": "filed_on",
    "channel": "channel",
    "status": "status",
    "claimed": "paid",
    "reimbursed": "reimbursed_sum",
    "amo": "amo",
    "complementary": "complementary",
    "remainder": "remainder",
    "amount": "paid",  # the earlier name of "claimed": bookmarked lists keep working
}
DEFAULT_SORT = "-filed"
EXPORT_CHUNK = 2000


@dataclass(frozen=True)
class ClaimFilters:
    """What a claim list is filtered by (the list page's GET form, cleaned). Empty = not filtered.

    `claimed_min`/`claimed_max` bound the claimed amount (what the member paid), both included.
    """

    query: str = ""
    status: str = ""
    channel: str = ""
    provider_inpe: str = ""
    administration_id: int | None = None
    filed_from: dt.date | None = None
    filed_to: dt.date | None = None
    claimed_min: Decimal | None = None
    claimed_max: Decimal | None = None
    sort: str = DEFAULT_SORT


@dataclass(frozen=True)
class ClaimTotals:
    """Count and sums of every file a list's filters select (not only the page shown)."""

    count: int
    claimed: Decimal
    amo: Decimal
    complementary: Decimal
    remainder: Decimal


def sort_ordering(sort: str) -> str:
    """The ordering of a sort key of the URL; an unknown key gives the default (newest first)."""
    desc = sort.startswith("-")
    field = SORT_FIELDS.get(sort.removeprefix("-"))
    if field is None:
        return sort_ordering(DEFAULT_SORT)
    return f"-{field}" if desc else field


def _text_match(query: str) -> Q:
    """A part of a file, card or membership number; or words of a name, in Latin or Arabic script.

    A query with a digit is a number: file numbers and cards are matched on any part ("0012" finds
    T000000123), since staff read them off paper partly. Otherwise the member search's name rule
    (members.selectors.beneficiaries_named): a file is found through any name of the member's family.
    """
    if any(ch.isdigit() for ch in query):
        return Q(pk__in=_files_numbered(card_number_normalise(query)))
    return Q(member_id__in=beneficiaries_named(query).values("member_id"))


def _files_numbered(code: str) -> QuerySet[ClaimFile, Any]:
    """Ids of the files whose number, card or membership number has `code` in it, as one UNION.

    Numbers are stored in upper case (card_number_normalise): a plain LIKE, no UPPER() on each row.
    Each arm has its index on PostgreSQL (the trigram indexes of claims 0011 and members 0006, then
    the file's beneficiary / member indexes): an OR of the three in one WHERE became hashed subplans
    in a filter, a sequential scan of every file (bench lists, mutuelle/tests/test_explain.py).
    """
    cards = Beneficiary.objects.filter(card_number__contains=code).values("pk")
    memberships = Member.objects.filter(membership_number__contains=code).values("pk")
    # No ORDER BY in the arms (the model's ordering): SQL forbids it inside a compound statement.
    by_number = ClaimFile.objects.filter(number__contains=code).order_by().values("pk")
    by_card = ClaimFile.objects.filter(beneficiary_id__in=cards).order_by().values("pk")
    by_membership = ClaimFile.objects.filter(member_id__in=memberships).order_by().values("pk")
    return by_number.union(by_card, by_membership)


def claims_filtered(*, user: Any, filters: ClaimFilters) -> QuerySet[ClaimFile]:
    """The files the user may see that the filters select, sorted, with what a list row shows."""
    qs = claims_visible(user=user).annotate(reimbursed_sum=F("amo") + F("complementary"))
    query = filters.query.strip()
    exact: dict[str, Any] = {
        "status": filters.status,
        "channel": filters.channel,
        "provider_inpe": filters.provider_inpe,
        "member__administration_id": filters.administration_id,
        "filed_on__gte": filters.filed_from,
        "filed_on__lte": filters.filed_to,
        "paid__gte": filters.claimed_min,
        "paid__lte": filters.claimed_max,
    }
    qs = qs.filter(**{k: v for k, v in exact.items() if v not in ("", None)})
    if query:
        qs = qs.filter(_text_match(query))
    return qs.select_related("member", "beneficiary").order_by(sort_ordering(filters.sort), "-id")


def claims_totals(qs: QuerySet[ClaimFile]) -> ClaimTotals:
    """One aggregate query over the whole filtered set."""
    sums = qs.order_by().aggregate(
        count=Count("id"),
        claimed=Sum("paid"),
        amo=Sum("amo"),
        complementary=Sum("complementary"),
        remainder=Sum("remainder"),
    )
    return ClaimTotals(
        count=sums["count"] or 0,
        claimed=_money(sums["claimed"]),
        amo=_money(sums["amo"]),
        complementary=_money(sums["complementary"]),
        remainder=_money(sums["remainder"]),
    )


def _money(value: Any) -> Decimal:
    # SQLite sums decimals as floats' text ("27707.2000000000"): back to the centime.
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


def claims_export_header() -> list[str]:
    return [
        _("Number"), _("Filed on"), _("Membership number"), _("Card"), _("Beneficiary"), _("Beneficiary (Arabic)"),
        _("Administration"), _("Channel"), _("Status"), _("Provider INPE"), _("Claimed"), _("Basic (AMO)"),
        _("Complementary"), _("Remainder"), _("Reimbursed"),
    ]  # fmt: skip


def claims_export_rows(qs: QuerySet[ClaimFile]) -> Iterator[list[Any]]:
    """The rows of the export (header first), read in chunks: one query whatever the length.

    Codes go with their labels (status and channel as words, the administration's code and name);
    amounts stay Decimal so that spreadsheets read numbers (mutuelle.spreadsheet). The words are
    translated now, in the request's language: a streamed response reads the rows after the view.
    """
    header = claims_export_header()
    statuses = {k: str(v) for k, v in ClaimStatus.choices}
    channels = {k: str(v) for k, v in Channel.choices}
    arabic = (get_language() or "").startswith("ar")
    return _export_rows(qs, header=header, statuses=statuses, channels=channels, arabic=arabic)


def _export_rows(
    qs: QuerySet[ClaimFile], *, header: list[str], statuses: dict[str, str], channels: dict[str, str], arabic: bool
) -> Iterator[list[Any]]:
    yield header
    for c in qs.select_related("member__administration").iterator(chunk_size=EXPORT_CHUNK):
        admin = c.member.administration
        yield [
            c.number, c.filed_on, c.member.membership_number, c.beneficiary.card_number, c.beneficiary.full_name,
            c.beneficiary.full_name_ar, f"{admin.code} — {admin.name_ar if arabic else admin.name_fr}",
            channels.get(c.channel, c.channel), statuses.get(c.status, c.status), c.provider_inpe,
            c.paid, c.amo, c.complementary, c.remainder, c.amo + c.complementary,
        ]  # fmt: skip

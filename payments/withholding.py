"""Withholding sources: what another app asks a member's reimbursement to repay (advances on care).

payments may not import the apps above it, so they register here (from their AppConfig.ready)
what is owed out of which claim files, and what to do once the payment that withheld it is paid.

How much is withheld, by both preparation paths alike (`withhold_chunk`, after a chunk's
payments and claim links are written, in the chunk's transaction): for each claim file of the
chunk that an item (an advance) is tied to, the item's owed amount less what payments still
pending or sent already withhold for it, at most what that file reimburses (the amount never
goes below zero; the rest stays owed). The source locks its items, so two batches prepared at
once withhold an advance once. A payment rejected or cancelled withholds nothing any more (only
pending and sent payments count), so the next batch withholds again; a paid one has become the
source's repayment (`withholdings_paid`, from payments_mark_paid), recorded once.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from django.db.models import QuerySet, Sum

from mutuelle.types import Actor
from payments.models import Fund, FundEntry, Payment, PaymentClaim, PaymentState, PaymentWithholding

ZERO = Decimal("0.00")


class Owed(NamedTuple):
    """An item (`key`) of a source owed out of the reimbursement of claim file `claim_id`."""

    key: int
    claim_id: int
    label: str  # shown on the statement: "Repayment of advance no. <label>"
    owed: Decimal  # owed on the item now (before what live payments withhold)


class _ClaimPaid(NamedTuple):
    payment_id: int
    member_id: int
    reimbursed: Decimal


class Withheld(NamedTuple):
    """A line withheld by a payment now paid: the source records it as a repayment."""

    key: int
    claim_id: int
    payment_id: int
    amount: Decimal


@dataclass(frozen=True)
class WithholdingSource:
    name: str  # stored on PaymentWithholding.source, at most 30 characters
    # (claim ids, a subquery) -> what is owed out of them, items locked, in (claim, key) order
    owed: Callable[[QuerySet[Any, Any]], list[Owed]]
    # (actor, lines, day): the payments withholding these lines are paid (caller's transaction)
    paid: Callable[[Actor, list[Withheld], dt.date], None]
    # The fund the withheld amounts go back to: the ledger books them there as a repayment (< 0).
    fund: str = Fund.ADVANCES


_SOURCES: dict[str, WithholdingSource] = {}


def withholding_source_register(source: WithholdingSource) -> None:
    """Add (or replace, by name: ready() may run twice) a source."""
    _SOURCES[source.name] = source


def _in_flight(source: str, keys: list[int]) -> dict[int, Decimal]:
    """What payments pending or sent already withhold for these items (not yet repaid)."""
    rows = (
        PaymentWithholding.objects.filter(source=source, key__in=keys)
        .filter(payment__state__in=(PaymentState.PENDING, PaymentState.EXPORTED))
        .values("key")
        .annotate(total=Sum("amount"))
        .values_list("key", "total")
    )
    return {key: Decimal(total) for key, total in rows}


def withhold_chunk(*, batch_id: int, payment_ids: QuerySet[Any, Any]) -> None:
    """Withhold what is owed from the chunk's new payments `payment_ids` (caller's transaction)."""
    if not _SOURCES:
        return
    links = PaymentClaim.objects.filter(payment_id__in=payment_ids, live=True)
    lines: list[PaymentWithholding] = []
    for name, source in sorted(_SOURCES.items()):
        owed = source.owed(links.values("claim_id"))
        if not owed:
            continue
        rows = PaymentClaim.objects.filter(
            payment_id__in=payment_ids, live=True, claim_id__in={o.claim_id for o in owed}
        ).values_list("claim_id", "payment_id", "member_id", "amo", "complementary")
        claims = {c: _ClaimPaid(p, m, Decimal(a) + Decimal(k)) for c, p, m, a, k in rows}
        left_on_item = {o.key: o.owed for o in owed}
        for key, taken in _in_flight(name, list(left_on_item)).items():
            left_on_item[key] -= taken
        left_on_claim = {c: paid.reimbursed for c, paid in claims.items()}
        for o in sorted(owed, key=lambda o: (o.claim_id, o.key)):
            amount = min(left_on_item[o.key], left_on_claim.get(o.claim_id, ZERO))
            if amount <= 0:
                continue
            left_on_item[o.key] -= amount
            left_on_claim[o.claim_id] -= amount
            paid = claims[o.claim_id]
            lines.append(
                PaymentWithholding(
                    payment_id=paid.payment_id, claim_id=o.claim_id, member_id=paid.member_id,
                    source=name, key=o.key, label=o.label[:20], amount=amount,
                )
            )  # fmt: skip
    if not lines:
        return
    PaymentWithholding.objects.bulk_create(lines)
    per_payment: dict[int, Decimal] = defaultdict(Decimal)
    for line in lines:
        per_payment[line.payment_id] += line.amount
    for payment_id, withheld in per_payment.items():
        payment = Payment.objects.select_for_update().get(pk=payment_id, batch_id=batch_id)
        payment.withheld = Decimal(payment.withheld) + withheld
        payment.amount = payment.gross - payment.withheld
        payment.save(update_fields=["withheld", "amount"])


def withholdings_paid(*, actor: Actor, payment_ids: list[int], on: dt.date) -> None:
    """These payments are paid: each source records the lines they withheld as repayments."""
    rows = PaymentWithholding.objects.filter(payment_id__in=payment_ids).order_by("pk")
    grouped: dict[str, list[Withheld]] = defaultdict(list)
    for name, key, claim_id, payment_id, amount in rows.values_list(
        "source", "key", "claim_id", "payment_id", "amount"
    ):
        grouped[name].append(Withheld(key, claim_id, payment_id, amount))
    for name, lines in grouped.items():
        source = _SOURCES.get(name)
        if source is not None:
            source.paid(actor, lines, on)


def withheld_fund_entries(*, payment_ids: list[int], on: dt.date) -> list[FundEntry]:
    """The ledger's repayments for these payments, now paid: what each withheld goes back to its
    source's fund as a negative entry, so that a day's entries add up to what the bank paid (the
    care is booked at its full cost to the AMO and complementary funds, the advance is repaid)."""
    totals: dict[tuple[int, str], Decimal] = defaultdict(lambda: ZERO)
    members: dict[int, int | None] = {}
    rows = PaymentWithholding.objects.filter(payment_id__in=payment_ids)
    for payment_id, member_id, name, amount in rows.values_list("payment_id", "member_id", "source", "amount"):
        source = _SOURCES.get(name)
        totals[payment_id, source.fund if source else Fund.ADVANCES] += amount
        members[payment_id] = member_id
    return [
        FundEntry(fund=fund, booked_on=on, amount=-amount, payment_id=payment_id, member_id=members[payment_id])
        for (payment_id, fund), amount in sorted(totals.items())
        if amount > 0
    ]

"""The payment sources of the allowances (payments.sources): the shares of approved requests and
the approved advances, paid by batches of kind "allowance_transfer"; and the withholding source
(payments.withholding) that repays an advance out of its care's claim file's reimbursement.

Registered in AllowancesConfig.ready. Each hook runs in the payment service's transaction; a
share or an advance is in at most one live payment (partial unique indexes), so a batch killed
and resumed, or a second batch prepared meanwhile, never pays it twice.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, QuerySet, Sum

from allowances.models import (
    Advance,
    AdvancePayment,
    AdvanceState,
    AllowanceRequest,
    AllowanceShare,
    RepaymentKind,
    RequestState,
    SharePayment,
    ShareState,
)
from allowances.services.advances import advance_repay_apply, advance_transition_apply
from allowances.services.transitions import allowance_transition_apply
from members.models import Beneficiary, Relation
from mutuelle.types import Actor
from payments.models import BatchKind, Fund, Payment, PaymentState
from payments.sources import Attached, PaymentSource, SourcePayee, payment_source_register
from payments.withholding import Owed, Withheld, WithholdingSource, withholding_source_register

SHARES, ADVANCES = "allowances.share", "allowances.advance"
PAYING = (RequestState.APPROVED, RequestState.IN_PAYMENT)


def _payable_shares() -> QuerySet[AllowanceShare]:
    return (
        AllowanceShare.objects.filter(request__state__in=PAYING, state=ShareState.PENDING, amount__gt=0)
        .exclude(rib="")
        .exclude(rib=F("rejected_rib"))
    )


def _share_chunk(size: int) -> list[SourcePayee]:
    rows = (
        _payable_shares()
        .select_for_update(of=("self",))
        .order_by("pk")
        .values_list("pk", "member_id", "name", "rib", "amount", "request__number")[:size]
    )
    return [SourcePayee(pk, m, name, rib, amount, number) for pk, m, name, rib, amount, number in rows]


def _share_attach(actor: Actor, batch: object, attached: list[Attached]) -> None:
    SharePayment.objects.bulk_create(
        SharePayment(share_id=a.payee.key, payment_id=a.payment_id, member_id=a.payee.member_id) for a in attached
    )
    keys = [a.payee.key for a in attached]
    AllowanceShare.objects.filter(pk__in=keys).update(state=ShareState.IN_PAYMENT)
    number = getattr(batch, "number", "")
    for request in AllowanceRequest.objects.filter(shares__pk__in=keys, state=RequestState.APPROVED).distinct():
        allowance_transition_apply(actor=actor, request=request, to=RequestState.IN_PAYMENT, by_batch=True,
                                   note=f"batch {number}")  # fmt: skip


def _share_paid(actor: Actor, payment_ids: list[int], on: dt.date) -> None:
    keys = list(SharePayment.objects.filter(payment_id__in=payment_ids).values_list("share_id", flat=True))
    AllowanceShare.objects.filter(pk__in=keys).update(state=ShareState.PAID, paid_on=on)
    done = AllowanceRequest.objects.filter(shares__pk__in=keys, state=RequestState.IN_PAYMENT).distinct()
    for request in done:
        if not request.shares.exclude(state=ShareState.PAID).exists():
            allowance_transition_apply(actor=actor, request=request, to=RequestState.PAID, by_batch=True)


def _share_released(actor: Actor, payment_ids: list[int]) -> None:
    links = SharePayment.objects.filter(payment_id__in=payment_ids, live=True)
    rejected = dict(Payment.objects.filter(pk__in=payment_ids, state=PaymentState.REJECTED).values_list("pk", "rib"))
    keys = []
    for link in links:
        keys.append(link.share_id)
        values: dict[str, str] = {"state": ShareState.PENDING}
        if link.payment_id in rejected:
            values["rejected_rib"] = rejected[link.payment_id]
        AllowanceShare.objects.filter(pk=link.share_id).update(**values)
    links.update(live=False)
    for request in AllowanceRequest.objects.filter(shares__pk__in=keys, state=RequestState.IN_PAYMENT).distinct():
        if not request.shares.exclude(state=ShareState.PENDING).exists():
            allowance_transition_apply(actor=actor, request=request, to=RequestState.APPROVED, by_batch=True)


def _payable_advances() -> QuerySet[Advance]:
    return Advance.objects.filter(state=AdvanceState.APPROVED).exclude(rib=F("rejected_rib"))


def _advance_chunk(size: int) -> list[SourcePayee]:
    rows = list(
        _payable_advances()
        .select_for_update(of=("self",))
        .order_by("pk")
        .values_list("pk", "member_id", "rib", "amount", "number")[:size]
    )
    selves = Beneficiary.objects.filter(member_id__in={r[1] for r in rows}, relation=Relation.SELF)
    names = {m: f"{first} {last}" for m, first, last in selves.values_list("member_id", "first_name", "last_name")}
    return [SourcePayee(pk, m, names.get(m, number), rib, amount, number) for pk, m, rib, amount, number in rows]


def _advance_attach(actor: Actor, batch: object, attached: list[Attached]) -> None:
    AdvancePayment.objects.bulk_create(
        AdvancePayment(advance_id=a.payee.key, payment_id=a.payment_id, member_id=a.payee.member_id) for a in attached
    )
    for a in attached:
        advance_transition_apply(actor=actor, advance_id=a.payee.key, to=AdvanceState.IN_PAYMENT, by_batch=True)


def _advance_paid(actor: Actor, payment_ids: list[int], on: dt.date) -> None:
    for advance_id in AdvancePayment.objects.filter(payment_id__in=payment_ids).values_list("advance_id", flat=True):
        advance_transition_apply(actor=actor, advance_id=advance_id, to=AdvanceState.PAID, by_batch=True)
        Advance.objects.filter(pk=advance_id).update(paid_on=on)


def _advance_released(actor: Actor, payment_ids: list[int]) -> None:
    rejected = dict(Payment.objects.filter(pk__in=payment_ids, state=PaymentState.REJECTED).values_list("pk", "rib"))
    links = AdvancePayment.objects.filter(payment_id__in=payment_ids, live=True)
    for link in links:
        advance_transition_apply(actor=actor, advance_id=link.advance_id, to=AdvanceState.APPROVED, by_batch=True)
        if link.payment_id in rejected:
            Advance.objects.filter(pk=link.advance_id).update(rejected_rib=rejected[link.payment_id])
    links.update(live=False)


def _advances_owed(claim_ids: QuerySet[Any, Any]) -> list[Owed]:
    """Advances paid out and tied to one of these claim files, locked, with what is still owed; an advance
    that already has its repayment from that file (advance_claim_link after the fact) is left out."""
    rows = (
        Advance.objects.filter(state=AdvanceState.PAID, claim_id__in=claim_ids)
        .exclude(repayments__claim_id=F("claim_id"))
        .select_for_update(of=("self",))
        .order_by("claim_id", "pk")
        .values_list("pk", "claim_id", "number", "amount", "repaid")
    )
    return [Owed(pk, claim_id, number, amount - repaid) for pk, claim_id, number, amount, repaid in rows]


def _advances_withheld_paid(actor: Actor, lines: list[Withheld], on: dt.date) -> None:
    """The payments that withheld these lines are paid: each line repays its advance, from its claim file."""
    for line in lines:
        advance_repay_apply(actor=actor, advance_id=line.key, amount=line.amount, kind=RepaymentKind.CLAIM,
                            claim_id=line.claim_id, on=on)  # fmt: skip


def _payable_summary(payable: QuerySet[Any]) -> tuple[int, Decimal]:
    """(how many, total) a batch prepared now would pay of these items: the batch preview's read, no lock."""
    sums = payable.aggregate(n=Count("pk"), total=Sum("amount"))
    return sums["n"] or 0, Decimal(str(sums["total"] or 0)).quantize(Decimal("0.01"))


def payment_sources_register() -> None:
    payment_source_register(PaymentSource(
        name=SHARES, kind=BatchKind.ALLOWANCE_TRANSFER, fund=Fund.SOLIDARITY,
        payable_exists=lambda: _payable_shares().exists(), payable_chunk=_share_chunk, attach=_share_attach,
        paid=_share_paid, released=_share_released, payable_summary=lambda: _payable_summary(_payable_shares()),
    ))  # fmt: skip
    payment_source_register(PaymentSource(
        name=ADVANCES, kind=BatchKind.ALLOWANCE_TRANSFER, fund=Fund.ADVANCES,
        payable_exists=lambda: _payable_advances().exists(), payable_chunk=_advance_chunk, attach=_advance_attach,
        paid=_advance_paid, released=_advance_released, payable_summary=lambda: _payable_summary(_payable_advances()),
    ))  # fmt: skip
    withholding_source_register(WithholdingSource(name=ADVANCES, owed=_advances_owed, paid=_advances_withheld_paid))

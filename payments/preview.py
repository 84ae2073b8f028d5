"""What a batch would pay if prepared now, and what it would leave out and why: a read, nothing written.

The same rules as the preparation (payments.services.prepare.payable_claims for claim files, the
payment sources for allowances), read without locks. Exclusions are the approved files that
this kind of batch does not take, with the reason and where they go instead; rejected payments
are counted apart: those whose bank account was corrected since are paid again by the next batch
(the preparation re-queues them first), the others wait for a correction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from claims.models import Channel, ClaimFile, ClaimStatus
from members.rib import rib_is_valid
from payments.models import BatchKind, Fund, Payment, PaymentState, ProviderAccount
from payments.services.prepare import payable_claims
from payments.sources import source_kinds, sources_for_kind

ZERO = Decimal("0.00")
WARN_LIST_MAX = 20  # membership numbers named on the page; the count says how many in all


class FundLine(NamedTuple):
    fund: str
    label: Any
    amount: Decimal


class Exclusion(NamedTuple):
    """Files (or payments) this batch leaves out: why, how many, how much, and what becomes of them."""

    code: str
    reason: Any
    how_many: int
    amount: Decimal
    instead: Any


@dataclass(frozen=True)
class BatchPreview:
    kind: str
    payments: int  # payees: one payment per member or provider
    files: int
    total: Decimal
    funds: list[FundLine]
    exclusions: list[Exclusion]
    requeued: int = 0  # rejected payments paid again, their payee's RIB corrected
    requeued_amount: Decimal = ZERO
    invalid_ribs: int = 0  # payees in the batch whose RIB's key is wrong: the bank will likely refuse
    invalid_rib_members: list[str] = field(default_factory=list)
    counted: bool = True  # False for a source without a summary: figures known once prepared

    @property
    def kind_label(self) -> Any:
        return BatchKind(self.kind).label

    @property
    def empty(self) -> bool:
        return self.counted and self.payments == 0 and self.requeued == 0


def _sums(qs: QuerySet[ClaimFile], payee: str) -> dict[str, Any]:
    return qs.order_by().aggregate(
        files=Count("id"), payees=Count(payee, distinct=True), amo=Sum("amo"), comp=Sum("complementary")
    )


def _money(value: Any) -> Decimal:
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


def _approved_to_pay() -> QuerySet[ClaimFile]:
    return ClaimFile.objects.filter(status=ClaimStatus.APPROVED).filter(Q(amo__gt=0) | Q(complementary__gt=0))


def _excluded(kind: str) -> list[Exclusion]:
    """Approved files with something to pay that another kind of batch takes, or none yet."""
    approved = _approved_to_pay()
    rules: list[tuple[str, Any, QuerySet[ClaimFile], Any]] = []
    if kind == BatchKind.MEMBER_TRANSFER:
        rules.append(("no_rib", _("No bank account (RIB) on the member's file"),
                      approved.exclude(channel=Channel.PROVIDER).filter(member__rib=""),
                      _("paid by postal order")))  # fmt: skip
    elif kind == BatchKind.POSTAL_ORDER:
        rules.append(("has_rib", _("The member has a bank account (RIB)"),
                      approved.exclude(channel=Channel.PROVIDER).exclude(member__rib=""),
                      _("paid by bank transfer")))  # fmt: skip
    elif kind == BatchKind.PROVIDER_TRANSFER:
        rules.append(("no_provider_account", _("The provider's bank account is not recorded"),
                      approved.filter(channel=Channel.PROVIDER, provider__bank_account__isnull=True),
                      _("paid once the account is recorded")))  # fmt: skip
    out = []
    for code, reason, qs, instead in rules:
        sums = qs.aggregate(n=Count("id"), amo=Sum("amo"), comp=Sum("complementary"))
        if sums["n"]:
            out.append(Exclusion(code, reason, sums["n"], _money(sums["amo"]) + _money(sums["comp"]), instead))
    return out


def _rejected(kind: str) -> tuple[list[Payment], list[Payment]]:
    """Rejected claim payments of this kind's payees not yet sent back: (RIB corrected, not corrected).

    The same test as payments_requeue_corrected: another RIB, and a valid one."""
    waiting = Payment.objects.filter(state=PaymentState.REJECTED, requeued_at__isnull=True, source="")
    if kind == BatchKind.PROVIDER_TRANSFER:
        rows = list(waiting.filter(provider__isnull=False).only("pk", "rib", "provider_id", "amo", "complementary"))
        ribs = dict(
            ProviderAccount.objects.filter(provider_id__in={p.provider_id for p in rows}).values_list(
                "provider_id", "rib"
            )
        )
        current = {p.pk: ribs.get(p.provider_id or 0, "") for p in rows}
    elif kind in (BatchKind.MEMBER_TRANSFER, BatchKind.POSTAL_ORDER):
        rows = list(waiting.filter(member__isnull=False).select_related("member").only(
            "pk", "rib", "amo", "complementary", "member__rib"
        ))  # fmt: skip
        current = {p.pk: p.member.rib if p.member else "" for p in rows}
    else:
        return [], []
    corrected = [p for p in rows if rib_is_valid(current[p.pk]) and current[p.pk] != p.rib]
    stuck = [p for p in rows if p not in corrected]
    # A corrected member payment goes to a transfer (its member has a valid RIB now), never a postal order.
    return ([] if kind == BatchKind.POSTAL_ORDER else corrected), stuck


def _invalid_ribs(qs: QuerySet[ClaimFile]) -> list[str]:
    """Membership numbers of the batch's members whose RIB fails its key (24 digits, MOD 97)."""
    rows = qs.order_by().values_list("member__membership_number", "member__rib").distinct()
    return sorted(number for number, rib in rows.iterator(chunk_size=5000) if rib and not rib_is_valid(rib))


def batch_preview(*, kind: str) -> BatchPreview:
    """What a batch of `kind` prepared now would hold; the caller checks the user may prepare one."""
    if kind in source_kinds():
        return _sources_preview(kind)
    payee = "provider_id" if kind == BatchKind.PROVIDER_TRANSFER else "member_id"
    payable = payable_claims(kind)
    sums = _sums(payable, payee)
    amo, comp = _money(sums["amo"]), _money(sums["comp"])
    corrected, stuck = _rejected(kind)
    requeued_amount = sum((p.amo + p.complementary for p in corrected), ZERO)
    exclusions = _excluded(kind)
    if stuck:
        exclusions.append(Exclusion(
            "rejected_rib", _("Rejected by the bank, bank account not corrected yet"), len(stuck),
            sum((p.amo + p.complementary for p in stuck), ZERO), _("paid again once the RIB is corrected"),
        ))  # fmt: skip
    bad = _invalid_ribs(payable) if kind == BatchKind.MEMBER_TRANSFER else []
    requeued_amo = sum((p.amo for p in corrected), ZERO)
    return BatchPreview(
        kind=kind, payments=sums["payees"] or 0, files=sums["files"] or 0, total=amo + comp + requeued_amount,
        funds=[
            FundLine(Fund.AMO, Fund.AMO.label, amo + requeued_amo),
            FundLine(Fund.COMPLEMENTARY, Fund.COMPLEMENTARY.label, comp + requeued_amount - requeued_amo),
        ],
        exclusions=exclusions, requeued=len(corrected), requeued_amount=requeued_amount,
        invalid_ribs=len(bad), invalid_rib_members=bad[:WARN_LIST_MAX],
    )  # fmt: skip


def _sources_preview(kind: str) -> BatchPreview:
    """Allowances and advances: each source's own summary (count, amount) when it gives one."""
    payments, total, funds, counted = 0, ZERO, [], True
    for source in sources_for_kind(kind):
        summary = source.payable_summary() if source.payable_summary is not None else None
        if summary is None:
            counted = counted and not source.payable_exists()
            continue
        count, amount = summary
        payments += count
        total += amount
        funds.append(FundLine(source.fund, Fund(source.fund).label, amount))
    return BatchPreview(kind=kind, payments=payments, files=0, total=total, funds=funds, exclusions=[],
                        counted=counted)  # fmt: skip

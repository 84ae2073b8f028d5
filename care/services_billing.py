"""Billing the attended sessions to basic insurance: one claim file of the centre per child and month.

The centre is the provider (its INPE); the file is made and adjudicated by the claims module's own
services (claim_create, claim_adjudicate), never written here. One CareBill per child and month (a
unique constraint) makes billing twice bill nothing more; the family contribution recorded is what
basic and complementary cover leave of the billed amount (the claim's remainder).

Each child is one transaction: a run stopped half-way is finished by running it again.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import AuditAction, audit_record, model_snapshot
from care.models import AttendanceState, CareBill, Centre, Enrolment, Session
from care.selectors_week import user_of
from claims.models import Channel, ClaimFile
from claims.services.adjudication import claim_adjudicate
from claims.services.intake import LineInput, claim_create
from claims.services.workflow import ClaimTransitionError
from mutuelle.errors import DomainError
from mutuelle.types import Actor
from referentials.models import Act

MSG_FORBIDDEN = _("You are not allowed to bill this centre's sessions.")
MSG_NO_INPE = _("This centre has no provider INPE: it cannot bill basic insurance.")
MSG_NOT_OVER = _("A month is billed once it is over.")
MSG_PLANNED_LEFT = _("%(count)s sessions of this month have no attendance recorded yet: record them first.")


class BillingError(DomainError):
    pass


@dataclass
class BillingResult:
    billed: list[CareBill] = field(default_factory=list)
    already: int = 0  # children of the month billed before
    not_billable: int = 0  # attended sessions of a therapy without an act in force, or a child not covered by us


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def act_tariffs(codes: set[str], first: dt.date, last: dt.date) -> dict[tuple[str, dt.date], Decimal]:
    """The flat tariff in force of each act code on each day of the month (dated referential rows)."""
    rows = list(
        Act.objects.filter(code__in=codes, tariff__isnull=False, valid_from__lte=last).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=first)
        )
    )
    out: dict[tuple[str, dt.date], Decimal] = {}
    for day in range((last - first).days + 1):
        on = first + dt.timedelta(days=day)
        for row in rows:
            if row.valid_from <= on and (row.valid_to is None or on < row.valid_to) and row.tariff is not None:
                out[(row.code, on)] = row.tariff
    return out


def _billable(centre: Centre, first: dt.date, last: dt.date) -> dict[int, list[Session]]:
    qs = Session.objects.filter(
        centre=centre, date__gte=first, date__lte=last, state=AttendanceState.PRESENT, bill__isnull=True
    ).select_related("therapy", "enrolment")
    out: dict[int, list[Session]] = {}
    for s in qs.order_by("enrolment_id", "date", "start", "pk"):
        out.setdefault(s.enrolment_id, []).append(s)
    return out


def care_bills_month(*, actor: Actor, centre: Centre, month: dt.date, filed_on: dt.date | None = None) -> BillingResult:
    """Bill every child's attended sessions of `month`: one adjudicated claim file each, idempotent."""
    if actor is not None and not actor.has_perm("care.bill_sessions"):
        raise BillingError(MSG_FORBIDDEN)
    if centre.provider_id is None:
        raise BillingError(MSG_NO_INPE)
    first, last = month_bounds(month)
    filed_on = filed_on or timezone.localdate()
    if filed_on <= last:
        raise BillingError(MSG_NOT_OVER)
    planned = Session.objects.filter(centre=centre, date__gte=first, date__lte=last, state=AttendanceState.PLANNED)
    if (count := planned.count()) > 0:
        raise BillingError(MSG_PLANNED_LEFT % {"count": count})
    result = BillingResult()
    by_child = _billable(centre, first, last)
    codes = {s.therapy.act_code for rows in by_child.values() for s in rows if s.therapy.act_code}
    tariffs = act_tariffs(codes, first, last)
    result.already = CareBill.objects.filter(centre=centre, month=first).count()
    for rows in by_child.values():
        enrolment = rows[0].enrolment
        billable = [s for s in rows if (s.therapy.act_code, s.date) in tariffs]
        if enrolment.beneficiary_id is None or not billable:  # a partner mutual's child: not our insured
            result.not_billable += len(rows)
            continue
        result.not_billable += len(rows) - len(billable)
        bill = _bill_child(actor=actor, centre=centre, enrolment=enrolment, month=first, sessions=billable,
                           tariffs=tariffs, filed_on=filed_on)  # fmt: skip
        if bill is None:
            result.already += 1
            continue
        result.billed.append(care_bill_settle(actor=actor, bill=bill))
    for bill in CareBill.objects.filter(centre=centre, month=first, family_contribution__isnull=True):
        care_bill_settle(actor=actor, bill=bill)  # a run stopped before adjudication: finish it
    return result


def _bill_child(
    *, actor: Actor, centre: Centre, enrolment: Enrolment, month: dt.date, sessions: list[Session],
    tariffs: dict[tuple[str, dt.date], Decimal], filed_on: dt.date,
) -> CareBill | None:  # fmt: skip
    """The child's claim file and bill in one transaction; None when the month is billed already."""
    lines = [
        LineInput(kind="act", care_date=s.date, paid=tariffs[(s.therapy.act_code, s.date)], code=s.therapy.act_code)
        for s in sessions
    ]
    try:
        with transaction.atomic(durable=True):
            if CareBill.objects.filter(enrolment=enrolment, month=month).exists():
                return None
            assert enrolment.beneficiary is not None and centre.provider is not None
            # The centre's billing run files as the system on the centre's behalf: the coordinator
            # holds no claims permission; the bill's audit row names them.
            claim = claim_create(
                actor=None, beneficiary=enrolment.beneficiary, filed_on=filed_on, channel=Channel.PROVIDER,
                lines=lines, provider=centre.provider, external_ref=f"AMAL-{enrolment.pk}-{month:%Y%m}",
            )  # fmt: skip
            bill = CareBill.objects.create(
                centre=centre, enrolment=enrolment, member_id=enrolment.member_id or 0, month=month, claim=claim,
                session_count=len(sessions), amount=sum((ln.paid for ln in lines), Decimal("0.00")),
                created_by=user_of(actor),
            )  # fmt: skip
            marked = Session.objects.filter(pk__in=[s.pk for s in sessions], bill__isnull=True).update(bill=bill)
            if marked != len(sessions):
                raise IntegrityError("sessions billed meanwhile")
            audit_record(actor=actor, action=AuditAction.CREATE, obj=bill, member_id=bill.member_id,
                         after=model_snapshot(bill))  # fmt: skip
    except IntegrityError:
        if CareBill.objects.filter(enrolment=enrolment, month=month).exists():
            return None  # billed by a run racing this one
        raise
    return bill


def care_bill_settle(*, actor: Actor, bill: CareBill) -> CareBill:
    """Adjudicate the bill's claim file (the claims engine) and record what it covers and what the family owes."""
    claim = ClaimFile.objects.get(pk=bill.claim_id)
    if claim.status == "received":
        try:
            claim = claim_adjudicate(actor=None, claim=claim, as_intake=True)
        except ClaimTransitionError:
            claim = ClaimFile.objects.get(pk=bill.claim_id)
    if claim.status == "received":
        return bill  # adjudication failed: the claims officers' bulk run takes the file; settled on the next run
    with transaction.atomic(durable=True):
        locked = CareBill.objects.select_for_update().get(pk=bill.pk)
        if locked.family_contribution is not None:
            return locked
        before = model_snapshot(locked)
        locked.amo, locked.complementary, locked.family_contribution = claim.amo, claim.complementary, claim.remainder
        locked.save(update_fields=["amo", "complementary", "family_contribution"])
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=locked, member_id=locked.member_id, before=before,
                     after=model_snapshot(locked))  # fmt: skip
    return locked

"""The waiting list's offers and the daily run (offers expired, places refilled, age-outs).

When a place frees, the first child of the programme's waiting list (selectors_centres.waiting_list)
is offered it with a deadline taken from the programme's dated rule; the family (or the
coordinator for them) accepts or declines; an offer not answered by its deadline expires and the
place goes to the next child. `care_daily_run` (manage.py care_daily, once a day from cron) does
what the calendar decides; it is idempotent, so a run killed half-way and started again gives the
same result.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import AuditAction
from audit.services import audit_record, model_snapshot
from care.models import (
    ApplicationState,
    Enrolment,
    EnrolmentState,
    LeaveReason,
    OfferState,
    PlaceOffer,
    Programme,
)
from care.selectors_centres import places_free, programme_rule_on, waiting_list
from care.services_enrolment import (
    CareError,
    application_transition_apply,
    enrolment_close,
    enrolment_open,
    is_family,
)
from engine.eligibility import add_months
from members.outbox import notifications_enabled, notifications_enqueue
from mutuelle.types import Actor

A = ApplicationState
MSG_OFFER_CLOSED = _("This offer was already answered or has expired.")
MSG_OFFER_LATE = _("The deadline to answer this offer has passed: the place goes to the next child.")
MSG_OFFER_FORBIDDEN = _("Only the child's family or the centre can answer this offer.")


def places_fill(*, programme: Programme, on: dt.date) -> list[PlaceOffer]:
    """Offer every free place of the programme to the first children of its list (caller's transaction)."""
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    free = places_free(programme=programme)
    if free <= 0:
        return []
    rule = programme_rule_on(programme=programme, on=on)
    offers = []
    for entry in waiting_list(programme=programme, on=on)[:free]:
        app = application_transition_apply(
            actor=None, application=entry.application, to=A.OFFERED, note=f"score {entry.score}"
        )
        offer = PlaceOffer.objects.create(
            application=app,
            member_id=app.member_id,
            programme=programme,
            offered_at=timezone.now(),
            deadline=on + dt.timedelta(days=rule.offer_deadline_days),
            score=entry.score,
        )
        audit_record(
            actor=None, action=AuditAction.CREATE, obj=offer, member_id=offer.member_id, after=model_snapshot(offer)
        )
        offers.append(offer)
    return offers


def _offer_close(*, actor: Actor, offer: PlaceOffer, state: str, on: dt.date) -> PlaceOffer:
    row = PlaceOffer.objects.select_for_update().select_related("application__programme").get(pk=offer.pk)
    if row.state != OfferState.OFFERED:
        raise CareError(MSG_OFFER_CLOSED, code="offer_closed")
    before = model_snapshot(row)
    row.state, row.answered_at = state, timezone.now()
    row.save(update_fields=["state", "answered_at"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=row,
        member_id=row.member_id,
        before=before,
        after=model_snapshot(row),
    )
    if state == OfferState.ACCEPTED:
        app = application_transition_apply(actor=actor, application=row.application, to=A.ENROLLED, note="accepted")
        enrolment_open(actor=actor, application=app, starts_on=on)
    else:
        application_transition_apply(actor=actor, application=row.application, to=A.CLOSED, note=state)
        places_fill(programme=row.programme, on=on)
    return row


def offer_answer(*, actor: Actor, offer: PlaceOffer, accept: bool, on: dt.date | None = None) -> PlaceOffer:
    """The family (from the portal) or the coordinator accepts or declines an offered place."""
    if actor is None or not (actor.has_perm("care.decide_application") or is_family(actor, offer.application)):
        raise CareError(MSG_OFFER_FORBIDDEN, code="forbidden")
    on = on or timezone.localdate()
    if on > offer.deadline:  # the deadline day itself is still in time; care_daily_run expires it after
        raise CareError(MSG_OFFER_LATE, code="deadline")
    with transaction.atomic(durable=True):
        state = OfferState.ACCEPTED if accept else OfferState.DECLINED
        return _offer_close(actor=actor, offer=offer, state=state, on=on)


@dataclass
class DailyResult:
    expired: int = 0
    offered: int = 0
    warned: int = 0
    left: int = 0


def offers_expire(*, on: dt.date) -> int:
    """Offers whose deadline passed before `on` expire; each frees its place for the next child."""
    count = 0
    for offer in PlaceOffer.objects.filter(state=OfferState.OFFERED, deadline__lt=on).order_by("deadline", "pk"):
        with transaction.atomic(durable=True):
            _offer_close(actor=None, offer=offer, state=OfferState.EXPIRED, on=on)
        count += 1
    return count


def age_outs_process(*, on: dt.date) -> tuple[int, int]:
    """Children reaching the age limit leave on that day; their families are told ahead by the
    programme's notice period (once: age_out_warned_at). Returns (warned, left)."""
    left = 0
    due = Enrolment.objects.filter(state=EnrolmentState.ACTIVE, leaves_on__lte=on).order_by("leaves_on", "pk")
    for enrolment in due:
        with transaction.atomic(durable=True):
            enrolment_close(actor=None, enrolment=enrolment, reason=LeaveReason.AGE_LIMIT, on=on)
        left += 1
    warned = 0
    pending = Enrolment.objects.filter(state=EnrolmentState.ACTIVE, age_out_warned_at__isnull=True).select_related(
        "programme"
    )
    for enrolment in pending:
        notice = programme_rule_on(programme=enrolment.programme, on=on).age_out_notice_months
        if enrolment.leaves_on > add_months(on, notice):
            continue
        with transaction.atomic(durable=True):
            if Enrolment.objects.filter(pk=enrolment.pk, age_out_warned_at__isnull=True).update(
                age_out_warned_at=timezone.now()
            ):
                audit_record(
                    actor=None,
                    action=AuditAction.UPDATE,
                    object_type="care.enrolment",
                    object_id=str(enrolment.pk),
                    member_id=enrolment.member_id,
                    after={"age_out_warned": True, "leaves_on": enrolment.leaves_on.isoformat()},
                )
                if enrolment.member_id is not None and notifications_enabled():
                    notifications_enqueue(
                        event="care.age_out", member_ids=[enrolment.member_id], params={"enrolment": str(enrolment.pk)}
                    )
                warned += 1
    return warned, left


def care_daily_run(*, on: dt.date | None = None) -> DailyResult:
    """The day's calendar work, each step its own transaction: offers expired (and the places
    offered again), age-outs closed, families warned, then any place still free offered."""
    on = on or timezone.localdate()
    result = DailyResult(expired=offers_expire(on=on))
    result.warned, result.left = age_outs_process(on=on)
    for programme in Programme.objects.order_by("pk"):
        with transaction.atomic(durable=True):
            result.offered += len(places_fill(programme=programme, on=on))
    return result

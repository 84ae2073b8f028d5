"""Filing an application: for a member's covered child with a recorded disability (the parent from
the portal or an agent), or for a partner mutual's child (an agent only, flagged)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import AuditAction
from audit.services import audit_record, model_snapshot
from care.models import Application, ApplicationChannel, ApplicationState, Programme
from care.selectors_centres import LIVE_STATES
from care.services_enrolment import MSG_FORBIDDEN, CareError
from members.models import Beneficiary
from members.outbox import notifications_enabled, notifications_enqueue
from members.selectors import age_on, beneficiary_eligibility, eligibility_reason_label
from mutuelle.types import Actor, actor_user

A = ApplicationState

MSG_NOT_COVERED = _("This child is not covered today: %(reason)s")
MSG_NOT_DISABLED = _("This child has no recorded disability (with its certificate) in the member's file.")
MSG_NOT_CHILD = _("Only a member's child can be enrolled in an Amal centre.")
MSG_AGE = _("This child is %(age)s years old; the programme takes children from %(min)s to %(max)s.")
MSG_ALREADY = _("This child already has an application to this programme in progress.")
MSG_PARTNER = _("A child of a partner mutual needs the mutual's name, the child's names and birth date.")
MSG_FILED_FUTURE = _("An application cannot be filed in the future.")


def _check_child(beneficiary: Beneficiary, programme: Programme, on: dt.date) -> None:
    if beneficiary.relation != "child":
        raise CareError(MSG_NOT_CHILD, code="not_child")
    eligibility = beneficiary_eligibility(beneficiary=beneficiary, on=on)
    if not eligibility.covered:
        raise CareError(MSG_NOT_COVERED % {"reason": eligibility_reason_label(eligibility)}, code="not_covered")
    if not beneficiary.disabled:
        raise CareError(MSG_NOT_DISABLED, code="not_disabled")


def _check_age(birth_date: dt.date, programme: Programme, on: dt.date) -> None:
    age = age_on(birth_date, on)
    if not programme.age_min <= age <= programme.age_max:
        raise CareError(MSG_AGE % {"age": age, "min": programme.age_min, "max": programme.age_max}, code="age")


@dataclass(frozen=True)
class PartnerChild:
    """A child of a partner mutual, not in our registry."""

    mutual: str
    last_name: str
    first_name: str
    birth_date: dt.date
    last_name_ar: str = ""
    first_name_ar: str = ""


def application_file(
    *,
    actor: Actor,
    programme: Programme,
    beneficiary: Beneficiary | None = None,
    partner: PartnerChild | None = None,
    disability_details: str = "",
    on: dt.date | None = None,
    filed_at: dt.datetime | None = None,
) -> Application:
    """File an application for a covered child with a recorded disability (or a partner's child).

    A parent files from the portal for their own child; an agent (care.add_application) for any
    child, and alone for a partner mutual's child. `filed_at` records a paper application received
    earlier (its place in the waiting list's order of filing); by default, now.
    """
    on = on or timezone.localdate()
    if filed_at is not None and filed_at > timezone.now():
        raise CareError(MSG_FILED_FUTURE, code="filed_at")
    staff = actor is None or actor.has_perm("care.add_application")  # None: the system (the demo)
    if beneficiary is not None:
        family = getattr(getattr(actor, "member", None), "pk", None) == beneficiary.member_id
        if not (staff or family):
            raise CareError(MSG_FORBIDDEN, code="forbidden")
        _check_child(beneficiary, programme, on)
        fields: dict[str, Any] = {
            "beneficiary": beneficiary,
            "member_id": beneficiary.member_id,
            "child_last_name": beneficiary.last_name,
            "child_first_name": beneficiary.first_name,
            "child_last_name_ar": beneficiary.last_name_ar,
            "child_first_name_ar": beneficiary.first_name_ar,
            "birth_date": beneficiary.birth_date,
        }
    else:
        if not staff:
            raise CareError(MSG_FORBIDDEN, code="forbidden")
        if partner is None or not (partner.mutual.strip() and partner.last_name.strip() and partner.first_name.strip()):
            raise CareError(MSG_PARTNER, code="partner")
        fields = {
            "partner_mutual": True,
            "partner_mutual_name": partner.mutual.strip(),
            "child_last_name": partner.last_name.strip(),
            "child_first_name": partner.first_name.strip(),
            "child_last_name_ar": partner.last_name_ar.strip(),
            "child_first_name_ar": partner.first_name_ar.strip(),
            "birth_date": partner.birth_date,
        }
    _check_age(fields["birth_date"], programme, on)
    with transaction.atomic(durable=True):
        if (
            beneficiary is not None
            and Application.objects.filter(
                beneficiary=beneficiary, programme=programme, state__in=(*LIVE_STATES, A.ENROLLED)
            ).exists()
        ):
            raise CareError(MSG_ALREADY, code="already")
        app = Application.objects.create(
            centre=programme.centre,
            programme=programme,
            filed_at=filed_at or timezone.now(),
            filed_by=actor_user(actor),
            channel=ApplicationChannel.AGENT if staff else ApplicationChannel.PORTAL,
            disability_details=disability_details.strip(),
            **fields,
        )
        audit_record(
            actor=actor, action=AuditAction.CREATE, obj=app, member_id=app.member_id, after=model_snapshot(app)
        )
        if app.member_id is not None and notifications_enabled():
            notifications_enqueue(event="care.filed", member_ids=[app.member_id], params={"application": str(app.pk)})
    return app

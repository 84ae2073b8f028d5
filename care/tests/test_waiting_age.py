"""Children leave at the age limit; families and the coordinator are warned ahead (the rule's months)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from care.models import Application, ApplicationState, Centre, Enrolment, EnrolmentState, OfferState, PlaceOffer
from care.selectors_home import centre_day
from care.services_enrolment import application_admit, application_wait
from care.services_waiting import age_outs_process, care_daily_run
from care.tests.centre_factories import application_assessed, child_make, programme_make
from engine.eligibility import add_months
from jobs.models import Job

pytestmark = pytest.mark.django_db
ON = timezone.localdate()


def _enrol(programme, *, leaves_in_months: int, days: int = 0) -> Enrolment:  # type: ignore[no-untyped-def]
    # Leaving day = 22nd birthday for ages 5–21.
    birth = add_months(ON, leaves_in_months - 12 * 22) + dt.timedelta(days=days)
    return application_admit(actor=None, application=application_assessed(programme, child_make(birth_date=birth)))


def _day(programme):  # type: ignore[no-untyped-def]
    start = timezone.make_aware(dt.datetime.combine(ON, dt.time(0)))
    return centre_day(centre=Centre.objects.get(pk=programme.centre_id), on=ON, start=start,
                      end=start + dt.timedelta(days=1))  # fmt: skip


def test_it_warns_three_months_before_the_age_limit_once():
    programme = programme_make(capacity=5)  # rule: 3 months of notice
    soon = _enrol(programme, leaves_in_months=3)  # leaves exactly 3 months from today: warned
    later = _enrol(programme, leaves_in_months=3, days=1)  # a day later: not yet
    assert [e.pk for e in _day(programme).age_outs] == [soon.pk]  # the coordinator's home list
    assert age_outs_process(on=ON) == (1, 0)
    soon.refresh_from_db()
    later.refresh_from_db()
    assert soon.age_out_warned_at is not None and later.age_out_warned_at is None
    job = Job.objects.get(kind="members.notify", params__event="care.age_out")
    assert job.params["items"] == [[soon.member_id, {"enrolment": str(soon.pk)}]]
    assert AuditEvent.objects.filter(object_type="care.enrolment", object_id=str(soon.pk), action="update").exists()
    assert age_outs_process(on=ON) == (0, 0)  # warned once
    assert age_outs_process(on=ON + dt.timedelta(days=1)) == (1, 0)  # the other one, a day later


def test_it_ends_the_enrolment_on_the_age_limit_and_offers_the_place():
    programme = programme_make(capacity=1)
    enrolment = _enrol(programme, leaves_in_months=1)
    waiting = application_wait(actor=None, application=application_assessed(programme, child_make()))
    assert waiting.state == ApplicationState.WAITING
    day_before = enrolment.leaves_on - dt.timedelta(days=1)
    assert care_daily_run(on=day_before).left == 0
    result = care_daily_run(on=enrolment.leaves_on)
    assert result.left == 1
    enrolment.refresh_from_db()
    assert (enrolment.state, enrolment.leave_reason, enrolment.ends_on) == (
        EnrolmentState.LEFT, "age_limit", enrolment.leaves_on,
    )  # fmt: skip
    assert Application.objects.get(pk=enrolment.application_id).state == ApplicationState.LEFT
    assert PlaceOffer.objects.get(state=OfferState.OFFERED).application_id == waiting.pk

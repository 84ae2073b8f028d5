"""The waiting list: its order (score worked by hand), the offer of a freed place, its deadline."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from accounts.roles import Role
from care.models import Application, ApplicationState, Enrolment, OfferState, PlaceOffer
from care.selectors_centres import places_free, waiting_list, waiting_position
from care.services_centres import programme_rule_add
from care.services_enrolment import (
    CareError,
    application_admit,
    application_assess,
    application_assessment_schedule,
    application_wait,
    enrolment_leave,
)
from care.services_filing import PartnerChild, application_file
from care.services_waiting import care_daily_run, offer_answer
from care.tests.centre_factories import application_assessed, child_make, programme_make, rule_values
from engine.eligibility import add_months
from jobs.models import Job

pytestmark = pytest.mark.django_db
A = ApplicationState
ON = timezone.localdate()


def _born_leaving_in(months: int) -> dt.date:
    """A birth date such that a child leaves a 5–21 programme (on its 22nd birthday) `months` after ON."""
    return add_months(ON, months - 12 * 22)


def _filed(app: Application, days_ago: int) -> Application:
    Application.objects.filter(pk=app.pk).update(
        filed_at=timezone.make_aware(dt.datetime.combine(ON - dt.timedelta(days=days_ago), dt.time(9)))
    )
    app.refresh_from_db()
    return app


def _waiting(programme, child, days_ago: int) -> Application:  # type: ignore[no-untyped-def]
    app = _filed(application_assessed(programme, child), days_ago)
    return application_wait(actor=None, application=app)


def _full(capacity: int = 1):  # type: ignore[no-untyped-def]
    programme = programme_make(capacity=capacity)
    for _i in range(capacity):
        application_admit(actor=None, application=application_assessed(programme, child_make()))
    return programme


def test_it_orders_the_waiting_list_by_its_documented_score():
    programme = _full()  # rule: window 36 months, 10 days a month in it, partner −90 days
    # A: filed 100 days ago, leaves in 60 months (outside the window): 100 + 0 = 100.
    a = _waiting(programme, child_make(birth_date=_born_leaving_in(60)), 100)
    # B: filed 30 days ago, leaves in 30 months, 6 months into the window: 30 + 6 × 10 = 90.
    b = _waiting(programme, child_make(birth_date=_born_leaving_in(30)), 30)
    # C: partner mutual, filed 200 days ago, leaves in 120 months: 200 + 0 − 90 = 110.
    partner = PartnerChild(mutual="MODEP", last_name="Idrissi", first_name="Yassine", birth_date=_born_leaving_in(120))
    c = application_file(actor=None, programme=programme, partner=partner)
    c = application_assessment_schedule(actor=None, application=c, at=timezone.now() + dt.timedelta(hours=1))
    c = application_wait(actor=None, application=_filed(application_assess(actor=None, application=c), 200))
    # D: same score as A (filed 100 days ago, outside the window) but filed later in the day: after A.
    d = _filed(application_assessed(programme, child_make(birth_date=_born_leaving_in(61))), 100)
    Application.objects.filter(pk=d.pk).update(filed_at=d.filed_at + dt.timedelta(hours=2))
    application_wait(actor=None, application=d)
    entries = waiting_list(programme=programme, on=ON)
    assert [(e.application.pk, e.score) for e in entries] == [(c.pk, 110), (a.pk, 100), (d.pk, 100), (b.pk, 90)]
    second = entries[1]
    assert (second.position, second.days_waited, second.age_bonus, second.partner_penalty) == (2, 100, 0, 0)
    assert entries[3].months_to_limit == 30 and entries[3].age_bonus == 60
    assert waiting_position(application=b, on=ON).position == 4  # what the parent sees


def test_it_uses_the_rule_in_force_on_the_day_without_rewriting_the_past():
    programme = _full()
    a = _waiting(programme, child_make(birth_date=_born_leaving_in(60)), 100)
    b = _waiting(programme, child_make(birth_date=_born_leaving_in(30)), 30)
    # From tomorrow on, 20 days a month in the window: B = 30 + 6 × 20 = 150 > A = 100.
    # Tomorrow B has waited 31 days and leaves in 29 whole months (30 months less a day), 7 months
    # into the window: 31 + 7 × 20 = 171; A: 101 + 0.
    programme_rule_add(actor=None, programme=programme, rule=rule_values(valid_from=ON + dt.timedelta(days=1),
                                                                          age_bonus_days=20))  # fmt: skip
    assert [e.application.pk for e in waiting_list(programme=programme, on=ON)] == [a.pk, b.pk]
    tomorrow = waiting_list(programme=programme, on=ON + dt.timedelta(days=1))
    assert [(e.application.pk, e.score) for e in tomorrow] == [(b.pk, 171), (a.pk, 101)]
    old = programme.rules.get(valid_from=dt.date(2020, 1, 1))
    assert old.valid_to == ON and old.age_bonus_days == 10


def test_it_offers_a_freed_place_to_the_first_child_with_a_deadline(make_user):
    programme = _full()
    enrolled = Enrolment.objects.get(programme=programme)
    first = _waiting(programme, child_make(), 50)
    second = _waiting(programme, child_make(), 20)
    assert not PlaceOffer.objects.exists()
    enrolment_leave(actor=make_user(Role.CENTRE_COORDINATOR), enrolment=enrolled, reason="family", on=ON)
    offer = PlaceOffer.objects.get()
    assert offer.application_id == first.pk and offer.state == OfferState.OFFERED
    assert offer.deadline == ON + dt.timedelta(days=10) and offer.score == 50
    assert Application.objects.get(pk=first.pk).state == A.OFFERED
    assert Application.objects.get(pk=second.pk).state == A.WAITING
    assert places_free(programme=programme) == 0  # the offer holds the place
    assert Job.objects.filter(kind="members.notify", params__event="care.offered").exists()


def test_it_expires_an_unanswered_offer_and_offers_the_next_child():
    programme = _full()
    first, second = _waiting(programme, child_make(), 50), _waiting(programme, child_make(), 20)
    enrolment_leave(actor=None, enrolment=Enrolment.objects.get(programme=programme), reason="moved", on=ON)
    offer = PlaceOffer.objects.get()
    assert care_daily_run(on=offer.deadline).expired == 0  # the deadline day is still in time
    result = care_daily_run(on=offer.deadline + dt.timedelta(days=1))
    assert result.expired == 1
    offer.refresh_from_db()
    assert offer.state == OfferState.EXPIRED
    assert Application.objects.get(pk=first.pk).state == A.CLOSED
    new = PlaceOffer.objects.get(state=OfferState.OFFERED)
    assert new.application_id == second.pk
    again = care_daily_run(on=offer.deadline + dt.timedelta(days=1))  # a second run changes nothing
    assert (again.expired, again.offered, PlaceOffer.objects.count()) == (0, 0, 2)


def test_it_enrols_the_child_when_the_family_accepts(make_user):
    programme = _full()
    child = child_make()
    parent = make_user(Role.MEMBER)
    child.member.user = parent
    child.member.save(update_fields=["user"])
    app = _waiting(programme, child, 10)
    enrolment_leave(actor=None, enrolment=Enrolment.objects.get(programme=programme), reason="moved", on=ON)
    offer = PlaceOffer.objects.get()
    with pytest.raises(CareError):
        offer_answer(actor=make_user(Role.MEMBER), offer=offer, accept=True)  # another member
    offer_answer(actor=parent, offer=offer, accept=True, on=ON)
    assert Application.objects.get(pk=app.pk).state == A.ENROLLED
    assert Enrolment.objects.get(application=app).starts_on == ON
    with pytest.raises(CareError) as err:
        offer_answer(actor=parent, offer=offer, accept=False)
    assert err.value.code == "offer_closed"


def test_it_offers_the_next_child_when_the_family_declines(make_user):
    programme = _full()
    first, second = _waiting(programme, child_make(), 50), _waiting(programme, child_make(), 20)
    enrolment_leave(actor=None, enrolment=Enrolment.objects.get(programme=programme), reason="moved", on=ON)
    offer = PlaceOffer.objects.get()
    with pytest.raises(CareError):
        offer_answer(actor=make_user(Role.CLAIMS_OFFICER), offer=offer, accept=False)
    # The family said no at the centre's desk: the coordinator records it.
    offer_answer(actor=make_user(Role.CENTRE_COORDINATOR), offer=offer, accept=False, on=ON)
    assert Application.objects.get(pk=first.pk).state == A.CLOSED
    assert PlaceOffer.objects.get(state=OfferState.OFFERED).application_id == second.pk


def test_it_offers_a_place_at_once_when_one_is_free_and_the_list_was_empty():
    programme = programme_make(capacity=1)
    app = application_wait(actor=None, application=application_assessed(programme, child_make()))
    app.refresh_from_db()
    assert app.state == A.OFFERED


def test_it_refuses_an_answer_after_the_deadline(make_user):
    programme = _full()
    _waiting(programme, child_make(), 50)
    enrolment_leave(actor=None, enrolment=Enrolment.objects.get(programme=programme), reason="moved", on=ON)
    offer = PlaceOffer.objects.get()
    coordinator = make_user(Role.CENTRE_COORDINATOR)
    with pytest.raises(CareError) as err:
        offer_answer(actor=coordinator, offer=offer, accept=True, on=offer.deadline + dt.timedelta(days=1))
    assert err.value.code == "deadline"
    offer_answer(actor=coordinator, offer=offer, accept=True, on=offer.deadline)  # the last day is in time
    offer.refresh_from_db()
    assert offer.state == OfferState.ACCEPTED

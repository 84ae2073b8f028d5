"""Whatever happens in whatever order (filings, leavings, answers, days passing), a programme never
holds more children than places, and no place stays idle while a child waits."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.roles import Role
from care.models import ApplicationState, Enrolment, EnrolmentState, OfferState, PlaceOffer
from care.selectors_centres import places_free
from care.services_enrolment import application_wait, enrolment_leave
from care.services_waiting import care_daily_run, offer_answer
from care.tests.centre_factories import application_assessed, child_make, programme_make

pytestmark = pytest.mark.django_db

OPS = st.lists(
    st.one_of(
        st.tuples(st.just("apply"), st.integers(0, 3)),
        st.tuples(st.just("leave"), st.integers(0, 3)),
        st.tuples(st.just("answer"), st.booleans()),
        st.tuples(st.just("day"), st.integers(1, 15)),
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=15, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=OPS, capacity=st.integers(1, 3))
def test_it_never_overfills_a_programme_nor_leaves_a_place_idle(make_user, ops, capacity):  # type: ignore[no-untyped-def]
    programme = programme_make(capacity=capacity)  # a fresh programme per example
    coordinator = make_user(Role.CENTRE_COORDINATOR)
    day = timezone.localdate()
    for op, arg in ops:
        if op == "apply":
            application_wait(actor=None, application=application_assessed(programme, child_make()))
        elif op == "leave":
            active = list(Enrolment.objects.filter(programme=programme, state=EnrolmentState.ACTIVE).order_by("pk"))
            if active:
                enrolment_leave(actor=coordinator, enrolment=active[arg % len(active)], reason="family", on=day)
        elif op == "answer":
            offer = PlaceOffer.objects.filter(programme=programme, state=OfferState.OFFERED).order_by("pk").first()
            if offer is not None and day <= offer.deadline:  # a late answer is refused (test_waiting)
                offer_answer(actor=coordinator, offer=offer, accept=arg, on=day)
        else:
            day += dt.timedelta(days=arg)
            care_daily_run(on=day)
        free = places_free(programme=programme)
        assert free >= 0
        waiting = programme.applications.filter(state=ApplicationState.WAITING).exists()
        assert not (waiting and free > 0)

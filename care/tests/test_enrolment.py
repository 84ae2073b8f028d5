"""Filing an application: who may file, which child may be admitted, and the transition table."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.roles import Role
from audit.models import AuditEvent
from care.models import Application, ApplicationChannel, ApplicationState, Enrolment
from care.services_enrolment import (
    APPLICATION_TRANSITIONS,
    CareError,
    application_admit,
    application_moves,
    application_transition_apply,
    application_wait,
)
from care.services_filing import PartnerChild, application_file
from care.tests.centre_factories import TODAY, application_assessed, child_make, programme_make
from jobs.models import Job
from members.models import Beneficiary
from members.tests.registry_factories import dependant_make, member_make

pytestmark = pytest.mark.django_db
A = ApplicationState


def test_it_files_an_application_for_a_covered_child_with_a_disability(make_user):
    agent = make_user(Role.RECEPTION)
    child = child_make()
    app = application_file(actor=agent, programme=programme_make(), beneficiary=child, disability_details="autisme")
    assert app.state == A.FILED
    assert app.channel == ApplicationChannel.AGENT
    assert app.member_id == child.member_id
    assert (app.birth_date, app.child_first_name) == (child.birth_date, child.first_name)
    event = AuditEvent.objects.get(object_type="care.application", object_id=str(app.pk), action="create")
    assert event.after["disability_details"] != "autisme"  # masked in the trail
    assert Job.objects.filter(kind="members.notify", params__event="care.filed").exists()


def test_it_refuses_a_child_without_a_recorded_disability():
    child = child_make(disabled=False)
    with pytest.raises(CareError) as err:
        application_file(actor=None, programme=programme_make(), beneficiary=child)
    assert err.value.code == "not_disabled"
    assert not Application.objects.exists()


def test_it_refuses_a_child_whose_cover_ended():
    child = child_make()
    Beneficiary.objects.filter(pk=child.pk).update(covered_until=TODAY - dt.timedelta(days=1))
    child.refresh_from_db()
    with pytest.raises(CareError) as err:
        application_file(actor=None, programme=programme_make(), beneficiary=child)
    assert err.value.code == "not_covered"


def test_it_refuses_the_member_himself_and_a_spouse():
    parent = member_make()
    spouse = dependant_make(parent, relation="spouse", birth_date=dt.date(1985, 1, 1))
    for beneficiary in (parent.beneficiaries.get(rank=0), spouse):
        with pytest.raises(CareError) as err:
            application_file(actor=None, programme=programme_make(age_max=60), beneficiary=beneficiary)
        assert err.value.code == "not_child"


def test_it_refuses_a_child_outside_the_programme_ages():
    # 5 to 12: a child born 13 years and a day ago is 13.
    programme = programme_make(age_min=5, age_max=12)
    child = child_make(birth_date=TODAY.replace(year=TODAY.year - 13) - dt.timedelta(days=1))
    with pytest.raises(CareError) as err:
        application_file(actor=None, programme=programme, beneficiary=child)
    assert err.value.code == "age"


def test_it_refuses_a_second_application_to_the_same_programme():
    programme, child = programme_make(), child_make()
    application_file(actor=None, programme=programme, beneficiary=child)
    with pytest.raises(CareError) as err:
        application_file(actor=None, programme=programme, beneficiary=child)
    assert err.value.code == "already"


def test_it_lets_a_parent_file_for_their_own_child_only(make_user):
    child, other = child_make(), child_make()
    parent = make_user(Role.MEMBER)
    child.member.user = parent
    child.member.save(update_fields=["user"])
    app = application_file(actor=parent, programme=programme_make(), beneficiary=child)
    assert app.channel == ApplicationChannel.PORTAL
    with pytest.raises(CareError) as err:
        application_file(actor=parent, programme=programme_make(), beneficiary=other)
    assert err.value.code == "forbidden"


def test_it_admits_a_partner_mutual_child_flagged_from_an_agent_only(make_user):
    partner = PartnerChild(mutual="MODEP", last_name="Idrissi", first_name="Yassine", birth_date=dt.date(2016, 1, 1))
    app = application_file(actor=make_user(Role.RECEPTION), programme=programme_make(), partner=partner)
    assert app.partner_mutual and app.partner_mutual_name == "MODEP"
    assert app.beneficiary_id is None and app.member_id is None
    with pytest.raises(CareError):
        application_file(actor=make_user(Role.MEMBER), programme=programme_make(), partner=partner)


def test_it_refuses_a_move_outside_the_transition_table(make_user):
    app = application_file(actor=None, programme=programme_make(), beneficiary=child_make())
    assert (A.FILED, A.ENROLLED) not in APPLICATION_TRANSITIONS
    with pytest.raises(CareError) as err:
        application_transition_apply(actor=make_user(Role.CENTRE_COORDINATOR), application=app, to=A.ENROLLED)
    assert err.value.code == "state"
    app.refresh_from_db()
    assert app.state == A.FILED


def test_it_offers_each_role_only_its_verbs(make_user):
    app = application_file(actor=None, programme=programme_make(), beneficiary=child_make())
    coordinator, therapist = make_user(Role.CENTRE_COORDINATOR), make_user(Role.THERAPIST)
    officer = make_user(Role.CLAIMS_OFFICER)
    assert application_moves(actor=coordinator, application=app) == {A.ASSESSMENT_SCHEDULED, A.REFUSED, A.CLOSED}
    assert application_moves(actor=therapist, application=app) == {A.ASSESSMENT_SCHEDULED}
    assert application_moves(actor=officer, application=app) == set()
    with pytest.raises(CareError) as err:
        application_transition_apply(actor=officer, application=app, to=A.CLOSED)
    assert err.value.code == "forbidden"


def test_it_admits_straight_to_a_free_place_only_when_nobody_waits():
    programme = programme_make(capacity=2)
    first = application_assessed(programme, child_make())
    enrolment = application_admit(actor=None, application=first)
    assert enrolment.state == "active" and enrolment.member_id == first.member_id
    # The day it turns 22 (age_max 21 + 1): born 2015-03-03 -> leaves on 2037-03-03.
    assert enrolment.leaves_on == dt.date(2037, 3, 3)
    waiting = application_assessed(programme, child_make())
    Application.objects.filter(pk=waiting.pk).update(state=A.WAITING)  # as if the list were full before
    late = application_assessed(programme, child_make())
    with pytest.raises(CareError) as err:
        application_admit(actor=None, application=late)
    assert err.value.code == "queue"
    assert Enrolment.objects.count() == 1


def test_it_refuses_to_admit_beyond_capacity():
    programme = programme_make(capacity=1)
    application_admit(actor=None, application=application_assessed(programme, child_make()))
    second = application_assessed(programme, child_make())
    with pytest.raises(CareError) as err:
        application_admit(actor=None, application=second)
    assert err.value.code == "no_place"
    application_wait(actor=None, application=second)
    second.refresh_from_db()
    assert second.state == A.WAITING

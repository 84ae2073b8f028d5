"""The centres' pages: who sees what (medical details, other centres), the coordinator's home, the verbs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from audit.models import AuditEvent
from care.models import Application, ApplicationState
from care.services_enrolment import application_wait
from care.services_filing import application_file
from care.tests.centre_factories import (
    application_assessed,
    centre_make,
    child_make,
    programme_make,
    staff_login,
)

pytestmark = pytest.mark.django_db
SECRET = "Trisomie 21, cardiopathie opérée"


def _application(programme=None) -> Application:  # type: ignore[no-untyped-def]
    return application_file(
        actor=None, programme=programme or programme_make(), beneficiary=child_make(), disability_details=SECRET
    )


def test_it_sends_the_coordinator_to_the_centre_s_day_not_a_403(client, make_user):
    programme = programme_make()
    app = _application(programme)
    user = staff_login(make_user, Role.CENTRE_COORDINATOR, programme.centre)
    client.force_login(user)
    home = client.get(reverse("home"))
    assert home.status_code == 302 and home["Location"] == reverse("care:home")
    page = client.get(reverse("care:home"))
    assert page.status_code == 200
    assert app.child_name in page.content.decode()  # among the new applications
    assert reverse("care:applications") in page.content.decode()  # the menu


def test_it_keeps_the_medical_details_from_a_claims_officer(client, make_user):
    app = _application()
    client.force_login(make_user(Role.CLAIMS_OFFICER))
    assert client.get(reverse("care:application", args=[app.pk])).status_code == 403
    assert client.get(reverse("care:applications")).status_code == 403
    assert client.get(reverse("care:home")).status_code == 403


def test_it_shows_the_medical_details_to_the_therapist_only_and_logs_the_read(client, make_user):
    programme = programme_make()
    app = _application(programme)
    client.force_login(staff_login(make_user, Role.CENTRE_COORDINATOR, programme.centre))
    page = client.get(reverse("care:application", args=[app.pk]))
    assert page.status_code == 200 and SECRET not in page.content.decode()
    assert not AuditEvent.objects.filter(action="view_medical").exists()
    therapist = staff_login(make_user, Role.THERAPIST, programme.centre)
    client.force_login(therapist)
    page = client.get(reverse("care:application", args=[app.pk]))
    assert SECRET in page.content.decode()
    assert AuditEvent.objects.filter(action="view_medical", actor=therapist, object_id=str(app.pk)).count() == 1


def test_it_masks_the_disability_details_in_the_audit_trail(make_user):
    app = _application()
    for event in AuditEvent.objects.filter(object_type="care.application", object_id=str(app.pk)):
        assert SECRET not in str(event.before) + str(event.after)


def test_it_keeps_a_coordinator_to_their_own_centre(client, make_user):
    mine, other = programme_make(), programme_make()
    theirs = _application(other)
    client.force_login(staff_login(make_user, Role.CENTRE_COORDINATOR, mine.centre))
    assert client.get(reverse("care:application", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("care:centre", args=[other.centre_id])).status_code == 404
    assert client.get(reverse("care:waiting", args=[other.pk])).status_code == 404
    listing = client.get(reverse("care:applications")).content.decode()
    assert theirs.child_name not in listing


def test_it_schedules_and_refuses_through_the_page_and_rejects_a_bad_verb(client, make_user):
    programme = programme_make()
    app = _application(programme)
    client.force_login(staff_login(make_user, Role.CENTRE_COORDINATOR, programme.centre))
    at = (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    url = reverse("care:application_act", args=[app.pk, "schedule"])
    assert client.post(url, {"at": at}).status_code == 302
    app.refresh_from_db()
    assert app.state == ApplicationState.ASSESSMENT_SCHEDULED
    # Not allowed in this state: 400 with the translated message, nothing changed.
    bad = client.post(reverse("care:application_act", args=[app.pk, "admit"]), HTTP_ACCEPT_LANGUAGE="fr")
    assert bad.status_code == 400
    app.refresh_from_db()
    assert app.state == ApplicationState.ASSESSMENT_SCHEDULED
    assert client.post(reverse("care:application_act", args=[app.pk, "refuse"]), {"reason": "nope"}).status_code == 400
    assert client.post(reverse("care:application_act", args=[app.pk, "refuse"]), {"reason": "needs"}).status_code == 400
    assert client.post(reverse("care:application_act", args=[app.pk, "fly"])).status_code == 404


def test_it_files_from_the_counter_by_card_number(client, make_user):
    programme = programme_make()
    child = child_make()
    client.force_login(make_user(Role.RECEPTION))
    response = client.post(
        reverse("care:application_new"), {"programme": programme.pk, "card_number": child.card_number}
    )
    assert response.status_code == 302
    assert Application.objects.get().beneficiary_id == child.pk
    again = client.post(reverse("care:application_new"), {"programme": programme.pk, "card_number": "999999-09"})
    assert again.status_code == 400


def test_it_shows_the_family_its_position_and_lets_it_file(client, make_user):
    programme = programme_make(capacity=1)
    application_wait(actor=None, application=application_assessed(programme, child_make()))  # takes the place
    child = child_make()
    parent = make_user(Role.MEMBER)
    child.member.user = parent
    child.member.save(update_fields=["user"])
    first = application_wait(actor=None, application=application_assessed(programme, child_make()))
    mine = application_wait(actor=None, application=application_assessed(programme, child))
    assert first.state == mine.state == ApplicationState.WAITING
    client.force_login(parent)
    page = client.get(reverse("care:family"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "position 2" in page
    other = programme_make()
    response = client.post(reverse("care:family"), {"child": child.pk, "programme": other.pk})
    assert response.status_code == 302
    assert Application.objects.filter(beneficiary=child, programme=other).exists()


def test_it_exports_the_applications_without_medical_details(client, make_user):
    programme = programme_make()
    _application(programme)
    client.force_login(staff_login(make_user, Role.CENTRE_COORDINATOR, programme.centre))
    response = client.get(reverse("care:applications") + "?format=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert SECRET.encode() not in response.content


def test_it_lists_the_centres_and_the_waiting_list(client, make_user):
    centre = centre_make()
    programme = programme_make(centre)
    client.force_login(staff_login(make_user, Role.CENTRE_COORDINATOR, centre))
    assert client.get(reverse("care:centres")).status_code == 200
    assert client.get(reverse("care:centre", args=[centre.pk])).status_code == 200
    assert client.get(reverse("care:waiting", args=[programme.pk])).status_code == 200


def test_it_keeps_the_medical_details_out_of_the_admin_for_an_administrator(client, make_user):
    # A staff user given the right to read applications in the admin, without a medical permission.
    from django.contrib.auth.models import Permission

    app = _application()
    user = make_user(Role.ADMINISTRATOR)
    user.user_permissions.add(Permission.objects.get(content_type__app_label="care", codename="view_application"))
    client.force_login(user)
    page = client.get(reverse("admin:care_application_change", args=[app.pk]))
    assert page.status_code == 200
    assert SECRET not in page.content.decode()
    listing = client.get(reverse("admin:care_application_changelist"), {"q": "x"})
    assert listing.status_code == 200
    assert SECRET not in listing.content.decode()

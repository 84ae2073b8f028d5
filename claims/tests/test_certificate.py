"""The certificate of affiliation: issued by a POST, one per member and day; a GET only reads."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from audit.models import AuditEvent
from claims.models import Certificate
from claims.tests.factories import member_make

pytestmark = pytest.mark.django_db


def _events() -> int:
    return AuditEvent.objects.filter(object_type="claims.certificate").count()


def test_it_issues_nothing_on_a_get_by_the_auditor(client_for) -> None:
    member = member_make()
    auditor = client_for(Role.AUDITOR)
    response = auditor.get(reverse("claims:certificate", args=[member.pk]), {"lang": "fr"})
    assert response.status_code == 200 and b"%PDF" not in response.content
    assert "No certificate was issued today" in response.content.decode()
    assert 'type="submit" name="lang"' not in response.content.decode()  # no button for a read-only role
    assert not Certificate.objects.exists() and _events() == 0
    assert auditor.post(reverse("claims:certificate", args=[member.pk]), {"lang": "fr"}).status_code == 403
    assert not Certificate.objects.exists() and _events() == 0


def test_it_gives_the_same_certificate_all_day_in_either_language(client_for) -> None:
    member = member_make()
    staff = client_for(Role.RECEPTION)
    url = reverse("claims:certificate", args=[member.pk])
    first = staff.post(url, {"lang": "fr"})
    again = staff.post(url, {"lang": "ar"})
    read = staff.get(url, {"lang": "fr"})
    cert = Certificate.objects.get()
    assert first.status_code == again.status_code == read.status_code == 200
    assert all(r.content.startswith(b"%PDF") for r in (first, again, read))
    assert f"attestation-{cert.code}-ar.pdf" in again["Content-Disposition"]
    assert f"attestation-{cert.code}-fr.pdf" in read["Content-Disposition"]
    assert cert.issued_on == timezone.localdate() and _events() == 1


def test_the_portal_offers_a_post_form_and_a_cross_site_post_is_refused(make_user) -> None:
    user = make_user(Role.MEMBER)
    member = member_make(user=user)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    home = browser.get(reverse("portal:home")).content.decode()
    url = reverse("claims:certificate", args=[member.pk])
    assert f'<form method="post" action="{url}"' in home and "csrfmiddlewaretoken" in home
    assert f'href="{url}' not in home
    assert browser.post(url, {"lang": "fr"}).status_code == 403  # no CSRF token: a forged cross-site form
    assert not Certificate.objects.exists()
    token = browser.cookies["csrftoken"].value
    assert browser.post(url, {"lang": "fr", "csrfmiddlewaretoken": token}).content.startswith(b"%PDF")
    assert Certificate.objects.get().member == member


def test_the_database_refuses_a_second_certificate_the_same_day() -> None:
    member = member_make()
    today = timezone.localdate()
    Certificate.objects.create(code="A1", member=member, issued_on=today, valid_until=today)
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.create(code="A2", member=member, issued_on=today, valid_until=today)

"""Bank files: a GET never moves a batch; exporting is a POST with CSRF, for the export role only."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from audit.models import AuditEvent
from payments.models import BatchKind, BatchState, PaymentBatch, PaymentState
from payments.services import payment_batch_prepare, payment_batch_validate
from payments.tests.factories import claim_make, member_make

pytestmark = pytest.mark.django_db


def _client(user: Any, *, csrf: bool = False) -> Client:
    c = Client(enforce_csrf_checks=csrf)
    c.force_login(user)
    return c


def _validated(make_user: Any) -> tuple[PaymentBatch, Any]:
    claim_make(member_make(), amo="80.00", complementary="12.50")
    preparer = make_user(Role.ACCOUNTANT)
    batch = payment_batch_prepare(actor=preparer, kind=BatchKind.MEMBER_TRANSFER)
    return payment_batch_validate(actor=make_user(Role.ACCOUNTANT), batch=batch), preparer


def _exports() -> int:
    return AuditEvent.objects.filter(action="exported").count()


def test_a_cross_site_get_of_the_csv_leaves_the_batch_validated(make_user: Any) -> None:
    batch, preparer = _validated(make_user)
    browser = _client(preparer)  # a top-level link followed from another site carries the session cookie
    for fmt in ("csv", "xml"):
        response = browser.get(reverse("payments:download", args=[batch.pk, fmt]), HTTP_REFERER="https://evil.test/")
        assert response.status_code == 302 and response["Location"] == reverse("payments:detail", args=[batch.pk])
    batch.refresh_from_db()
    assert (batch.state, batch.csv_sha256, batch.xml_sha256) == (BatchState.VALIDATED, "", "")
    assert batch.payments.get().state == PaymentState.PENDING and _exports() == 0


def test_the_post_exports_for_the_accountant_and_a_get_then_gives_the_same_bytes(make_user: Any) -> None:
    batch, preparer = _validated(make_user)
    browser = _client(preparer, csrf=True)
    url = reverse("payments:download", args=[batch.pk, "csv"])
    page = browser.get(reverse("payments:detail", args=[batch.pk])).content.decode()
    assert f'<form method="post" action="{url}">' in page and f'href="{url}"' not in page
    assert browser.post(url).status_code == 403  # a forged form without the CSRF token
    batch.refresh_from_db()
    assert batch.state == BatchState.VALIDATED and _exports() == 0
    posted = browser.post(url, {"csrfmiddlewaretoken": browser.cookies["csrftoken"].value})
    assert posted.status_code == 200 and b";92.50;MAD;" in posted.content
    batch.refresh_from_db()
    assert batch.state == BatchState.EXPORTED and batch.payments.get().state == PaymentState.EXPORTED
    assert _exports() == 1
    again = browser.get(url)
    assert again.status_code == 200 and again.content == posted.content and _exports() == 1
    assert browser.get(reverse("payments:download", args=[batch.pk, "xml"])).status_code == 302  # never exported


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.CLAIMS_OFFICER, Role.RECEPTION])
def test_other_roles_cannot_export_by_post(make_user: Any, role: Role) -> None:
    batch, _preparer = _validated(make_user)
    response = _client(make_user(role)).post(reverse("payments:download", args=[batch.pk, "xml"]))
    assert response.status_code == 403
    batch.refresh_from_db()
    assert batch.state == BatchState.VALIDATED and _exports() == 0

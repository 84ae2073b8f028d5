"""The walkthrough of issue 11 on the demo data: the death allowance waiting for a second agent is
approved by comptable, paid through a batch (comptable2 validates), and each heir's letter prints."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from allowances.models import AllowanceRequest, RequestState
from demo.allowances import demo_allowances_ensure
from demo.members import demo_members_create, demo_users_ensure
from payments.models import BatchKind, PaymentBatch

pytestmark = pytest.mark.django_db


def test_it_walks_a_demo_death_allowance_to_payment_and_its_letters() -> None:
    demo_members_create(count=120, seed=2026)
    demo_users_ensure()
    assert demo_allowances_ensure(seed=2026) >= 2
    assert demo_allowances_ensure(seed=2026) == 0  # idempotent
    death = AllowanceRequest.objects.get(type__code="death")
    assert death.state == RequestState.CHECKED and death.shares.count() >= 2
    assert sum(s.amount for s in death.shares.all()) == death.net
    comptable, comptable2 = User.objects.get(username="comptable"), User.objects.get(username="comptable2")
    one, two = Client(HTTP_ACCEPT_LANGUAGE="ar"), Client(HTTP_ACCEPT_LANGUAGE="ar")
    one.force_login(comptable)
    two.force_login(comptable2)
    assert one.post(reverse("allowances:action", args=[death.pk, "approve"])).status_code == 302
    death.refresh_from_db()
    assert death.state == RequestState.APPROVED and death.approved_by == comptable
    assert one.post(reverse("payments:prepare"), {"kind": BatchKind.ALLOWANCE_TRANSFER,
                                                  "execution_date": "2026-12-10"}).status_code == 302  # fmt: skip
    from jobs.services import job_work

    while job_work(worker="test"):
        pass
    batch = PaymentBatch.objects.get(kind=BatchKind.ALLOWANCE_TRANSFER)
    assert batch.state == "prepared" and batch.total == death.net + sum(
        r.net for r in AllowanceRequest.objects.filter(type__code="retirement"))  # fmt: skip
    assert two.post(reverse("payments:action", args=[batch.pk, "validate"])).status_code == 302
    assert one.post(reverse("payments:download", args=[batch.pk, "xml"])).status_code == 200
    lines = "\n".join(f"{p.end_to_end_id};PAID;;" for p in batch.payments.all())
    from payments.services import payment_return_import

    payment_return_import(actor=comptable, data=f"end_to_end_id;status;reason_code;value_date\n{lines}\n".encode(),
                          file_name="retour.csv")  # fmt: skip
    death.refresh_from_db()
    assert death.state == RequestState.PAID
    for share in death.shares.all():
        letter = one.get(reverse("allowances:letter", args=[death.pk, share.pk, "ar"]))
        assert letter.status_code == 200 and letter.content.startswith(b"%PDF")

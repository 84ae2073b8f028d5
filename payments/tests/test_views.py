from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from claims.models import ClaimStatus
from jobs.services import job_work
from payments.models import BatchKind, BatchState, PaymentBatch, PaymentState
from payments.services import payment_batch_prepare
from payments.tests.factories import claim_make, member_make

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_it_runs_the_whole_flow_through_the_pages(make_user: Any) -> None:
    preparer = _client(make_user(Role.ACCOUNTANT))
    validator = _client(make_user(Role.ACCOUNTANT))
    member_user = make_user(Role.MEMBER)
    member = member_make(user=member_user)
    claim = claim_make(member, amo="80.00", complementary="12.50")

    response = preparer.post(reverse("payments:prepare"), {"kind": BatchKind.MEMBER_TRANSFER})
    assert PaymentBatch.objects.get().state == BatchState.PREPARING  # the request only queued the job
    assert job_work(worker="w") is not None  # the worker (`manage.py worker`) fills the batch
    batch = PaymentBatch.objects.get()
    assert response.status_code == 302 and batch.state == BatchState.PREPARED and batch.payment_count == 1

    preparer.post(reverse("payments:action", args=[batch.pk, "validate"]))
    batch.refresh_from_db()
    assert batch.state == BatchState.PREPARED  # four eyes
    validator.post(reverse("payments:action", args=[batch.pk, "validate"]))
    xml = preparer.post(reverse("payments:download", args=[batch.pk, "xml"]))
    csv = preparer.post(reverse("payments:download", args=[batch.pk, "csv"]))
    assert xml.status_code == 200 and b"<CtrlSum>92.50</CtrlSum>" in xml.content
    assert csv.status_code == 200 and b";92.50;MAD;" in csv.content
    validator.post(reverse("payments:action", args=[batch.pk, "confirm"]))

    ref = batch.payments.get().end_to_end_id
    upload = SimpleUploadedFile("ret.csv", f"end_to_end_id;status;reason_code\n{ref};PAID;\n".encode())
    response = validator.post(reverse("payments:returns"), {"file": upload})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PAID

    page = _client(member_user).get(reverse("payments:member", args=[member.pk]))
    assert page.status_code == 200
    assert ref in page.content.decode() and str(PaymentState.PAID.label) in page.content.decode()


def test_it_shows_each_bad_return_row(client_for: Any) -> None:
    client = client_for(Role.ACCOUNTANT)
    upload = SimpleUploadedFile("r.csv", b"end_to_end_id;status;reason_code\nNOPE-1;PAID;\n")
    response = client.post(reverse("payments:returns"), {"file": upload})
    assert response.status_code == 400
    assert "return-errors" in response.content.decode() and "NOPE" not in response.content.decode().split("<table")[0]


@pytest.mark.parametrize("role", [Role.MEMBER, Role.CLAIMS_OFFICER, Role.RECEPTION, Role.PROVIDER])
def test_it_refuses_the_accountant_pages_to_other_roles(make_user: Any, role: Role) -> None:
    claim_make(member_make(), amo="10.00", complementary="0.00")
    batch = payment_batch_prepare(actor=make_user(Role.ACCOUNTANT), kind=BatchKind.MEMBER_TRANSFER)
    client = _client(make_user(role))
    for name, args in [("list", []), ("detail", [batch.pk]), ("returns", []), ("rejected", []), ("accounting", [])]:
        assert client.get(reverse(f"payments:{name}", args=args)).status_code == 403, name
    assert client.get(reverse("payments:download", args=[batch.pk, "xml"])).status_code == 403
    assert client.post(reverse("payments:prepare"), {"kind": BatchKind.MEMBER_TRANSFER}).status_code == 403
    assert client.post(reverse("payments:action", args=[batch.pk, "validate"])).status_code == 403
    batch.refresh_from_db()
    assert batch.state == BatchState.PREPARED


def test_it_lets_the_auditor_read_but_not_act(make_user: Any) -> None:
    claim_make(member_make(), amo="10.00", complementary="0.00")
    batch = payment_batch_prepare(actor=make_user(Role.ACCOUNTANT), kind=BatchKind.MEMBER_TRANSFER)
    auditor = _client(make_user(Role.AUDITOR))
    assert auditor.get(reverse("payments:detail", args=[batch.pk])).status_code == 200
    assert auditor.get(reverse("payments:download", args=[batch.pk, "xml"])).status_code == 403
    auditor.post(reverse("payments:action", args=[batch.pk, "validate"]))
    batch.refresh_from_db()
    assert batch.state == BatchState.PREPARED


def test_it_shows_a_member_only_their_own_payments(make_user: Any) -> None:
    me, other = make_user(Role.MEMBER), make_user(Role.MEMBER)
    mine, theirs = member_make(user=me), member_make(user=other)
    claim_make(mine, amo="10.00", complementary="0.00")
    claim_make(theirs, amo="20.00", complementary="0.00")
    payment_batch_prepare(actor=make_user(Role.ACCOUNTANT), kind=BatchKind.MEMBER_TRANSFER)
    client = _client(me)
    own = client.get(reverse("payments:member", args=[mine.pk]))
    assert own.status_code == 200 and "10.00" in own.content.decode() and "20.00" not in own.content.decode()
    # Another member's page answers as a member that does not exist: no oracle of who is a member.
    assert client.get(reverse("payments:member", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("payments:member", args=[999999])).status_code == 404
    assert _client(make_user(Role.CLAIMS_OFFICER)).get(reverse("payments:member", args=[mine.pk])).status_code == 404


def test_it_gives_404_for_an_unknown_batch(client_for: Any) -> None:
    assert client_for(Role.ACCOUNTANT).get(reverse("payments:detail", args=[424242])).status_code == 404


def _queries_for(client: Client, url: str, django_assert_num_queries: Any) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_it_lists_batches_and_payments_with_a_constant_number_of_queries(
    make_user: Any, django_assert_num_queries: Any
) -> None:
    accountant = make_user(Role.ACCOUNTANT)
    client = _client(accountant)
    claim_make(member_make(), amo="10.00", complementary="0.00")
    first = payment_batch_prepare(actor=accountant, kind=BatchKind.MEMBER_TRANSFER)
    list_one = _queries_for(client, reverse("payments:list"), django_assert_num_queries)
    detail_one = _queries_for(client, reverse("payments:detail", args=[first.pk]), django_assert_num_queries)
    for _ in range(6):
        member = member_make()
        claim_make(member, amo="10.00", complementary="1.00")
        claim_make(member, amo="5.00", complementary="0.00")
    payment_batch_prepare(actor=accountant, kind=BatchKind.MEMBER_TRANSFER)
    many = PaymentBatch.objects.order_by("-pk").first()
    assert many is not None and many.payment_count == 6
    with django_assert_num_queries(list_one):
        client.get(reverse("payments:list"))
    with django_assert_num_queries(detail_one):
        client.get(reverse("payments:detail", args=[many.pk]))
    with django_assert_num_queries(_queries_for(client, reverse("payments:rejected"), django_assert_num_queries)):
        client.get(reverse("payments:rejected"))

"""Batch pages that say what they will do and what they did: the preview before a batch, the four-eyes
button shown only to whom may press it, messages with figures, a return imported twice, settled batches."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent
from payments.models import BatchKind, BatchState, Payment, PaymentBatch, ReturnImport
from payments.preview import batch_preview
from payments.services import (
    payment_batch_confirm,
    payment_batch_export,
    payment_batch_prepare,
    payment_batch_validate,
    payment_return_import,
)
from payments.services.returns import payment_return_import_outcome
from payments.tests.factories import claim_make, member_make, provider_make, rib_make

pytestmark = pytest.mark.django_db
FR = {"HTTP_ACCEPT_LANGUAGE": "fr"}


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _texts(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _exported(accountants: tuple[Any, Any], kind: str = BatchKind.MEMBER_TRANSFER) -> PaymentBatch:
    preparer, validator = accountants
    batch = payment_batch_prepare(actor=preparer, kind=kind)
    payment_batch_validate(actor=validator, batch=batch)
    payment_batch_export(actor=preparer, batch=batch, fmt="xml" if kind != BatchKind.POSTAL_ORDER else "csv")
    batch.refresh_from_db()
    return batch


def _return(*rows: str) -> bytes:
    return ("end_to_end_id;status;reason_code\n" + "\n".join(rows) + "\n").encode()


def test_it_previews_payments_totals_per_fund_and_exclusions_without_writing(accountants: tuple[Any, Any]) -> None:
    a, b = member_make(), member_make()
    claim_make(a, amo="80.00", complementary="12.50")
    claim_make(a, amo="120.00", complementary="30.00")  # same member: one payment
    claim_make(b, amo="64.00", complementary="10.00")
    postal = member_make(rib="")
    claim_make(postal, amo="40.00", complementary="5.00")
    claim_make(member_make(), amo="50.00", complementary="0.00", provider=provider_make(rib=None))
    events = AuditEvent.objects.count()
    preview = batch_preview(kind=BatchKind.MEMBER_TRANSFER)
    # Worked by hand: AMO 80 + 120 + 64 = 264.00, complementary 12.50 + 30 + 10 = 52.50, total 316.50.
    assert (preview.payments, preview.files, preview.total) == (2, 3, Decimal("316.50"))
    assert [(f.fund, f.amount) for f in preview.funds] == [
        ("amo", Decimal("264.00")),
        ("complementary", Decimal("52.50")),
    ]
    assert [(x.code, x.how_many, x.amount) for x in preview.exclusions] == [("no_rib", 1, Decimal("45.00"))]
    providers = batch_preview(kind=BatchKind.PROVIDER_TRANSFER)
    assert providers.payments == 0 and [(x.code, x.amount) for x in providers.exclusions] == [
        ("no_provider_account", Decimal("50.00"))
    ]
    assert PaymentBatch.objects.count() == 0 and AuditEvent.objects.count() == events
    # And the batch prepared now holds what the preview said.
    batch = payment_batch_prepare(actor=accountants[0], kind=BatchKind.MEMBER_TRANSFER)
    assert (batch.payment_count, batch.total) == (2, Decimal("316.50"))


def test_it_previews_a_wrong_rib_key_and_the_rejected_payments_by_their_correction(
    accountants: tuple[Any, Any],
) -> None:
    bad_key = rib_make(77)[:22] + "00" if not rib_make(77).endswith("00") else rib_make(77)[:22] + "01"
    wrong = member_make(rib=bad_key)
    claim_make(wrong, amo="10.00", complementary="0.00")
    rejected_member = member_make()
    claim_make(rejected_member, amo="30.00", complementary="5.00")
    batch = _exported(accountants)
    ref = batch.payments.get(member=rejected_member).end_to_end_id
    payment_return_import(actor=accountants[0], data=_return(f"{ref};RJCT;AC04"), file_name="r.csv")
    preview = batch_preview(kind=BatchKind.MEMBER_TRANSFER)
    assert preview.payments == 0 and preview.requeued == 0  # the RIB is still the rejected one
    assert [(x.code, x.how_many, x.amount) for x in preview.exclusions] == [("rejected_rib", 1, Decimal("35.00"))]
    type(rejected_member).objects.filter(pk=rejected_member.pk).update(rib=rib_make(999))
    claim_make(wrong, amo="20.00", complementary="0.00")
    preview = batch_preview(kind=BatchKind.MEMBER_TRANSFER)
    assert (preview.requeued, preview.requeued_amount, preview.total) == (1, Decimal("35.00"), Decimal("55.00"))
    assert preview.invalid_ribs == 1 and preview.invalid_rib_members == [wrong.membership_number]


def test_the_list_goes_through_the_preview_page_which_creates_the_batch_by_post(accountants: tuple[Any, Any]) -> None:
    claim_make(member_make(), amo="80.00", complementary="12.50")
    client = _client(accountants[0])
    page = client.get(reverse("payments:preview"), {"kind": BatchKind.MEMBER_TRANSFER}, **FR)
    assert page.status_code == 200 and PaymentBatch.objects.count() == 0
    html = page.content.decode()
    assert "92,50" in html and "Créer le lot" in html
    assert client.get(reverse("payments:preview"), {"kind": "bogus"}).status_code == 400
    response = client.post(reverse("payments:prepare"), {"kind": BatchKind.MEMBER_TRANSFER}, **FR)
    number = PaymentBatch.objects.get().number
    assert response.status_code == 302 and any(number in text for text in _texts(response))


def test_the_preparer_sees_why_not_validate_and_the_second_accountant_sees_the_button(
    accountants: tuple[Any, Any],
) -> None:
    preparer, validator = accountants
    claim_make(member_make(), amo="80.00", complementary="12.50")
    batch = payment_batch_prepare(actor=preparer, kind=BatchKind.MEMBER_TRANSFER)
    url = reverse("payments:detail", args=[batch.pk])
    mine = _client(preparer).get(url, **FR).content.decode()
    assert "Valider (second comptable)" not in mine
    assert "Un autre comptable doit valider ce lot : vous l’avez préparé." in mine
    theirs = _client(validator).get(url, **FR).content.decode()
    assert "Valider (second comptable)" in theirs and "Un autre comptable doit valider" not in theirs


def test_each_action_says_what_it_did_with_its_figures(accountants: tuple[Any, Any]) -> None:
    preparer, validator = accountants
    for n in range(3):
        claim_make(member_make(), amo="80.00", complementary=f"{n}.25")
    batch = payment_batch_prepare(actor=preparer, kind=BatchKind.MEMBER_TRANSFER)
    response = _client(validator).post(reverse("payments:action", args=[batch.pk, "validate"]), **FR)
    # 3 transfers: 80.25 + 81.25 + 82.25 = 243.75
    assert _texts(response) == [f"Lot {batch.number} validé : 3 virements, 243,75 MAD."]


def test_a_return_imported_again_says_so_and_changes_nothing(accountants: tuple[Any, Any]) -> None:
    claim_make(member_make(), amo="10.00", complementary="0.00")
    batch = _exported(accountants)
    data = _return(f"{batch.payments.get().end_to_end_id};PAID;")
    client = _client(accountants[1])
    first = client.post(reverse("payments:returns"), {"file": SimpleUploadedFile("r.csv", data)}, **FR)
    assert _texts(first)[0] == "Retour r.csv importé : 1 payé(s), 0 rejeté(s), 0 déjà connu(s)."
    events = AuditEvent.objects.count()
    again = client.post(reverse("payments:returns"), {"file": SimpleUploadedFile("copy.csv", data)}, **FR)
    text = _texts(again)[-1]  # the first message was never shown (no page between): still stored
    assert text.startswith("Le fichier r.csv a déjà été importé le ") and text.endswith(" : rien n’a changé.")
    assert ReturnImport.objects.count() == 1 and AuditEvent.objects.count() == events


def test_a_batch_is_settled_once_every_payment_has_its_answer(accountants: tuple[Any, Any]) -> None:
    preparer, validator = accountants
    claim_make(member_make(), amo="10.00", complementary="0.00")
    claim_make(member_make(), amo="20.00", complementary="0.00")
    batch = _exported(accountants)
    payment_batch_confirm(actor=validator, batch=batch)
    first, second = batch.payments.order_by("pk")
    outcome = payment_return_import_outcome(actor=preparer, data=_return(f"{first.end_to_end_id};PAID;"), file_name="a")
    batch.refresh_from_db()
    assert batch.state == BatchState.CONFIRMED and outcome.settled == []  # one answer still awaited
    outcome = payment_return_import_outcome(
        actor=preparer, data=_return(f"{second.end_to_end_id};RJCT;AC04"), file_name="b"
    )
    batch.refresh_from_db()
    assert batch.state == BatchState.SETTLED and outcome.settled == [batch.number]  # a rejection is an answer
    event = AuditEvent.objects.filter(object_type="payments.paymentbatch", object_id=str(batch.pk)).latest("id")
    assert event.after["state"] == "settled"
    page = _client(preparer).get(reverse("payments:detail", args=[batch.pk]), **FR).content.decode()
    assert "Compte clôturé" in page and '<bdi class="code text-muted">AC04</bdi>' in page  # the code beside its words
    assert "Soldé" in page
    # A settled batch still gives its exported file again (a GET), and is not confirmed twice.
    response = _client(preparer).get(reverse("payments:download", args=[batch.pk, "xml"]))
    assert response.status_code == 200
    assert Payment.objects.filter(batch=batch, state="exported").count() == 0

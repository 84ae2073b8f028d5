from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from claims.models import ClaimStatus
from payments.models import BatchKind, Fund, FundEntry, Payment, PaymentState, ReturnImport
from payments.services import (
    PaymentError,
    payment_batch_export,
    payment_batch_prepare,
    payment_batch_validate,
    payment_requeue,
    payment_return_import,
)
from payments.tests.factories import claim_make, member_make, rib_make

pytestmark = pytest.mark.django_db


def _batch(accountants: tuple[Any, Any]) -> list[Payment]:
    preparer, validator = accountants
    batch = payment_batch_prepare(actor=preparer, kind=BatchKind.MEMBER_TRANSFER)
    payment_batch_validate(actor=validator, batch=batch)
    payment_batch_export(actor=preparer, batch=batch)
    return list(batch.payments.order_by("pk"))


def _csv(*rows: str) -> bytes:
    return ("end_to_end_id;status;reason_code;value_date\n" + "\n".join(rows) + "\n").encode()


def test_it_marks_paid_and_rejected_and_a_second_import_changes_nothing(accountants: tuple[Any, Any]) -> None:
    ok_claim = claim_make(member_make(), amo="100.00", complementary="20.00")
    bad_member = member_make()
    bad_claim = claim_make(bad_member, amo="40.00", complementary="0.00")
    paid, rejected = _batch(accountants)
    data = _csv(f"{paid.end_to_end_id};PAID;;2025-03-20", f"{rejected.end_to_end_id};REJECTED;AC04;")

    first = payment_return_import(actor=accountants[0], data=data, file_name="ret.csv")
    again = payment_return_import(actor=accountants[1], data=data, file_name="ret-copy.csv")

    assert again.pk == first.pk and ReturnImport.objects.count() == 1
    assert (first.lines, first.paid, first.rejected) == (2, 1, 1)
    paid.refresh_from_db()
    rejected.refresh_from_db()
    assert paid.state == PaymentState.PAID and str(paid.paid_on) == "2025-03-20"
    assert rejected.state == PaymentState.REJECTED and rejected.reject_reason == "AC04"
    ok_claim.refresh_from_db()
    bad_claim.refresh_from_db()
    assert ok_claim.status == ClaimStatus.PAID and bad_claim.status == ClaimStatus.IN_PAYMENT
    # 100.00 to the AMO fund and 20.00 to the complementary fund, once.
    assert sorted(FundEntry.objects.values_list("fund", "amount")) == [
        (Fund.AMO, Decimal("100.00")),
        (Fund.COMPLEMENTARY, Decimal("20.00")),
    ]
    # Another file saying the same thing again counts it as known and changes nothing.
    repeat = payment_return_import(actor=accountants[0], data=_csv(f"{paid.end_to_end_id};ACSC;;"), file_name="r2")
    assert (repeat.paid, repeat.unchanged) == (0, 1) and FundEntry.objects.count() == 2


def test_it_requeues_a_rejected_payment_once_the_rib_is_corrected(accountants: tuple[Any, Any]) -> None:
    member = member_make()
    claim = claim_make(member, amo="40.00", complementary="0.00")
    (payment,) = _batch(accountants)
    payment_return_import(actor=accountants[0], data=_csv(f"{payment.end_to_end_id};RJCT;AC01;"), file_name="r")
    with pytest.raises(PaymentError) as exc:
        payment_requeue(actor=accountants[0], payment=payment)
    assert exc.value.code == "rib"
    with pytest.raises(PaymentError):
        payment_batch_prepare(actor=accountants[0], kind=BatchKind.MEMBER_TRANSFER)  # nothing payable yet

    member.rib = rib_make(99999, bank="007")
    member.save(update_fields=["rib"])
    # Preparing picks up corrected accounts by itself: a new live payment for the same claim.
    (new,) = _batch(accountants)
    assert new.pk != payment.pk and new.rib == member.rib
    assert new.claim_links.get().claim_id == claim.pk
    payment.refresh_from_db()
    assert payment.requeued_at is not None and payment.state == PaymentState.REJECTED


def test_it_imports_every_row_or_none_and_reports_the_bad_ones(accountants: tuple[Any, Any]) -> None:
    claim_make(member_make(), amo="10.00", complementary="0.00")
    claim_make(member_make(), amo="10.00", complementary="0.00")
    one, two = _batch(accountants)
    data = _csv(f"{one.end_to_end_id};PAID;;", "PB99999999-0000001;PAID;;", f"{two.end_to_end_id};PAID;;bad")
    with pytest.raises(PaymentError) as exc:
        payment_return_import(actor=accountants[0], data=data, file_name="r")
    assert [(e.line, e.field) for e in exc.value.details] == [(4, "value_date")]
    data = _csv(f"{one.end_to_end_id};PAID;;", "PB99999999-0000001;PAID;;")
    with pytest.raises(PaymentError) as exc:
        payment_return_import(actor=accountants[0], data=data, file_name="r")
    assert [(e.line, e.field) for e in exc.value.details] == [(3, "end_to_end_id")]
    assert not ReturnImport.objects.exists()
    assert set(Payment.objects.values_list("state", flat=True)) == {PaymentState.EXPORTED}


def test_it_reads_a_camt054_return(accountants: tuple[Any, Any]) -> None:
    claim_make(member_make(), amo="10.00", complementary="0.00")
    (payment,) = _batch(accountants)
    data = f"""<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08"><BkToCstmrDbtCdtNtfctn>
      <Ntfctn><Ntry><Amt Ccy="MAD">10.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><NtryDtls>
      <TxDtls><Refs><EndToEndId>{payment.end_to_end_id}</EndToEndId></Refs><Amt Ccy="MAD">10.00</Amt>
      <RtrInf><Rsn><Cd>AC06</Cd></Rsn></RtrInf></TxDtls></NtryDtls></Ntry></Ntfctn>
      </BkToCstmrDbtCdtNtfctn></Document>""".encode()
    record = payment_return_import(actor=accountants[0], data=data, file_name="camt.xml")
    assert record.format == ReturnImport.Format.CAMT054 and record.rejected == 1
    payment.refresh_from_db()
    assert payment.reject_reason == "AC06" and not payment.claim_links.get().live

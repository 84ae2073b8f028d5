"""An advance is withheld from the payment of its care's claim file: the member is paid the reimbursement
less what is still owed (never below zero, the rest stays owed), line by line, repaid once paid."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from allowances.models import Advance, AdvanceState, RepaymentKind
from allowances.services.advances import advance_claim_link, advance_create, advance_decide
from allowances.services.errors import AllowanceError
from allowances.tests.factories import family_make
from claims.models import ClaimFile, ClaimStatus
from payments.models import BatchKind, Fund, FundEntry, Payment, PaymentBatch, PaymentState, PaymentWithholding
from payments.services import (
    payment_batch_cancel,
    payment_batch_export,
    payment_batch_prepare,
    payment_batch_validate,
    payment_return_import,
)
from payments.tests.factories import claim_make, member_make

pytestmark = pytest.mark.django_db


def _returned(agents: dict[str, Any], payments: list[Payment], status: str = "PAID", name: str = "r.csv") -> None:
    reason = "AC04" if status == "REJECTED" else ""
    body = "".join(f"{p.end_to_end_id};{status};{reason};2026-09-01\n" for p in payments)
    data = f"end_to_end_id;status;reason_code;value_date\n{body}".encode()
    payment_return_import(actor=agents["approver"], data=data, file_name=name)


def _exported(agents: dict[str, Any], kind: str = BatchKind.MEMBER_TRANSFER) -> PaymentBatch:
    batch = payment_batch_prepare(actor=agents["approver"], kind=kind)
    payment_batch_validate(actor=agents["approver2"], batch=batch)
    payment_batch_export(actor=agents["approver"], batch=batch)
    return batch


def _paid_advance(agents: dict[str, Any], amount: str) -> Advance:
    member = family_make(status="active")
    advance = advance_create(actor=agents["reception"], member=member, quote_reference="DEVIS-7", rib=member.rib,
                             quote_amount=Decimal("9000.00"), amount=Decimal(amount))  # fmt: skip
    advance_decide(actor=agents["approver"], advance=advance, to=AdvanceState.APPROVED)
    batch = _exported(agents, BatchKind.ALLOWANCE_TRANSFER)
    _returned(agents, list(batch.payments.all()), name=f"adv-{advance.pk}.csv")
    advance.refresh_from_db()
    assert advance.state == AdvanceState.PAID
    return advance


def _claim(advance: Advance, amo: str, complementary: str) -> ClaimFile:
    claim = claim_make(advance.member, amo=amo, complementary=complementary, status=ClaimStatus.ADJUDICATED)
    ClaimFile.objects.filter(pk=claim.pk).update(status=ClaimStatus.APPROVED)
    return claim


def test_it_pays_nothing_when_the_advance_exceeds_the_reimbursement(agents: dict[str, Any]) -> None:
    advance = _paid_advance(agents, "3000.00")
    claim = _claim(advance, amo="2000.00", complementary="450.40")  # reimburses 2,450.40
    advance_claim_link(actor=agents["reception"], advance=advance, claim_number=claim.number)
    other = claim_make(member_make(), amo="100.00", complementary="20.00")  # someone else, paid in full
    batch = _exported(agents)
    mine = batch.payments.get(member=advance.member)
    # 2,450.40 − min(3,000.00 owed, 2,450.40) = 0.00 paid; 3,000.00 − 2,450.40 = 549.60 still owed.
    assert (mine.amo + mine.complementary, mine.withheld, mine.amount) == (
        Decimal("2450.40"), Decimal("2450.40"), Decimal("0.00"))  # fmt: skip
    lines = list(PaymentWithholding.objects.filter(payment=mine).values_list("label", "claim_id", "amount"))
    assert lines == [(advance.number, claim.pk, Decimal("2450.40"))]
    batch.refresh_from_db()
    # The batch's total is what the bank pays: 2,450.40 + 120.00 − 2,450.40.
    assert (batch.total_withheld, batch.total) == (Decimal("2450.40"), Decimal("120.00"))
    # Not in the bank file (a 0.00 transfer); settled by the withholding at export.
    xml = payment_batch_export(actor=agents["approver"], batch=batch).decode()
    assert mine.end_to_end_id not in xml and batch.payments.get(member=other.member).end_to_end_id in xml
    mine.refresh_from_db()
    claim.refresh_from_db()
    advance.refresh_from_db()
    assert (mine.state, claim.status) == (PaymentState.PAID, ClaimStatus.PAID)
    assert (advance.owed, advance.state) == (Decimal("549.60"), AdvanceState.PAID)
    repayments = list(advance.repayments.values_list("kind", "claim_id", "amount"))
    assert repayments == [(RepaymentKind.CLAIM, claim.pk, Decimal("2450.40"))]
    # Nothing went through the bank for this member: 2,000.00 + 450.40 − 2,450.40 in the ledger.
    entries = dict(FundEntry.objects.filter(payment=mine).values_list("fund", "amount"))
    assert entries == {Fund.AMO: Decimal("2000.00"), Fund.COMPLEMENTARY: Decimal("450.40"),
                       Fund.ADVANCES: Decimal("-2450.40")}  # fmt: skip


def test_it_pays_the_rest_when_the_reimbursement_exceeds_the_advance(agents: dict[str, Any]) -> None:
    advance = _paid_advance(agents, "2450.40")
    claim = _claim(advance, amo="2500.00", complementary="500.00")  # reimburses 3,000.00
    second = _claim(advance, amo="80.00", complementary="8.00")  # another care: not the advance's
    advance_claim_link(actor=agents["reception"], advance=advance, claim_number=claim.number)
    batch = _exported(agents)
    (mine,) = batch.payments.filter(member=advance.member)
    # 3,000.00 + 88.00 − 2,450.40 = 637.60 to the bank; the other file is not touched.
    assert (mine.withheld, mine.amount) == (Decimal("2450.40"), Decimal("637.60"))
    assert mine.state == PaymentState.EXPORTED
    advance.refresh_from_db()
    assert advance.owed == Decimal("2450.40")  # repaid only once the bank has paid
    _returned(agents, [mine])
    advance.refresh_from_db()
    assert (advance.owed, advance.state) == (Decimal("0.00"), AdvanceState.REPAID)
    assert second.pk not in set(advance.repayments.values_list("claim_id", flat=True))
    # The ledger books the care at its cost and the advance as repaid: AMO 2,500.00 + 80.00,
    # complementary 500.00 + 8.00, advances -2,450.40; together 637.60, what the bank paid.
    entries = dict(FundEntry.objects.filter(payment=mine).values_list("fund", "amount"))
    assert entries == {Fund.AMO: Decimal("2580.00"), Fund.COMPLEMENTARY: Decimal("508.00"),
                       Fund.ADVANCES: Decimal("-2450.40")}  # fmt: skip
    mine.refresh_from_db()
    assert sum(entries.values()) == mine.amount == Decimal("637.60")


def test_it_withholds_again_after_a_rejection_and_never_twice(agents: dict[str, Any]) -> None:
    advance = _paid_advance(agents, "1000.00")
    claim = _claim(advance, amo="1200.00", complementary="300.00")  # reimburses 1,500.00
    advance_claim_link(actor=agents["reception"], advance=advance, claim_number=claim.number)
    batch = _exported(agents)
    (first,) = batch.payments.filter(member=advance.member)
    _returned(agents, [first], status="REJECTED")
    advance.refresh_from_db()
    assert advance.owed == Decimal("1000.00") and not advance.repayments.exists()
    # A new RIB makes the claim payable again: the next batch withholds the same 1,000.00 (500.00 paid).
    from members.models import Member
    from payments.tests.factories import rib_make

    Member.objects.filter(pk=advance.member_id).update(rib=rib_make(990001))
    again = _exported(agents)
    (second,) = again.payments.filter(member=advance.member)
    assert (second.withheld, second.amount) == (Decimal("1000.00"), Decimal("500.00"))
    _returned(agents, [second], name="r2.csv")
    advance.refresh_from_db()
    assert advance.state == AdvanceState.REPAID and advance.repayments.count() == 1


def test_it_withholds_nothing_from_a_cancelled_batch(agents: dict[str, Any]) -> None:
    advance = _paid_advance(agents, "1000.00")
    claim = _claim(advance, amo="400.00", complementary="100.00")  # reimburses 500.00
    advance_claim_link(actor=agents["reception"], advance=advance, claim_number=claim.number)
    claim_make(member_make(), amo="100.00", complementary="20.00")  # a bank file needs one transfer
    batch = payment_batch_prepare(actor=agents["approver"], kind=BatchKind.MEMBER_TRANSFER)
    payment_batch_cancel(actor=agents["approver"], batch=batch)
    again = _exported(agents)
    (payment,) = again.payments.filter(member=advance.member)
    assert (payment.withheld, payment.amount, payment.state) == (Decimal("500.00"), Decimal("0.00"), PaymentState.PAID)
    advance.refresh_from_db()
    assert advance.owed == Decimal("500.00")


def test_it_refuses_to_tie_an_advance_to_another_member_s_or_a_paid_claim(agents: dict[str, Any]) -> None:
    advance = _paid_advance(agents, "1000.00")
    stranger = claim_make(member_make(), amo="10.00", complementary="1.00")
    paid = claim_make(advance.member, amo="10.00", complementary="1.00", status=ClaimStatus.PAID)
    for number, code in ((stranger.number, "claim"), (paid.number, "claim_state"), ("RC-NONE", "claim")):
        with pytest.raises(AllowanceError) as exc:
            advance_claim_link(actor=agents["reception"], advance=advance, claim_number=number)
        assert exc.value.code == code
    advance.refresh_from_db()
    assert advance.claim_id is None
    with pytest.raises(AllowanceError):
        advance_claim_link(actor=agents["auditor"], advance=advance, claim_number=paid.number)


def test_it_ties_the_claim_from_the_advances_page_and_shows_the_repayment_line(
    agents: dict[str, Any], client: Any
) -> None:
    from django.urls import reverse

    advance = _paid_advance(agents, "1000.00")
    claim = _claim(advance, amo="1200.00", complementary="300.00")
    client.force_login(agents["reception"])
    url = reverse("allowances:advance_action", args=[advance.pk, "claim"])
    assert client.post(url, {"claim_number": "=HYPERLINK(1)"}).status_code == 302  # refused with a message
    advance.refresh_from_db()
    assert advance.claim_id is None
    client.post(url, {"claim_number": claim.number})
    advance.refresh_from_db()
    assert advance.claim_id == claim.pk
    assert claim.number in client.get(reverse("allowances:advances")).content.decode()
    claim_make(member_make(), amo="10.00", complementary="1.00")
    _exported(agents)
    client.force_login(agents["approver"])
    page = client.get(reverse("payments:member", args=[advance.member_id])).content.decode()
    # 1,500.00 reimbursed, 1,000.00 repays the advance, 500.00 paid.
    assert f"Repayment of advance no. {advance.number}" in page
    assert "1,500.00" in page and "−1,000.00" in page and "500.00" in page


def test_it_keeps_a_batch_of_0_00_payments_from_the_bank_until_someone_is_paid(agents: dict[str, Any]) -> None:
    advance = _paid_advance(agents, "3000.00")
    claim = _claim(advance, amo="2000.00", complementary="450.40")
    advance_claim_link(actor=agents["reception"], advance=advance, claim_number=claim.number)
    # Alone in its batch, the 0.00 payment has no bank file to go in: the batch ends cancelled and the
    # file waits, "approved", with nothing repaid yet.
    lone = payment_batch_prepare(actor=agents["approver"], kind=BatchKind.MEMBER_TRANSFER)
    claim.refresh_from_db()
    assert (lone.state, claim.status) == ("cancelled", ClaimStatus.APPROVED)
    assert lone.payments.get().state == PaymentState.CANCELLED
    advance.refresh_from_db()
    assert advance.owed == Decimal("3000.00")
    claim_make(member_make(), amo="100.00", complementary="20.00")  # someone to pay: a bank file
    batch = _exported(agents)
    mine = batch.payments.get(member=advance.member)
    assert (mine.amount, mine.withheld, mine.state) == (Decimal("0.00"), Decimal("2450.40"), PaymentState.PAID)
    advance.refresh_from_db()
    assert advance.owed == Decimal("549.60")

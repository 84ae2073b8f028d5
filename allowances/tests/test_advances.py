"""Advances on the quote of costly care: four eyes, paid through a batch, repaid by the care's claim,
by instalments or from an allowance, what is owed on the member's file."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from allowances.models import Advance, AdvanceState, RepaymentKind
from allowances.selectors import member_allowances
from allowances.services.advances import advance_claim_link, advance_create, advance_decide, advance_instalment_record
from allowances.services.errors import AllowanceError
from allowances.tests.factories import family_make
from payments.models import BatchKind, Fund, FundEntry
from payments.services import payment_batch_export, payment_batch_prepare, payment_batch_validate, payment_return_import

pytestmark = pytest.mark.django_db


def _advance(agents: dict[str, Any], member: Any = None) -> Advance:
    member = member or family_make(status="active")
    return advance_create(actor=agents["reception"], member=member, quote_reference="DEVIS-2026-118",
                          quote_amount=Decimal("24000.00"), amount=Decimal("8000.00"), rib=member.rib,
                          instalment=Decimal("500.00"))  # fmt: skip


def _paid(agents: dict[str, Any], advance: Advance) -> Advance:
    advance_decide(actor=agents["approver"], advance=advance, to=AdvanceState.APPROVED)
    batch = payment_batch_prepare(actor=agents["approver"], kind=BatchKind.ALLOWANCE_TRANSFER)
    payment_batch_validate(actor=agents["approver2"], batch=batch)
    payment_batch_export(actor=agents["approver"], batch=batch)
    (payment,) = batch.payments.all()
    data = f"end_to_end_id;status;reason_code;value_date\n{payment.end_to_end_id};PAID;;2026-09-01\n".encode()
    payment_return_import(actor=agents["approver"], data=data, file_name="adv.csv")
    advance.refresh_from_db()
    return advance


def test_it_refuses_an_advance_above_the_quote_or_approved_by_its_filer(agents: dict[str, Any], make_user: Any) -> None:
    from accounts.roles import Role

    member = family_make(status="active")
    with pytest.raises(AllowanceError):
        advance_create(actor=agents["reception"], member=member, quote_reference="D", quote_amount=Decimal("100"),
                       amount=Decimal("100.01"), rib=member.rib)  # fmt: skip
    # An accountant who filed it (with reception's permission too) cannot approve it.
    both = make_user(Role.ACCOUNTANT)
    from django.contrib.auth.models import Permission

    both.user_permissions.add(Permission.objects.get(codename="file_allowancerequest"))
    both = type(both).objects.get(pk=both.pk)
    advance = advance_create(actor=both, member=member, quote_reference="D", quote_amount=Decimal("100"),
                             amount=Decimal("50"), rib=member.rib)  # fmt: skip
    with pytest.raises(AllowanceError) as exc:
        advance_decide(actor=both, advance=advance, to=AdvanceState.APPROVED)
    assert exc.value.code == "four_eyes"


def test_it_pays_an_advance_through_a_batch_and_books_it_apart(agents: dict[str, Any]) -> None:
    advance = _paid(agents, _advance(agents))
    assert advance.state == AdvanceState.PAID and advance.owed == Decimal("8000.00")
    assert list(FundEntry.objects.values_list("fund", "amount")) == [(Fund.ADVANCES, Decimal("8000.00"))]


def test_it_is_repaid_by_the_claim_of_the_care_then_by_instalments(agents: dict[str, Any]) -> None:
    from payments.tests.factories import claim_make, member_make

    advance = _paid(agents, _advance(agents))
    claim = claim_make(advance.member, amo="6000.00", complementary="1200.00")
    claim_make(member_make(), amo="10.00", complementary="1.00")  # someone else: the bank file has a transfer
    # The claim reimburses 7,200.00: all of it repays the advance (0.00 paid), 800.00 still owed.
    advance_claim_link(actor=agents["reception"], advance=advance, claim_number=claim.number)
    batch = payment_batch_prepare(actor=agents["approver"], kind=BatchKind.MEMBER_TRANSFER)
    payment_batch_validate(actor=agents["approver2"], batch=batch)
    payment_batch_export(actor=agents["approver"], batch=batch)
    advance.refresh_from_db()
    assert advance.owed == Decimal("800.00")
    advance_instalment_record(actor=agents["approver"], advance=advance, amount=Decimal("500.00"))
    with pytest.raises(AllowanceError):  # 500.00 more than the 300.00 owed
        advance_instalment_record(actor=agents["approver"], advance=advance, amount=Decimal("500.00"))
    advance_instalment_record(actor=agents["approver"], advance=advance, amount=Decimal("300.00"))
    advance.refresh_from_db()
    assert advance.state == AdvanceState.REPAID and advance.owed == 0
    kinds = list(advance.repayments.values_list("kind", "amount"))
    assert kinds == [(RepaymentKind.CLAIM, Decimal("7200.00")), (RepaymentKind.INSTALMENT, Decimal("500.00")),
                     (RepaymentKind.INSTALMENT, Decimal("300.00"))]  # fmt: skip


def test_it_shows_what_is_still_owed_on_the_member_s_file(agents: dict[str, Any], make_user: Any) -> None:
    from accounts.roles import Role

    advance = _paid(agents, _advance(agents))
    advance_instalment_record(actor=agents["approver"], advance=advance, amount=Decimal("500.00"))
    section = member_allowances(user=agents["auditor"], member=advance.member)
    assert section is not None and section["advances_owed"] == Decimal("7500.00")
    # A reader without the allowances' permission gets no section.
    assert member_allowances(user=make_user(Role.MEMBER), member=advance.member) is None

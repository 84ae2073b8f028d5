"""Requests of allowances: conditions as data, the checklist, four eyes, deductions line by line, shares."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from allowances.models import (
    Advance,
    AllowanceRate,
    AllowanceRequest,
    AllowanceTransition,
    AllowanceType,
    RefusalReason,
    RequestState,
)
from allowances.services.decisions import (
    allowance_request_approve,
    allowance_request_check,
    allowance_request_move,
    allowance_request_refuse,
)
from allowances.services.errors import AllowanceError
from allowances.services.requests import ShareInput, allowance_request_create, allowance_shares_set
from allowances.tests.conftest import arrears_make
from allowances.tests.factories import death_type, documents_complete, family_make, rib_make
from audit.models import AuditEvent

pytestmark = pytest.mark.django_db

DIED = dt.date(2026, 6, 15)


def _filed(agents: dict[str, Any], member: Any, *, type: AllowanceType | None = None, event: dt.date = DIED,
           **kwargs: Any) -> AllowanceRequest:  # fmt: skip
    return allowance_request_create(actor=agents["reception"], member=member, type=type or death_type(),
                                    event_date=event, claimant_name="Khadija Alaoui", **kwargs)  # fmt: skip


def _payees_with_ribs(agents: dict[str, Any], request: AllowanceRequest, n0: int = 500) -> None:
    payees = [ShareInput(s.relation, s.name, s.name_ar, rib_make(n0 + i), s.parts, s.beneficiary_id, s.birth_date)
              for i, s in enumerate(request.shares.order_by("rank"))]  # fmt: skip
    allowance_shares_set(actor=agents["reception"], request=request, payees=payees)


def _ready(agents: dict[str, Any], request: AllowanceRequest) -> AllowanceRequest:
    _payees_with_ribs(agents, request)
    documents_complete(actor=agents["reception"], request=request)
    return allowance_request_check(actor=agents["checker"], request=request)


def test_it_proposes_the_spouse_and_the_children_in_school_as_heirs(agents: dict[str, Any]) -> None:
    request = _filed(agents, family_make(children=2))
    assert [s.relation for s in request.shares.order_by("rank")] == ["spouse", "child", "child"]
    # The deadline told to the family: filed today + the rate's 90 days.
    assert request.deadline == request.filed_on + dt.timedelta(days=90)


def test_it_refuses_the_death_allowance_before_one_year_of_membership(agents: dict[str, Any]) -> None:
    # Joined 16 June 2025, died 15 June 2026: 11 whole months, the rate asks 12.
    request = _filed(agents, family_make(joined_on=dt.date(2025, 6, 16)))
    _payees_with_ribs(agents, request)
    documents_complete(actor=agents["reception"], request=request)
    with pytest.raises(AllowanceError) as exc:
        allowance_request_check(actor=agents["checker"], request=request)
    assert exc.value.code == RefusalReason.MEMBERSHIP_TOO_SHORT
    refused = allowance_request_refuse(actor=agents["approver"], request=request,
                                       reason=RefusalReason.MEMBERSHIP_TOO_SHORT)  # fmt: skip
    assert refused.state == RequestState.REFUSED and refused.net == Decimal("0.00")


def test_it_pays_the_death_allowance_after_one_year_of_membership(agents: dict[str, Any]) -> None:
    # Joined 15 June 2025, died 15 June 2026: twelve whole months, 50,000.00 to share.
    request = _ready(agents, _filed(agents, family_make(joined_on=dt.date(2025, 6, 15), children=1)))
    assert request.state == RequestState.CHECKED
    assert request.gross == Decimal("50000.00") and request.net == Decimal("50000.00")
    # Two heirs: 25,000.00 each.
    assert [s.amount for s in request.shares.order_by("rank")] == [Decimal("25000.00")] * 2


def test_it_deducts_arrears_and_splits_the_net_among_three_heirs(agents: dict[str, Any]) -> None:
    member = family_make(children=2)
    # Two months unpaid at 60.00 (45.00 complementary + 15.00 death fund) before the death: 120.00.
    arrears_make(member, months=[dt.date(2026, 3, 1), dt.date(2026, 4, 1)], amount="60.00")
    request = _ready(agents, _filed(agents, member))
    # 50,000.00 - 120.00 = 49,880.00; / 3 heirs = 16,626.66 rest 0.02 to the first: 16,626.68.
    assert (request.gross, request.deductions, request.net) == (Decimal("50000.00"), Decimal("120.00"),
                                                                Decimal("49880.00"))  # fmt: skip
    assert [(d.kind, d.amount) for d in request.deduction_lines.all()] == [("arrears", Decimal("120.00"))]
    assert [s.amount for s in request.shares.order_by("rank")] == [
        Decimal("16626.68"), Decimal("16626.66"), Decimal("16626.66")]  # fmt: skip


def test_it_deducts_an_advance_still_owed_line_by_line(agents: dict[str, Any]) -> None:
    member = family_make(children=0)
    arrears_make(member, months=[dt.date(2026, 5, 1)], amount="60.00")
    advance = Advance.objects.create(number="AV1", member=member, quote_reference="D-1", quote_amount=Decimal("9000"),
                                     amount=Decimal("3000.00"), repaid=Decimal("1000.00"), rib=rib_make(900),
                                     state="paid", created_at=dt.datetime(2026, 1, 5, tzinfo=dt.UTC))  # fmt: skip
    request = _ready(agents, _filed(agents, member))
    # 50,000.00 - 60.00 arrears - 2,000.00 still owed on the advance = 47,940.00, all to the spouse.
    assert [(d.kind, d.amount) for d in request.deduction_lines.order_by("kind")] == [
        ("advance", Decimal("2000.00")), ("arrears", Decimal("60.00"))]  # fmt: skip
    assert request.net == Decimal("47940.00")
    approved = allowance_request_approve(actor=agents["approver"], request=request)
    assert approved.state == RequestState.APPROVED
    advance.refresh_from_db()
    assert advance.owed == Decimal("0.00") and advance.state == "repaid"


def test_it_refuses_the_approval_by_the_agent_who_checked(agents: dict[str, Any], make_user: Any) -> None:
    from accounts.roles import Role

    accountant = make_user(Role.ACCOUNTANT)
    request = _filed(agents, family_make())
    _payees_with_ribs(agents, request)
    documents_complete(actor=agents["reception"], request=request)
    checked = allowance_request_check(actor=accountant, request=request)
    with pytest.raises(AllowanceError) as exc:
        allowance_request_approve(actor=accountant, request=checked)
    assert exc.value.code == "four_eyes"
    # And the database says so too.
    with pytest.raises(IntegrityError), transaction.atomic():
        AllowanceRequest.objects.filter(pk=request.pk).update(approved_by=accountant, state="approved")
    assert allowance_request_approve(actor=agents["approver"], request=checked).approved_by == agents["approver"]


def test_it_lists_what_is_missing_and_refuses_the_check_until_complete(agents: dict[str, Any]) -> None:
    request = _filed(agents, family_make(children=1))
    _payees_with_ribs(agents, request)
    with pytest.raises(AllowanceError) as exc:
        allowance_request_check(actor=agents["checker"], request=request)
    assert exc.value.code == "missing"
    incomplete = allowance_request_move(actor=agents["reception"], request=request, to=RequestState.INCOMPLETE)
    documents_complete(actor=agents["reception"], request=incomplete)
    back = allowance_request_move(actor=agents["reception"], request=incomplete, to=RequestState.RECEIVED)
    assert allowance_request_check(actor=agents["checker"], request=back).state == RequestState.CHECKED


def test_it_refuses_a_second_live_request_for_the_same_death(agents: dict[str, Any]) -> None:
    member = family_make()
    first = _filed(agents, member)
    with pytest.raises(AllowanceError) as exc:
        _filed(agents, member)
    assert exc.value.code == "duplicate" and first.number in str(exc.value.message)


def test_it_applies_the_rate_of_the_event_day_never_rewriting_the_past(agents: dict[str, Any], make_user: Any) -> None:
    from accounts.roles import Role
    from referentials.services import referential_row_replace

    rate = AllowanceRate.objects.get(type=death_type())
    referential_row_replace(actor=make_user(Role.ADMINISTRATOR), row=rate, valid_from=dt.date(2026, 7, 1),
                            changes={"amount": Decimal("60000.00")})  # fmt: skip
    before = _ready(agents, _filed(agents, family_make(children=0)))
    after = _ready(agents, _filed(agents, family_make(children=0), event=dt.date(2026, 7, 1)))
    # A death on 15 June 2026 keeps 50,000.00; from 1 July 2026 the new row's 60,000.00.
    assert (before.gross, after.gross) == (Decimal("50000.00"), Decimal("60000.00"))


def test_it_pays_an_administrator_type_from_its_data_alone(agents: dict[str, Any]) -> None:
    # A birth bonus added in the admin: 1,000.00 to the member, six months of membership, a birth certificate.
    bonus = AllowanceType.objects.create(code="birth", label_fr="Prime de naissance", label_ar="منحة الولادة",
                                         label_en="Birth bonus", event="birth", payee="member",
                                         required_documents=["birth_certificate"])  # fmt: skip
    AllowanceRate.objects.create(type=bonus, amount=Decimal("1000.00"), valid_from=dt.date(2024, 1, 1),
                                 min_membership_months=6)  # fmt: skip
    member = family_make(status="active")
    request = _filed(agents, member, type=bonus, event=dt.date(2026, 9, 1))
    assert [(s.relation, s.rib) for s in request.shares.all()] == [("member", member.rib)]
    documents_complete(actor=agents["reception"], request=request)
    checked = allowance_request_check(actor=agents["checker"], request=request)
    assert checked.net == Decimal("1000.00")


def test_it_pays_orphan_schooling_per_child_within_the_age_limit(agents: dict[str, Any]) -> None:
    # Children born 1 Feb 2003 (23 on 1 Sep 2026: beyond 21), 2008 (18) and 2009 (17): two children paid, 700.00 each.
    member = family_make(children=2)
    from members.models import Beneficiary

    Beneficiary.objects.create(member=member, relation="child", rank=9, card_number=f"{member.membership_number}-09",
                               last_name="Alaoui", first_name="Old", last_name_ar="العلوي", first_name_ar="كبير",
                               birth_date=dt.date(2003, 2, 1), sex="M")  # fmt: skip
    orphan = AllowanceType.objects.get(code="orphan_schooling")
    request = _filed(agents, member, type=orphan, event=dt.date(2026, 9, 1), year=2026)
    assert request.shares.count() == 2
    checked = _ready(agents, request)
    assert checked.gross == Decimal("1400.00")
    assert [s.amount for s in checked.shares.all()] == [Decimal("700.00"), Decimal("700.00")]


def test_it_records_every_step_in_the_history_and_the_audit(agents: dict[str, Any]) -> None:
    request = _ready(agents, _filed(agents, family_make()))
    allowance_request_approve(actor=agents["approver"], request=request)
    steps = list(AllowanceTransition.objects.filter(request=request).values_list("frm", "to"))
    assert steps == [("", "received"), ("received", "checked"), ("checked", "approved")]
    actions = set(AuditEvent.objects.filter(object_type="allowances.allowancerequest", object_id=str(request.pk))
                  .values_list("action", flat=True))  # fmt: skip
    assert {"create", "update", "transition"} <= actions


def test_it_queues_the_family_notifications_in_the_outbox(agents: dict[str, Any]) -> None:
    from jobs.models import Job

    request = _ready(agents, _filed(agents, family_make()))
    allowance_request_approve(actor=agents["approver"], request=request)
    items = [it for job in Job.objects.filter(kind="members.notify") for it in job.params["items"]]
    assert items and all(member == request.member_id for member, _params in items)

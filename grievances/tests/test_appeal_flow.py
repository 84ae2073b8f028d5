"""Done when: a member appeals a rejected line, the committee upholds it, the line is adjudicated again
and paid by a batch, the difference only. Figures worked by hand from the seeded referentials:

- CONS-G paid 100.00: basis C = 80.00, AMO 80 % = 64.00, complementary +10.00 flat: 74.00 reimbursed.
- COURONNE paid 1,200.00 without a prior approval: rejected, 0.00.
  First batch: 74.00 (AMO 64.00, complementary 10.00).
- The committee upholds with the approval granted after the fact: COURONNE again, basis = the flat
  tariff 1,000.00 (below 1,200.00 paid), AMO 80 % = 800.00, complementary 20 % of the basis = 200.00
  (within 1,200.00 − 800.00), remainder 200.00. Second batch: 1,000.00 exactly, nothing of the 74.00.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from accounts.roles import Role
from claims.models import ClaimFile, ClaimStatus, LineStatus
from claims.services.approvals import prior_approval_decide, prior_approval_request
from claims.services.workflow import claim_transition
from claims.tests.factories import holder
from grievances.models import AnswerReason, Channel, Kind, Outcome, Status
from grievances.services import (
    Answer,
    Contested,
    GrievanceError,
    LineChange,
    grievance_answer,
    grievance_file,
    grievance_review_start,
)
from grievances.tests.factories import NOW, category, decided_file, member_with_rib
from payments.models import BatchKind, Payment, PaymentClaim
from payments.services import (
    payment_batch_export,
    payment_batch_prepare,
    payment_batch_validate,
    payment_return_import,
)

pytestmark = pytest.mark.django_db


def _pay(preparer: Any, validator: Any) -> list[Payment]:
    """A member-transfer batch prepared, validated (four eyes), exported, and paid by the bank's return."""
    batch = payment_batch_prepare(actor=preparer, kind=BatchKind.MEMBER_TRANSFER)
    payment_batch_validate(actor=validator, batch=batch)
    payment_batch_export(actor=preparer, batch=batch)
    payments = list(batch.payments.order_by("pk"))
    rows = "".join(f"{p.end_to_end_id};PAID;;2026-12-03\n" for p in payments)
    data = f"end_to_end_id;status;reason_code;value_date\n{rows}".encode()
    payment_return_import(actor=preparer, data=data, file_name=f"return-{batch.number}.csv")
    return payments


def test_it_pays_the_difference_of_an_upheld_appeal_through_a_batch(make_user: Any) -> None:
    officer, committee = make_user(Role.CLAIMS_OFFICER), make_user(Role.CLAIMS_OFFICER)
    doctor = make_user(Role.MEDICAL_CONTROLLER)
    preparer, validator = make_user(Role.ACCOUNTANT), make_user(Role.ACCOUNTANT)
    member = member_with_rib(user=make_user(Role.MEMBER))
    claim = decided_file(officer=officer, member=member)
    crown = claim.lines.get(position=1)
    assert (crown.status, crown.reasons) == (LineStatus.REJECTED, ["PRIOR_APPROVAL_REQUIRED"])
    [first] = _pay(preparer, validator)
    assert (first.amount, first.amo, first.complementary) == (Decimal("74.00"), Decimal("64.00"), Decimal("10.00"))
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PAID

    # The member appeals from the portal; the doctor grants the approval after the fact.
    appeal = grievance_file(actor=member.user, member=member, kind=Kind.APPEAL, category=category("claim-decision"),
                            channel=Channel.PORTAL, text="The dentist sent the request; here is his letter.",
                            contested=Contested(claim_line=crown), now=NOW)  # fmt: skip
    approval = prior_approval_request(actor=member.user, beneficiary=holder(member), kind="act", code="COURONNE")
    approval = prior_approval_decide(actor=doctor, approval=approval, grant=True, valid_from=dt.date(2026, 9, 1),
                                     valid_to=dt.date(2026, 12, 31), quantity=1, amount="1000.00")  # fmt: skip
    appeal = grievance_review_start(actor=officer, grievance=appeal)
    with pytest.raises(GrievanceError) as exc:  # the reviewer does not decide
        grievance_answer(actor=officer, grievance=appeal, answer=Answer(Outcome.UPHELD, AnswerReason.APPROVAL_GRANTED,
                         "Granted."), change=LineChange(prior_approval_id=approval.pk))  # fmt: skip
    assert exc.value.code == "four_eyes"
    appeal = grievance_answer(
        actor=committee, grievance=appeal, answer=Answer(Outcome.UPHELD, AnswerReason.APPROVAL_GRANTED,
                                                         "The approval was granted; the crown is reimbursed."),
        change=LineChange(prior_approval_id=approval.pk),
    )  # fmt: skip
    assert appeal.status == Status.ANSWERED and appeal.revision_file_id is not None

    # Adjudicated again by the engine; an act needing an approval goes to medical review (routing).
    revision = ClaimFile.objects.get(pk=appeal.revision_file_id)
    line = revision.lines.get()
    assert (line.status, line.basis, line.amo, line.complementary, line.remainder) == (
        LineStatus.ACCEPTED, Decimal("1000.00"), Decimal("800.00"), Decimal("200.00"), Decimal("200.00"))  # fmt: skip
    assert revision.status == ClaimStatus.MEDICAL_REVIEW and revision.filed_on == claim.filed_on
    claim_transition(actor=doctor, claim=revision, to=ClaimStatus.APPROVED)

    [second] = _pay(preparer, validator)
    assert (second.amount, second.amo, second.complementary) == (
        Decimal("1000.00"), Decimal("800.00"), Decimal("200.00"))  # fmt: skip
    assert list(PaymentClaim.objects.filter(payment=second).values_list("claim_id", flat=True)) == [revision.pk]
    revision.refresh_from_db()
    crown.refresh_from_db()
    assert revision.status == ClaimStatus.PAID and crown.status == LineStatus.REJECTED  # never edited
    # Paid in all: 74.00 + 1,000.00, the consultation once.
    assert sum(p.amount for p in Payment.objects.filter(member=member)) == Decimal("1074.00")


def test_it_refuses_an_upheld_appeal_without_the_committee_s_change(make_user: Any) -> None:
    officer, committee = make_user(Role.CLAIMS_OFFICER), make_user(Role.CLAIMS_OFFICER)
    member = member_with_rib()
    crown = decided_file(officer=officer, member=member).lines.get(position=1)
    appeal = grievance_file(actor=officer, member=member, kind=Kind.APPEAL, category=category("claim-decision"),
                            channel=Channel.COUNTER, text="Look again.", contested=Contested(claim_line=crown),
                            now=NOW)  # fmt: skip
    appeal = grievance_review_start(actor=officer, grievance=appeal)
    with pytest.raises(GrievanceError) as exc:
        grievance_answer(actor=committee, grievance=appeal,
                         answer=Answer(Outcome.UPHELD, AnswerReason.OTHER, "Yes."))  # fmt: skip
    assert exc.value.code == "change"
    appeal.refresh_from_db()
    assert appeal.status == Status.IN_REVIEW and appeal.outcome == "" and appeal.revision_file_id is None
    assert ClaimFile.objects.count() == 1

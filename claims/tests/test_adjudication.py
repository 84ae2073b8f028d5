from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.roles import Role
from audit.models import AuditEvent
from claims.models import ClaimFile, ClaimStatus, ClaimTransition, PriorApproval
from claims.services import ClaimTransitionError, claim_adjudicate, claim_take_at_counter
from claims.services.intake import LineInput
from claims.tests.factories import CONSULTATION, MEDICINE, file_make, holder, member_make, snapshot
from claims.trace import trace_texts

pytestmark = pytest.mark.django_db
S = ClaimStatus
D = Decimal


@pytest.fixture(autouse=True)
def _no_sample(settings) -> None:  # type: ignore[no-untyped-def]
    settings.CLAIMS_REVIEW_SAMPLE_SHARE = "0"


def test_it_adjudicates_a_file_with_hand_worked_figures(make_user) -> None:
    officer = make_user(Role.CLAIMS_OFFICER)
    claim = file_make(member=member_make(), lines=[CONSULTATION, MEDICINE])
    claim = claim_adjudicate(actor=officer, claim=claim, snapshot=snapshot())
    c, m = claim.lines.order_by("position")
    # C private 80.00 < paid 100 -> basis 80; AMO 80 % = 64; flat 10; remainder 100-64-10 = 26.
    assert (c.status, c.basis, c.amo, c.complementary, c.remainder) == ("accepted", D("80"), D("64"), D("10"), D("26"))
    # MED1 generic 60 x 2 = 120; AMO 70 % = 84; 20 % = 24; remainder 200-84-24 = 92.
    assert (m.status, m.basis, m.amo, m.complementary, m.remainder) == ("accepted", D("120"), D("84"), D("24"), D("92"))
    assert any("AMO 70%" in t for t in trace_texts(m.trace))
    claim.refresh_from_db()
    assert (claim.status, claim.version) == (S.ADJUDICATED, 2)
    assert (claim.paid, claim.basis, claim.amo, claim.complementary, claim.remainder) == (
        D("300"), D("200"), D("148"), D("34"), D("118"))  # fmt: skip
    t = ClaimTransition.objects.get(file=claim)
    assert (t.from_status, t.to_status, t.actor) == (S.RECEIVED, S.ADJUDICATED, officer)
    assert AuditEvent.objects.filter(object_id=str(claim.pk), action="transition").count() == 1


def test_a_duplicate_of_an_earlier_accepted_line_is_rejected(make_user) -> None:
    officer, member = make_user(Role.CLAIMS_OFFICER), member_make()
    first = claim_adjudicate(actor=officer, claim=file_make(member=member, lines=[CONSULTATION]), snapshot=snapshot())
    again = claim_adjudicate(actor=officer, claim=file_make(member=member, lines=[CONSULTATION]), snapshot=snapshot())
    assert first.lines.get().status == "accepted"
    line = again.lines.get()
    assert (line.status, line.reasons, line.amo, line.remainder) == ("rejected", ["DUPLICATE"], D("0"), D("100"))


def test_it_refuses_to_adjudicate_twice_or_without_the_permission(make_user) -> None:
    claim = file_make(member=member_make(), lines=[CONSULTATION])
    with pytest.raises(ClaimTransitionError) as err:
        claim_adjudicate(actor=make_user(Role.RECEPTION), claim=claim, snapshot=snapshot())
    assert err.value.code == "forbidden"
    officer = make_user(Role.CLAIMS_OFFICER)
    claim_adjudicate(actor=officer, claim=claim, snapshot=snapshot())
    with pytest.raises(ClaimTransitionError) as err:
        claim_adjudicate(actor=officer, claim=claim, snapshot=snapshot())
    assert err.value.code == "refused" and ClaimTransition.objects.filter(file=claim).count() == 1


def test_the_counter_saves_and_adjudicates_at_once(make_user) -> None:
    agent, member = make_user(Role.RECEPTION), member_make()
    lines = [LineInput(kind="act", code="c", care_date=dt.date(2025, 3, 10), paid=D("100.00"))]
    claim = claim_take_at_counter(
        actor=agent, beneficiary=holder(member), filed_on=dt.date(2025, 3, 20), lines=lines, snapshot=snapshot()
    )
    assert claim.status == S.ADJUDICATED and claim.amo == D("64.00") and claim.number.startswith("C250320-")
    assert claim.lines.get().code == "C"
    assert AuditEvent.objects.filter(object_id=str(claim.pk), action="create").exists()


@pytest.mark.parametrize(
    ("lines", "reason"),
    [
        ([{"kind": "medicine", "code": "COSTLY", "paid": "2000.00"}], "costly_medicine"),
        ([{"kind": "act", "code": "SURG1", "paid": "1125.00"}], "flagged_act"),
        ([{"kind": "act", "code": "SURG1", "quantity": 6, "paid": "6750.00"}], "amount"),
    ],
)
def test_it_routes_files_to_medical_review_by_rule(make_user, settings, lines, reason) -> None:  # type: ignore[no-untyped-def]
    settings.CLAIMS_REVIEW_CATEGORIES = ("surgery",)
    settings.CLAIMS_REVIEW_AMOUNT = "5000.00"
    officer = make_user(Role.CLAIMS_OFFICER)
    claim = claim_adjudicate(actor=officer, claim=file_make(member=member_make(), lines=lines), snapshot=snapshot())
    assert claim.status == S.MEDICAL_REVIEW and reason in claim.review_reasons
    steps = list(ClaimTransition.objects.filter(file=claim).values_list("to_status", "version"))
    assert steps == [(S.ADJUDICATED, 2), (S.MEDICAL_REVIEW, 3)]


def test_the_random_sample_is_deterministic_and_follows_the_share(make_user, settings) -> None:
    from claims.services.routing import in_sample

    settings.CLAIMS_REVIEW_SAMPLE_SHARE = "0.25"
    drawn = [in_sample(f"N{i}") for i in range(2000)]
    assert drawn == [in_sample(f"N{i}") for i in range(2000)]
    assert 400 < sum(drawn) < 600  # 25 % of 2000 = 500, the hash spreads evenly
    settings.CLAIMS_REVIEW_SAMPLE_SHARE = "0"
    assert not any(in_sample(f"N{i}") for i in range(200))


def test_a_valid_prior_approval_is_used_and_consumed(make_user) -> None:
    officer, member = make_user(Role.CLAIMS_OFFICER), member_make()
    irm = {"kind": "act", "code": "IRM", "paid": "2000.00"}
    refused = claim_adjudicate(actor=officer, claim=file_make(member=member, lines=[irm]), snapshot=snapshot())
    assert refused.lines.get().reasons == ["PRIOR_APPROVAL_REQUIRED"]
    approval = PriorApproval.objects.create(
        number="PA9", member=member, beneficiary=holder(member), kind="act", code="IRM", status="granted",
        valid_from=dt.date(2025, 3, 1), valid_to=dt.date(2025, 3, 31), quantity_granted=1, decided_at=timezone.now(),
    )  # fmt: skip
    line = {**irm, "care_date": dt.date(2025, 3, 11), "prior_approval": approval}
    ok = claim_adjudicate(actor=officer, claim=file_make(member=member, lines=[line]), snapshot=snapshot())
    assert ok.lines.get().status == "accepted"
    approval.refresh_from_db()
    assert approval.quantity_consumed == 1
    used_up = claim_adjudicate(
        actor=officer, claim=file_make(member=member, lines=[{**line, "care_date": dt.date(2025, 3, 12)}]),
        snapshot=snapshot(),
    )  # fmt: skip
    assert used_up.lines.get().reasons == ["PRIOR_APPROVAL_REQUIRED"]
    assert ClaimFile.objects.count() == 3


def test_a_line_without_an_approval_number_is_matched_to_the_beneficiarys_granted_approval(make_user) -> None:
    officer, member = make_user(Role.CLAIMS_OFFICER), member_make()
    common = {"member": member, "beneficiary": holder(member), "kind": "act", "code": "IRM", "status": "granted",
              "decided_at": timezone.now()}  # fmt: skip
    PriorApproval.objects.create(number="PA-OLD", valid_from=dt.date(2025, 1, 1), valid_to=dt.date(2025, 2, 28),
                                 quantity_granted=5, **common)  # fmt: skip
    later = PriorApproval.objects.create(number="PA-MAR", valid_from=dt.date(2025, 3, 1),
                                         valid_to=dt.date(2025, 3, 31), quantity_granted=1, **common)  # fmt: skip
    irm = {"kind": "act", "code": "IRM", "paid": "2000.00", "care_date": dt.date(2025, 3, 11)}
    claim = claim_adjudicate(actor=officer, claim=file_make(member=member, lines=[irm]), snapshot=snapshot())
    line = claim.lines.get()
    # IRM 2000.00 (tariff = paid): AMO 80 % = 1600, no complementary for imaging, remainder 400.
    assert (line.status, line.amo, line.complementary, line.remainder) == ("accepted", D(1600), D(0), D(400))
    assert "prior approval PA-MAR" in trace_texts(line.trace)  # the one valid on the date of care, not the expired one
    later.refresh_from_db()
    assert later.quantity_consumed == 1
    again = {**irm, "care_date": dt.date(2025, 3, 20)}
    used_up = claim_adjudicate(actor=officer, claim=file_make(member=member, lines=[again]), snapshot=snapshot())
    assert used_up.lines.get().reasons == ["PRIOR_APPROVAL_REQUIRED"]
    assert PriorApproval.objects.get(number="PA-OLD").quantity_consumed == 0

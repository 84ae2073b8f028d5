"""Eligibility on each date of care from the status history, and the bulk job deciding exactly
as the one-by-one adjudication does."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from audit.models import AuditEvent
from claims import job_handlers
from claims.models import ClaimFile, ClaimLine, ClaimTransition, PriorApproval
from claims.services import claim_adjudicate
from claims.services.engine_io import _history, _history_rows, history_for
from claims.tests.factories import CONSULTATION, MEDICINE, file_make, holder, member_make, snapshot
from claims.trace import trace_text
from jobs.models import Job, JobState
from jobs.services import job_work
from members.models import Beneficiary, Member, MemberStatusChange

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture(autouse=True)
def _referentials(monkeypatch, settings) -> None:  # type: ignore[no-untyped-def]
    settings.CLAIMS_REVIEW_SAMPLE_SHARE = "0.3"
    monkeypatch.setattr(job_handlers, "snapshot_current", snapshot)


def _status(member: Member, status: str, on: dt.date) -> None:
    MemberStatusChange.objects.create(member=member, status=status, valid_from=on)
    Member.objects.filter(pk=member.pk).update(status=status, status_since=on)


def _spouse(member: Member, covered_until: dt.date | None) -> Beneficiary:
    return Beneficiary.objects.create(
        member=member, relation="spouse", rank=1, card_number=f"{member.membership_number}-01", last_name="Alaoui",
        first_name="Salma", last_name_ar="العلوي", first_name_ar="سلمى", birth_date=dt.date(1982, 2, 1), sex="F",
        covered_until=covered_until,
    )  # fmt: skip


def _file_for(ben: Beneficiary, lines: list[dict[str, Any]], number: str) -> ClaimFile:
    claim = file_make(member=ben.member, lines=lines, number=number)
    ClaimFile.objects.filter(pk=claim.pk).update(beneficiary=ben)
    claim.refresh_from_db()
    return claim


def _consultation_on(day: int) -> dict[str, Any]:
    return {**CONSULTATION, "care_date": dt.date(2025, 3, day)}


def test_it_judges_each_date_of_care_on_the_status_then_in_force() -> None:
    member = member_make()
    _status(member, "retired", dt.date(2024, 1, 1))
    _status(member, "resigned", dt.date(2025, 3, 15))
    claim = claim_adjudicate(actor=None, claim=file_make(member=member, lines=[_consultation_on(10),
                                                                              _consultation_on(16)]),
                             snapshot=snapshot())  # fmt: skip
    before, after = claim.lines.order_by("position")
    # 10 March, retired (covered): C private 80.00 < paid 100 -> basis 80, AMO 80 % = 64, flat 10, remainder 26.
    assert (before.status, before.amo, before.complementary, before.remainder) == ("accepted", D("64"), D("10"),
                                                                                   D("26"))  # fmt: skip
    # 16 March, resigned the day before: nothing paid, the whole 100 left to the member.
    assert (after.status, after.reasons, after.amo, after.remainder) == ("rejected", ["NOT_COVERED"], D("0"), D("100"))
    assert trace_text(after.trace[1]) == "member resigned"
    assert (claim.amo, claim.complementary, claim.remainder) == (D("64"), D("10"), D("126"))


def test_a_divorced_spouse_is_not_covered_after_the_end_of_cover() -> None:
    spouse = _spouse(member_make(), covered_until=dt.date(2025, 3, 5))
    claim = claim_adjudicate(
        actor=None, claim=_file_for(spouse, [_consultation_on(4), _consultation_on(10)], "SP1"), snapshot=snapshot()
    )
    inside, outside = claim.lines.order_by("position")
    assert (inside.status, inside.amo) == ("accepted", D("64"))
    assert (outside.status, outside.reasons, outside.amo, outside.remainder) == ("rejected", ["NOT_COVERED"], D("0"),
                                                                                 D("100"))  # fmt: skip
    assert trace_text(outside.trace[1]) == "cover ended on 2025-03-05"


def _dataset() -> None:
    """Members whose status changes, a divorced spouse, duplicates across files, a prior approval."""
    members = [member_make() for _ in range(4)]
    _status(members[1], "resigned", dt.date(2025, 3, 8))
    _status(members[2], "deceased", dt.date(2025, 3, 9))
    spouse = _spouse(members[3], covered_until=dt.date(2025, 3, 6))
    approval = PriorApproval.objects.create(
        number="PA1", member=members[0], beneficiary=holder(members[0]), kind="act", code="IRM", status="granted",
        valid_from=dt.date(2025, 3, 1), valid_to=dt.date(2025, 3, 31), quantity_granted=1,
    )  # fmt: skip
    irm = {"kind": "act", "code": "IRM", "paid": "2000.00", "prior_approval": approval}
    for i in range(12):
        m = members[i % 4]
        lines: list[dict[str, Any]] = [_consultation_on(5 + i % 5), {**MEDICINE, "care_date": dt.date(2025, 3, 9)}]
        if i % 3 == 0:
            lines.append({"kind": "act", "code": "KINE", "paid": "60.00", "care_date": dt.date(2025, 3, 1 + i)})
        if i in (0, 4):
            lines.append({**irm, "care_date": dt.date(2025, 3, 2 + i)})
        if i % 4 == 3 and i % 2:
            _file_for(spouse, lines, f"BULK{i:03d}")
        else:
            file_make(member=m, lines=lines, number=f"BULK{i:03d}")


def _file_ids() -> list[str]:
    """The files there are now: audit rows are append-only, so those of deleted files stay behind
    (ids are never reused: AUTOINCREMENT on SQLite, sequences on PostgreSQL)."""
    return [str(pk) for pk in ClaimFile.objects.values_list("pk", flat=True)]


def _state() -> dict[str, Any]:
    files = sorted(ClaimFile.objects.values_list("number", "status", "version", "paid", "basis", "amo",
                                                 "complementary", "remainder", "review_reasons"))  # fmt: skip
    lines = sorted(ClaimLine.objects.values_list("file__number", "position", "status", "basis", "amo",
                                                 "complementary", "remainder", "reasons", "trace"))  # fmt: skip
    steps = sorted(ClaimTransition.objects.values_list("file__number", "from_status", "to_status", "version",
                                                       "reason"))  # fmt: skip
    audits = sorted(
        (ClaimFile.objects.get(pk=int(a.object_id)).number, a.before, a.after)
        for a in AuditEvent.objects.filter(
            object_type="claims.claimfile", action="transition", object_id__in=_file_ids()
        )
    )
    approvals = list(PriorApproval.objects.values_list("number", "quantity_consumed"))
    return {"files": files, "lines": lines, "steps": steps, "audits": audits, "approvals": approvals}


@pytest.mark.parametrize("partitions", [1, 2, 3])
def test_the_bulk_job_stores_exactly_what_one_by_one_adjudication_stores(partitions: int) -> None:
    _dataset()
    for claim in ClaimFile.objects.order_by("id"):
        claim_adjudicate(actor=None, claim=claim, snapshot=snapshot())
    expected = _state()
    reasons = {r for *_, rs, _t in expected["lines"] for r in rs}
    assert {"NOT_COVERED", "DUPLICATE"} <= reasons  # the dataset exercises what it is meant to
    assert ("PA1", 1) in expected["approvals"]

    ClaimFile.objects.all().delete()
    PriorApproval.objects.all().delete()
    Member.objects.all().delete()
    _dataset()
    jobs = job_handlers.claims_adjudicate_enqueue(partitions=partitions, size=5)
    while (done := job_work(worker="w")) is not None:
        assert done.state == JobState.DONE, done.last_error
    progress = [j.progress["files"] for j in Job.objects.filter(pk__in=[j.pk for j in jobs]).order_by("id")]
    assert len(progress) == partitions and all(progress) and sum(progress) == 12  # every partition had files
    assert _state() == expected
    Job.objects.all().delete()


def test_the_history_read_in_bulk_equals_the_engines_own_rebuild() -> None:
    import engine as e
    from claims.tests.factories import SNAPSHOT_DATA

    # Medicines under a yearly ceiling of 30.00, so ceilings are consumed (24.00 a line, then cut).
    data = {**SNAPSHOT_DATA, "complementary": [{"category": "medicine", "rate_bp": 2000, "ceiling": "30.00"},
                                               {"category": "consultation", "flat": "10.00"}]}  # fmt: skip
    snap = e.snapshot_build(data)
    _dataset()
    for claim in ClaimFile.objects.order_by("id"):
        claim_adjudicate(actor=None, claim=claim, snapshot=snap)
    bens = set(ClaimFile.objects.values_list("beneficiary_id", flat=True))
    items = []
    for _, fstatus, lstatus, bid, inpe, sector, kind_p, kind, code, on, qty, unit, compl in _history_rows(sorted(bens)):
        if fstatus in ("received", "rejected", "cancelled", "incomplete", "returned"):
            continue
        facts = e.BeneficiaryFacts(str(bid), "self", dt.date(1980, 1, 1), dt.date(2020, 1, 1))
        provider = e.Provider(sector, kind_p, inpe or None)
        f = e.ClaimFile(ref="", beneficiary=facts, filed_on=on, filed_by="member", provider=provider, lines=())
        line = e.ClaimLine(ref="", kind=kind, date=on, paid=0, code=code, quantity=qty, unit_price=unit)
        status = "rejected" if lstatus in ("rejected", "pending") else lstatus
        items.append((f, line, e.LineDecision("", status, 0, 0, 0, compl, 0, (), ())))
    rebuilt = e.history_from_accepted(items, snap)
    ours = history_for(beneficiary_ids=bens, snapshot=snap)
    assert rebuilt.seen and rebuilt.consumed
    assert (ours.seen, ours.consumed, ours.acts) == (rebuilt.seen, rebuilt.consumed, rebuilt.acts)
    assert _history(_history_rows(sorted(bens)), snap).seen == ours.seen

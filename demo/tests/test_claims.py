"""The demo claim files: every state, made through the services, idempotent and deterministic."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from claims.models import Channel, ClaimFile, ClaimLine, ClaimStatus, ClaimTransition, MedicalNote, PriorApproval
from demo.claims import demo_claims_create
from demo.members import demo_members_create, demo_users_ensure, providers_ensure
from payments.models import BatchKind, FundEntry, Payment, PaymentBatch, PaymentClaim, PaymentState, ReturnImport
from payments.services import (
    payment_batch_export,
    payment_batch_prepare,
    payment_batch_validate,
    payment_return_import,
)

pytestmark = pytest.mark.django_db
MEMBERS = 40
SEED = 2026
S = ClaimStatus


def _load() -> int:
    providers_ensure(seed=SEED)
    demo_members_create(count=MEMBERS, seed=SEED)
    demo_users_ensure()
    return demo_claims_create(count=MEMBERS, seed=SEED)


@pytest.fixture
def demo(settings: Any) -> int:
    settings.CLAIMS_REVIEW_SAMPLE_SHARE = "0"  # the random control sample draws on random claim numbers
    return _load()


def _signature() -> list[tuple[Any, ...]]:
    files = ClaimFile.objects.select_related("member", "beneficiary").prefetch_related("lines")
    return sorted(
        (f.member.matricule, f.beneficiary.rank, f.channel, f.filed_on, f.status, f.provider_inpe, f.amo,
         f.complementary, tuple((ln.kind, ln.code, ln.quantity, ln.paid, ln.care_date, ln.status)
                                for ln in f.lines.all()))
        for f in files
    )  # fmt: skip


def _counts() -> list[int]:
    models = (ClaimFile, ClaimLine, ClaimTransition, MedicalNote, PriorApproval, PaymentBatch, Payment, ReturnImport)
    return [m.objects.count() for m in models]  # type: ignore[attr-defined]


def test_it_creates_files_in_every_state_through_the_workflow(demo: int) -> None:
    statuses = set(ClaimFile.objects.values_list("status", flat=True))
    wanted = {S.RECEIVED, S.INCOMPLETE, S.RETURNED, S.ADJUDICATED, S.MEDICAL_REVIEW, S.APPROVED, S.PAID, S.REJECTED,
              S.CANCELLED}  # fmt: skip
    assert wanted <= statuses
    assert demo == ClaimFile.objects.count() > MEMBERS // 2
    # Every file came in received and every later state is a recorded transition.
    for claim in ClaimFile.objects.exclude(status=S.RECEIVED).prefetch_related("transitions"):
        steps = sorted(claim.transitions.all(), key=lambda t: t.version)
        assert steps[0].from_status == S.RECEIVED and steps[-1].to_status == claim.status
        assert [t.version for t in steps] == list(range(2, claim.version + 1))
    assert ClaimFile.objects.filter(channel=Channel.PROVIDER, status=S.APPROVED).exists()
    assert MedicalNote.objects.filter(file__status=S.MEDICAL_REVIEW).exists()
    assert PriorApproval.objects.filter(status=PriorApproval.Status.REQUESTED).exists()
    assert ClaimFile.objects.filter(status=S.INCOMPLETE).exclude(missing_pieces=[]).exists()
    late = ClaimLine.objects.filter(file__status=S.REJECTED).values_list("reasons", flat=True)
    assert any("LATE_FILING" in reasons for reasons in late)


def test_it_creates_nothing_on_a_second_run(demo: int) -> None:
    before = _counts()
    assert demo_claims_create(count=MEMBERS, seed=SEED) == 0
    assert _counts() == before


def test_it_draws_the_same_files_from_the_same_seed(demo: int) -> None:
    first = _signature()
    for model in (FundEntry, PaymentClaim, Payment, PaymentBatch, ReturnImport, ClaimFile, PriorApproval):
        model.objects.all().delete()  # type: ignore[attr-defined]
    assert demo_claims_create(count=MEMBERS, seed=SEED) == demo
    assert _signature() == first


def test_it_pays_a_few_files_through_an_earlier_batch_settled_by_the_bank(demo: int) -> None:
    batch = PaymentBatch.objects.get()
    assert batch.state == "settled" and batch.validated_by_id != batch.prepared_by_id
    paid = ClaimFile.objects.filter(status=S.PAID)
    assert paid.exists()
    assert set(paid.values_list("payment_links__payment__state", flat=True)) == {PaymentState.PAID}
    assert ReturnImport.objects.get().paid == batch.payment_count


def test_it_gives_the_adherent_files_in_several_states_one_paid(demo: int) -> None:
    member = User.objects.get(username="adherent").member
    files = ClaimFile.objects.filter(member=member)
    assert set(files.values_list("status", flat=True)) == {S.PAID, S.APPROVED, S.ADJUDICATED, S.RETURNED, S.RECEIVED}
    assert len(set(files.values_list("beneficiary__rank", flat=True))) >= 3
    payment = Payment.objects.get(member=member)
    assert payment.state == PaymentState.PAID and payment.amount > 0


def test_it_leaves_approved_files_that_a_new_batch_picks_up(demo: int) -> None:
    comptable = User.objects.get(username="comptable")
    approved = set(
        ClaimFile.objects.filter(status=S.APPROVED).exclude(channel=Channel.PROVIDER).exclude(member__rib="")
        .values_list("pk", flat=True)
    )  # fmt: skip
    assert approved
    batch = payment_batch_prepare(actor=comptable, kind=BatchKind.MEMBER_TRANSFER)
    taken = set(PaymentClaim.objects.filter(payment__batch=batch).values_list("claim_id", flat=True))
    assert taken == approved
    assert set(ClaimFile.objects.filter(pk__in=taken).values_list("status", flat=True)) == {S.IN_PAYMENT}
    # The provider's (tiers payant) files are payable to providers that have a bank account.
    provider_batch = payment_batch_prepare(actor=comptable, kind=BatchKind.PROVIDER_TRANSFER)
    assert provider_batch.payment_count > 0


def _exported_batch() -> PaymentBatch:
    comptable, comptable2 = User.objects.get(username="comptable"), User.objects.get(username="comptable2")
    batch = payment_batch_prepare(actor=comptable, kind=BatchKind.MEMBER_TRANSFER)
    payment_batch_validate(actor=comptable2, batch=batch)
    payment_batch_export(actor=comptable, batch=batch, fmt="xml")
    return batch


def test_it_prints_a_return_file_that_marks_the_payments_paid(demo: int) -> None:
    batch = _exported_batch()
    refs = list(batch.payments.order_by("pk").values_list("end_to_end_id", flat=True))
    out = io.StringIO()
    call_command("payments_return_sample", batch.number.lower(), "--reject", refs[0], stdout=out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue()), delimiter=";"))
    assert [r["end_to_end_id"] for r in rows] == refs
    assert (rows[0]["status"], rows[0]["reason_code"]) == ("REJECTED", "AC04")
    assert {r["status"] for r in rows[1:]} == {"PAID"}
    record = payment_return_import(
        actor=User.objects.get(username="comptable"), data=out.getvalue().encode(), file_name="retour.csv"
    )
    assert (record.paid, record.rejected) == (len(refs) - 1, 1)
    claims = PaymentClaim.objects.filter(payment__batch=batch).exclude(payment__end_to_end_id=refs[0])
    assert set(claims.values_list("claim__status", flat=True)) == {S.PAID}


def test_it_refuses_a_return_file_for_a_batch_not_sent_or_unknown(demo: int) -> None:
    comptable = User.objects.get(username="comptable")
    batch = payment_batch_prepare(actor=comptable, kind=BatchKind.MEMBER_TRANSFER)
    with pytest.raises(CommandError, match="download its bank file first"):
        call_command("payments_return_sample", batch.number, stdout=io.StringIO())
    with pytest.raises(CommandError, match="No payment batch"):
        call_command("payments_return_sample", "PB99999999", stdout=io.StringIO())
    # The earlier batch has all its answers (settled): none of its payments is with the bank any more.
    with pytest.raises(CommandError, match="is settled"):
        call_command("payments_return_sample", PaymentBatch.objects.get(state="settled").number, stdout=io.StringIO())
    batch = payment_batch_validate(actor=User.objects.get(username="comptable2"), batch=batch)
    payment_batch_export(actor=comptable, batch=batch, fmt="xml")
    with pytest.raises(CommandError, match="Not payments of"):
        call_command("payments_return_sample", batch.number, "--reject", "X1", stdout=io.StringIO())


def test_it_recognises_a_few_long_term_illnesses_once(demo: int) -> None:
    from claims.models import AldRecognition
    from demo.medical import demo_ald_ensure

    made = demo_ald_ensure(seed=SEED)
    spouse = AldRecognition.objects.get(beneficiary__member__user__username="adherent")
    assert (spouse.code, spouse.beneficiary.relation, spouse.decided_by.username) == ("ALD12", "spouse", "medecin")
    assert made == AldRecognition.objects.count() >= 2  # 4 % of 80 members and spouses, and the spouse
    assert demo_ald_ensure(seed=SEED) == 0 and AldRecognition.objects.count() == made


def test_it_queues_no_notification_for_the_made_up_members(demo: int) -> None:
    from claims.services.notify import NOTIFY
    from jobs.models import Job

    assert ClaimFile.objects.filter(status__in=[S.APPROVED, S.PAID, S.RETURNED]).exists()
    assert not Job.objects.filter(kind=NOTIFY).exists()  # `make run`'s worker would send them all


def test_it_dates_every_step_between_the_filing_day_and_the_demo_today(demo: int) -> None:
    from django.utils import timezone

    from audit.models import AuditEvent
    from demo.members import TODAY

    steps = ClaimTransition.objects.select_related("file")
    assert steps.exists()
    for step in steps:
        day = timezone.localdate(step.at)
        assert step.file.filed_on <= day <= TODAY, (step.file.number, step.to_status, day)
    # The audit rows were written at the same moments (the demo's clock), not re-dated afterwards.
    audit_days = {timezone.localdate(e.at) for e in AuditEvent.objects.filter(action="transition")}
    assert audit_days and max(audit_days) <= TODAY
    # The earlier batch paid its files 17–39 days after filing (40–62 days before "today", paid 23 before).
    for step in steps.filter(to_status=S.PAID):
        assert 17 <= (timezone.localdate(step.at) - step.file.filed_on).days <= 39


def test_it_puts_the_real_clock_back_after_the_demo_clock() -> None:
    import datetime as dt

    from django.utils import timezone

    from demo.clock import demo_clock_at, demo_moment

    moment = demo_moment(dt.date(2025, 12, 1), 10)
    with pytest.raises(RuntimeError), demo_clock_at(moment):
        assert timezone.now() == moment and timezone.localdate() == dt.date(2025, 12, 1)
        raise RuntimeError
    assert timezone.now() > moment + dt.timedelta(days=300)

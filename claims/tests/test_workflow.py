from __future__ import annotations

import threading
from pathlib import Path

import pytest
from django.core import mail
from django.db import connection
from django.utils import translation

from accounts.roles import Role
from audit.models import AuditEvent
from claims.models import ClaimStatus, ClaimTransition
from claims.services import CHECKLIST, ClaimTransitionError, claim_transition
from claims.tests.factories import CONSULTATION, CONSULTATION_DECIDED, file_make, member_make
from jobs.services import job_work

pytestmark = pytest.mark.django_db
S = ClaimStatus


def test_it_moves_a_file_along_the_allowed_path_and_records_each_step(make_user) -> None:
    officer = make_user(Role.CLAIMS_OFFICER)
    claim = file_make(member=member_make(), lines=[CONSULTATION], status=S.ADJUDICATED, reimbursed=CONSULTATION_DECIDED)
    claim = claim_transition(actor=officer, claim=claim, to=S.APPROVED, reason="ok", expected_version=1)
    assert claim.status == S.APPROVED and claim.version == 2
    t = ClaimTransition.objects.get(file=claim)
    assert (t.from_status, t.to_status, t.actor, t.reason, t.version) == (S.ADJUDICATED, S.APPROVED, officer, "ok", 2)
    event = AuditEvent.objects.get(object_type="claims.claimfile", action="transition")
    assert event.before["status"] == S.ADJUDICATED and event.after["status"] == S.APPROVED and event.actor == officer


def test_it_refuses_a_transition_missing_from_the_table(make_user) -> None:
    officer = make_user(Role.CLAIMS_OFFICER)
    claim = file_make(member=member_make(), lines=[CONSULTATION])
    with pytest.raises(ClaimTransitionError) as err:
        claim_transition(actor=officer, claim=claim, to=S.PAID)
    assert err.value.code == "refused" and str(ClaimStatus.PAID.label) in str(err.value.message)
    claim.refresh_from_db()
    assert claim.status == S.RECEIVED and claim.version == 1 and not ClaimTransition.objects.exists()


def test_it_refuses_an_actor_without_the_permission(make_user) -> None:
    agent = make_user(Role.RECEPTION)
    claim = file_make(member=member_make(), lines=[CONSULTATION], status=S.ADJUDICATED, reimbursed=CONSULTATION_DECIDED)
    with pytest.raises(ClaimTransitionError) as err:
        claim_transition(actor=agent, claim=claim, to=S.APPROVED)
    assert err.value.code == "forbidden"
    controller = make_user(Role.MEDICAL_CONTROLLER)
    with pytest.raises(ClaimTransitionError):
        claim_transition(actor=controller, claim=claim, to=S.APPROVED)  # review rights only in medical review


def test_it_refuses_a_stale_version_with_a_clear_message(make_user) -> None:
    a, b = make_user(Role.CLAIMS_OFFICER), make_user(Role.CLAIMS_OFFICER)
    claim = file_make(member=member_make(), lines=[CONSULTATION], status=S.ADJUDICATED, reimbursed=CONSULTATION_DECIDED)
    claim_transition(actor=a, claim=claim, to=S.APPROVED, expected_version=1)
    with pytest.raises(ClaimTransitionError) as err:
        claim_transition(actor=b, claim=claim, to=S.REJECTED, expected_version=1)
    assert err.value.code == "stale"
    assert ClaimTransition.objects.count() == 1


def test_a_retried_request_records_nothing_more(make_user) -> None:
    officer = make_user(Role.CLAIMS_OFFICER)
    claim = file_make(member=member_make(), lines=[CONSULTATION], status=S.ADJUDICATED, reimbursed=CONSULTATION_DECIDED)
    claim_transition(actor=officer, claim=claim, to=S.APPROVED, expected_version=1)
    again = claim_transition(actor=officer, claim=claim, to=S.APPROVED, expected_version=1)
    assert again.version == 2 and ClaimTransition.objects.count() == 1


def _worker_runs() -> None:
    """The notifications are outbox jobs: `manage.py worker` sends them."""
    while job_work(worker="w") is not None:
        pass


def test_returning_an_incomplete_file_names_the_pieces_and_notifies_the_member(
    make_user, tmp_path: Path, settings
) -> None:
    settings.SMS_FILE_PATH = tmp_path / "sms.log"
    officer = make_user(Role.CLAIMS_OFFICER)
    claim = file_make(member=member_make(email="amina@example.ma", phone="0611223344"), lines=[CONSULTATION])
    with pytest.raises(ClaimTransitionError) as err:
        claim_transition(actor=officer, claim=claim, to=S.INCOMPLETE)
    assert err.value.code == "missing"
    with pytest.raises(ClaimTransitionError):
        claim_transition(actor=officer, claim=claim, to=S.INCOMPLETE, missing=["unicorn"])
    claim = claim_transition(actor=officer, claim=claim, to=S.INCOMPLETE, missing=["prescription", "invoice"])
    claim = claim_transition(actor=officer, claim=claim, to=S.RETURNED)
    assert mail.outbox == []  # queued, not sent by the request
    _worker_runs()
    assert claim.missing_pieces == ["prescription", "invoice"]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["amina@example.ma"]
    with translation.override(settings.LANGUAGE_CODE):  # the member's language by default
        assert claim.number in mail.outbox[0].body and str(CHECKLIST["prescription"]) in mail.outbox[0].body
    sms = (tmp_path / "sms.log").read_text(encoding="utf-8")
    assert "0611223344" in sms and claim.number in sms


def test_approval_and_payment_notify_the_member(make_user) -> None:
    officer, accountant = make_user(Role.CLAIMS_OFFICER), make_user(Role.ACCOUNTANT)
    claim = file_make(
        member=member_make(phone=""), lines=[CONSULTATION], status=S.ADJUDICATED, reimbursed=CONSULTATION_DECIDED
    )
    claim = claim_transition(actor=officer, claim=claim, to=S.APPROVED)
    _worker_runs()
    assert len(mail.outbox) == 1
    with pytest.raises(ClaimTransitionError):  # an officer does not put files in payment
        claim_transition(actor=officer, claim=claim, to=S.IN_PAYMENT)
    claim_transition(actor=accountant, claim=claim, to=S.IN_PAYMENT)
    claim_transition(actor=accountant, claim=claim, to=S.PAID)
    _worker_runs()
    assert len(mail.outbox) == 2 and claim.number in mail.outbox[1].subject
    assert mail.outbox[0].subject != mail.outbox[1].subject


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_officers_approving_at_once_one_wins_the_other_is_told(make_user, settings, tmp_path: Path) -> None:
    settings.SMS_FILE_PATH = tmp_path / "sms.log"
    a, b = make_user(Role.CLAIMS_OFFICER), make_user(Role.CLAIMS_OFFICER)
    claim = file_make(member=member_make(), lines=[CONSULTATION], status=S.ADJUDICATED, reimbursed=CONSULTATION_DECIDED)
    barrier = threading.Barrier(2)
    results: list[object] = []

    def approve(user) -> None:  # type: ignore[no-untyped-def]
        try:
            barrier.wait()
            claim_transition(actor=user, claim=claim, to=S.APPROVED, expected_version=1)
            results.append("ok")
        except ClaimTransitionError as exc:
            results.append(exc.code)
        except Exception as exc:
            results.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(u,)) for u in (a, b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(map(str, results)) == ["ok", "stale"]
    claim.refresh_from_db()
    assert claim.version == 2 and ClaimTransition.objects.filter(file=claim).count() == 1


def test_a_file_with_nothing_to_reimburse_is_rejected_not_approved(make_user) -> None:
    from claims.services.workflow import transitions_for

    officer = make_user(Role.CLAIMS_OFFICER)
    claim = file_make(member=member_make(), lines=[CONSULTATION], status=S.ADJUDICATED)  # every line rejected: 0 + 0
    assert S.APPROVED not in [to for to, _verb in transitions_for(actor=officer, claim=claim)]
    with pytest.raises(ClaimTransitionError) as err:
        claim_transition(actor=officer, claim=claim, to=S.APPROVED)
    assert err.value.code == "nothing_to_pay" and "reject it instead" in str(err.value.message)
    claim.refresh_from_db()
    assert (claim.status, claim.version) == (S.ADJUDICATED, 1) and not ClaimTransition.objects.exists()
    assert claim_transition(actor=officer, claim=claim, to=S.REJECTED).status == S.REJECTED

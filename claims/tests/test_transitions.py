"""The one transition service: set-based moves, the tables of each kind of caller, coded reasons."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from accounts.roles import Role
from audit.models import AuditEvent
from claims.models import ClaimFile, ClaimStatus, ClaimTransition
from claims.services.transitions import (
    By,
    ClaimTransitionError,
    Reason,
    Step,
    claims_transition,
    claims_transition_to,
)
from claims.tests.factories import CONSULTATION, CONSULTATION_DECIDED, file_make, member_make

pytestmark = pytest.mark.django_db
S = ClaimStatus
BANK_RETURN = Reason("bank_return", {"file": "retour.csv"})


def _files(n: int, status: str) -> list[ClaimFile]:
    member = member_make()
    return [
        file_make(member=member, lines=[CONSULTATION], status=status, reimbursed=CONSULTATION_DECIDED) for _ in range(n)
    ]


def test_it_moves_a_set_of_files_with_one_transition_and_one_audit_event_each(make_user) -> None:
    accountant = make_user(Role.ACCOUNTANT)
    files = _files(3, S.IN_PAYMENT)
    moved = claims_transition_to(actor=accountant, claim_ids=[f.pk for f in files], to=S.PAID, by=By.BATCH,
                                 reason=BANK_RETURN)  # fmt: skip
    assert moved == 3
    assert set(ClaimFile.objects.values_list("status", "version")) == {(S.PAID, 2)}
    rows = ClaimTransition.objects.values_list("from_status", "to_status", "version", "actor_id", "reason",
                                               "reason_code", "reason_params", "medical")  # fmt: skip
    assert (
        list(rows)
        == [
            (
                S.IN_PAYMENT,
                S.PAID,
                2,
                accountant.pk,
                "",  # a coded reason is not written again as English text: rendered when shown
                "bank_return",
                {"file": "retour.csv"},
                False,
            )
        ]
        * 3
    )
    events = AuditEvent.objects.filter(object_type="claims.claimfile", action="transition")
    assert sorted((e.object_id, e.before, e.after, e.actor_id) for e in events) == sorted(
        (str(f.pk), {"status": "in_payment", "version": 1}, {"status": "paid", "version": 2}, accountant.pk)
        for f in files
    )


def test_it_leaves_the_files_already_in_the_target_state_as_they_are(make_user) -> None:
    files = _files(2, S.IN_PAYMENT)
    claims_transition_to(actor=make_user(Role.ACCOUNTANT), claim_ids=[files[0].pk], to=S.PAID, by=By.BATCH)
    again = claims_transition_to(actor=None, claim_ids=[f.pk for f in files], to=S.PAID, by=By.BATCH)
    assert again == 1 and ClaimTransition.objects.count() == 2


@pytest.mark.parametrize(
    ("by", "frm", "to", "code"),
    [
        (By.PERSON, S.APPROVED, S.IN_PAYMENT, "batch_only"),  # a batch's move from the file page
        (By.BATCH, S.ADJUDICATED, S.APPROVED, "refused"),  # a person's decision by a batch
        (By.ENGINE, S.APPROVED, S.IN_PAYMENT, "refused"),  # the engine paying
        (By.BATCH, S.RECEIVED, S.ADJUDICATED, "engine_only"),  # a batch deciding
        (By.SERVICE, S.RECEIVED, S.ADJUDICATED, "engine_only"),
    ],
)
def test_it_refuses_a_move_missing_from_the_callers_table(by: By, frm: str, to: str, code: str) -> None:
    (claim,) = _files(1, frm)
    with pytest.raises(ClaimTransitionError) as err:
        claims_transition(actor=None, steps=[Step(claim.pk, claim.member_id, frm, to, 2)], by=by)
    assert err.value.code == code
    claim.refresh_from_db()
    assert (claim.status, claim.version) == (frm, 1) and not ClaimTransition.objects.exists()


def test_it_refuses_an_actor_without_the_permission_of_the_move(make_user) -> None:
    files = _files(2, S.APPROVED)
    steps = [Step(f.pk, f.member_id, S.APPROVED, S.IN_PAYMENT, 2) for f in files]
    with pytest.raises(ClaimTransitionError) as err:
        claims_transition(actor=make_user(Role.CLAIMS_OFFICER), steps=steps, by=By.BATCH)
    assert err.value.code == "forbidden"
    assert set(ClaimFile.objects.values_list("status", flat=True)) == {S.APPROVED}


def test_it_moves_none_of_the_set_when_one_file_changed_meanwhile(make_user) -> None:
    files = _files(3, S.APPROVED)
    ClaimFile.objects.filter(pk=files[1].pk).update(status=S.CANCELLED)  # someone else, before the lock
    steps = [Step(f.pk, f.member_id, S.APPROVED, S.IN_PAYMENT, 2) for f in files]
    accountant = make_user(Role.ACCOUNTANT)
    with pytest.raises(ClaimTransitionError) as err:  # no transaction of ours: the service's own savepoint
        claims_transition(actor=accountant, steps=steps, by=By.BATCH)
    assert err.value.code == "stale"
    assert sorted(ClaimFile.objects.values_list("status", flat=True)) == [S.APPROVED, S.APPROVED, S.CANCELLED]
    assert not ClaimTransition.objects.exists() and not AuditEvent.objects.filter(action="transition").exists()


def test_it_shows_a_coded_reason_in_the_readers_language_and_an_officers_words_as_typed() -> None:
    coded = ClaimTransition(reason="payment batch", reason_code="batch", reason_params={"number": "PB00000002"})
    typed = ClaimTransition(reason="Duplicate of W123")
    broken = ClaimTransition(reason="payment batch", reason_code="batch", reason_params={})
    assert coded.reason_shown == "payment batch PB00000002"
    with translation.override("fr"):
        assert coded.reason_shown == "lot de paiement PB00000002"
        assert typed.reason_shown == "Duplicate of W123"
        assert broken.reason_shown == "payment batch"  # parameters lost: the English text, not an error
    with translation.override("ar"):
        assert coded.reason_shown == "دفعة الأداء PB00000002"


def test_the_history_reads_a_bank_return_in_french(client_for) -> None:
    client = client_for(Role.CLAIMS_OFFICER)
    (claim,) = _files(1, S.IN_PAYMENT)
    claims_transition_to(actor=None, claim_ids=[claim.pk], to=S.PAID, by=By.BATCH, reason=BANK_RETURN)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    page = client.get(reverse("claims:detail", args=[claim.pk])).content.decode()
    assert "retour bancaire retour.csv" in page and "bank return" not in page


def test_the_migration_turns_the_stored_english_notes_into_codes() -> None:
    (claim,) = _files(1, S.APPROVED)
    notes = ["payment batch", "bank return retour 2025.csv", "requeue PB00000001-0000003", "batch PB00000004 cancelled",
             "postal order PB00000005", "Duplicate of W123"]  # fmt: skip
    for version, note in enumerate(notes, start=2):
        ClaimTransition.objects.create(file=claim, member_id=claim.member_id, from_status=S.APPROVED,
                                       to_status=S.IN_PAYMENT, version=version, reason=note)  # fmt: skip
    migration = importlib.import_module("claims.migrations.0009_claimtransition_reason_code")
    migration.codes_from_text(apps, None)
    rows = ClaimTransition.objects.order_by("version").values_list("reason_code", "reason_params", "reason")
    assert list(rows) == [
        ("payment_batch", {}, "payment batch"),
        ("bank_return", {"file": "retour 2025.csv"}, "bank return retour 2025.csv"),
        ("requeue", {"payment": "PB00000001-0000003"}, "requeue PB00000001-0000003"),
        ("batch_cancelled", {"number": "PB00000004"}, "batch PB00000004 cancelled"),
        ("postal_order", {"number": "PB00000005"}, "postal order PB00000005"),
        ("", {}, "Duplicate of W123"),  # an officer's words stay as typed
    ]

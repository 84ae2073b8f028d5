"""The audit trail as people read it (audit.presentation): labels, numbers, choice labels, the
reader's number format, arrows the reading way, masked values as a translated mark; a page of
events costs the same queries whatever its length."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from accounts.roles import Role
from audit.models import AuditEvent
from audit.presentation import EventView, audit_events_present
from audit.selectors import audit_events_visible
from audit.tests.medical_data import JUSTIFICATION, MedicalFile, leaked, medical_file_make
from claims.services.approvals import prior_approval_request
from claims.tests.factories import holder, member_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def file(make_user) -> MedicalFile:  # type: ignore[no-untyped-def]
    return medical_file_make(make_user)


def _approval_events(user, file: MedicalFile) -> list[EventView]:  # type: ignore[no-untyped-def]
    events = audit_events_visible(user=user).filter(object_type="claims.priorapproval").order_by("id")
    return audit_events_present(events)


def _change(row: EventView, name: str):  # type: ignore[no-untyped-def]
    return next(c for c in row.changes if c.name == name)


def test_it_names_the_object_by_its_model_and_number(make_user, file: MedicalFile) -> None:
    created, decided = _approval_events(make_user(Role.AUDITOR), file)
    assert (created.kind, created.number) == ("Prior approval", file.approval.number)
    assert created.action == "Created" and decided.action == "Updated"
    assert created.created and not decided.created


def test_it_shows_fields_by_their_verbose_name_and_values_by_their_label(make_user, file: MedicalFile) -> None:
    _created, decided = _approval_events(make_user(Role.AUDITOR), file)
    status = _change(decided, "status")
    assert (status.label, status.before, status.after) == ("Status", "Requested", "Granted")
    # A decimal in the reader's format: 2000.00 granted, in English 2,000.00 (grouped, two decimals).
    amount = _change(decided, "amount_granted")
    assert (amount.label, amount.before, amount.after) == ("Amount granted", "0.00", "2,000.00")
    # A foreign key by the number of the row it points to; a field without verbose name by our label.
    decider = _change(decided, "decided_by_id")
    assert decider.label == "Decided by" and decider.after == file.approval.decided_by.username  # type: ignore[union-attr]
    assert _change(decided, "valid_to").after == (timezone.localdate() + dt.timedelta(days=30)).isoformat()


def test_it_shows_a_masked_medical_value_as_a_mark_only(make_user, file: MedicalFile) -> None:
    created, decided = _approval_events(make_user(Role.AUDITOR), file)
    for row, name in ((created, "justification"), (decided, "decision_note")):
        change = _change(row, name)
        assert change.masked and change.before == change.after == ""
        assert change.label in ("Medical justification", "Decision note")


def test_it_reads_in_arabic_and_french(make_user, file: MedicalFile) -> None:
    auditor = make_user(Role.AUDITOR)
    with translation.override("ar"):
        _created, decided = _approval_events(auditor, file)
        status = _change(decided, "status")
        assert decided.kind == "الموافقة المسبقة"
        assert status.label == "الوضعية" and "Granted" not in status.after
        # Arabic pages write amounts as Moroccan administrations do (mutuelle.formats): 2 000,00.
        assert _change(decided, "amount_granted").after == "2\u202f000,00"
        assert _change(decided, "decided_by_id").label == "قرره"
    with translation.override("fr"):
        _created, decided = _approval_events(auditor, file)
        assert (decided.kind, decided.action) == ("Accord préalable", "Modification")
        # 2000.00 in French: 2 000,00 with a narrow no-break space as thousands separator.
        assert _change(decided, "amount_granted").after == "2\u202f000,00"


@pytest.mark.parametrize(("language", "arrow", "other"), [("ar", "←", "→"), ("fr", "→", "←"), ("en", "→", "←")])
def test_it_points_the_arrow_the_reading_way(
    client_for, file: MedicalFile, language: str, arrow: str, other: str
) -> None:
    page = client_for(Role.AUDITOR).get(reverse("audit:list"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    table = page[page.index("audit-trail") :]
    assert f"</bdi> {arrow} <bdi" in table and f"</bdi> {other} <bdi" not in table


def test_it_shows_no_raw_object_type_or_medical_value_on_the_page(client_for, file: MedicalFile) -> None:
    page = client_for(Role.AUDITOR).get(reverse("audit:list"), HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert f"claims.priorapproval #{file.approval.pk}" not in page
    assert f'data-object="claims.priorapproval">الموافقة المسبقة <bdi class="code">{file.approval.number}</bdi>' in page
    assert "القيمة مخفية" in page and JUSTIFICATION not in page and not leaked(page)


def test_it_filters_the_trail_by_action(client_for, file: MedicalFile) -> None:
    client = client_for(Role.AUDITOR)
    response = client.get(reverse("audit:list"), {"action": "update"})
    assert {row.event.action for row in response.context["rows"]} == {"update"}


def _approvals(actor, count: int) -> None:  # type: ignore[no-untyped-def]
    for _ in range(count):
        member = member_make()
        prior_approval_request(actor=actor, beneficiary=holder(member), kind="act", code="IRM", justification="")


def test_it_costs_the_same_queries_for_few_or_many_events(make_user) -> None:
    auditor, reception = make_user(Role.AUDITOR), make_user(Role.RECEPTION)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            rows = audit_events_present(audit_events_visible(user=auditor)[:100])
        assert all(row.number.startswith("PA") for row in rows if row.event.object_type == "claims.priorapproval")
        return len(captured)

    _approvals(reception, 2)
    queries()  # the auditor's permissions are read once, then cached on the user
    few = queries()
    _approvals(reception, 20)
    assert AuditEvent.objects.count() >= 22
    assert queries() == few


def test_it_names_models_without_meta_names_and_rows_by_their_carried_member(make_user, file: MedicalFile) -> None:
    events = audit_events_visible(user=make_user(Role.AUDITOR)).filter(object_type="claims.aldrecognition")
    (row,) = audit_events_present(events)
    with translation.override("ar"):
        (arabic,) = audit_events_present(events)
    assert (row.kind, arabic.kind) == ("Long-term illness recognition", "الاعتراف بمرض طويل الأمد")
    # member_id is carried, not a foreign key: still shown by the membership number; the id is not repeated.
    assert _change(row, "member_id").after == file.member.membership_number
    assert "id" not in {c.name for c in row.changes}
    assert _change(row, "code").masked  # the condition itself stays hidden


def test_it_shows_codes_by_the_labels_their_app_registered(make_user) -> None:
    from audit.models import AuditAction
    from audit.services import audit_record
    from claims.tests.factories import CONSULTATION, file_make

    claim = file_make(member=member_make(), lines=[CONSULTATION])
    audit_record(
        actor=None, action=AuditAction.TRANSITION, obj=claim, member_id=claim.member_id,
        before={"missing_pieces": []}, after={"missing_pieces": ["lab_results", "invoice"]},
    )  # fmt: skip
    events = audit_events_visible(user=make_user(Role.AUDITOR)).filter(object_type="claims.claimfile")
    with translation.override("fr"):
        (row,) = audit_events_present(events)
    # claims.apps registers the checklist of claims.services.workflow: the words, not the codes.
    assert _change(row, "missing_pieces").after == "Compte rendu d'analyses ou d'imagerie, Facture détaillée ou reçu"
    assert row.kind == "Dossier maladie" and row.number == claim.number

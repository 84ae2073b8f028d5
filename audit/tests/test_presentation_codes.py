"""Issue 13: the audit trail shows no raw code where people read words: coded rows (a therapy) by
their name in the reader's language, also when the trail stored the code instead of the row's id,
and values with no choices (a claim file's provider kind and sector, its review reasons, a
grievance's contested decision) by the labels their app registers."""

from __future__ import annotations

import pytest
from django.utils import translation

from accounts.roles import Role
from audit.models import AuditAction
from audit.presentation import ChangeView, EventView, audit_events_present
from audit.selectors import audit_events_visible
from audit.services import audit_record

pytestmark = pytest.mark.django_db


def _present(user, object_type: str, language: str) -> EventView:  # type: ignore[no-untyped-def]
    events = audit_events_visible(user=user).filter(object_type=object_type)
    with translation.override(language):
        (row,) = audit_events_present(events)
    return row


def _change(row: EventView, name: str) -> ChangeView:
    return next(c for c in row.changes if c.name == name)


@pytest.mark.parametrize(("language", "name"), [("fr", "Orthophonie"), ("ar", "تقويم النطق")])
def test_it_shows_a_coded_row_by_its_name_whether_stored_by_id_or_by_code(make_user, language: str, name: str) -> None:
    from care.models import Therapy

    speech = Therapy.objects.get(code="speech")  # seeded by care's migration 0002
    audit_record(
        actor=None, action=AuditAction.CREATE, object_type="care.planitem", object_id="1",
        after={"therapy_id": "speech", "sessions": 2},
    )  # fmt: skip
    audit_record(
        actor=None, action=AuditAction.CREATE, object_type="care.timetableentry", object_id="1",
        after={"therapy_id": speech.pk},
    )  # fmt: skip
    auditor = make_user(Role.AUDITOR)
    assert _change(_present(auditor, "care.planitem", language), "therapy_id").after == name
    assert _change(_present(auditor, "care.timetableentry", language), "therapy_id").after == name


def test_it_shows_a_claim_files_provider_kind_sector_and_review_reasons_by_their_labels(make_user) -> None:
    audit_record(
        actor=None, action=AuditAction.CREATE, object_type="claims.claimfile", object_id="1",
        after={"provider_kind": "doctor", "provider_sector": "private", "review": ["amount", "flagged_act"]},
    )  # fmt: skip
    row = _present(make_user(Role.AUDITOR), "claims.claimfile", "fr")
    assert _change(row, "provider_kind").after == "Médecin"
    assert _change(row, "provider_sector").after == "Privé"
    assert "amount" not in _change(row, "review").after and "flagged_act" not in _change(row, "review").after


def test_it_shows_a_grievances_contested_decision_by_its_label(make_user) -> None:
    from grievances.models import Decision

    audit_record(
        actor=None, action=AuditAction.CREATE, object_type="grievances.grievance", object_id="1",
        after={"decision": "claim_line"},
    )  # fmt: skip
    with translation.override("fr"):
        label = str(Decision("claim_line").label)
    assert _change(_present(make_user(Role.AUDITOR), "grievances.grievance", "fr"), "decision").after == label
    assert label != "claim_line"


@pytest.mark.parametrize(("language", "label"), [("fr", "justification médicale"), ("ar", None)])
def test_it_shows_a_read_medical_fields_name_by_its_verbose_name(make_user, language: str, label: str | None) -> None:
    audit_record(
        actor=None, action=AuditAction.VIEW_MEDICAL, object_type="claims.priorapproval", object_id="1",
        note="justification",
    )  # fmt: skip
    note = _present(make_user(Role.AUDITOR), "claims.priorapproval", language).note
    assert note != "justification" and (label is None or note == label)
    assert language != "ar" or not any("a" <= c.lower() <= "z" for c in note)

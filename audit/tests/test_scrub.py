"""Migration 0002 masks the medical values that rows stored before the writer masked them."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from audit.masking import MASKED, MASKED_CHANGED, MASKED_NOTE
from audit.models import AuditEvent
from audit.scrub import audit_rows_scrub
from audit.tests.medical_data import ALD_CODE, DECISION_NOTE, JUSTIFICATION, leaked

pytestmark = pytest.mark.django_db
MIGRATION = importlib.import_module("audit.migrations.0002_scrub_medical_values")


def _old(object_type: str, before: dict | None, after: dict | None, note: str = "") -> AuditEvent:
    # Written raw with a queryset insert, as rows were before the writer masked them.
    return AuditEvent.objects.create(action="update", object_type=object_type, object_id="1", before=before,
                                     after=after, note=note)  # fmt: skip


def test_it_scrubs_the_medical_values_of_old_rows_and_keeps_the_rest() -> None:
    approval = _old(
        "claims.priorapproval", {"justification": "", "decision_note": "", "status": "requested"},
        {"justification": JUSTIFICATION, "decision_note": DECISION_NOTE, "status": "granted"},
        note=f"granted: {DECISION_NOTE}",
    )  # fmt: skip
    ald = _old("claims.aldrecognition", {"code": "ALD01", "valid_to": None}, {"code": ALD_CODE, "valid_to": None})
    member = _old("members.member", {"email": "a@b.ma"}, {"email": "c@d.ma"}, note="moved")
    assert audit_rows_scrub(event_model=AuditEvent, masked=MIGRATION.MASKED_FIELDS) == 2
    approval.refresh_from_db()
    assert approval.before == {"justification": "", "decision_note": "", "status": "requested"}
    assert approval.after == {"justification": MASKED, "decision_note": MASKED, "status": "granted"}
    assert approval.note == MASKED_NOTE and not leaked(str(approval.after))
    ald.refresh_from_db()
    assert (ald.before["code"], ald.after["code"]) == (MASKED, MASKED_CHANGED)  # still reads "changed"
    member.refresh_from_db()
    assert (member.before, member.after, member.note) == ({"email": "a@b.ma"}, {"email": "c@d.ma"}, "moved")
    assert audit_rows_scrub(event_model=AuditEvent, masked=MIGRATION.MASKED_FIELDS) == 0  # run twice: no change


def test_it_reads_and_writes_in_batches_across_many_rows() -> None:
    for i in range(5):
        _old("claims.medicalnote", None, {"diagnosis": f"Angine {i}"})
    assert audit_rows_scrub(event_model=AuditEvent, masked=MIGRATION.MASKED_FIELDS, batch=2) == 5
    assert list(AuditEvent.objects.values_list("after", flat=True)) == [{"diagnosis": MASKED}] * 5


# Models whose medical fields were masked from their first migration: no audit row ever held
# their values in clear, so the scrub migration has nothing to do for them.
BORN_MASKED = {
    "care.application": ("disability_details", "assessment_note"),
    "care.progressnote": ("text",),
    # A member's words and the answer (they may speak of health), an attachment's name: masked from
    # grievances' first migration.
    "grievances.grievance": ("text", "answer_text"),
    "grievances.grievanceattachment": ("display_name",),
}


def test_the_migration_covers_every_model_that_declares_medical_fields() -> None:
    # A field declared later on an older model has no old value scrubbed: it needs a scrub migration
    # of its own (a new model joins BORN_MASKED only if masked from the migration that creates it).
    declared = {
        m._meta.label_lower: tuple(m.AUDIT_MASKED_FIELDS)
        for m in apps.get_models()
        if hasattr(m, "AUDIT_MASKED_FIELDS")
    }
    assert declared == {**MIGRATION.MASKED_FIELDS, **BORN_MASKED}

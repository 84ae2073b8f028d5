"""The one writer (and the bulk ones) store that a medical field changed, never its value."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.utils import timezone

from accounts.roles import Role
from audit.masking import MASKED, MASKED_CHANGED, MASKED_NOTE
from audit.models import AuditEvent
from audit.services import AuditAction, AuditRow, audit_events_write, audit_record, model_snapshot
from audit.tests.medical_data import (
    ALD_CODE,
    DECISION_NOTE,
    DIAGNOSIS,
    JUSTIFICATION,
    attachment_row,
    leaked,
    medical_file_make,
)
from claims.models import AldRecognition
from claims.services.ald import ald_end

pytestmark = pytest.mark.django_db


def _stored(event: AuditEvent) -> str:
    return json.dumps([event.before, event.after, event.note], ensure_ascii=False)


def test_it_stores_no_medical_value_in_the_rows_the_services_write(make_user) -> None:
    medical_file_make(make_user)
    events = list(AuditEvent.objects.all())
    assert {e.object_type for e in events} >= {"claims.priorapproval", "claims.aldrecognition", "claims.claimfile"}
    assert [leaked(_stored(e)) for e in events] == [[] for _ in events]


def test_it_says_which_medical_fields_were_set_or_changed(make_user) -> None:
    file = medical_file_make(make_user)
    request, decision = AuditEvent.objects.filter(object_type="claims.priorapproval").order_by("id")
    assert request.after["justification"] == MASKED
    changed = {name: (old, new) for name, old, new in decision.changes()}
    # The justification did not change when the controller decided: it is not listed.
    assert changed["decision_note"] == ("", MASKED) and "justification" not in changed
    assert changed["status"] == ("requested", "granted")
    ald = AuditEvent.objects.get(object_type="claims.aldrecognition")
    assert ald.after["code"] == MASKED and ald.after["valid_from"] == "2025-01-01"
    recognition = AldRecognition.objects.get(member_id=file.member.pk)
    ald_end(actor=make_user(Role.MEDICAL_CONTROLLER), recognition=recognition, last_day=recognition.valid_from)
    closed = AuditEvent.objects.filter(object_type="claims.aldrecognition").latest("id")
    assert [name for name, *_ in closed.changes()] == ["valid_to"]


def test_it_keeps_a_changed_medical_value_apart_from_an_unchanged_one(make_user) -> None:
    file = medical_file_make(make_user)
    before = model_snapshot(file.approval)
    file.approval.justification = "Sciatique hyperalgique"
    event = audit_record(actor=None, action="update", obj=file.approval, before=before,
                         after=model_snapshot(file.approval))  # fmt: skip
    event.refresh_from_db()
    assert (event.before["justification"], event.after["justification"]) == (MASKED, MASKED_CHANGED)
    assert [name for name, *_ in event.changes()] == ["justification"]
    assert "Sciatique" not in _stored(event)


def test_it_masks_values_handed_to_it_raw_and_a_note_quoting_them(make_user) -> None:
    file = medical_file_make(make_user)
    event = audit_record(
        actor=None, action="update", obj=file.approval, before={"justification": ""},
        after={"justification": JUSTIFICATION, "decision_note": DECISION_NOTE},
        note=f"justification: {JUSTIFICATION}",
    )  # fmt: skip
    event.refresh_from_db()
    assert event.after == {"justification": MASKED, "decision_note": MASKED} and event.note == MASKED_NOTE


def test_it_hides_the_name_of_an_attachment(make_user) -> None:
    file = medical_file_make(make_user)
    att = attachment_row(file.claim)
    event = audit_record(actor=None, action="create", obj=att, member_id=att.member_id, after=model_snapshot(att))
    event.refresh_from_db()
    assert event.after["original_name"] == MASKED and event.after["kind"] == "medical_report"


def test_the_bulk_writer_masks_too(make_user) -> None:
    file = medical_file_make(make_user)
    line = file.claim.lines.get()
    rows = [
        AuditRow("claims.claimline", str(line.pk), file.member.pk, {"ald": ""}, {"ald": ALD_CODE}),
        AuditRow("claims.medicalnote", "1", file.member.pk, {}, {"diagnosis": DIAGNOSIS}),
    ]
    audit_events_write(action=AuditAction.UPDATE, rows=rows, actor_id=make_user(Role.ACCOUNTANT).pk, at=timezone.now())
    stored = AuditEvent.objects.filter(object_type__in=["claims.claimline", "claims.medicalnote"])
    assert sorted(json.dumps(e.after) for e in stored) == sorted([json.dumps({"ald": MASKED}),
                                                                   json.dumps({"diagnosis": MASKED})])  # fmt: skip


def test_the_set_based_writer_refuses_a_medical_field() -> None:
    """The INSERT ... SELECT writer never sees the values, so it cannot mask them: a medical key is refused."""
    from audit.services import Sql, audit_events_select_sql

    with pytest.raises(ValueError, match="diagnosis"):
        audit_events_select_sql(
            action=AuditAction.UPDATE, object_type="claims.medicalnote", object_id=Sql("s.id::text"),
            member_id=Sql("s.member_id"), before={"diagnosis": Sql("s.old")}, after={}, actor_id=None,
            at=timezone.now(),
        )  # fmt: skip


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
def test_the_set_based_writer_stores_what_the_bulk_writer_stores(make_user) -> None:
    """The same two events, once through audit_events_write and once through INSERT ... SELECT."""
    from audit.services import Sql, audit_events_select_sql

    actor, at = make_user(Role.ACCOUNTANT), timezone.now()
    audit_events_write(
        action=AuditAction.TRANSITION,
        rows=[AuditRow("claims.claimfile", str(i), 7, {"status": "approved", "version": i - 1},
                       {"status": "in_payment", "version": i}, "batch") for i in (1, 2)],
        actor_id=actor.pk, at=at,
    )  # fmt: skip
    sql, params = audit_events_select_sql(
        action=AuditAction.TRANSITION, object_type="claims.claimfile", object_id=Sql("s.id::text"),
        member_id=Sql("7"), before={"status": "approved", "version": Sql("s.id - 1")},
        after={"status": "in_payment", "version": Sql("s.id")}, actor_id=actor.pk, at=at, note="batch",
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} FROM (VALUES (1), (2)) AS s(id)", params)
    rows = AuditEvent.objects.order_by("pk").values_list(
        "action", "object_type", "object_id", "member_id", "before", "after", "note", "actor_id", "at"
    )
    first, second = list(rows[:2]), list(rows[2:])
    assert first == second and len(first) == 2

"""The trail is append-only, in a closed vocabulary: the ORM and (on PostgreSQL) the database refuse the rest."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone

from accounts.roles import Role
from audit.masking import MASKED
from audit.models import AuditAction, AuditAppendOnlyError, AuditEvent
from audit.scrub import audit_rows_scrub, audit_scrub_allowed
from audit.services import AuditRow, _row_masked, audit_event_new, audit_events_write, audit_record
from mutuelle import bulk

pytestmark = pytest.mark.django_db
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")


def _event(note: str = "kept") -> AuditEvent:
    return audit_record(actor=None, action=AuditAction.UPDATE, object_type="members.member", object_id="1", note=note)


def test_it_refuses_an_action_outside_the_vocabulary_in_the_writer() -> None:
    with pytest.raises(ValueError, match="bogus"):
        audit_record(actor=None, action="bogus", object_type="x.y", object_id="1")  # type: ignore[arg-type]
    assert not AuditEvent.objects.exists()


def test_it_refuses_an_action_outside_the_vocabulary_in_the_database() -> None:
    # Written past the writer, as raw code would: the check constraint refuses it.
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEvent.objects.bulk_create([AuditEvent(action="bogus", object_type="x.y", object_id="1")])
    assert not AuditEvent.objects.exists()


def test_every_action_is_accepted_by_the_database() -> None:
    for action in AuditAction:
        audit_record(actor=None, action=action, object_type="x.y", object_id=action.value)
    assert sorted(AuditEvent.objects.values_list("action", flat=True)) == sorted(AuditAction.values)


def test_it_refuses_to_change_a_stored_event_through_the_model() -> None:
    event = _event()
    event.note = "changed"
    with pytest.raises(AuditAppendOnlyError):
        event.save()
    with pytest.raises(AuditAppendOnlyError):
        event.delete()
    assert AuditEvent.objects.get().note == "kept"


def test_it_refuses_update_and_delete_through_the_queryset() -> None:
    _event()
    with pytest.raises(AuditAppendOnlyError):
        AuditEvent.objects.filter(note="kept").update(note="changed")
    with pytest.raises(AuditAppendOnlyError):
        AuditEvent.objects.all().delete()
    assert list(AuditEvent.objects.values_list("note", flat=True)) == ["kept"]


def test_the_scrub_is_the_one_way_to_rewrite_rows_and_it_ends_with_its_block() -> None:
    event = _event()
    with audit_scrub_allowed():
        assert AuditEvent.objects.filter(pk=event.pk).update(note="scrubbed") == 1
    with pytest.raises(AuditAppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(note="again")
    assert AuditEvent.objects.get().note == "scrubbed"


def test_the_bulk_writer_masks_and_stamps_every_row(make_user) -> None:
    at = timezone.now() - dt.timedelta(hours=1)
    rows = [
        AuditRow("claims.claimfile", "7", 3, {"status": "received"}, {"status": "adjudicated"}, "engine"),
        AuditRow("claims.medicalnote", "8", 3, None, {"diagnosis": "Angine"}),
    ]
    assert audit_events_write(action=AuditAction.TRANSITION, rows=rows, actor_id=None, at=at) == 2
    stored = {e.object_id: e for e in AuditEvent.objects.all()}
    assert (stored["7"].before, stored["7"].after, stored["7"].note) == (
        {"status": "received"}, {"status": "adjudicated"}, "engine"
    )  # fmt: skip
    assert stored["8"].after == {"diagnosis": MASKED} and stored["8"].before is None
    assert {e.at for e in stored.values()} == {at} and {e.action for e in stored.values()} == {"transition"}


COLUMNS = ("at", "actor_id", "action", "object_type", "object_id", "member_id", "before", "after", "note")


@on_postgresql
def test_the_copy_path_of_the_bulk_writer_gives_the_rows_of_the_portable_one(make_user) -> None:
    actor, at = make_user(Role.ACCOUNTANT), timezone.now()
    rows = [
        AuditRow("payments.payment", str(i), i % 3 or None, {"state": "live"}, {"state": "paid", "n": i}, f"n\t{i}\\")
        for i in range(50)
    ] + [
        AuditRow("claims.claimline", "x", None, {"ald": ""}, {"ald": "ALD12"}, "ALD12 set"),
        AuditRow("a.b", "é", 1, None, None),
    ]
    audit_events_write(action=AuditAction.PAID, rows=rows, actor_id=actor.pk, at=at)  # COPY here
    copied = list(AuditEvent.objects.order_by("id").values_list(*COLUMNS))
    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True)[0]
    bulk._rows_copy_portable(
        AuditEvent, COLUMNS, [(at, actor.pk, "paid", *_row_masked(r)) for r in rows], with_ids=False
    )
    portable = list(AuditEvent.objects.filter(id__gt=last).order_by("id").values_list(*COLUMNS))
    assert copied == portable and len(copied) == 52 and copied[50][7] == {"ald": MASKED}


@on_postgresql
def test_the_database_refuses_update_and_delete_of_audit_rows() -> None:
    event = _event()
    table = AuditEvent._meta.db_table
    for sql in (f"UPDATE {table} SET note = 'changed' WHERE id = %s", f"DELETE FROM {table} WHERE id = %s"):  # noqa: S608
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql, [event.pk])
    assert AuditEvent.objects.get().note == "kept"


@on_postgresql
def test_the_database_lets_the_scrub_update_and_still_refuses_delete() -> None:
    event = _event(note="Angine de poitrine")
    with audit_scrub_allowed(), connection.cursor() as cur:
        cur.execute(f"UPDATE {AuditEvent._meta.db_table} SET note = '•••' WHERE id = %s", [event.pk])  # noqa: S608
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            cur.execute(f"DELETE FROM {AuditEvent._meta.db_table} WHERE id = %s", [event.pk])  # noqa: S608
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cur:
        cur.execute(f"UPDATE {AuditEvent._meta.db_table} SET note = 'after' WHERE id = %s", [event.pk])  # noqa: S608
    assert AuditEvent.objects.get().note == "•••"


def test_the_scrub_of_stored_rows_still_works_past_the_refusals() -> None:
    old = audit_event_new(
        actor=None, action=AuditAction.UPDATE, object_type="x.y", object_id="1", after={"diagnosis": "Angine"}
    )  # fmt: skip  (an object type that declares nothing)
    old.save(force_insert=True)
    assert audit_rows_scrub(event_model=AuditEvent, masked={"x.y": ("diagnosis",)}) == 1
    assert AuditEvent.objects.get().after == {"diagnosis": MASKED}

"""Masking of the medical values that audit rows stored before the writer masked them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from django.db import transaction

from audit.masking import mask_with
from audit.models import scrub_allowed
from mutuelle import bulk

# Read by the PostgreSQL trigger of migration audit 0004 (audit_auditevent_append_only): set for
# the current transaction only, it lets an UPDATE of audit rows through; DELETE is never allowed.
SCRUB_SETTING = "mutuelle.audit_scrub"


@contextmanager
def audit_scrub_allowed() -> Iterator[None]:
    """The one documented way to rewrite stored audit rows (to mask what should never have been
    stored): inside it, in one transaction, the ORM's update is allowed and, on PostgreSQL, the
    append-only trigger lets UPDATEs pass. Nothing else may change a stored event."""
    token = scrub_allowed.set(True)
    try:
        with transaction.atomic():
            _database_scrub_setting("on")
            yield
            _database_scrub_setting("off")  # SET LOCAL outlives a savepoint: switch it off at once
    finally:
        scrub_allowed.reset(token)


def _database_scrub_setting(value: str) -> None:
    bulk.transaction_setting_set(SCRUB_SETTING, value)  # the trigger exists on PostgreSQL only


def audit_rows_scrub(*, event_model: Any, masked: Mapping[str, Iterable[str]], batch: int = 2000) -> int:
    """Mask, in every stored event of each object type of `masked`, its medical fields (before,
    after, and a note that quotes them); returns how many rows changed.

    `event_model` is AuditEvent, or the migration's historical one. Read by primary-key ranges,
    each batch written back before the next is read: no cursor stays open across writes."""
    with audit_scrub_allowed():
        return _scrub(event_model, masked, batch)


def _scrub(event_model: Any, masked: Mapping[str, Iterable[str]], batch: int) -> int:
    changed_rows = 0
    for object_type, names in masked.items():
        fields = frozenset(names)
        last = 0
        while True:
            events = list(event_model.objects.filter(object_type=object_type, pk__gt=last).order_by("pk")[:batch])
            if not events:
                break
            last = events[-1].pk
            changed = []
            for event in events:
                scrubbed = mask_with(fields, event.before, event.after, event.note or "")
                if scrubbed != (event.before, event.after, event.note or ""):
                    event.before, event.after, event.note = scrubbed
                    changed.append(event)
            event_model.objects.bulk_update(changed, ["before", "after", "note"], batch_size=batch)
            changed_rows += len(changed)
    return changed_rows

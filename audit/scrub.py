"""Masking of the medical values that audit rows stored before the writer masked them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from audit.masking import mask_with


def audit_rows_scrub(*, event_model: Any, masked: Mapping[str, Iterable[str]], batch: int = 2000) -> int:
    """Mask, in every stored event of each object type of `masked`, its medical fields (before,
    after, and a note that quotes them); returns how many rows changed.

    `event_model` is AuditEvent, or the migration's historical one. Read by primary-key ranges,
    each batch written back before the next is read: no cursor stays open across writes."""
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

"""Mask the medical values that audit rows hold from before the writer masked them (issue 9)."""

from __future__ import annotations

from typing import Any

from django.db import migrations

from audit.scrub import audit_rows_scrub

# The models' AUDIT_MASKED_FIELDS when this migration was written: frozen here, as a migration
# must do the same thing whatever the models say later.
MASKED_FIELDS = {
    "claims.priorapproval": ("justification", "decision_note"),
    "claims.aldrecognition": ("code",),
    "claims.medicalnote": ("diagnosis",),
    "claims.claimline": ("ald",),
    "claims.attachment": ("original_name",),
}


def scrub(apps: Any, schema_editor: Any) -> None:
    audit_rows_scrub(event_model=apps.get_model("audit", "AuditEvent"), masked=MASKED_FIELDS)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    # Not reversible in substance: a masked value is gone; going back leaves the rows masked.
    operations = [migrations.RunPython(scrub, migrations.RunPython.noop, elidable=False)]

"""Every action string the apps write is a member of AuditEvent.Action, and the database refuses others."""

from __future__ import annotations

from django.db import migrations, models

# The vocabulary when this migration was written, frozen here as a migration must be.
ACTIONS = [
    ("create", "created"),
    ("update", "updated"),
    ("delete", "deleted"),
    ("transition", "state change"),
    ("import", "import"),
    ("export", "export"),
    ("view_medical", "medical data viewed"),
    ("imported", "file imported"),
    ("prepared", "batch prepared"),
    ("validated", "batch validated"),
    ("exported", "bank file exported"),
    ("confirmed", "batch confirmed"),
    ("cancelled", "batch cancelled"),
    ("paid", "payment paid"),
    ("rejected", "payment rejected by the bank"),
    ("requeued", "put back for a new batch"),
    ("revoke", "revoked"),
]


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_scrub_medical_values")]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="action",
            field=models.CharField(choices=ACTIONS, max_length=16, verbose_name="action"),
        ),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.CheckConstraint(
                condition=models.Q(action__in=[value for value, _ in ACTIONS]), name="audit_action_known"
            ),
        ),
    ]

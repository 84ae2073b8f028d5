from typing import Any

from django.db import migrations, models

MASKED_NOTE = "•••"  # audit.masking.MASKED_NOTE, frozen here as migrations must be


def mark_review_decisions(apps: Any, schema_editor: Any) -> None:
    """Decisions already taken out of medical review become medical, and their reason leaves the trail."""
    ClaimTransition = apps.get_model("claims", "ClaimTransition")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    ClaimTransition.objects.filter(from_status="medical_review").update(medical=True)
    AuditEvent.objects.filter(
        action="transition", object_type="claims.claimfile", before__status="medical_review"
    ).exclude(note="").update(note=MASKED_NOTE)


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0007_certificate_one_per_day"),
        ("audit", "0002_scrub_medical_values"),
    ]

    operations = [
        migrations.AddField(
            model_name="claimtransition",
            name="medical",
            field=models.BooleanField(db_default=False, default=False, verbose_name="medical decision"),
        ),
        migrations.RunPython(mark_review_decisions, migrations.RunPython.noop),
    ]

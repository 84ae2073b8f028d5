"""Transition reasons as codes: the English notes written by the payment services become codes with
their parameters, so the history reads in the reader's language (ClaimTransition.reason_shown)."""

import re

from django.db import migrations, models

# (code, pattern of the English text, its parameter names): what the services wrote until now.
PATTERNS = (
    ("bank_return", re.compile(r"^bank return (?P<file>.+)$"), "bank return "),
    ("requeue", re.compile(r"^requeue (?P<payment>\S+)$"), "requeue "),
    ("batch_cancelled", re.compile(r"^batch (?P<number>\S+) cancelled$"), "batch "),
    ("postal_order", re.compile(r"^postal order (?P<number>\S+)$"), "postal order "),
)


def codes_from_text(apps, schema_editor):  # type: ignore[no-untyped-def]
    transition = apps.get_model("claims", "ClaimTransition")
    # medical=False: a medical controller's words are never rewritten (and carry no service text).
    rows = transition.objects.filter(reason_code="", medical=False)
    rows.filter(reason="payment batch").update(reason_code="payment_batch")
    for code, pattern, prefix in PATTERNS:
        changed = []
        for row in rows.filter(reason__startswith=prefix).only("pk", "reason").iterator(chunk_size=2000):
            found = pattern.match(row.reason)
            if found is not None:
                row.reason_code, row.reason_params = code, found.groupdict()
                changed.append(row)
            if len(changed) >= 2000:
                transition.objects.bulk_update(changed, ["reason_code", "reason_params"])
                changed = []
        transition.objects.bulk_update(changed, ["reason_code", "reason_params"])


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0008_claimtransition_medical"),
    ]

    operations = [
        migrations.AddField(
            model_name="claimtransition",
            name="reason_code",
            field=models.CharField(blank=True, db_default="", default="", max_length=32, verbose_name="reason code"),
        ),
        migrations.AddField(
            model_name="claimtransition",
            name="reason_params",
            field=models.JSONField(blank=True, db_default={}, default=dict, verbose_name="reason parameters"),
        ),
        # Only new columns are written back: no reverse work is needed to undo them.
        migrations.RunPython(codes_from_text, migrations.RunPython.noop),
    ]

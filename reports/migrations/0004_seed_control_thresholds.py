"""The control signals' first thresholds, as dated rows (a medical controller's policy: the next
values are new rows from their date, these stay as history).

Twice the peer median for a provider (issue 14's example), among at least three peers; more than
four consultations in 30 days for a beneficiary; an approval used twice as fast as its validity
runs, once half of it is used.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import migrations

SINCE = dt.date(2024, 1, 1)
SOURCE = "Initial control policy (issue 14)"
VALUES = {
    "provider_ratio": Decimal("2.00"),
    "provider_min_peers": Decimal("3"),
    "frequency_max": Decimal("4"),
    "frequency_days": Decimal("30"),
    "approval_pace": Decimal("2.00"),
    "approval_min_used": Decimal("50"),
}


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    threshold = apps.get_model("reports", "ControlThreshold")
    for name, value in VALUES.items():
        threshold.objects.get_or_create(name=name, valid_from=SINCE, defaults={"value": value, "source": SOURCE})


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("reports", "ControlThreshold").objects.filter(valid_from=SINCE, source=SOURCE).delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0003_whatif_controls")]

    operations = [migrations.RunPython(forwards, backwards)]

"""The basic insurer's public figures quoted in issue 14, as dated rows (an administrator adds the
next ones in the admin when new figures are published; these stay as history)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import migrations

SINCE = dt.date(2024, 1, 1)
SOURCE = "Basic insurer's public figures (issue 14)"
FIGURES = {"average_delay_days": Decimal("54"), "share_within_60_pct": Decimal("76")}


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    figure = apps.get_model("reports", "BenchmarkFigure")
    for name, value in FIGURES.items():
        figure.objects.get_or_create(name=name, valid_from=SINCE, defaults={"value": value, "source": SOURCE})


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("reports", "BenchmarkFigure").objects.filter(valid_from=SINCE, source=SOURCE).delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_summaries")]

    operations = [migrations.RunPython(forwards, backwards)]

"""The allowances of the death fund since October 2023 (allowances/seed.py)."""

from __future__ import annotations

from django.db import migrations


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    from allowances.seed import allowances_seed

    allowances_seed(apps)


class Migration(migrations.Migration):
    dependencies = [("allowances", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

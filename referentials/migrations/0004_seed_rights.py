"""Seed the arrears rules and the basic-insurance payer (see referentials/seed_rights.py)."""

from __future__ import annotations

from django.db import migrations


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    from referentials.seed_rights import seed_rights_values

    seed_rights_values(apps)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    from referentials.seed_rights import unseed_rights_values

    unseed_rights_values(apps)


class Migration(migrations.Migration):
    dependencies = [("referentials", "0003_basic_payer_arrears_parameters")]

    operations = [migrations.RunPython(forwards, backwards)]

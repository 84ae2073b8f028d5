"""Seed the public reference values of DESIGN.md (see referentials/seed*.py)."""

from __future__ import annotations

from django.db import migrations


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    from referentials.seed import seed_public_values

    seed_public_values(apps)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    from referentials.seed import unseed

    unseed(apps)


class Migration(migrations.Migration):
    dependencies = [("referentials", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]

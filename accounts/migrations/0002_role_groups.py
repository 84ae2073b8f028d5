"""Create one group per role. Their permissions are applied by accounts.services.roles_sync
after every migrate, because later apps' permissions do not exist yet at this point."""

from __future__ import annotations

from django.db import migrations

ROLES = [
    "member",
    "reception",
    "claims_officer",
    "medical_controller",
    "accountant",
    "centre_coordinator",
    "provider",
    "administrator",
    "auditor",
]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]

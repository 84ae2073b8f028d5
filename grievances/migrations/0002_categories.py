from __future__ import annotations

from typing import Any

from django.db import migrations


def seed(apps: Any, schema_editor: Any) -> None:
    from grievances.seed import categories_seed

    categories_seed(apps.get_model("grievances", "GrievanceCategory"))


class Migration(migrations.Migration):
    dependencies = [("grievances", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

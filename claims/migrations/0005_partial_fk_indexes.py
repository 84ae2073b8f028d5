"""Foreign keys that are mostly NULL get partial indexes, and the index that a unique (file, version)
already serves goes: each status update of a file writes fewer index entries (no HOT: status is indexed)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_role_groups"),
        ("claims", "0004_hot_updates"),
        ("members", "0002_search_trigram"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="claimfile",
            name="created_by",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="claimfile",
            name="provider",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                to="accounts.provider",
                verbose_name="provider",
            ),
        ),
        migrations.AlterField(
            model_name="claimtransition",
            name="file",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="transitions",
                to="claims.claimfile",
            ),
        ),
        migrations.AddIndex(
            model_name="claimfile",
            index=models.Index(
                condition=models.Q(("provider__isnull", False)), fields=["provider"], name="claimfile_provider"
            ),
        ),
        migrations.AddIndex(
            model_name="claimfile",
            index=models.Index(
                condition=models.Q(("created_by__isnull", False)), fields=["created_by"], name="claimfile_created_by"
            ),
        ),
    ]

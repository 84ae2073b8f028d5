"""Adjudication updates lines and files in place where PostgreSQL can (HOT updates).

No index covers a column adjudication changes on claim lines; redundant indexes go (a prefix
of a composite index), the approval index keeps only the lines that have one; free space is
left in each page (fillfactor) so the new version of a row fits next to the old one.
"""

import django.db.models.deletion
from django.db import migrations, models

LINE_FILLFACTOR = 40  # a decided line (reasons, trace) is about 1.6 times a received one
FILE_FILLFACTOR = 80


def _fillfactor(line: int, file: int):  # type: ignore[no-untyped-def]
    def apply(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"ALTER TABLE claims_claimline SET (fillfactor = {line})")
            schema_editor.execute(f"ALTER TABLE claims_claimfile SET (fillfactor = {file})")

    return apply


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0003_amount_constraints_to_the_centime"),
        ("members", "0002_search_trigram"),
    ]

    operations = [
        migrations.AlterField(
            model_name="claimfile",
            name="member",
            field=models.ForeignKey(
                db_index=False, on_delete=django.db.models.deletion.PROTECT, to="members.member", verbose_name="member"
            ),
        ),
        migrations.AlterField(
            model_name="claimline",
            name="member_id",
            field=models.BigIntegerField(),
        ),
        migrations.AlterField(
            model_name="claimline",
            name="prior_approval",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                to="claims.priorapproval",
                verbose_name="prior approval",
            ),
        ),
        migrations.AddIndex(
            model_name="claimline",
            index=models.Index(
                condition=models.Q(("prior_approval__isnull", False)),
                fields=["prior_approval"],
                name="claimline_approval",
            ),
        ),
        migrations.RunPython(_fillfactor(LINE_FILLFACTOR, FILE_FILLFACTOR), _fillfactor(100, 100)),
    ]

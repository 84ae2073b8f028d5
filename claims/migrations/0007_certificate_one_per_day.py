"""One certificate of affiliation per member and day (issuing twice gives the same one).

Certificates already issued twice the same day (each GET of the PDF made one) are kept, marked
extra_of_day, so that every code handed out still verifies at /verify/<code>.
"""

from django.db import migrations, models


def mark_extra_of_day(apps, schema_editor):  # type: ignore[no-untyped-def]
    Certificate = apps.get_model("claims", "Certificate")
    seen: set[tuple[int, object]] = set()
    extra = []
    for pk, member_id, issued_on in Certificate.objects.order_by("member_id", "issued_on", "pk").values_list(
        "pk", "member_id", "issued_on"
    ):
        if (member_id, issued_on) in seen:
            extra.append(pk)
        seen.add((member_id, issued_on))
    Certificate.objects.filter(pk__in=extra).update(extra_of_day=True)


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0006_provider_external_ref"),
    ]

    operations = [
        migrations.AddField(
            model_name="certificate",
            name="extra_of_day",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.RunPython(mark_extra_of_day, migrations.RunPython.noop, elidable=True),
        migrations.AddConstraint(
            model_name="certificate",
            constraint=models.UniqueConstraint(
                condition=models.Q(("extra_of_day", False)),
                fields=("member", "issued_on"),
                name="certificate_one_per_day",
            ),
        ),
    ]

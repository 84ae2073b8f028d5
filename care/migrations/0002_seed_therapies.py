"""The six therapies of the Amal centres, with the act a session is billed under where there is one."""

from __future__ import annotations

from typing import Any

from django.db import migrations

# code, Arabic, French, English, act billed (referentials.seed_acts)
THERAPIES = [
    ("speech", "تقويم النطق", "Orthophonie", "Speech therapy", "SEANCE-ORTHO"),
    ("psychomotricity", "الترويض النفسي الحركي", "Psychomotricité", "Psychomotricity", ""),
    ("physiotherapy", "الترويض الطبي", "Kinésithérapie", "Physiotherapy", "SEANCE-KINE"),
    ("psychology", "علم النفس", "Psychologie", "Psychology", ""),
    ("special_education", "التربية الخاصة", "Éducation spécialisée", "Special education", ""),
    ("occupational_therapy", "العلاج الوظيفي", "Ergothérapie", "Occupational therapy", ""),
]


def seed(apps: Any, schema_editor: Any) -> None:
    Therapy = apps.get_model("care", "Therapy")
    for code, name_ar, name_fr, name_en, act in THERAPIES:
        Therapy.objects.update_or_create(
            code=code, defaults={"name_ar": name_ar, "name_fr": name_fr, "name_en": name_en, "act_code": act}
        )


class Migration(migrations.Migration):
    dependencies = [("care", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

"""Morocco's public holidays in the administrations (decree of 1977 as amended; Aïd Al Wahda on
31 October from 2026, decree 2.25.1140) for 2026 and 2027.

Religious holidays follow the Hijri calendar: their days here are the expected ones, marked
provisional, for an administrator to confirm or move when the ministry announces them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import migrations

FIXED = [
    (1, 1, "Nouvel an", "رأس السنة الميلادية"),
    (1, 11, "Manifeste de l'indépendance", "ذكرى تقديم وثيقة الاستقلال"),
    (1, 14, "Nouvel an amazigh", "رأس السنة الأمازيغية"),
    (5, 1, "Fête du travail", "عيد الشغل"),
    (7, 30, "Fête du Trône", "عيد العرش"),
    (8, 14, "Allégeance Oued Eddahab", "ذكرى استرجاع إقليم وادي الذهب"),
    (8, 20, "Révolution du Roi et du peuple", "ذكرى ثورة الملك والشعب"),
    (8, 21, "Fête de la jeunesse", "عيد الشباب"),
    (10, 31, "Fête de l'unité (Aïd Al Wahda)", "عيد الوحدة"),
    (11, 6, "Marche verte", "ذكرى المسيرة الخضراء"),
    (11, 18, "Fête de l'indépendance", "عيد الاستقلال"),
]
FITR = ("Aïd Al Fitr", "عيد الفطر")
ADHA = ("Aïd Al Adha", "عيد الأضحى")
HIJRA = ("Nouvel an de l'Hégire", "فاتح محرم")
MAWLID = ("Aïd Al Mawlid", "عيد المولد النبوي")
# Expected days (1 Shawwal; 10 and 11 Dhu al-Hijja; 1 Muharram; 12 and 13 Rabi' al-Awwal).
RELIGIOUS = [
    (dt.date(2026, 3, 20), FITR), (dt.date(2026, 5, 27), ADHA), (dt.date(2026, 5, 28), ADHA),
    (dt.date(2026, 6, 17), HIJRA), (dt.date(2026, 8, 26), MAWLID), (dt.date(2026, 8, 27), MAWLID),
    (dt.date(2027, 3, 10), FITR), (dt.date(2027, 5, 17), ADHA), (dt.date(2027, 5, 18), ADHA),
    (dt.date(2027, 6, 7), HIJRA), (dt.date(2027, 8, 16), MAWLID), (dt.date(2027, 8, 17), MAWLID),
]  # fmt: skip


def seed(apps: Any, schema_editor: Any) -> None:
    holiday = apps.get_model("referentials", "PublicHoliday")
    rows = [holiday(day=dt.date(year, m, d), name_fr=fr, name_ar=ar) for year in (2026, 2027) for m, d, fr, ar in FIXED]
    rows += [holiday(day=day, name_fr=fr, name_ar=ar, provisional=True) for day, (fr, ar) in RELIGIOUS]
    holiday.objects.bulk_create(rows, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("referentials", "0008_public_holidays")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

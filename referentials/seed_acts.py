"""Public reference values seeded by migration 0002 (DESIGN.md), valid from 2006-01-01.

Physiotherapy and speech therapy are ACTS with a flat tariff of 50 DH per session
(`SEANCE-KINE`, `SEANCE-ORTHO`), not key letters: the engine's flat tariff × sessions
gives the basis. Acts coded by a key letter carry their coefficient.
"""

from __future__ import annotations

SINCE = "2006-01-01"

# letter, value (MAD, both sectors), category of an act coded by the bare letter
KEY_LETTERS: list[tuple[str, str, str]] = [
    ("C", "80.00", "consultation"),
    ("Cs", "150.00", "consultation"),
    ("CNPSY", "190.00", "consultation"),
    ("V", "120.00", "visit"),
    ("Vs", "190.00", "visit"),
    ("Z", "10.00", "imaging"),
    ("K", "22.50", "surgery"),
]

# code, French, Arabic, category, key letter, coefficient, flat tariff, prior approval, max, days
ACTS: list[tuple[str, str, str, str, str, str | None, str | None, bool, int | None, int | None]] = [
    (
        "CONS-G",
        "Consultation de médecine générale",
        "استشارة الطب العام",
        "consultation",
        "C",
        "1",
        None,
        False,
        None,
        None,
    ),
    (
        "CONS-S",
        "Consultation de spécialiste",
        "استشارة الطبيب المختص",
        "consultation",
        "Cs",
        "1",
        None,
        False,
        None,
        None,
    ),
    (
        "CONS-PSY",
        "Consultation de psychiatrie",
        "استشارة الطب النفسي",
        "consultation",
        "CNPSY",
        "1",
        None,
        False,
        None,
        None,
    ),
    (
        "VIS-G",
        "Visite à domicile, généraliste",
        "زيارة منزلية للطبيب العام",
        "visit",
        "V",
        "1",
        None,
        False,
        None,
        None,
    ),
    (
        "VIS-S",
        "Visite à domicile, spécialiste",
        "زيارة منزلية للطبيب المختص",
        "visit",
        "Vs",
        "1",
        None,
        False,
        None,
        None,
    ),
    ("ECG", "Électrocardiogramme", "تخطيط القلب الكهربائي", "other", "K", "4", None, False, None, None),
    ("RX-THORAX", "Radiographie du thorax", "تصوير الصدر بالأشعة", "imaging", "Z", "15", None, False, None, None),
    (
        "RX-MEMBRE",
        "Radiographie d'un membre",
        "تصوير أحد الأطراف بالأشعة",
        "imaging",
        "Z",
        "12",
        None,
        False,
        None,
        None,
    ),
    ("ECHO-ABDO", "Échographie abdominale", "فحص البطن بالصدى", "imaging", "Z", "40", None, False, None, None),
    ("ECHO-OBST", "Échographie obstétricale", "فحص الحمل بالصدى", "imaging", "Z", "40", None, False, 3, 270),
    ("MAMMO", "Mammographie bilatérale", "تصوير الثدي بالأشعة", "imaging", "Z", "35", None, False, 1, 365),
    ("SCANNER", "Tomodensitométrie (scanner)", "التصوير المقطعي", "imaging", "Z", "100", None, False, None, None),
    (
        "IRM",
        "Imagerie par résonance magnétique",
        "التصوير بالرنين المغناطيسي",
        "imaging",
        "Z",
        "250",
        None,
        True,
        None,
        None,
    ),
    ("APPENDIC", "Appendicectomie", "استئصال الزائدة الدودية", "surgery", "K", "50", None, False, None, None),
    ("CHOLECYST", "Cholécystectomie", "استئصال المرارة", "surgery", "K", "100", None, True, None, None),
    ("CESARIENNE", "Césarienne", "عملية قيصرية", "surgery", "K", "80", None, False, None, None),
    ("CATARACTE", "Chirurgie de la cataracte", "جراحة إعتام عدسة العين", "surgery", "K", "70", None, True, None, None),
    ("HERNIE", "Cure de hernie inguinale", "علاج الفتق الإربي", "surgery", "K", "60", None, False, None, None),
    ("SUTURE", "Suture de plaie simple", "خياطة جرح بسيط", "surgery", "K", "5", None, False, None, None),
    ("NFS", "Numération formule sanguine", "تعداد الدم الكامل", "lab", "", None, "60.00", False, None, None),
    ("GLYCEMIE", "Glycémie à jeun", "نسبة السكر في الدم على الريق", "lab", "", None, "20.00", False, None, None),
    ("HBA1C", "Hémoglobine glyquée", "الهيموغلوبين السكري", "lab", "", None, "100.00", False, 4, 365),
    ("BILAN-LIP", "Bilan lipidique", "تحليل الدهون", "lab", "", None, "120.00", False, None, None),
    ("CREAT", "Créatininémie", "نسبة الكرياتينين", "lab", "", None, "30.00", False, None, None),
    ("TSH", "Dosage de la TSH", "معايرة الهرمون المنبه للغدة الدرقية", "lab", "", None, "110.00", False, None, None),
    (
        "ECBU",
        "Examen cytobactériologique des urines",
        "فحص البول الخلوي الجرثومي",
        "lab",
        "",
        None,
        "80.00",
        False,
        None,
        None,
    ),
    (
        "SOIN-DENT",
        "Soin dentaire conservateur",
        "علاج الأسنان التحفظي",
        "dental",
        "",
        None,
        "100.00",
        False,
        None,
        None,
    ),
    ("EXTRACTION", "Extraction dentaire", "قلع الأسنان", "dental", "", None, "80.00", False, None, None),
    ("DETARTRAGE", "Détartrage complet", "إزالة الجير الكاملة", "dental", "", None, "100.00", False, 1, 180),
    ("COURONNE", "Couronne dentaire", "تاج الأسنان", "prosthesis", "", None, "1000.00", True, None, None),
    (
        "PROTH-AMOV",
        "Prothèse dentaire amovible",
        "طقم أسنان متحرك",
        "prosthesis",
        "",
        None,
        "1500.00",
        True,
        None,
        None,
    ),
    ("VERRES", "Verres correcteurs (paire)", "نظارات طبية (زوج عدسات)", "optics", "", None, "400.00", False, 1, 730),
    ("MONTURE", "Monture de lunettes", "إطار النظارات", "optics", "", None, "200.00", False, 1, 730),
    ("LENTILLES", "Lentilles de contact (paire)", "عدسات لاصقة (زوج)", "optics", "", None, "300.00", False, None, None),
    (
        "SEANCE-KINE",
        "Séance de kinésithérapie",
        "حصة الترويض الطبي",
        "physiotherapy",
        "",
        None,
        "50.00",
        False,
        30,
        365,
    ),
    ("SEANCE-ORTHO", "Séance d'orthophonie", "حصة تقويم النطق", "speech_therapy", "", None, "50.00", False, 30, 365),
    (
        "APP-AUDITIF",
        "Appareil auditif (par oreille)",
        "جهاز السمع (لكل أذن)",
        "device",
        "",
        None,
        "2500.00",
        True,
        1,
        1825,
    ),
    ("FAUTEUIL", "Fauteuil roulant", "كرسي متحرك", "device", "", None, "3000.00", True, 1, 1825),
    (
        "JOUR-CLIN",
        "Journée d'hospitalisation en clinique",
        "يوم استشفاء في مصحة",
        "hospital_stay",
        "",
        None,
        "500.00",
        False,
        None,
        None,
    ),
    ("JOUR-REA", "Journée de réanimation", "يوم إنعاش", "hospital_stay", "", None, "1500.00", True, None, None),
    ("DIALYSE", "Séance d'hémodialyse", "حصة تصفية الدم", "other", "", None, "850.00", False, None, None),
]

# category, setting, rate in basis points
AMO_RATES: list[tuple[str, str, int]] = [
    ("*", "ambulatory", 8000),
    ("*", "hospital_private", 9000),
    ("*", "hospital_public", 10000),
    ("medicine", "*", 7000),
    ("ald", "*", 10000),
]

# category, rate bp, flat amount, yearly ceiling per beneficiary (the mutual's published plan)
COMPLEMENTARY: list[tuple[str, int | None, str | None, str | None]] = [
    ("medicine", 2000, None, None),
    ("optics", 2000, None, "1500.00"),
    ("lab", 2000, None, None),
    ("prosthesis", 2000, None, None),
    ("surgery", 2000, None, None),
    ("consultation", None, "10.00", None),
]

PARAMETERS: list[tuple[str, int]] = [
    ("member_filing_days", 60),
    ("provider_filing_days", 90),
    ("waiting_period_months", 3),
    ("child_age_limit", 21),
    ("student_age_limit", 26),
]

ALLOWANCES_SINCE = "2023-10-01"
ALLOWANCES: list[tuple[str, str]] = [
    ("retirement", "35000.00"),
    ("death", "50000.00"),
    ("funeral", "4000.00"),
    ("orphan_schooling", "700.00"),
]

# kind, rate bp, member's share bp of the rate, monthly min per share, monthly max per share
CONTRIBUTIONS: list[tuple[str, int, int, str | None, str | None]] = [
    ("amo_active", 500, 5000, "70.00", "400.00"),
    ("amo_pensioner", 250, 10000, "70.00", "400.00"),
    ("complementary", 180, 10000, None, "50.00"),
    ("death_fund", 100, 10000, None, "15.00"),
]

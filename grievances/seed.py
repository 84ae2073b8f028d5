"""The default categories and target times (5 working days for a complaint, 30 days for an appeal to
the committee); administrators change them in the admin. Run by the data migration and idempotent."""

from __future__ import annotations

from typing import Any

# code, kind, French, Arabic, English, target days, working days
CATEGORIES: list[tuple[str, str, str, str, str, int, bool]] = [
    ("delay", "complaint", "Délai de remboursement", "تأخر التعويض", "Reimbursement delay", 5, True),
    ("reception", "complaint", "Accueil et information", "الاستقبال والإرشاد", "Reception and information", 5, True),
    (
        "payment",
        "complaint",
        "Paiement non reçu ou erroné",
        "أداء لم يتم أو خاطئ",
        "Payment not received or wrong",
        5,
        True,
    ),
    ("other-complaint", "complaint", "Autre réclamation", "شكاية أخرى", "Other complaint", 5, True),
    (
        "claim-decision",
        "appeal",
        "Recours contre un remboursement",
        "طعن في قرار التعويض",
        "Appeal against a reimbursement decision",
        30,
        False,
    ),
    ("payment-decision", "appeal", "Recours contre un paiement", "طعن في أداء", "Appeal against a payment", 30, False),
    (
        "allowance-decision",
        "appeal",
        "Recours contre une allocation",
        "طعن في قرار منحة",
        "Appeal against an allowance decision",
        30,
        False,
    ),
    (
        "suspension",
        "appeal",
        "Recours contre une suspension des droits",
        "طعن في توقيف الحقوق",
        "Appeal against a suspension of rights",
        30,
        False,
    ),
]


def categories_seed(model: Any) -> None:
    """`model`: GrievanceCategory (the historical one in a migration)."""
    for position, (code, kind, fr, ar, en, days, working) in enumerate(CATEGORIES):
        model.objects.get_or_create(code=code, defaults={
            "kind": kind, "label_fr": fr, "label_ar": ar, "label_en": en, "target_days": days,
            "working_days": working, "position": position,
        })  # fmt: skip

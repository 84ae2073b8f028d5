"""The one table of reason codes, with Arabic, French and English labels.

A reason code is a stable identifier stored with each line decision; labels are
for people (agents, members) and may be reworded without touching stored data.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "AGE_LIMIT",
    "CEILING_REACHED",
    "DUPLICATE",
    "FREQUENCY_LIMIT",
    "INVALID_AMOUNT",
    "INVALID_DATE",
    "LANGUAGES",
    "LATE_FILING",
    "NOT_COVERED",
    "NOT_REIMBURSABLE",
    "PRIOR_APPROVAL_REQUIRED",
    "PROVIDER_UNKNOWN",
    "REASONS",
    "RIGHTS_SUSPENDED",
    "UNKNOWN_CODE",
    "WAITING_PERIOD",
    "Reason",
    "reason_label",
]


@dataclass(frozen=True, slots=True)
class Reason:
    code: str
    ar: str
    fr: str
    en: str
    # True when the line is still paid (only reduced), False when it is rejected.
    reduces_only: bool = False


NOT_COVERED = "NOT_COVERED"
AGE_LIMIT = "AGE_LIMIT"
WAITING_PERIOD = "WAITING_PERIOD"
RIGHTS_SUSPENDED = "RIGHTS_SUSPENDED"
LATE_FILING = "LATE_FILING"
DUPLICATE = "DUPLICATE"
PRIOR_APPROVAL_REQUIRED = "PRIOR_APPROVAL_REQUIRED"
UNKNOWN_CODE = "UNKNOWN_CODE"
NOT_REIMBURSABLE = "NOT_REIMBURSABLE"
CEILING_REACHED = "CEILING_REACHED"
INVALID_AMOUNT = "INVALID_AMOUNT"
INVALID_DATE = "INVALID_DATE"
FREQUENCY_LIMIT = "FREQUENCY_LIMIT"
PROVIDER_UNKNOWN = "PROVIDER_UNKNOWN"

REASONS: dict[str, Reason] = {
    r.code: r
    for r in (
        Reason(
            NOT_COVERED,
            "المستفيد غير مشمول بالتغطية في تاريخ العلاج",
            "Bénéficiaire non couvert à la date des soins",
            "Beneficiary not covered on the date of care",
        ),
        Reason(
            AGE_LIMIT,
            "تجاوز الطفل المكفول السن المحددة",
            "Enfant à charge au-delà de la limite d'âge",
            "Dependent child over the age limit",
        ),
        Reason(
            WAITING_PERIOD,
            "علاج خلال فترة الانتظار بعد الانخراط",
            "Soins pendant le délai de stage après l'adhésion",
            "Care during the waiting period after joining",
        ),
        Reason(
            RIGHTS_SUSPENDED,
            "الحقوق موقوفة في تاريخ العلاج",
            "Droits suspendus à la date des soins",
            "Rights suspended on the date of care",
        ),
        Reason(
            LATE_FILING,
            "تم إيداع الملف خارج الأجل",
            "Dossier déposé hors délai",
            "Claim filed after the deadline",
        ),
        Reason(
            DUPLICATE,
            "تكرار لسطر سبق قبوله",
            "Doublon d'une ligne déjà acceptée",
            "Duplicate of a line already accepted",
        ),
        Reason(
            PRIOR_APPROVAL_REQUIRED,
            "الموافقة المسبقة مطلوبة",
            "Accord préalable requis",
            "Prior approval required",
        ),
        Reason(
            UNKNOWN_CODE,
            "رمز غير معروف",
            "Code inconnu",
            "Unknown code",
        ),
        Reason(
            NOT_REIMBURSABLE,
            "دواء غير قابل للتعويض",
            "Médicament non remboursable",
            "Medicine not reimbursable",
        ),
        Reason(
            CEILING_REACHED,
            "تم بلوغ السقف السنوي للتغطية التكميلية",
            "Plafond annuel de la couverture complémentaire atteint",
            "Yearly ceiling of the complementary cover reached",
            reduces_only=True,
        ),
        Reason(
            INVALID_AMOUNT,
            "مبلغ أو كمية أو معامل غير صالح",
            "Montant, quantité ou coefficient invalide",
            "Invalid amount, quantity or coefficient",
        ),
        Reason(
            INVALID_DATE,
            "تاريخ العلاج لاحق لتاريخ الإيداع",
            "Date des soins postérieure à la date de dépôt",
            "Date of care after the filing date",
        ),
        Reason(
            FREQUENCY_LIMIT,
            "تجاوز العدد الأقصى المسموح به خلال المدة",
            "Nombre maximal d'actes autorisés sur la période dépassé",
            "Maximum number of acts allowed in the period exceeded",
        ),
        Reason(
            PROVIDER_UNKNOWN,
            "مقدم العلاج غير محدد (رقم INPE مفقود)",
            "Prestataire non identifié (INPE manquant)",
            "Provider not identified (INPE missing)",
        ),
    )
}

LANGUAGES: tuple[str, ...] = ("ar", "fr", "en")


def reason_label(code: str, lang: str) -> str:
    """Label of a reason code in "ar", "fr" or "en" (a region suffix is ignored).

    Raises ValueError on an unknown code or language: a silent fallback would hide
    a missing row in the table.
    """
    reason = REASONS.get(code)
    if reason is None:
        raise ValueError(f"unknown reason code {code!r}")
    base = lang.split("-")[0].split("_")[0].lower()
    if base not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}")
    return getattr(reason, base)

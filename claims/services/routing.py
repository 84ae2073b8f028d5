"""Which adjudicated files go to medical review, by rules set in settings (all optional)."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from claims import engine as e

REVIEW_REASONS: dict[str, Any] = {
    "amount": _("Amount above the review threshold"),
    "costly_medicine": _("Costly medicine"),
    "flagged_act": _("Act flagged for review in the referential"),
    "sample": _("Random control sample"),
}


def _conf(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def in_sample(number: str) -> bool:
    """Deterministic draw: the same file is always in or out of the sample for a given seed."""
    share = Decimal(str(_conf("CLAIMS_REVIEW_SAMPLE_SHARE", "0.02")))
    if share <= 0:
        return False
    digest = hashlib.sha256(f"{_conf('CLAIMS_REVIEW_SEED', 'mutuelle')}:{number}".encode()).digest()
    return Decimal(int.from_bytes(digest[:8], "big")) / Decimal(2**64) < share


def review_reasons(*, number: str, file: e.ClaimFile, decision: e.FileDecision, snapshot: e.Snapshot) -> list[str]:
    if decision.status == "rejected":
        return []  # nothing is paid: there is nothing to review
    reasons: list[str] = []
    threshold = e.to_centimes(_conf("CLAIMS_REVIEW_AMOUNT", "5000.00"))
    if decision.amo + decision.complementary > threshold:
        reasons.append("amount")
    costly = e.to_centimes(_conf("CLAIMS_REVIEW_COSTLY_MEDICINE", "1500.00"))
    categories = set(_conf("CLAIMS_REVIEW_CATEGORIES", ("surgery", "prosthesis")))
    decided = {d.ref: d.status for d in decision.lines}
    for line in file.lines:
        if decided.get(line.ref) == "rejected" or not line.code:
            continue
        if line.kind == "medicine":
            med = snapshot.medicine(line.code, line.date)
            if med is not None and (med.needs_prior_approval or med.public_price >= costly):
                reasons.append("costly_medicine")
        else:
            act = snapshot.act(line.code, line.date)
            if act is not None and (act.needs_prior_approval or act.category in categories):
                reasons.append("flagged_act")
    if in_sample(number):
        reasons.append("sample")
    return list(dict.fromkeys(reasons))

"""Which adjudicated files go to medical review, by rules set in settings (all optional)."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

import engine as e

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
    return Router(None).in_sample(number)


class Router:
    """The routing rules read once (settings, snapshot lookups memoised) for a whole batch of files."""

    def __init__(self, snapshot: e.Snapshot | None) -> None:
        self.snapshot = snapshot
        self.share = Decimal(str(_conf("CLAIMS_REVIEW_SAMPLE_SHARE", "0.02")))
        self.seed = str(_conf("CLAIMS_REVIEW_SEED", "mutuelle"))
        self.threshold = e.to_centimes(_conf("CLAIMS_REVIEW_AMOUNT", "5000.00"))
        self.costly = e.to_centimes(_conf("CLAIMS_REVIEW_COSTLY_MEDICINE", "1500.00"))
        self.categories = set(_conf("CLAIMS_REVIEW_CATEGORIES", ("surgery", "prosthesis")))
        self.flags: dict[tuple[str, str, date], str | None] = {}

    def in_sample(self, number: str) -> bool:
        if self.share <= 0:
            return False
        digest = hashlib.sha256(f"{self.seed}:{number}".encode()).digest()
        return Decimal(int.from_bytes(digest[:8], "big")) / Decimal(2**64) < self.share

    def _flag(self, kind: str, code: str, on: date) -> str | None:
        key = (kind, code, on)
        if key in self.flags:
            return self.flags[key]
        snapshot = self.snapshot
        assert snapshot is not None
        flag = None
        if kind == "medicine":
            med = snapshot.medicine(code, on)
            if med is not None and (med.needs_prior_approval or med.public_price >= self.costly):
                flag = "costly_medicine"
        else:
            act = snapshot.act(code, on)
            if act is not None and (act.needs_prior_approval or act.category in self.categories):
                flag = "flagged_act"
        self.flags[key] = flag
        return flag

    def reasons(self, *, number: str, file: e.ClaimFile, decision: e.FileDecision) -> list[str]:
        if decision.status == "rejected":
            return []  # nothing is paid: there is nothing to review
        reasons: list[str] = []
        if decision.amo + decision.complementary > self.threshold:
            reasons.append("amount")
        for line, d in zip(file.lines, decision.lines, strict=True):
            if d.status == "rejected" or not line.code:
                continue
            flag = self._flag(line.kind, line.code, line.date)
            if flag is not None:
                reasons.append(flag)
        if self.in_sample(number):
            reasons.append("sample")
        return list(dict.fromkeys(reasons)) if len(reasons) > 1 else reasons


def review_reasons(*, number: str, file: e.ClaimFile, decision: e.FileDecision, snapshot: e.Snapshot) -> list[str]:
    """The review reasons of one file (a batch builds one Router and asks it for each file)."""
    return Router(snapshot).reasons(number=number, file=file, decision=decision)

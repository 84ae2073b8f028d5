"""The bank's reasons for refusing a payment: ISO 20022 external status reason codes, in words.

A return file names a refusal by its code (AC04); people read "Compte clôturé" with the code beside
it, so that the accountant can still quote it to the bank. The codes a Moroccan bank returns for a
credit transfer; any other code is shown as it is (the ISO list is long and grows).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

REJECT_REASONS: dict[str, Any] = {
    "AC01": _("Incorrect account number"),
    "AC04": _("Account closed"),
    "AC06": _("Account blocked"),
    "AG01": _("Operation forbidden on this account"),
    "AM04": _("Insufficient funds"),
    "AM05": _("Duplicate payment"),
    "BE04": _("Payee's address missing"),
    "MD07": _("Account holder deceased"),
    "MS02": _("Refused by the payee, no reason given"),
    "MS03": _("Refused by the bank, no reason given"),
    "RC01": _("Incorrect bank code"),
}


def reject_reason_label(code: str) -> str:
    """The reason in the reader's language, or "" for a code not in the table."""
    label = REJECT_REASONS.get((code or "").strip().upper())
    return str(label) if label is not None else ""

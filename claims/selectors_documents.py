"""Reads for the mutual's documents: how a claim file is (or will be) paid, for its statement.

The codes' labels come from claims.selectors_codes.codes_labels, as on the pages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy as _

from claims.models import Channel, ClaimFile


@dataclass(frozen=True)
class StatementPayment:
    """How the reimbursement of a file is paid, for its statement."""

    method: Any  # a translated label
    account: str = ""  # the RIB's last four digits, "" when not by transfer to the member
    on: date | None = None  # paid on (or to be executed on, when `done` is False)
    done: bool = False
    reference: str = ""  # the payment batch or postal order number


# The payments app answers with the file's live payment (claims may not import it): payments.apps.
StatementPaymentReader = Callable[[ClaimFile], StatementPayment | None]
_READERS: list[StatementPaymentReader] = []


def statement_payment_register(reader: StatementPaymentReader) -> None:
    if reader not in _READERS:
        _READERS.append(reader)


METHOD_TRANSFER = _("Bank transfer to your account")
METHOD_POSTAL = _("Postal order (cash at a post office)")
METHOD_PROVIDER = _("Paid directly to the provider (third-party payment)")


def statement_payment(claim: ClaimFile) -> StatementPayment:
    """The payment recorded for the file, else the way it will be paid (one query at most per reader)."""
    for reader in _READERS:
        found = reader(claim)
        if found is not None:
            return found
    if claim.channel == Channel.PROVIDER:
        return StatementPayment(method=METHOD_PROVIDER)
    rib = claim.member.rib
    if rib:
        return StatementPayment(method=METHOD_TRANSFER, account=rib[-4:])
    return StatementPayment(method=METHOD_POSTAL)

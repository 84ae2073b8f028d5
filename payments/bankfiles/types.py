"""The inputs of a transfer order: who pays, who is paid, how much (exact to the centime)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from decimal import Decimal

CENT = Decimal("0.01")
# The longest free text of the SEPA / ISO 20022 formats (Max140Text): names, remittance information.
SEPA_TEXT_MAX = 140
_IBAN = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Za-z0-9]{1,30}$")
_BIC = re.compile(r"^[A-Z0-9]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$")
_ID = re.compile(r"^[A-Za-z0-9/\-?:().,'+ ]{1,35}$")
# XML 1.0 forbids most control characters; banks choke on them in CSV too.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class BankFileError(ValueError):
    """The order cannot be written as a bank file (bad amount, IBAN, identifier...)."""


def checksum_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def clean_text(value: str, max_length: int) -> str:
    text = " ".join(_CONTROL.sub(" ", value).split())
    return text[:max_length]


def exact_amount(amount: Decimal, *, what: str) -> Decimal:
    """The amount as a 2-decimal Decimal; refuses floats, sub-centime fractions and non-positive values."""
    if not isinstance(amount, Decimal) or not amount.is_finite():
        raise BankFileError(f"{what}: amount must be a finite Decimal, got {amount!r}")
    if amount <= 0:
        raise BankFileError(f"{what}: amount must be positive, got {amount}")
    if amount != amount.quantize(CENT):
        raise BankFileError(f"{what}: amount {amount} is not exact to the centime")
    return amount.quantize(CENT)


@dataclass(frozen=True, slots=True)
class Debtor:
    """The account the mutual pays from."""

    name: str
    iban: str
    bic: str = ""


@dataclass(frozen=True, slots=True)
class Transfer:
    """One credit transfer to one payee."""

    end_to_end_id: str
    amount: Decimal
    creditor_name: str
    creditor_iban: str
    remittance: str = ""


@dataclass(frozen=True, slots=True)
class TransferOrder:
    """A whole batch: one message, one payment block, one transaction per payee.

    `created_at` and `execution_date` are stored on the batch, so the same order always gives
    the same bytes.
    """

    message_id: str
    created_at: dt.datetime
    execution_date: dt.date
    debtor: Debtor
    transfers: tuple[Transfer, ...]

    def validate(self) -> None:
        if not _ID.match(self.message_id):
            raise BankFileError(f"message id {self.message_id!r} is not 1 to 35 plain characters")
        if self.created_at.tzinfo is None:
            raise BankFileError("created_at must be timezone-aware")
        if not _IBAN.match(self.debtor.iban):
            raise BankFileError(f"debtor IBAN {self.debtor.iban!r} is malformed")
        if self.debtor.bic and not _BIC.match(self.debtor.bic):
            raise BankFileError(f"debtor BIC {self.debtor.bic!r} is malformed")
        if not self.transfers:
            raise BankFileError("a transfer order needs at least one transfer")
        seen: set[str] = set()
        for transfer in self.transfers:
            ref = transfer.end_to_end_id
            if not _ID.match(ref):
                raise BankFileError(f"end-to-end id {ref!r} is not 1 to 35 plain characters")
            if ref in seen:
                raise BankFileError(f"end-to-end id {ref!r} appears twice")
            seen.add(ref)
            exact_amount(transfer.amount, what=ref)
            if not _IBAN.match(transfer.creditor_iban):
                raise BankFileError(f"{ref}: creditor IBAN {transfer.creditor_iban!r} is malformed")
            if not clean_text(transfer.creditor_name, SEPA_TEXT_MAX):
                raise BankFileError(f"{ref}: creditor name is empty")

    @property
    def control_sum(self) -> Decimal:
        return sum((t.amount for t in self.transfers), Decimal("0.00")).quantize(CENT)

    @property
    def count(self) -> int:
        return len(self.transfers)

"""The CSV transfer layout, for banks that do not take pain.001.

One header line, then one line per transfer; `;` separated, UTF-8, CRLF line ends, amounts
with a `.` and exactly two decimals. Columns (in this order):

| column          | content                                                    |
|-----------------|------------------------------------------------------------|
| end_to_end_id   | our unique reference; the bank returns it in its answer    |
| execution_date  | requested execution date, YYYY-MM-DD                       |
| debtor_iban     | the mutual's account                                       |
| creditor_name   | payee name (at most 140 characters)                        |
| creditor_rib    | payee's 24-digit RIB (the IBAN without "MA" + check digits)|
| creditor_iban   | payee's IBAN                                               |
| amount          | amount in dirhams, e.g. 1234.50                            |
| currency        | always MAD                                                 |
| remittance      | claim file numbers paid                                    |

A last line `TOTAL;<count>;;;;;<control sum>;MAD;<message id>` closes the file.

Formula-safe (mutuelle.spreadsheet): a text cell starting with `=`, `+`, `-`, `@`, a tab or a
carriage return (in practice only a payee name or an address, the only free text here) gets a
leading `'`; amounts are written as numbers, never quoted, so the bank reads them unchanged.
"""

from __future__ import annotations

from decimal import Decimal

from mutuelle.spreadsheet import csv_text
from payments.bankfiles.types import CENT, SEPA_TEXT_MAX, TransferOrder, clean_text, exact_amount

CSV_COLUMNS = (
    "end_to_end_id",
    "execution_date",
    "debtor_iban",
    "creditor_name",
    "creditor_rib",
    "creditor_iban",
    "amount",
    "currency",
    "remittance",
)


def _rib(iban: str) -> str:
    return iban[4:] if iban.startswith("MA") else ""


def transfer_csv(order: TransferOrder) -> bytes:
    order.validate()
    rows: list[tuple[object, ...]] = [CSV_COLUMNS]
    day = order.execution_date.isoformat()
    for tr in order.transfers:
        rows.append(
            (
                tr.end_to_end_id,
                day,
                order.debtor.iban,
                clean_text(tr.creditor_name, SEPA_TEXT_MAX),
                _rib(tr.creditor_iban),
                tr.creditor_iban,
                tr.amount.quantize(CENT),
                "MAD",
                clean_text(tr.remittance, SEPA_TEXT_MAX),
            )
        )
    rows.append(("TOTAL", order.count, "", "", "", "", order.control_sum.quantize(CENT), "MAD", order.message_id))
    return csv_text(rows).encode("utf-8")


POSTAL_COLUMNS = ("end_to_end_id", "payee_name", "reference", "address", "amount", "currency", "remittance")


def postal_order_csv(rows: list[tuple[str, str, str, str, Decimal, str]], *, message_id: str) -> bytes:
    """The list of postal orders: (end_to_end_id, payee, reference, address, amount, remittance) per row."""
    out: list[tuple[object, ...]] = [POSTAL_COLUMNS]
    total = Decimal("0.00")
    for ref, name, reference, address, amount, remittance in rows:
        amount = exact_amount(amount, what=ref)
        total += amount
        name = clean_text(name, SEPA_TEXT_MAX)
        out.append((ref, name, reference, clean_text(address, 300), amount, "MAD", remittance))
    out.append(("TOTAL", len(rows), "", "", total, "MAD", message_id))
    return csv_text(out).encode("utf-8")

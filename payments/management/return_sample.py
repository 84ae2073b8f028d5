"""A bank return file for a batch, as the bank would send it (for demos and rehearsals).

The CSV layout is the one `payments.bankfiles.return_csv_parse` reads:
`end_to_end_id;status;reason_code;amount;value_date`, one line per payment sent to the bank.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from mutuelle.spreadsheet import csv_text
from payments.models import PaymentBatch, PaymentState

HEADER = ("end_to_end_id", "status", "reason_code", "amount", "value_date")


def return_csv_sample(
    batch: PaymentBatch,
    *,
    rejected: Collection[str] = (),
    reason: str = "AC04",
    value_date: dt.date | None = None,
) -> bytes:
    """Every payment of `batch` still with the bank marked PAID, except those in `rejected` (REJECTED, `reason`)."""
    rows: list[tuple[object, ...]] = [HEADER]
    day = value_date.isoformat() if value_date else ""
    payments = batch.payments.filter(state=PaymentState.EXPORTED).order_by("pk")
    for ref, amount in payments.values_list("end_to_end_id", "amount"):
        if ref in rejected:
            rows.append((ref, "REJECTED", reason, amount, day))
        else:
            rows.append((ref, "PAID", "", amount, day))
    return csv_text(rows, lineterminator="\n").encode()

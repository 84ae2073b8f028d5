"""Batches of a source's kind (payments.sources): preparing their payments, and telling the
source when they are paid or released. Run inside the callers' transactions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from members.rib import iban_from_rib
from mutuelle import bulk
from mutuelle.types import Actor
from payments.bankfiles.types import SEPA_TEXT_MAX
from payments.models import Fund, FundEntry, Payment, PaymentBatch
from payments.sources import Attached, by_source, source_get, sources_for_kind

ZERO = Decimal("0.00")
FIELDS = (
    "batch_id", "member_id", "provider_id", "payee_name", "rib", "iban", "amount", "amo", "complementary",
    "solidarity", "source", "end_to_end_id", "remittance",
)  # fmt: skip


def sources_prepare_chunk(*, actor: Actor, batch: PaymentBatch, cursor: Any, size: int) -> Any:
    """The payments of the next `size` payable items of the batch's sources; None once none is left.

    An item attached is no longer payable, so the cursor only counts payments ({"seq": n}).
    """
    seq = int((cursor or {}).get("seq") or batch.payments.count())
    for source in sources_for_kind(batch.kind):
        payees = source.payable_chunk(size)
        if not payees:
            continue
        rows = []
        for p in payees:
            seq += 1
            rows.append((
                batch.pk, p.member_id, None, p.payee_name[:SEPA_TEXT_MAX], p.rib, iban_from_rib(p.rib), p.amount,
                ZERO, ZERO, p.amount, source.name, f"{batch.number}-{seq:07d}", p.remittance[:SEPA_TEXT_MAX],
            ))  # fmt: skip
        ids = bulk.rows_copy(Payment, FIELDS, rows, with_ids=True)
        source.attach(actor, batch, [Attached(p, i) for p, i in zip(payees, ids, strict=True)])
        return {"after": 0, "seq": seq}
    return None


def source_fund_entries(payments: list[Payment], on: dt.date) -> list[FundEntry]:
    """The ledger lines of the sources' payments (their `solidarity` part, in the source's fund)."""
    entries = []
    for p in payments:
        source = source_get(p.source) if p.source else None
        if source is not None and p.solidarity > 0:
            entries.append(
                FundEntry(fund=Fund(source.fund), booked_on=on, amount=p.solidarity, payment=p, member_id=p.member_id)
            )
    return entries


def sources_paid(*, actor: Actor, payments: list[Payment], on: dt.date) -> None:
    for name, ids in by_source((p.pk, p.source) for p in payments).items():
        source = source_get(name)
        if source is not None:
            source.paid(actor, ids, on)


def sources_released(*, actor: Actor, rows: list[tuple[int, str]]) -> None:
    """(payment id, source) of payments rejected or cancelled: their items are payable again."""
    for name, ids in by_source(rows).items():
        source = source_get(name)
        if source is not None:
            source.released(actor, ids)

"""The payments of the national set's paid files: one settled batch per month and payee kind.

A paid file has one paid payment (to the provider for third-party payment, to the member's RIB
otherwise) and its PaymentClaim link, as a settled payment run leaves them; the batches' counts and
totals are summed from their payments once every chunk is in, so they add up like real ones.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.utils import timezone

from members.rib import iban_from_rib
from mutuelle.bulk import rows_copy
from payments.models import BatchKind, BatchState, Payment, PaymentBatch, PaymentClaim


@dataclass(frozen=True)
class PaidFile:
    file_id: int
    number: str
    member_id: int
    filed_on: dt.date
    amo: Decimal
    complementary: Decimal
    # (provider id, name) for third-party payment, else None: the member is paid.
    provider: tuple[int, str] | None
    member_name: str
    rib: str


def _execution(month: int) -> dt.date:
    return dt.date(2025 + month // 12, month % 12 + 1, 5)  # month 0..11 of 2025 paid on the 5th of the next


def national_batches_ensure(*, prepared_by: int, validated_by: int) -> dict[tuple[int, str], int]:
    """The 24 batches of 2025 (12 months x members/providers), created once: {(month, kind): id}."""
    now = timezone.now()
    found: dict[tuple[int, str], int] = {}
    for month in range(12):
        for kind, tag in ((BatchKind.MEMBER_TRANSFER, "M"), (BatchKind.PROVIDER_TRANSFER, "P")):
            batch, _created = PaymentBatch.objects.get_or_create(
                number=f"NB2025{month + 1:02d}{tag}",
                defaults={
                    "kind": kind, "state": BatchState.SETTLED, "execution_date": _execution(month + 1),
                    "debtor_name": settings.MUTUELLE_DEBTOR_NAME, "debtor_iban": settings.MUTUELLE_DEBTOR_IBAN,
                    "debtor_bic": settings.MUTUELLE_DEBTOR_BIC, "prepared_by_id": prepared_by,
                    "validated_by_id": validated_by, "exported_by_id": prepared_by, "confirmed_by_id": validated_by,
                    "created_at": now, "prepared_at": now, "validated_at": now, "exported_at": now,
                    "confirmed_at": now,
                },
            )  # fmt: skip
            found[(month, kind.value)] = batch.pk
    return found


def national_payments_copy(files: list[PaidFile], batches: dict[tuple[int, str], int]) -> int:
    """One paid payment and its claim link per paid file (COPY); the number of payments."""
    p_rows = []
    for f in files:
        kind = BatchKind.PROVIDER_TRANSFER if f.provider else BatchKind.MEMBER_TRANSFER
        batch = batches[(f.filed_on.month - 1, kind.value)]
        gross = f.amo + f.complementary
        payee: tuple[int | None, int | None, str, str, str] = (
            None,
            f.member_id,
            f.member_name,
            f.rib,
            iban_from_rib(f.rib),
        )
        if f.provider:
            payee = (f.provider[0], None, f.provider[1][:140], "", "")
        p_rows.append((batch, payee[1], payee[0], payee[2], payee[3], payee[4], gross, f.amo, f.complementary,
                       "paid", f"E2E-{f.number}", f"Mutuelle {f.number}", _execution(f.filed_on.month)))  # fmt: skip
    ids = rows_copy(Payment, ["batch_id", "member_id", "provider_id", "payee_name", "rib", "iban", "amount", "amo",
                              "complementary", "state", "end_to_end_id", "remittance", "paid_on"],
                    p_rows, with_ids=True)  # fmt: skip
    links = [(pid, f.file_id, f.member_id, f.amo, f.complementary, True) for pid, f in zip(ids, files, strict=True)]
    rows_copy(PaymentClaim, ["payment_id", "claim_id", "member_id", "amo", "complementary", "live"], links)
    return len(ids)


def national_batches_total(batch_ids: list[int]) -> None:
    """Each batch's count and totals from its payments (one UPDATE, after the last chunk)."""
    with connection.cursor() as cur:
        cur.execute(
            "UPDATE payments_paymentbatch b SET payment_count = s.n, total = s.amount, total_amo = s.amo, "
            "total_complementary = s.complementary FROM (SELECT batch_id, count(*) n, sum(amount) amount, "
            "sum(amo) amo, sum(complementary) complementary FROM payments_payment WHERE batch_id = ANY(%s) "
            "GROUP BY batch_id) s WHERE b.id = s.batch_id",
            [batch_ids],
        )

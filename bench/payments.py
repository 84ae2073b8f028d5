"""Benchmark: `run(payments=100_000)` prepares and exports one batch of that many transfers.

The payable rows (members with a RIB, their holder beneficiary, one approved claim file each)
are bulk-inserted first, untimed. Then timed: `payment_batch_prepare` (chunked commits, claim
files to "in payment", one payment per member), the second accountant's validation and the
pain.001 export. `make bench` runs it inside a throw-away test database; run this module
directly (`python -m bench.payments [N]`) to do the same on its own.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from decimal import Decimal
from typing import Any

CHUNK = 5000


def _setup_rows(n: int) -> None:
    from django.utils import timezone

    from claims.models import Channel, ClaimFile, ClaimStatus
    from members.models import Administration, Beneficiary, Member
    from members.rib import rib_key

    admin, _ = Administration.objects.get_or_create(code="BENCHPAY", defaults={"name_fr": "Bench", "name_ar": "Bench"})
    joined = dt.date(2015, 1, 1)
    now = timezone.now()
    for start in range(0, n, CHUNK):
        stop = min(start + CHUNK, n)
        members = Member.objects.bulk_create(
            [
                Member(
                    membership_number=f"{9_000_000 + i}",
                    matricule=f"{8_000_000 + i}",
                    cin=f"BP{i:06d}",
                    administration=admin,
                    joined_on=joined,
                    marital_status="married",
                    status_since=joined,
                    rib=(f"011780{i:016d}" + rib_key(f"011780{i:016d}")),
                )
                for i in range(start, stop)
            ]
        )
        holders = Beneficiary.objects.bulk_create(
            [
                Beneficiary(
                    member=m,
                    relation="self",
                    rank=0,
                    card_number=f"{m.membership_number}-00",
                    last_name="Amrani",
                    first_name=f"Youssef {i}",
                    last_name_ar="العمراني",
                    first_name_ar="يوسف",
                    birth_date=dt.date(1980, 3, 14),
                    sex="M",
                )
                for i, m in zip(range(start, stop), members, strict=True)
            ]
        )
        ClaimFile.objects.bulk_create(
            [
                ClaimFile(
                    number=f"BP{i:010d}",
                    member=m,
                    beneficiary=b,
                    filed_on=dt.date(2025, 3, 1),
                    channel=Channel.COUNTER,
                    status=ClaimStatus.APPROVED,
                    paid=Decimal("150.00"),
                    basis=Decimal("150.00"),
                    amo=Decimal("120.00") + Decimal(i % 100) / 100,
                    complementary=Decimal("30.00") - Decimal(i % 100) / 100,
                    remainder=Decimal("0.00"),
                    adjudicated_at=now,
                )
                for i, m, b in zip(range(start, stop), members, holders, strict=True)
            ]
        )


def run(payments: int = 100_000) -> dict[str, Any]:
    from django.db import connection

    from accounts.roles import Role
    from accounts.services import user_create
    from payments.models import BatchKind
    from payments.services import payment_batch_export, payment_batch_prepare, payment_batch_validate

    _setup_rows(payments)
    preparer = user_create(username="bench-preparer", password="x-Bench-12345", role=Role.ACCOUNTANT)  # noqa: S106
    validator = user_create(username="bench-validator", password="x-Bench-12345", role=Role.ACCOUNTANT)  # noqa: S106
    start = time.perf_counter()
    batch = payment_batch_prepare(actor=preparer, kind=BatchKind.MEMBER_TRANSFER)
    prepared = time.perf_counter()
    payment_batch_validate(actor=validator, batch=batch)
    data = payment_batch_export(actor=preparer, batch=batch, fmt="xml")
    elapsed = time.perf_counter() - start
    assert batch.payment_count == payments, batch.payment_count
    # 150.00 per file: amo + complementary always add up to 150.00
    assert batch.total == Decimal("150.00") * payments
    return {
        "scenario": "payments",
        "database": connection.vendor,
        "payments": payments,
        "seconds": round(elapsed, 2),
        "prepare_seconds": round(prepared - start, 2),
        "export_seconds": round(elapsed - (prepared - start), 2),
        "file_bytes": len(data),
        "payments_per_s": round(payments / elapsed),
    }


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutuelle.test_settings")
    import django

    django.setup()
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    setup_test_environment()
    config = setup_databases(verbosity=0, interactive=False)
    try:
        print(run(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000))
    finally:
        teardown_databases(config, verbosity=0)


if __name__ == "__main__":
    main()

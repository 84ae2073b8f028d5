"""Benchmark: `run(rows=500_000)` imports a generated payroll deduction file and reconciles it.

Setup (not timed): `rows` members of one administration written with COPY, and a CSV of one row
per member (1 in 100 with a wrong death-fund amount, 1 in 1,000 with an unknown matricule, 1 in
1,000 members missing from the file). Timed: the upload (hash, stored copy), the import job run
to its end by this process (staging by chunks, then the ledger), and the reconciliation's
totals. `floor_seconds` is the same rows read with Python's csv module and COPYed into a bare
temporary table on the same run: what any import of this file costs at least.
`peak_rss_mb` is the process's peak resident memory over the whole run.
"""

from __future__ import annotations

import csv
import datetime as dt
import resource
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

PERIOD = dt.date(2026, 3, 1)
SALARIES = ["4200.00", "5600.00", "7300.00", "9000.00", "12500.00", "20000.00"]


def _members(admin_id: int, rows: int) -> None:
    from members.models import Member
    from mutuelle.bulk import rows_copy

    fields = ("membership_number", "matricule", "cin", "administration_id", "joined_on", "marital_status",
              "status", "status_since", "base_salary")  # fmt: skip
    chunk = []
    for n in range(rows + rows // 1000):
        salary = Decimal(SALARIES[n % len(SALARIES)])
        chunk.append((f"{2_000_000 + n}", f"{5_000_000 + n}", f"BK{n:07d}", admin_id, dt.date(2015, 1, 1),
                      "married", "active", dt.date(2015, 1, 1), salary))  # fmt: skip
        if len(chunk) == 20_000:
            rows_copy(Member, fields, chunk)
            chunk = []
    rows_copy(Member, fields, chunk)


def _expected(salary: str) -> tuple[str, str, str, str]:
    base = Decimal(salary)
    comp = min((base * Decimal("0.018")).quantize(Decimal("0.01")), Decimal("50.00"))
    death = min((base * Decimal("0.01")).quantize(Decimal("0.01")), Decimal("15.00"))
    amo = min(max((base * Decimal("0.025")).quantize(Decimal("0.01")), Decimal("70.00")), Decimal("400.00"))
    return str(comp), str(death), str(amo), str(amo)


def _file(path: Path, rows: int) -> None:
    expected = {s: _expected(s) for s in SALARIES}
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("matricule;period;base_salary;complementary;death_fund;amo_employee;amo_employer\n")
        for n in range(rows):
            salary = SALARIES[n % len(SALARIES)]
            comp, death, amo_e, amo_r = expected[salary]
            matricule = f"{5_000_000 + n}" if n % 1000 else f"{9_000_000 + n}"  # 1 in 1,000 unknown
            if n % 100 == 7:
                death = "10.00"  # 1 in 100 wrong amount
            out.write(f"{matricule};2026-03;{salary};{comp};{death};{amo_e};{amo_r}\n")


def _floor(path: Path) -> float:
    """Read the same file with csv and COPY its rows into a bare temporary table."""
    from django.db import connection, transaction

    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            "CREATE TEMP TABLE bench_payroll_floor (matricule text, period text, base numeric, c numeric, d numeric,"
            " e numeric, r numeric) ON COMMIT DROP"
        )
        with (
            path.open(encoding="utf-8", newline="") as handle,
            cur.cursor.copy("COPY bench_payroll_floor FROM STDIN") as copy,
        ):
            reader = csv.reader(handle, delimiter=";")
            next(reader)
            for row in reader:
                copy.write_row(row)
    return time.perf_counter() - start


def run(rows: int = 500_000) -> dict[str, Any]:
    from django.conf import settings
    from django.db import connection

    from contributions.models import PayrollFile
    from contributions.selectors_payroll import reconciliation_totals
    from contributions.services_payroll import PAYROLL_IMPORT, payroll_file_upload
    from jobs.services import job_work
    from members.models import Administration

    workdir = Path(tempfile.mkdtemp(prefix="mutuelle-bench-payroll-"))
    settings.PRIVATE_MEDIA_ROOT = workdir / "private"
    admin = Administration.objects.create(code="BENCH", name_fr="Bench", name_ar="Bench")
    _members(admin.pk, rows)
    path = workdir / "payroll.csv"
    _file(path, rows)
    floor = _floor(path) if connection.vendor == "postgresql" else None

    start = time.perf_counter()
    with path.open("rb") as handle:
        outcome = payroll_file_upload(actor=None, administration=admin, period=PERIOD, file=handle, filename="paie.csv")
    while job_work(worker="bench", kinds=[PAYROLL_IMPORT]) is not None:
        pass
    imported = time.perf_counter() - start
    file = PayrollFile.objects.get(pk=outcome.file.pk)
    assert file.state == PayrollFile.State.IMPORTED, (file.state, list(file.errors.all()[:3]))
    totals = {t.kind: t.count for t in reconciliation_totals(file=file)}
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return {
        "scenario": "payroll",
        "database": connection.vendor,
        "rows": rows,
        "seconds": round(elapsed, 2),
        "rows_per_s": round(rows / elapsed),
        "import_seconds": round(imported, 2),
        "reconcile_seconds": round(elapsed - imported, 2),
        "floor_seconds": round(floor, 2) if floor is not None else None,
        "peak_rss_mb": round(peak),
        "differences": totals,
    }


if __name__ == "__main__":
    from bench.__main__ import main

    raise SystemExit(main(["--only", "payroll"]))

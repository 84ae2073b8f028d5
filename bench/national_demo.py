"""Benchmark `national_demo`: `demo --scale national` (PostgreSQL, COPY) at BENCH_NATIONAL_MEMBERS (default 1,000,000).

Timed: demo.national.national_load, ANALYZE included. The floor: one COPY of plain rows of the
same width into a temporary table in the same run (rows per second the machine takes at best).
Prints {"scenario": "national_demo", "members", "files", "seconds", "database_mb", "copy_floor_rows_per_s", ...}.
"""

from __future__ import annotations

import os
import time
from typing import Any

FLOOR_ROWS = 500_000
# Our goal (the issue sets none): a national set rebuilt within half an hour, so a fresh staging
# database is a coffee break, not a night; scaled down linearly for smaller BENCH_NATIONAL_MEMBERS.
GOAL_SECONDS_PER_MILLION = 1800


def _copy_floor() -> float:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("CREATE TEMP TABLE bench_floor (a bigint, b bigint, c text, d date, e numeric(12, 2), f text)")
        started = time.perf_counter()
        with cur.cursor.copy("COPY bench_floor FROM STDIN") as copy:
            for i in range(FLOOR_ROWS):
                copy.write_row((i, i, "accepted", "2025-03-01", "150.00", "C"))
        seconds = time.perf_counter() - started
        cur.execute("DROP TABLE bench_floor")
    return FLOOR_ROWS / seconds


def run(*, members: int | None = None) -> dict[str, Any]:
    from django.db import connection

    from demo.national import database_mb, national_load

    if connection.vendor != "postgresql":
        return {"scenario": "national_demo", "skipped": "needs PostgreSQL (DATABASE_URL)"}
    n = members or int(os.environ.get("BENCH_NATIONAL_MEMBERS", "1000000"))
    floor = _copy_floor()
    load = national_load(members=n)
    rows = load.members + load.beneficiaries + load.files + load.lines + 2 * load.payments
    return {
        "scenario": "national_demo",
        "members": load.members,
        "beneficiaries": load.beneficiaries,
        "files": load.files,
        "lines": load.lines,
        "payments": load.payments,
        "seconds": round(load.seconds, 1),
        "rows_per_s": round(rows / load.seconds),
        "database_mb": database_mb(),
        "copy_floor_rows_per_s": round(floor),
        "goal": f"under {GOAL_SECONDS_PER_MILLION * n / 1_000_000:.0f} s",
        "met": load.seconds < GOAL_SECONDS_PER_MILLION * n / 1_000_000,
    }

"""Benchmark: `run(rows=100_000)` imports a generated roster (members, each with a child) and reports rows/s,
then imports the same file again (nothing changes) and reports that too (`again_*`).

Runs against the configured database (SQLite by default, PostgreSQL with DATABASE_URL) inside a
throw-away test database.
"""

from __future__ import annotations

import io
import time
from typing import Any


def _roster(rows: int) -> io.BytesIO:
    from members.imports_read import COLUMNS
    from members.rib import rib_key

    out = io.StringIO()
    out.write(",".join(COLUMNS) + "\n")
    for n in range(rows // 2):
        matricule = f"{3_000_000 + n}"
        first22 = f"011780{n:016d}"
        out.write(
            f"{matricule},self,Z{n:06d},Amrani,Youssef,العمراني,يوسف,1980-03-14,M,married,2010-09-01,0,"
            f"0612345678,,{first22}{rib_key(first22)},,0,\n"
        )
        out.write(f"{matricule},child,,Amrani,Salma,العمراني,سلمى,2012-01-20,F,,,,,,,,0,\n")
    return io.BytesIO(out.getvalue().encode())


def run(rows: int = 100_000) -> dict[str, Any]:
    """Import a generated roster into the current (throw-away) database, then the same file again."""
    from django.db import connection

    from members.imports import roster_import
    from members.models import Administration

    administration, _ = Administration.objects.get_or_create(code="BENCH", name_fr="Bench", name_ar="Bench")
    data = _roster(rows)
    start = time.perf_counter()
    result = roster_import(actor=None, administration=administration, file=data, filename="bench.csv")
    elapsed = time.perf_counter() - start
    assert result.ok, result.errors[:3]
    start = time.perf_counter()  # the same file again: every row read, compared, nothing written
    again = roster_import(actor=None, administration=administration, file=data, filename="bench.csv")
    again_elapsed = time.perf_counter() - start
    assert again.ok and not again.changed, again.errors[:3]
    return {
        "scenario": "roster_import",
        "database": connection.vendor,
        "rows": rows,
        "seconds": round(elapsed, 2),
        "rows_per_s": round(rows / elapsed),
        "again_seconds": round(again_elapsed, 2),
        "again_rows_per_s": round(rows / again_elapsed),
    }


if __name__ == "__main__":
    from bench.__main__ import main

    raise SystemExit(main(["--only", "roster_import"]))

"""Benchmark `adjudicate`: N received lines are adjudicated through the real job path.

`run(lines=200_000)` loads received files (4 lines each) for 5,000 members, runs the
`adjudicate_received` job (engine + stored decisions + new states + transitions + audit),
then writes the same decision rows with a plain COPY as the floor of what storing them
costs. Tables are ANALYZEd after the load, as autovacuum keeps a live database.
Prints {"scenario": "adjudicate", "lines_per_s", "copy_lines_per_s", "ratio"}.
Standalone: `python -m bench.adjudicate --lines 50000` (in a throw-away test database).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import time
from decimal import Decimal
from typing import Any

LINES_PER_FILE = 4
MEMBERS = 5_000
CHUNK = 2_000


def _load(lines: int) -> int:
    from claims.models import ClaimFile, ClaimLine
    from members.models import Administration, Beneficiary, Member, MemberStatusChange

    admin, _ = Administration.objects.get_or_create(code="BENCH", defaults={"name_fr": "Bench", "name_ar": "Bench"})
    joined = dt.date(2015, 1, 1)
    members = Member.objects.bulk_create(
        Member(membership_number=f"{7_000_000 + i}", matricule=f"{8_000_000 + i}", cin=f"BE{100000 + i}",
               administration=admin, joined_on=joined, marital_status="married", status="active", status_since=joined)
        for i in range(MEMBERS)
    )  # fmt: skip
    MemberStatusChange.objects.bulk_create(
        MemberStatusChange(member=m, status="active", valid_from=joined) for m in members
    )
    bens = Beneficiary.objects.bulk_create(
        Beneficiary(member=m, relation="self", rank=0, card_number=f"{m.membership_number}-00", last_name="Bench",
                    first_name="B", last_name_ar="ب", first_name_ar="ب", birth_date=dt.date(1980, 1, 1), sex="M")
        for m in members
    )  # fmt: skip
    n_files = lines // LINES_PER_FILE
    paid = Decimal("600.00")
    files = ClaimFile.objects.bulk_create(
        (ClaimFile(number=f"B{i:09d}", member_id=bens[i % MEMBERS].member_id, beneficiary=bens[i % MEMBERS],
                   filed_on=dt.date(2025, 6, 30), channel="post", provider_inpe=f"{100000000 + i % 997}",
                   provider_sector="private", provider_kind="doctor", paid=paid, remainder=paid)
         for i in range(n_files)),
        batch_size=5000,
    )  # fmt: skip
    specs = (("act", "C", Decimal("150.00")), ("act", "CONS-S", Decimal("200.00")),
             ("act", "Z", Decimal("100.00")), ("act", "V", Decimal("150.00")))  # fmt: skip
    ClaimLine.objects.bulk_create(
        (ClaimLine(member_id=f.member_id, file=f, position=p, kind=k, code=c, care_date=dt.date(2025, 6, 1 + i % 28),
                   coefficient=Decimal("1.00") if c != "Z" else Decimal("10.00"), paid=amount, remainder=amount)
         for i, f in enumerate(files) for p, (k, c, amount) in enumerate(specs)),
        batch_size=10000,
    )  # fmt: skip
    from django.db import connection

    with connection.cursor() as cur:  # planner statistics, as autovacuum keeps them on a live database
        for model in (Member, MemberStatusChange, Beneficiary, ClaimFile, ClaimLine):
            cur.execute(f"ANALYZE {model._meta.db_table}")
    return n_files * LINES_PER_FILE


def _copy_floor() -> tuple[int, float]:
    """The same decision rows, written with one plain COPY into a table of the same shape."""
    from django.db import connection, transaction

    from claims.models import ClaimLine

    rows = list(ClaimLine.objects.values_list("id", "status", "basis", "amo", "complementary", "remainder",
                                              "reasons", "trace"))  # fmt: skip
    data = [(r[0], r[1], r[2], r[3], r[4], r[5], json.dumps(r[6]), json.dumps(r[7])) for r in rows]
    with connection.cursor() as cur:
        cur.execute("CREATE TABLE bench_decision_copy (id bigint, status varchar(10), basis numeric(12,2), "
                    "amo numeric(12,2), complementary numeric(12,2), remainder numeric(12,2), reasons jsonb, "
                    "trace jsonb)")  # fmt: skip
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        with cur.cursor.copy("COPY bench_decision_copy FROM STDIN") as copy:
            for row in data:
                copy.write_row(row)
    return len(data), time.perf_counter() - start


def run(lines: int = 200_000) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import override_settings

    from claims.job_handlers import ADJUDICATE_RECEIVED
    from claims.models import ClaimFile, ClaimLine
    from jobs.services import job_enqueue, job_work

    if connection.vendor != "postgresql":
        return {"scenario": "adjudicate", "skipped": "needs PostgreSQL (DATABASE_URL)"}
    total = _load(lines)
    with override_settings(CLAIMS_REVIEW_SAMPLE_SHARE="0.02"):
        job_enqueue(kind=ADJUDICATE_RECEIVED, params={"size": CHUNK // LINES_PER_FILE * LINES_PER_FILE})
        start = time.perf_counter()
        job = job_work(worker="bench", lease_seconds=600)
        elapsed = time.perf_counter() - start
    assert job is not None and job.state == "done", job and job.last_error
    assert not ClaimFile.objects.filter(status="received").exists()
    assert not ClaimLine.objects.filter(status="pending").exists()
    copied, copy_elapsed = _copy_floor()
    lines_per_s = total / elapsed
    copy_per_s = copied / copy_elapsed
    return {
        "scenario": "adjudicate",
        "database": connection.vendor,
        "lines": total,
        "seconds": round(elapsed, 2),
        "lines_per_s": round(lines_per_s),
        "copy_lines_per_s": round(copy_per_s),
        "ratio": round(lines_per_s / copy_per_s, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.adjudicate")
    parser.add_argument("--lines", type=int, default=200_000)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutuelle.test_settings")
    import django

    django.setup()
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    setup_test_environment()
    config = setup_databases(verbosity=0, interactive=False)
    try:
        print(json.dumps(run(lines=args.lines)), flush=True)
    finally:
        teardown_databases(config, verbosity=0)


if __name__ == "__main__":
    main()

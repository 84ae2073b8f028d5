"""Benchmark `adjudicate`: N received lines are adjudicated through the real job path.

`run(lines=200_000)` loads received files at the scale of DESIGN.md (3,000,000 beneficiaries
filing 1,500,000 files a year of 3 to 6 lines): some 45,000 files spread over as many
beneficiaries (three per member), so most have one file or none and a few two or three;
consultations, medicines, lab, imaging, physiotherapy and optics (frequency limits and
yearly ceilings); 2% of the files re-filed duplicates of an earlier one (see `_load`).
K worker processes (`manage.py worker`, on the same throw-away database; K = `--workers`,
default setting CLAIMS_ADJUDICATE_PARTITIONS, 2) are started and connected, then the bulk run
is enqueued as K `adjudicate_received` partition jobs (member_id % K) in chunks of 1,000 files
(engine + stored decisions + new states + transitions + audit) and timed until every job is
done. It then writes the same decision rows with a plain COPY as the floor of what storing them
costs. Tables are ANALYZEd after the load, as autovacuum keeps a live database.
Prints {"scenario": "adjudicate", "workers", "lines_per_s", "copy_lines_per_s", "ratio", ...,
"trace_bytes_per_line", "line_heap_mb"}: the last two do not depend on the machine's load.
Standalone: `python -m bench.adjudicate --lines 50000` (in a throw-away test database).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import time
from decimal import Decimal
from typing import Any

SEED = 20250630
CHUNK_FILES = 1_000  # files per job chunk (about 4,500 lines; the job's default size)
DUPLICATE_SHARE = 0.02  # files re-filed with the lines of an earlier file of the same beneficiary
FILED_ON = dt.date(2025, 6, 30)


def _line_specs(rng: random.Random, medicines: list[tuple[str, Decimal]]) -> list[tuple[Any, ...]]:
    """3 to 6 lines: a consultation, then medicines, lab, imaging, physiotherapy or optics.

    (kind, code, coefficient, quantity, paid, care day in June).
    """
    day = rng.randint(1, 28)
    first = rng.choice((("act", "CONS-G", "1.00", 1, "100.00"), ("act", "CONS-S", "1.00", 1, "250.00"),
                        ("act", "C", "1.00", 1, "80.00"), ("act", "VIS-G", "1.00", 1, "150.00")))  # fmt: skip
    out: list[tuple[Any, ...]] = [(*first, day)]
    for _ in range(rng.randint(2, 5)):
        draw = rng.random()
        if draw < 0.6:
            code, price = rng.choice(medicines)
            qty = rng.choice((1, 1, 1, 2))
            out.append(("medicine", code, "1.00", qty, str(price * qty), day))
        elif draw < 0.75:
            out.append(("act", "ECBU", "1.00", 1, "90.00", day))
        elif draw < 0.85:
            out.append(("act", "RX-MEMBRE", "12.00", 1, "150.00", day))
        elif draw < 0.95:
            out.append(("act", "SEANCE-KINE", "1.00", rng.randint(5, 15), "600.00", min(28, day + 1)))
        else:  # optics: once every two years, with a yearly ceiling of the complementary amount
            out.append(("act", rng.choice(("VERRES", "MONTURE", "LENTILLES")), "1.00", 1, "1800.00", day))
    return out


def _load(lines: int) -> int:
    """Received files of 3 to 6 lines for `lines` lines, spread over as many beneficiaries as files.

    DESIGN.md: 3,000,000 beneficiaries file 1,500,000 files a year; a run of 200,000 lines is
    some 45,000 files of a few days, so most beneficiaries have one file or none, a few have
    two or three (history read from earlier chunks, frequencies, ceilings), and 2% of the files
    are re-filed duplicates of an earlier one. Seeded: every run loads the same data.
    """
    from claims.models import ClaimFile, ClaimLine
    from members.models import Administration, Beneficiary, Member, MemberStatusChange
    from referentials.models import Medicine

    rng = random.Random(SEED)
    medicines = list(
        Medicine.objects.filter(reimbursable=True, needs_prior_approval=False)
        .order_by("code")
        .values_list("code", "public_price")
        .distinct()[:200]
    )
    specs_of: list[list[tuple[Any, ...]]] = []
    total = 0
    while total < lines:
        specs = _line_specs(rng, medicines)[: lines - total]
        specs_of.append(specs)
        total += len(specs)
    n_files = len(specs_of)
    n_members = max(1, n_files // 3)  # as many beneficiaries as files: self, spouse, child
    admin, _ = Administration.objects.get_or_create(code="BENCH", defaults={"name_fr": "Bench", "name_ar": "Bench"})
    joined = dt.date(2015, 1, 1)
    members = Member.objects.bulk_create(
        (Member(membership_number=f"{7_000_000 + i}", matricule=f"{8_000_000 + i}", cin=f"BE{100000 + i}",
                administration=admin, joined_on=joined, marital_status="married", status="active", status_since=joined)
         for i in range(n_members)),
        batch_size=5000,
    )  # fmt: skip
    MemberStatusChange.objects.bulk_create(
        (MemberStatusChange(member=m, status="active", valid_from=joined) for m in members), batch_size=5000
    )
    family = (
        ("self", "M", dt.date(1978, 3, 1)),
        ("spouse", "F", dt.date(1981, 5, 1)),
        ("child", "F", dt.date(2012, 9, 1)),
    )
    bens = Beneficiary.objects.bulk_create(
        (Beneficiary(member=m, relation=rel, rank=r, card_number=f"{m.membership_number}-{r:02d}", last_name="Bench",
                     first_name="B", last_name_ar="ب", first_name_ar="ب", birth_date=born, sex=sex)
         for m in members for r, (rel, sex, born) in enumerate(family)),
        batch_size=5000,
    )  # fmt: skip
    owner = [rng.randrange(len(bens)) for _ in range(n_files)]
    for i in range(1, n_files):  # re-filed: an earlier file's beneficiary and lines (as many as drawn)
        if rng.random() < DUPLICATE_SHARE:
            j = rng.randrange(i)
            owner[i] = owner[j]
            specs_of[i] = (specs_of[j] + specs_of[i][len(specs_of[j]) :])[: len(specs_of[i])]
    files = ClaimFile.objects.bulk_create(
        (ClaimFile(number=f"B{i:09d}", member_id=bens[owner[i]].member_id, beneficiary=bens[owner[i]],
                   filed_on=FILED_ON, channel="post", provider_inpe=f"{100000000 + owner[i] % 997}",
                   provider_sector="private", provider_kind="doctor",
                   paid=sum((Decimal(s[4]) for s in specs_of[i]), Decimal(0)),
                   remainder=sum((Decimal(s[4]) for s in specs_of[i]), Decimal(0)))
         for i in range(n_files)),
        batch_size=5000,
    )  # fmt: skip
    ClaimLine.objects.bulk_create(
        (ClaimLine(member_id=f.member_id, file=f, position=p, kind=k, code=c, care_date=dt.date(2025, 6, day),
                   coefficient=Decimal(coef), quantity=qty, paid=Decimal(paid), remainder=Decimal(paid))
         for f, specs in zip(files, specs_of, strict=True) for p, (k, c, coef, qty, paid, day) in enumerate(specs)),
        batch_size=10000,
    )  # fmt: skip
    from django.db import connection

    with connection.cursor() as cur:  # planner statistics, as autovacuum keeps them on a live database
        for model in (Member, MemberStatusChange, Beneficiary, ClaimFile, ClaimLine):
            cur.execute(f"ANALYZE {model._meta.db_table}")
    return total


def _line_sizes() -> tuple[float, float]:
    """(average stored trace of a line in bytes, the lines' table in MB) after the run."""
    from django.db import connection

    from claims.models import ClaimLine

    table = ClaimLine._meta.db_table
    with connection.cursor() as cur:
        cur.execute(f"SELECT avg(pg_column_size(trace)), pg_relation_size('{table}') FROM {table}")
        trace, heap = cur.fetchone()
    return round(float(trace), 1), round(heap / 1e6, 1)


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


def _worker_env() -> dict[str, str]:
    """The environment of a worker process: this process's settings, on the database it now uses
    (the throw-away test database the bench or `make bench` created, not DATABASE_URL's own)."""
    from urllib.parse import urlsplit, urlunsplit

    from django.db import connection

    env = dict(os.environ)
    url = urlsplit(env["DATABASE_URL"])
    env["DATABASE_URL"] = urlunsplit(url._replace(path="/" + str(connection.settings_dict["NAME"])))
    env.setdefault("DJANGO_SETTINGS_MODULE", "mutuelle.test_settings")
    return env


def _workers_connected(count: int) -> bool:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND pid <> pg_backend_pid()")  # fmt: skip
        return bool(cur.fetchone()[0] >= count)


def _work(partitions: int, size: int) -> tuple[list[int], float]:
    """`partitions` worker processes (`manage.py worker`, polling the queue as in production) are
    started and connected; the bulk run is then enqueued as `partitions` jobs and timed until
    every job is done. (job ids, wall seconds)."""
    import subprocess
    import sys
    from pathlib import Path

    from claims.job_handlers import claims_adjudicate_enqueue
    from jobs.models import Job, JobState

    manage = Path(__file__).resolve().parent.parent / "manage.py"
    env = _worker_env()
    procs = [
        subprocess.Popen(
            [sys.executable, str(manage), "worker", "--sleep", "0.05", "--lease", "600", "--name", f"bench-{i}"],
            env=env,
            stdout=subprocess.DEVNULL,
        )
        for i in range(partitions)
    ]
    try:
        while not _workers_connected(partitions):
            assert all(p.poll() is None for p in procs), "a worker exited"
            time.sleep(0.05)
        start = time.perf_counter()
        ids = [j.pk for j in claims_adjudicate_enqueue(partitions=partitions, size=size)]
        pending = Job.objects.filter(pk__in=ids).exclude(state__in=[JobState.DONE, JobState.FAILED])
        while pending.exists():
            assert all(p.poll() is None for p in procs), "a worker exited"
            time.sleep(0.02)
        elapsed = time.perf_counter() - start
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait()
    return ids, elapsed


def run(lines: int = 200_000, partitions: int | None = None) -> dict[str, Any]:
    from django.db import connection

    from claims.job_handlers import adjudicate_partitions
    from claims.models import ClaimFile, ClaimLine
    from jobs.models import Job, JobState

    if connection.vendor != "postgresql":
        return {"scenario": "adjudicate", "skipped": "needs PostgreSQL (DATABASE_URL)"}
    from bench import adjudicate_floor

    total = _load(lines)
    k = partitions or adjudicate_partitions()
    floor_lines, floor_elapsed = adjudicate_floor.run(k, _worker_env())
    assert floor_lines == total, (floor_lines, total)
    ids, elapsed = _work(k, CHUNK_FILES)
    states = list(Job.objects.filter(pk__in=ids).values_list("state", "last_error"))
    assert all(state == JobState.DONE for state, _ in states), states
    assert not ClaimFile.objects.filter(status="received").exists()
    assert not ClaimLine.objects.filter(status="pending").exists()
    trace_bytes, heap_mb = _line_sizes()
    copied, copy_elapsed = _copy_floor()
    lines_per_s = total / elapsed
    copy_per_s = copied / copy_elapsed
    return {
        "scenario": "adjudicate",
        "database": connection.vendor,
        "lines": total,
        "workers": len(ids),
        "seconds": round(elapsed, 2),
        "lines_per_s": round(lines_per_s),
        "copy_lines_per_s": round(copy_per_s),
        "ratio": round(lines_per_s / copy_per_s, 3),
        # read + decide + COPY only (bench/adjudicate_floor.py): what no full pipeline can beat here
        "floor_pipeline_lines_per_s": round(total / floor_elapsed),
        "floor_pipeline_ratio": round(total / floor_elapsed / copy_per_s, 3),
        # what the machine's load does not change: the stored trace per line and the lines' table once
        # decided (a decided line that no longer fits its page is not updated in place; engine/trace.py)
        "trace_bytes_per_line": trace_bytes,
        "line_heap_mb": heap_mb,
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.adjudicate")
    parser.add_argument("--lines", type=int, default=200_000)
    parser.add_argument("--workers", type=int, default=None, help="partition jobs and worker processes "
                        "(default: setting CLAIMS_ADJUDICATE_PARTITIONS, 2)")  # fmt: skip
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutuelle.test_settings")
    import django

    django.setup()
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    setup_test_environment()
    config = setup_databases(verbosity=0, interactive=False)
    try:
        print(json.dumps(run(lines=args.lines, partitions=args.workers)), flush=True)
    finally:
        teardown_databases(config, verbosity=0)


if __name__ == "__main__":
    main()

"""The floor of any adjudication pipeline: read, decide, COPY the decisions, nothing else.

Run by `bench.adjudicate` on the freshly loaded received files, before the real run and with
as many processes: each reads its partition's files, lines, covers and history exactly as the
job does (claims.services.adjudication), lets the engine decide, and COPYs the decision rows
into a bare table. It takes no lock and writes no file state, transition or audit event, so
its speed bounds what the full job can reach on this machine; the ratio of that bound to the
plain COPY says how far the issue's ratio goal is reachable at all.

Standalone worker: `python -m bench.adjudicate_floor R K` (DATABASE_URL names the database).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

TABLE = "bench_pipeline_copy"


def _partition(rest: int, parts: int, size: int = 1_000) -> int:
    """Files with member_id % parts == rest, `size` per chunk; returns the lines decided."""
    from django.db import connection, transaction
    from django.db.models.functions import Mod

    import engine as e
    from claims.models import ClaimFile, ClaimStatus
    from claims.services.adjudication import FILE_FIELDS, engine_input, snapshot_current
    from claims.services.bulk_store import lines_copy_text
    from claims.services.engine_io import ald_codes, history_for
    from members.eligibility import beneficiary_covers

    snapshot, after, total = snapshot_current(), 0, 0
    base = ClaimFile.objects.filter(status=ClaimStatus.RECEIVED).order_by("id")
    base = base.alias(part=Mod("member_id", parts)).filter(part=rest)
    while True:
        with transaction.atomic():
            files = list(base.filter(pk__gt=after).values_list(*FILE_FIELDS)[:size])
            if not files:
                return total
            bens = sorted({f[3] for f in files})
            covers = beneficiary_covers(beneficiary_ids=bens, ald=ald_codes(bens))
            batch = engine_input(files, covers, bens)
            decisions = e.adjudicate_batch(batch.pieces, snapshot, history_for(beneficiary_ids=bens, snapshot=snapshot))
            text = lines_copy_text([(int(d.ref), d.status, d.basis, d.amo, d.complementary, d.remainder, d.reasons,
                                     d.trace) for fd in decisions for d in fd.lines])  # fmt: skip
            with connection.cursor() as cur, cur.cursor.copy(f"COPY {TABLE} FROM STDIN") as copy:
                copy.write(text)
            total += sum(len(fd.lines) for fd in decisions)
            after = files[-1][0]


def run(partitions: int, env: dict[str, str]) -> tuple[int, float]:
    """`partitions` processes started together; (lines decided, wall seconds)."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(f"CREATE TABLE {TABLE} (id bigint, status varchar(10), basis bigint, amo bigint, "
                    "complementary bigint, remainder bigint, reasons jsonb, trace jsonb)")  # fmt: skip
    root = Path(__file__).resolve().parent.parent
    command = [sys.executable, "-m", "bench.adjudicate_floor"]
    procs = [
        subprocess.Popen([*command, str(r), str(partitions)], env=env, cwd=root, stdout=subprocess.PIPE)
        for r in range(partitions)
    ]
    outs = [json.loads(p.communicate()[0]) for p in procs]
    assert all(p.returncode == 0 for p in procs), "a floor process failed"
    # From the first process starting work to the last finishing (interpreter start-up excluded,
    # as the job's workers are started and connected before the real run is timed).
    return sum(o["lines"] for o in outs), max(o["end"] for o in outs) - min(o["start"] for o in outs)


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutuelle.test_settings")
    import django

    django.setup()
    from django.db import connection

    connection.ensure_connection()
    start = time.time()
    lines = _partition(int(sys.argv[1]), int(sys.argv[2]))
    print(json.dumps({"lines": lines, "start": start, "end": time.time()}), flush=True)


if __name__ == "__main__":
    main()

"""Benchmark `lists`: the back office's claim list and its export at scale (PostgreSQL).

`run(files=300_000)` loads the dashboard benchmark's synthetic year of claim files (bench.dashboard,
untimed, tables ANALYZEd), then times through the Django test client, `requests` times each, the
claim list of a claims officer: filtered by status, by filing dates and administration, by part of
a file number, by a name (Arabic), sorted by claimed amount; p95 of each. Then the CSV export of
one administration's files, streamed to the end: rows per second. The floor: the same client on
the home page of a user with nothing to show, measured in the same run. Prints {"scenario":
"lists", "files", "pages": {page: p95_ms}, "floor_p95_ms", "export_rows", "export_rows_per_s", ...}.
Standalone: `python -m bench --only lists` (BENCH_LISTS_FILES to change the size).
"""

from __future__ import annotations

import os
import time
from typing import Any

from bench.dashboard import _load, _p95, _time_pages


def run(*, files: int | None = None, requests: int = 20) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client

    from accounts.roles import Role
    from accounts.services import user_create
    from members.models import Administration

    if connection.vendor != "postgresql":
        return {"scenario": "lists", "skipped": "needs PostgreSQL (DATABASE_URL)"}
    n = files or int(os.environ.get("BENCH_LISTS_FILES", "300000"))
    loaded = time.perf_counter()
    _load(n, 0)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    load_seconds = time.perf_counter() - loaded
    officer = user_create(username="bench-officer", password="bench-Pass-123", role=Role.CLAIMS_OFFICER)  # noqa: S106
    nobody = user_create(username="bench-nobody-lists", password="bench-Pass-123", role=Role.PROVIDER)  # noqa: S106
    admin = Administration.objects.order_by("id").values_list("id", flat=True).first()
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(officer)
    pages = {
        "status": "/claims/?status=adjudicated",
        "dates_administration": f"/claims/?filed_from=2025-03-01&filed_to=2025-03-31&administration={admin}",
        "part_of_number": "/claims/?q=12345",
        "name_arabic": "/claims/?q=العمراني يوسف&status=received",
        "sorted_claimed": "/claims/?sort=-claimed&status=approved",
    }
    timed = _time_pages(client, pages, requests)
    started = time.perf_counter()
    response = client.get(f"/claims/?administration={admin}&export=csv")
    rows = sum(chunk.count(b"\n") for chunk in response.streaming_content) - 1  # type: ignore[attr-defined]
    export_seconds = time.perf_counter() - started
    floor_client = Client(HTTP_HOST="127.0.0.1")
    floor_client.force_login(nobody)
    floor = _time_pages(floor_client, {"floor": "/"}, requests)["floor"]
    return {
        "scenario": "lists",
        "files": n,
        "requests_per_page": requests,
        "pages": {name: round(_p95(samples), 1) for name, samples in timed.items()},
        "floor_p95_ms": round(_p95(floor), 1),
        "export_rows": rows,
        "export_seconds": round(export_seconds, 2),
        "export_rows_per_s": round(rows / export_seconds) if export_seconds else None,
        "load_seconds": round(load_seconds, 1),
        "note": "machine shared with other engineers: figures are noisy; compare with the floor of the same run",
    }

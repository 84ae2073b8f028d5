"""Benchmark `dashboard`: the management dashboard at national scale (PostgreSQL).

`run(files=1_500_000)` generates a year of claim files in SQL (generate_series, untimed): files of
2025 spread over 60 administrations and 12 regions, two lines each (an act of five kinds and a
medicine), their transitions (received → adjudicated → approved → in payment → paid, 25 to 74
days after filing; some approved, rejected, adjudicated or received), and twelve months of
contributions (due and paid) for `ledger_members` members. Tables are ANALYZEd, as autovacuum
keeps a live database. Timed: `reports_refresh_run` over all of it (the nightly job's work), then
the dashboard's pages (last 12 months, the year 2025, everything) through the Django test client,
`requests` times each; p95 over them: first as served (the panels the refresh drew), then with the
cache emptied (`cold_p95_ms`: each view draws its panels from the summary tables). The floor: the
same client on the home page of a user with nothing to show (session, user and permission reads,
the template), measured in the same run. Prints {"scenario": "dashboard", "files", "p95_ms",
"goal_ms": 300, "met", "refresh_seconds", "floor_p95_ms", "cold_p95_ms", "tables": {table:
seconds}, "pages": {page: p95_ms}, ...}.
Standalone: `python -m bench.dashboard --files 300000` (in a throw-away test database).
"""

from __future__ import annotations

import argparse
import json
import os
import time
from typing import Any

GOAL_MS = 300
REGIONS = 12
ADMINISTRATIONS = 60


def _exec(sql: str, params: list[Any] | dict[str, Any] | None = None) -> None:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(sql, params)


def _insert(model: Any, exprs: dict[str, str], tail: str, params: list[Any], *, tail_params: int = 0) -> None:
    """INSERT … SELECT: `params` are the expressions' placeholders then the tail's (its last `tail_params`)."""
    from mutuelle.bulk import insert_select_sql

    sql, defaults = insert_select_sql(model, exprs)
    head, rest = (params[:-tail_params], params[-tail_params:]) if tail_params else (params, [])
    _exec(f"{sql} {tail}", [*head, *defaults, *rest])


def _load(files: int, ledger_members: int) -> None:
    from claims.models import ClaimFile, ClaimLine, ClaimTransition
    from contributions.models import LedgerEntry, Receipt
    from members.models import Administration, Beneficiary, Member

    members = max(1, files // 5)
    _insert(Administration, {"code": "'BD' || g", "name_fr": "'Administration ' || g", "name_ar": "'إدارة ' || g"},
            "FROM generate_series(1, %s) g", [ADMINISTRATIONS], tail_params=1)  # fmt: skip
    _insert(
        Member,
        {
            "membership_number": "(2000000 + g)::text", "matricule": "(3000000 + g)::text", "cin": "'BD' || g",
            "administration_id": "a.ids[1 + g %% %s]", "joined_on": "DATE '2015-01-01'",
            "marital_status": "'married'", "status": "'active'", "status_since": "DATE '2015-01-01'",
            "region": "lpad((1 + (g / 7) %% %s)::text, 2, '0')",
        },
        "FROM generate_series(1, %s) g, (SELECT array_agg(id ORDER BY id) AS ids FROM members_administration) a",
        [ADMINISTRATIONS, REGIONS, members],
        tail_params=1,
    )  # fmt: skip
    _insert(
        Beneficiary,
        {
            "member_id": "m.id", "relation": "'self'", "rank": "0", "card_number": "m.membership_number || '-00'",
            "last_name": "'Amrani'", "first_name": "'Youssef'", "last_name_ar": "'العمراني'",
            "first_name_ar": "'يوسف'", "birth_date": "DATE '1980-03-14'", "sex": "'M'",
        },
        "FROM members_member m ORDER BY m.id",
        [],
    )  # fmt: skip
    # Status by file number: 85 % paid, 5 % approved, 3 % rejected, 3 % adjudicated, 4 % received.
    status = ("CASE WHEN g %% 100 < 85 THEN 'paid' WHEN g %% 100 < 90 THEN 'approved' WHEN g %% 100 < 93 THEN "
              "'rejected' WHEN g %% 100 < 96 THEN 'adjudicated' ELSE 'received' END")  # fmt: skip
    decided = "(g %% 100 < 96 AND NOT g %% 100 BETWEEN 90 AND 92)"
    _insert(
        ClaimFile,
        {
            "number": "'BD' || lpad(g::text, 10, '0')", "member_id": "b.member_id", "beneficiary_id": "b.id",
            "filed_on": "DATE '2025-01-01' + (g %% 365)", "channel": "'post'", "status": status,
            "paid": "300.00", "amo": f"CASE WHEN {decided} THEN 200.00 ELSE 0 END",
            "complementary": f"CASE WHEN {decided} THEN 40.00 ELSE 0 END",
            "remainder": f"CASE WHEN {decided} THEN 60.00 ELSE 300.00 END",
        },
        "FROM generate_series(1, %s) g JOIN members_beneficiary b ON b.id = (SELECT min(id) FROM members_beneficiary) "
        "+ (g %% %s)",
        [files, members],
        tail_params=2,
    )  # fmt: skip
    accepted = "f.status NOT IN ('received', 'rejected')"
    _insert(
        ClaimLine,
        {
            "member_id": "f.member_id", "file_id": "f.id", "position": "k",
            "kind": "CASE k WHEN 0 THEN 'act' ELSE 'medicine' END",
            "code": "CASE k WHEN 0 THEN (ARRAY['C', 'CONS-G', 'ECBU', 'RX-MEMBRE', 'VERRES'])[1 + f.id %% 5] "
                    "ELSE '6118000000004' END",
            "care_date": "f.filed_on - 5", "paid": "150.00",
            "status": f"CASE WHEN {accepted} THEN 'accepted' WHEN f.status = 'rejected' THEN 'rejected' "
                      "ELSE 'pending' END",
            "amo": f"CASE WHEN {accepted} THEN 100.00 ELSE 0 END",
            "complementary": f"CASE WHEN {accepted} THEN 20.00 ELSE 0 END",
            "remainder": f"CASE WHEN {accepted} THEN 30.00 ELSE 150.00 END",
            "reasons": "CASE WHEN f.status = 'rejected' THEN '[\"LATE_FILING\"]'::jsonb ELSE '[]'::jsonb END",
        },
        "FROM claims_claimfile f CROSS JOIN generate_series(0, 1) k",
        [],
    )  # fmt: skip
    steps = (
        "(VALUES ('paid', 2, 'received', 'adjudicated', 1), ('paid', 3, 'adjudicated', 'approved', 2), "
        "('paid', 4, 'approved', 'in_payment', 20), ('paid', 5, 'in_payment', 'paid', 25), "
        "('approved', 2, 'received', 'adjudicated', 1), ('approved', 3, 'adjudicated', 'approved', 2), "
        "('rejected', 2, 'received', 'adjudicated', 1), ('rejected', 3, 'adjudicated', 'rejected', 2), "
        "('adjudicated', 2, 'received', 'adjudicated', 1)) AS s(st, version, frm, dest, after)"
    )
    _insert(
        ClaimTransition,
        {
            "file_id": "f.id", "member_id": "f.member_id", "from_status": "s.frm", "to_status": "s.dest",
            "version": "s.version",
            "at": "(f.filed_on + (s.after + CASE WHEN s.dest = 'paid' THEN f.id %% 50 ELSE 0 END)::int)::timestamp "
                  "AT TIME ZONE 'UTC' + interval '10 hours'",
        },
        f"FROM claims_claimfile f JOIN {steps} ON s.st = f.status",
        [],
    )  # fmt: skip
    _insert(
        LedgerEntry,
        {
            "member_id": "m.id", "month": "(DATE '2025-01-01' + (k || ' month')::interval)::date", "kind": "'due'",
            "source": "'schedule'", "complementary": "50.00", "amo_employee": "60.00", "amo_employer": "60.00",
        },
        "FROM (SELECT id FROM members_member ORDER BY id LIMIT %s) m CROSS JOIN generate_series(0, 11) k",
        [ledger_members],
        tail_params=1,
    )  # fmt: skip
    # What was collected: 11 months of 12 (December still due). One receipt row carries them all
    # (the ledger's constraint wants a source; the bench reads sums, not receipts).
    first = Member.objects.order_by("id").values_list("id", flat=True)[0]
    receipt = Receipt.objects.create(number="BD-ALL", member_id=first, channel="counter", received_on="2025-12-31",
                                     amount="1.00")  # fmt: skip
    _insert(
        LedgerEntry,
        {
            "member_id": "e.member_id", "month": "e.month", "kind": "'paid'", "source": "'receipt'",
            "receipt_id": "%s", "paid_on": "e.month + 20", "complementary": "e.complementary",
            "amo_employee": "e.amo_employee", "amo_employer": "e.amo_employer",
        },
        "FROM contributions_ledgerentry e WHERE e.kind = 'due' AND e.month < DATE '2025-12-01'",
        [receipt.pk],
    )  # fmt: skip
    _exec("ANALYZE")


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, -(-len(ordered) * 95 // 100) - 1)]


def _time_pages(client: Any, urls: dict[str, str], requests: int) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {}
    for name, url in urls.items():
        client.get(url)  # warm: templates compiled, catalogue loaded
        samples = []
        for _ in range(requests):
            started = time.perf_counter()
            response = client.get(url)
            samples.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        out[name] = samples
    return out


def run(*, files: int | None = None, ledger_members: int | None = None, requests: int = 30) -> dict[str, Any]:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    from accounts.roles import Role
    from accounts.services import user_create
    from reports.summary import reports_refresh_run

    if connection.vendor != "postgresql":
        return {"scenario": "dashboard", "skipped": "needs PostgreSQL (DATABASE_URL)"}
    n = files or int(os.environ.get("BENCH_DASHBOARD_FILES", "1500000"))
    ledger = ledger_members or int(os.environ.get("BENCH_DASHBOARD_LEDGER_MEMBERS", "100000"))
    loaded = time.perf_counter()
    _load(n, ledger)
    load_seconds = time.perf_counter() - loaded
    started = time.perf_counter()
    tables = reports_refresh_run()
    refresh_seconds = time.perf_counter() - started
    manager = user_create(username="bench-manager", password="bench-Pass-123", role=Role.MANAGER)  # noqa: S106
    nobody = user_create(username="bench-nobody", password="bench-Pass-123", role=Role.PROVIDER)  # noqa: S106
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(manager)
    pages = {
        "dashboard_12m": "/reports/dashboard/",
        "dashboard_2025": "/reports/dashboard/?period=2025",
        "dashboard_all": "/reports/dashboard/?period=all",
    }
    timed = _time_pages(client, pages, requests)
    # The same pages with the refresh's drawings gone (a refresh under way, a budget just saved):
    # every view draws the panels from the summary tables itself (and stores nothing).
    cache.clear()
    cold = _time_pages(client, pages, requests)
    floor_client = Client(HTTP_HOST="127.0.0.1")
    floor_client.force_login(nobody)
    floor = _time_pages(floor_client, {"floor": "/"}, requests)["floor"]
    every = [s for samples in timed.values() for s in samples]
    p95 = _p95(every)
    return {
        "scenario": "dashboard",
        "files": n,
        "ledger_rows": ledger * 12,
        "requests_per_page": requests,
        "p95_ms": round(p95, 1),
        "goal_ms": GOAL_MS,
        "met": p95 < GOAL_MS,
        "refresh_seconds": round(refresh_seconds, 2),
        "load_seconds": round(load_seconds, 1),
        "floor_p95_ms": round(_p95(floor), 1),
        "tables": {t.table: round(t.seconds, 2) for t in tables},
        "summary_rows": {t.table: t.rows for t in tables},
        "pages": {name: round(_p95(samples), 1) for name, samples in timed.items()},
        "cold_p95_ms": round(_p95([x for samples in cold.values() for x in samples]), 1),
        "cold_pages": {name: round(_p95(samples), 1) for name, samples in cold.items()},
        "prerender_seconds": round(refresh_seconds - sum(t.seconds for t in tables), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.dashboard")
    parser.add_argument("--files", type=int, default=1_500_000)
    parser.add_argument("--ledger-members", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutuelle.test_settings")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    real_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        print(json.dumps(run(files=args.files, ledger_members=args.ledger_members, requests=args.requests)))
    finally:
        connection.creation.destroy_test_db(real_name, verbosity=0)


if __name__ == "__main__":
    main()

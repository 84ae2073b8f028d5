"""Benchmark `eligibility`: `GET /api/v1/eligibility` under load, served by gunicorn (PostgreSQL).

BENCH_WEB_MEMBERS members (default 200,000; the issue's national scale is 1,000,000) are loaded
untimed, with TOKENS providers holding a token each: the checks come from many counters, as in
life, so each token stays under the 120 checks a minute that the API allows one token (the
per-token API limit is lifted, API_RATE_LIMIT_PER_MINUTE, as the issue asks). Every check names a
random card and goes through the whole path: token, both rate counters, the card's beneficiary
and history, the dated rules. Then /healthz in the same server for the same time
(`floor_requests_per_s`). Prints {"scenario": "eligibility", "requests_per_s", "p50_ms",
"p99_ms", "floor_requests_per_s", "members", "workers", "client_cpu_share", "goal", "met", ...}.
"""

from __future__ import annotations

import os
import random
from typing import Any

from bench import web

GOAL_RPS = 800
GOAL_P99_MS = 50
TOKENS = 400  # x 120 checks a minute each: room for 48,000 checks in the minute the run lasts at most
SECONDS = float(os.environ.get("BENCH_WEB_SECONDS", "15"))
CONCURRENCY = int(os.environ.get("BENCH_WEB_CONCURRENCY", "16"))


def run(*, members: int | None = None) -> dict[str, Any]:
    from django.db import connection

    if connection.vendor != "postgresql":
        return {"scenario": "eligibility", "skipped": "needs PostgreSQL (DATABASE_URL)"}
    n = members or web.members_count()
    web.web_members_load(members=n)
    tokens = web.provider_tokens(n=TOKENS)
    rng = random.Random(15)
    requests = [
        web.request_bytes(
            "GET",
            f"/api/v1/eligibility?card={web.FIRST_NUMBER + rng.randrange(n)}-00",
            {"Authorization": f"Bearer {tokens[i % TOKENS]}"},
        )
        for i in range(20_000)
    ]
    extra = web.api_server_env()
    with web.gunicorn_serving(extra_env=extra) as workers:
        web.load(requests=requests[-500:], seconds=2, concurrency=CONCURRENCY)  # warm-up: connections, imports
        load_before = web.machine_load()
        checks = web.load(requests=requests, seconds=SECONDS, concurrency=CONCURRENCY)
        floor = web.floor(seconds=SECONDS, concurrency=CONCURRENCY)
    rps, p99, floor_rps = checks["requests_per_s"], checks["p99_ms"], floor["requests_per_s"]
    return {
        "scenario": "eligibility",
        "requests_per_s": rps,
        "p50_ms": checks["p50_ms"],
        "p95_ms": checks["p95_ms"],
        "p99_ms": p99,
        "floor_requests_per_s": floor_rps,
        "floor_p99_ms": floor["p99_ms"],
        "share_of_floor": round(rps / floor_rps, 2),
        "requests": checks["requests"],
        "unexpected_status": checks["unexpected_status"],
        "members": n,
        "cache": extra["CACHE_URL"].split(":", 1)[0],
        "tokens": TOKENS,
        "workers": workers,
        "concurrency": CONCURRENCY,
        "client_cpu_share": checks["client_cpu_share"],
        "floor_client_cpu_share": floor["client_cpu_share"],
        "load_average": load_before,
        "goal": f">= {GOAL_RPS} requests/s, p99 < {GOAL_P99_MS} ms, >= half the floor",
        "met": rps >= GOAL_RPS and p99 < GOAL_P99_MS and rps >= floor_rps / 2 and not checks["unexpected_status"],
    }

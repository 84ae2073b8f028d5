"""Benchmark `search`: the member search of the counter, served by gunicorn (PostgreSQL).

BENCH_WEB_MEMBERS members (default 200,000) are loaded untimed as for `eligibility` (names from
16 × 16 Latin/Arabic pairs). Sixteen reception agents log in through the login page (their own
sessions, cookies and CSRF, as browsers) and hold a staff-read API token each. The queries mix, in
equal shares, what an agent types: a full name in Latin script, a full name in Arabic script, a
misspelt name (no exact prefix matches it: the tolerant tier answers) and a number (membership,
card, matricule or CIN). Each query is sent three ways: the members page, the page's live results
as the search box asks for them (`HX-Request`), and `GET /api/v1/staff/members`. Then /healthz in
the same server for the same time (`floor_requests_per_s`). Prints {"scenario": "search",
"p95_ms", "p50_ms", "p99_ms", "requests_per_s", "by_kind": {kind: p95}, "by_channel": {...},
"floor_requests_per_s", "goal", "met", ...}.
"""

from __future__ import annotations

import os
import random
import urllib.parse
from typing import Any

from bench import web

GOAL_P95_MS = 30
AGENTS = 16
SECONDS = float(os.environ.get("BENCH_WEB_SECONDS", "15"))
# Latency, not saturation: four searches at once on five workers is a busy counter hall; at 16 the
# p95 is mostly the wait for a free worker (BENCH_WEB_CONCURRENCY changes it).
CONCURRENCY = int(os.environ.get("BENCH_WEB_CONCURRENCY", "4"))
PASSWORD = "bench-Pass-123"  # noqa: S105 (throw-away users of a throw-away database)
# One letter changed, dropped or doubled: no name starts with these, each is close to one.
TYPOS = ["Filaly", "Benani", "Alaoi", "Berada", "Idrisi", "Kettany", "Ouazani", "Benkiran", "Chraybi",
         "الفلالي", "العمرني", "بنجلن", "Youssef Amrany", "Khadija Tazy", "فاطمة الوزني", "Mohamed Lahlo"]  # fmt: skip
KINDS = ("latin", "arabic", "typo", "number")
CHANNELS = ("page", "live", "api")


def _queries(*, n: int, rng: random.Random) -> list[tuple[str, str]]:
    """(kind, query) pairs, the kinds in turn."""
    out: list[tuple[str, str]] = []
    for i in range(4000):
        kind = KINDS[i % len(KINDS)]
        last, first = rng.choice(web.LAST_NAMES), rng.choice(web.FIRST_NAMES)
        if kind == "latin":
            out.append((kind, f"{first[0]} {last[0]}"))
        elif kind == "arabic":
            out.append((kind, f"{first[1]} {last[1]}"))
        elif kind == "typo":
            out.append((kind, rng.choice(TYPOS)))
        else:
            k = rng.randrange(n)
            number = [f"{web.FIRST_NUMBER + k}", f"{web.FIRST_NUMBER + k}-00", f"{3_000_001 + k}", f"BW{k + 1}"]
            out.append((kind, rng.choice(number)))
    return out


def _agents() -> list[tuple[str, str]]:
    """(username, staff-read token) of AGENTS reception agents."""
    from django.test import override_settings

    from accounts.models import ApiTokenScope
    from accounts.roles import Role
    from accounts.services import user_create
    from accounts.tokens import api_token_create

    agents = []
    for i in range(AGENTS):
        # Hashed as production hashes (the bench's settings use a fast test hasher the server refuses).
        with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.Argon2PasswordHasher"]):
            user = user_create(username=f"bench-web-agent{i}", password=PASSWORD, role=Role.RECEPTION)
        agents.append((user.username, api_token_create(actor=None, user=user, scope=ApiTokenScope.STAFF_READ)[1]))
    return agents


def _request(channel: str, query: str, cookie: str, token: str) -> bytes:
    q = urllib.parse.urlencode({"q": query})
    if channel == "api":
        return web.request_bytes("GET", f"/api/v1/staff/members?{q}", {"Authorization": f"Bearer {token}"})
    headers = {"Cookie": cookie, "Accept-Language": "ar"}
    if channel == "live":
        headers["HX-Request"] = "true"
    return web.request_bytes("GET", f"/members/?{q}", headers)


def run(*, members: int | None = None) -> dict[str, Any]:
    from django.db import connection

    if connection.vendor != "postgresql":
        return {"scenario": "search", "skipped": "needs PostgreSQL (DATABASE_URL)"}
    n = members or web.members_count()
    web.web_members_load(members=n)
    agents = _agents()
    queries = _queries(n=n, rng=random.Random(15))
    with web.gunicorn_serving(extra_env=web.api_server_env()) as workers:
        cookies = [web.staff_cookie(username=name, password=PASSWORD) for name, _token in agents]
        labels: list[tuple[str, str]] = []
        requests: list[bytes] = []
        for i, (kind, query) in enumerate(queries):
            channel = CHANNELS[(i // len(KINDS)) % len(CHANNELS)]
            labels.append((kind, channel))
            requests.append(_request(channel, query, cookies[i % AGENTS], agents[i % AGENTS][1]))
        web.load(requests=requests[-300:], seconds=2, concurrency=CONCURRENCY)  # warm-up
        load_before = web.machine_load()
        found = web.load(requests=requests, seconds=SECONDS, concurrency=CONCURRENCY)
        floor = web.floor(seconds=SECONDS, concurrency=CONCURRENCY)
    by: dict[str, list[float]] = {}
    for i, seconds, _status in found["samples"]:
        kind, channel = labels[i]
        by.setdefault(kind, []).append(seconds)
        by.setdefault(channel, []).append(seconds)
    p95 = found["p95_ms"]
    return {
        "scenario": "search",
        "p95_ms": p95,
        "p50_ms": found["p50_ms"],
        "p99_ms": found["p99_ms"],
        "requests_per_s": found["requests_per_s"],
        "by_kind_p95_ms": {k: web.pct(by.get(k, []), 0.95) for k in KINDS},
        "by_channel_p95_ms": {c: web.pct(by.get(c, []), 0.95) for c in CHANNELS},
        "floor_requests_per_s": floor["requests_per_s"],
        "floor_p95_ms": floor["p95_ms"],
        "requests": found["requests"],
        "unexpected_status": found["unexpected_status"],
        "members": n,
        "workers": workers,
        "concurrency": CONCURRENCY,
        "client_cpu_share": found["client_cpu_share"],
        "load_average": load_before,
        "goal": f"p95 < {GOAL_P95_MS} ms",
        "met": p95 < GOAL_P95_MS and not found["unexpected_status"],
    }

"""The web benchmarks' harness: gunicorn with production settings, a load generator on loopback.

`gunicorn_serving(extra_env=...)` serves the app on 127.0.0.1 with the production settings (DEBUG
off, its own SECRET_KEY, HTTPS enforced: the client says X-Forwarded-Proto: https as the TLS proxy
in front of it would), against the bench's throw-away database, and stops it at the end.
`load(requests=...)` runs the load generator in a separate process: an asyncio client over raw
HTTP/1.1 sockets (keep-alive when the server keeps the connection, a new one when it closes it),
which reports its own CPU time over the wall time (`client_cpu_share`): the share of one core the
client took from the two the server also runs on. `web_members_load(members=...)` writes members
with Arabic and Latin names (INSERT … SELECT, as bench.dashboard); `provider_tokens(n=...)` makes
n provider users, one API token each.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import resource
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from typing import Any

from bench.dashboard import _exec, _insert

PORT = int(os.environ.get("BENCH_WEB_PORT", "8765"))
# A throw-away key for a throw-away database.
SECRET_KEY = "bench-web-" + "k" * 50
PROXY = "X-Forwarded-Proto: https\r\n"  # behind the TLS proxy: SECURE_SSL_REDIRECT stays on
LAST_NAMES = [("Amrani", "العمراني"), ("Filali", "الفيلالي"), ("Bennani", "بناني"), ("Tazi", "التازي"),
              ("Alaoui", "العلوي"), ("Idrissi", "الإدريسي"), ("Berrada", "برادة"), ("Chraibi", "الشرايبي"),
              ("Lahlou", "لحلو"), ("Sqalli", "الصقلي"), ("Benjelloun", "بنجلون"), ("Kettani", "الكتاني"),
              ("Ouazzani", "الوزاني"), ("Benkirane", "بنكيران"), ("Hajji", "الحجي"), ("Naciri", "الناصري")]  # fmt: skip
FIRST_NAMES = [("Youssef", "يوسف"), ("Fatima", "فاطمة"), ("Mohamed", "محمد"), ("Khadija", "خديجة"),
               ("Ahmed", "أحمد"), ("Salma", "سلمى"), ("Omar", "عمر"), ("Nadia", "نادية"), ("Karim", "كريم"),
               ("Imane", "إيمان"), ("Rachid", "رشيد"), ("Samira", "سميرة"), ("Hicham", "هشام"),
               ("Laila", "ليلى"), ("Mehdi", "مهدي"), ("Zineb", "زينب")]  # fmt: skip
FIRST_NUMBER = 2_000_001  # membership numbers FIRST_NUMBER .. FIRST_NUMBER + members - 1; cards "<number>-00"


def members_count() -> int:
    return int(os.environ.get("BENCH_WEB_MEMBERS", "200000"))


def web_members_load(*, members: int) -> None:
    """`members` active members (joined 2015, status history too: eligibility reads it), one holder each."""
    from members.models import Administration, Beneficiary, Member, MemberStatusChange
    from members.normalize import search_document

    _insert(Administration, {"code": "'BW' || g", "name_fr": "'Administration ' || g", "name_ar": "'إدارة ' || g"},
            "FROM generate_series(1, 20) g", [])  # fmt: skip
    _insert(
        Member,
        {
            "membership_number": "(2000000 + g)::text", "matricule": "(3000000 + g)::text", "cin": "'BW' || g",
            "administration_id": "a.ids[1 + g %% 20]", "joined_on": "DATE '2015-01-01'",
            "marital_status": "'married'", "status": "'active'", "status_since": "DATE '2015-01-01'",
            "region": "'01'",
        },
        "FROM generate_series(1, %s) g, (SELECT array_agg(id ORDER BY id) AS ids FROM members_administration) a",
        [members],
        tail_params=1,
    )  # fmt: skip
    _insert(MemberStatusChange, {"member_id": "m.id", "status": "'active'", "valid_from": "DATE '2015-01-01'",
                                 "recorded_at": "now()"}, "FROM members_member m", [])  # fmt: skip
    pairs = [(last, first) for last in LAST_NAMES for first in FIRST_NAMES]
    docs = [search_document(f"{f[0]} {la[0]}", f"{f[1]} {la[1]}") for la, f in pairs]
    # The name of member number FIRST_NUMBER + i is pairs[(i + 1) % len(pairs)] (ids follow numbers).
    _insert(
        Beneficiary,
        {
            "member_id": "m.id", "relation": "'self'", "rank": "0", "card_number": "m.membership_number || '-00'",
            "last_name": "(%s::text[])[1 + m.membership_number::int %% %s]",
            "first_name": "(%s::text[])[1 + m.membership_number::int %% %s]",
            "last_name_ar": "(%s::text[])[1 + m.membership_number::int %% %s]",
            "first_name_ar": "(%s::text[])[1 + m.membership_number::int %% %s]",
            "search_text": "(%s::text[])[1 + m.membership_number::int %% %s]",
            "birth_date": "DATE '1980-03-14'", "sex": "'M'",
        },
        "FROM members_member m ORDER BY m.id",
        [[la[0] for la, _f in pairs], len(pairs), [f[0] for _la, f in pairs], len(pairs),
         [la[1] for la, _f in pairs], len(pairs), [f[1] for _la, f in pairs], len(pairs), docs, len(pairs)],
    )  # fmt: skip
    _exec("ANALYZE")


def provider_tokens(*, n: int) -> list[str]:
    """n providers, each with a provider user and one API token (plaintexts): the load is spread as
    providers spread it, each token within the per-token limits a real counter stays within."""
    from accounts.models import Provider
    from accounts.roles import Role
    from accounts.services import user_create
    from accounts.tokens import api_token_create

    providers = Provider.objects.bulk_create(
        Provider(inpe=f"{700000000 + i}", name=f"Bench clinic {i}", kind="clinic", sector="private") for i in range(n)
    )
    tokens = []
    for i, provider in enumerate(providers):
        user = user_create(username=f"bench-web-p{i}", password="bench-Pass-123", role=Role.PROVIDER,  # noqa: S106
                           provider_id=provider.pk)  # fmt: skip
        tokens.append(api_token_create(actor=None, user=user, name="bench")[1])
    return tokens


def staff_cookie(*, username: str, password: str) -> str:
    """Logs in through the server's own login page (its CSRF token, its session, its cookie names) and
    returns the Cookie header a browser would send afterwards."""
    import http.client
    import re

    def jar(response: http.client.HTTPResponse, into: dict[str, str]) -> None:
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _eq, rest = header.partition("=")
            into[name.strip()] = rest.split(";", 1)[0]

    cookies: dict[str, str] = {}
    proxy = {"X-Forwarded-Proto": "https"}
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    conn.request("GET", "/accounts/login/", headers=proxy)
    page = conn.getresponse()
    jar(page, cookies)
    found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.read())
    if found is None:
        raise RuntimeError("no CSRF token on the login page")
    form = urllib.parse.urlencode({"username": username, "password": password,
                                   "csrfmiddlewaretoken": found.group(1).decode()})  # fmt: skip
    conn.request("POST", "/accounts/login/", body=form, headers={
        **proxy, "Content-Type": "application/x-www-form-urlencoded", "Origin": f"https://127.0.0.1:{PORT}",
        "Referer": f"https://127.0.0.1:{PORT}/accounts/login/",
        "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
    })  # fmt: skip
    done = conn.getresponse()
    answer = done.read()
    jar(done, cookies)
    conn.close()
    if done.status != 302 or "sessionid" not in cookies:
        raise RuntimeError(f"login of {username} failed: {done.status} {answer[:300]!r}")
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def _database_url() -> str:
    from django.db import connection

    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _healthy(deadline: float) -> bool:
    probe = urllib.request.Request(f"http://127.0.0.1:{PORT}/healthz", headers={"X-Forwarded-Proto": "https"})
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(probe, timeout=1) as response:  # noqa: S310
                if response.status == 200:
                    return True
        time.sleep(0.2)
    return False


def workers_count() -> int:
    # Sync workers wait on the database for part of each request: more processes than cores keep
    # the cores busy (gunicorn's own rule of thumb, 2 × cores + 1).
    return int(os.environ.get("BENCH_WEB_WORKERS", str(2 * (os.cpu_count() or 2) + 1)))


def api_server_env() -> dict[str, str]:
    """The API benches' server settings: the per-token API limit lifted (the endpoints' own limits
    stay), and the rate counts on the shared cache as production keeps them (Redis;
    BENCH_WEB_CACHE_URL=db:// counts them in PostgreSQL instead)."""
    cache_url = os.environ.get("BENCH_WEB_CACHE_URL", "redis://127.0.0.1:6379/13")
    return {"API_RATE_LIMIT_PER_MINUTE": "100000000", "CACHE_URL": cache_url}


@contextlib.contextmanager
def gunicorn_serving(*, extra_env: dict[str, str] | None = None) -> Iterator[int]:
    """gunicorn serving the app with production settings; yields the number of workers."""
    from django.db import connections

    connections.close_all()  # the bench's own connection must not hold the test database
    workers = workers_count()
    env = {k: v for k, v in os.environ.items() if k not in {"MUTUELLE_INSECURE_DEV_KEY", "SECURE_SSL_REDIRECT"}}
    env.update({
        "DJANGO_SETTINGS_MODULE": "mutuelle.settings", "DEBUG": "0", "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1", "DATABASE_URL": _database_url(), "DB_CONN_MAX_AGE": "600",
        "LOG_LEVEL": "ERROR", **(extra_env or {}),
    })  # fmt: skip
    command = [sys.executable, "-m", "gunicorn", "mutuelle.wsgi", "--bind", f"127.0.0.1:{PORT}",
               "--workers", str(workers), "--log-level", "warning",
               # The app imported once before the fork: a worker's first request does not import it
               # (on a loaded machine that took gunicorn's default 30 s timeout, and the worker was killed).
               "--preload", "--timeout", "120"]  # fmt: skip
    process = subprocess.Popen(command, env=env)
    try:
        if not _healthy(time.monotonic() + 60):
            raise RuntimeError("gunicorn did not answer /healthz within 60 s")
        yield workers
    finally:
        process.terminate()
        process.wait(timeout=30)


def request_bytes(method: str, path: str, headers: dict[str, str] | None = None, body: bytes = b"") -> bytes:
    head = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
    length = f"Content-Length: {len(body)}\r\n" if body or method != "GET" else ""
    return f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{PROXY}{head}{length}\r\n".encode() + body


async def _response(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
    """(status, body, server closes): Content-Length, chunked, or to the end."""
    header = await reader.readuntil(b"\r\n\r\n")
    status = int(header.split(b" ", 2)[1])
    fields = dict(ln.split(b":", 1) for ln in header.lower().split(b"\r\n")[1:] if b":" in ln)
    closes = fields.get(b"connection", b"").strip() == b"close"
    if b"content-length" in fields:
        return status, await reader.readexactly(int(fields[b"content-length"])), closes
    if fields.get(b"transfer-encoding", b"").strip() == b"chunked":
        body = b""
        while size := int((await reader.readuntil(b"\r\n")).strip().split(b";")[0], 16):
            body += await reader.readexactly(size + 2)
        await reader.readuntil(b"\r\n")
        return status, body, closes
    return status, await reader.read(), True


async def _connection(requests: list[bytes], cursor: list[int], cycle: bool, until: float,
                      out: list[tuple[int, float, int]]) -> None:  # fmt: skip
    writer = None
    try:
        while time.perf_counter() < until and (cycle or cursor[0] < len(requests)):
            i = cursor[0] % len(requests)
            cursor[0] += 1  # one thread: the shared cursor needs no lock
            if writer is None:
                reader, writer = await asyncio.open_connection("127.0.0.1", PORT)
                writer.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            started = time.perf_counter()
            writer.write(requests[i])
            status, _body, closes = await _response(reader)
            out.append((i, time.perf_counter() - started, status))
            if closes:
                writer.close()
                writer = None
    finally:
        if writer is not None:
            writer.close()


def _load_child(requests: list[bytes], seconds: float, concurrency: int, cycle: bool, queue: Any) -> None:
    out: list[tuple[int, float, int]] = []

    async def main() -> None:
        until = time.perf_counter() + seconds
        cursor = [0]
        await asyncio.gather(*(_connection(requests, cursor, cycle, until, out) for _c in range(concurrency)))

    before = resource.getrusage(resource.RUSAGE_SELF)
    wall = time.perf_counter()
    asyncio.run(main())
    wall = time.perf_counter() - wall
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    queue.put({"samples": out, "wall": wall, "cpu": cpu})


def pct(latencies: list[float], p: float) -> float:
    """The p-quantile of latencies in seconds, in ms."""
    lat = sorted(latencies)
    return round(lat[min(len(lat) - 1, int(p * len(lat)))] * 1000, 1) if lat else 0.0


def load(*, requests: list[bytes], seconds: float = 10, concurrency: int = 16,
         expect: frozenset[int] = frozenset({200}), cycle: bool = True) -> dict[str, Any]:  # fmt: skip
    """Requests/s, p50/p95/p99 (ms), the answers not in `expect` and the client's CPU share over
    `seconds` (or until the requests are all sent, when not `cycle`); `samples`: (index, s, status)."""
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    child = ctx.Process(target=_load_child, args=(requests, seconds, concurrency, cycle, queue))
    child.start()
    result = queue.get(timeout=seconds + 300)
    child.join()
    samples = result["samples"]
    if not samples:
        raise RuntimeError("no request answered")
    lat = [s for _i, s, _st in samples]
    unexpected: dict[int, int] = {}
    for _i, _s, status in samples:
        if status not in expect:
            unexpected[status] = unexpected.get(status, 0) + 1
    return {
        "requests": len(samples), "requests_per_s": round(len(samples) / result["wall"]), "p50_ms": pct(lat, 0.50),
        "p95_ms": pct(lat, 0.95), "p99_ms": pct(lat, 0.99), "unexpected_status": unexpected,
        "client_cpu_share": round(result["cpu"] / result["wall"], 2), "samples": samples,
    }  # fmt: skip


def floor(*, seconds: float, concurrency: int) -> dict[str, Any]:
    """/healthz (no query, no session: the whole middleware stack and nothing else) in the same server."""
    return load(requests=[request_bytes("GET", "/healthz")], seconds=seconds, concurrency=concurrency)


def machine_load() -> float:
    return round(os.getloadavg()[0], 2)

"""Benchmark `submit`: third-party-payment claims of 3 to 5 lines sent by providers' software, through
`POST /api/v1/claims/` and through FHIR `POST /fhir/Claim`, served by gunicorn (PostgreSQL).

BENCH_WEB_MEMBERS members are loaded untimed as for `eligibility`, with 400 providers holding a
token each. Each claim names a random card, its own reference (`external_ref`, or
`Claim.identifier` in FHIR) and its own `Idempotency-Key`; one claim in ten is sent a second time,
byte for byte, 200 claims later (the software retrying after a lost answer): the retry must get the
first answer back and create nothing. Every submission goes the whole way: token, rate count,
idempotency claim, intake, the engine's adjudication, the audit row, the stored answer. The FHIR
claims are built and checked with `fhir.resources`. The REST load, then the FHIR load, then
/healthz for the same time (`floor_requests_per_s`); at the end the files are counted: exactly one
per claim answered, none twice. Prints {"scenario": "submit", "requests_per_s", "p99_ms",
"fhir_requests_per_s", "fhir_p99_ms", "floor_requests_per_s", "retries", "files",
"duplicates", "goal", "met", ...}.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
from decimal import Decimal
from typing import Any, NamedTuple

from bench import web

GOAL_RPS = 200
GOAL_P99_MS = 100
TOKENS = 400
SECONDS = float(os.environ.get("BENCH_WEB_SECONDS", "15"))
# Each provider's software sends one claim and waits for its answer: eight counters at once keep
# five workers busy without measuring mostly the wait for a free one (BENCH_WEB_CONCURRENCY).
CONCURRENCY = int(os.environ.get("BENCH_WEB_CONCURRENCY", "8"))
RETRY_EVERY, RETRY_AFTER = 10, 200
CLAIMS = int(os.environ.get("BENCH_SUBMIT_CLAIMS", "6000"))  # per channel: more than a run sends


class _Claim(NamedTuple):
    """One claim: its card, reference, lines (kind, code, paid) and day, the same for both channels."""

    card: str
    ref: str
    lines: list[tuple[str, str, str]]
    day: dt.date


def _claims(*, n: int, channel: str, rng: random.Random) -> list[_Claim]:
    from django.utils import timezone

    from referentials.models import Medicine

    medicines = list(Medicine.objects.order_by("code").values_list("code", flat=True).distinct()[:12])
    acts = ["CONS-G", "ECBU", "CONS-G", "C"]
    day = timezone.localdate() - dt.timedelta(days=3)
    out = []
    for i in range(CLAIMS):
        lines = [("act", rng.choice(acts), "150.00")]
        lines += [("medicine", code, "59.90") for code in rng.sample(medicines, rng.randint(2, 4))]
        out.append(_Claim(card=f"{web.FIRST_NUMBER + rng.randrange(n)}-00", ref=f"{channel}-{i}", lines=lines, day=day))
    return out


def _rest(claim: _Claim, token: str, key: str) -> bytes:
    body = json.dumps({
        "card": claim.card, "external_ref": claim.ref,
        "lines": [{"kind": kind, "code": code, "care_date": claim.day.isoformat(), "paid": paid}
                  for kind, code, paid in claim.lines],
    }).encode()  # fmt: skip
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json", "Idempotency-Key": key}
    return web.request_bytes("POST", "/api/v1/claims/", headers, body)


def _fhir(claim: _Claim, token: str, key: str) -> bytes:
    from fhir.resources.R4B.claim import Claim

    from fhir.systems import ACT_SYSTEM, FHIR_JSON, MEDICINE_SYSTEM

    day = claim.day.isoformat()
    resource = Claim.model_validate({
        "status": "active", "use": "claim", "created": day, "priority": {"coding": [{"code": "normal"}]},
        "type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/claim-type", "code": "professional"}]},
        "identifier": [{"system": "https://clinique.ma/invoice", "value": claim.ref}],
        "patient": {"reference": f"Patient/{claim.card}"}, "provider": {"display": "Clinique"},
        "insurance": [{"sequence": 1, "focal": True, "coverage": {"reference": f"Coverage/{claim.card}"}}],
        "item": [
            {"sequence": k + 1,
             "productOrService": {"coding": [{"system": ACT_SYSTEM if kind == "act" else MEDICINE_SYSTEM,
                                              "code": code}]},
             "servicedDate": day, "net": {"value": Decimal(paid), "currency": "MAD"}}
            for k, (kind, code, paid) in enumerate(claim.lines)
        ],
    })  # fmt: skip
    headers = {"Authorization": f"Bearer {token}", "Content-Type": FHIR_JSON, "Idempotency-Key": key}
    return web.request_bytes("POST", "/fhir/Claim", headers, resource.model_dump_json().encode())


def _with_retries(requests: list[bytes]) -> tuple[list[bytes], list[int], list[bool]]:
    """The requests with one in RETRY_EVERY sent again RETRY_AFTER later; each one's claim index,
    and whether it is a retry."""
    out: list[bytes] = []
    owner: list[int] = []
    again: list[bool] = []
    for i, request in enumerate(requests):
        out.append(request)
        owner.append(i)
        again.append(False)
        j = i - RETRY_AFTER
        if j >= 0 and j % RETRY_EVERY == 0:
            out.append(requests[j])
            owner.append(j)
            again.append(True)
    return out, owner, again


def _channel(name: str, build: Any, *, n: int, tokens: list[str], rng: random.Random) -> dict[str, Any]:
    claims = _claims(n=n, channel=name, rng=rng)
    firsts = [build(c, tokens[i % TOKENS], f"{name}-key-{i}") for i, c in enumerate(claims)]
    requests, owner, again = _with_retries(firsts)
    found = web.load(requests=requests, seconds=SECONDS, concurrency=CONCURRENCY,
                     expect=frozenset({200, 201}), cycle=False)  # fmt: skip
    answered = {owner[i] for i, _s, status in found["samples"] if status in {200, 201}}
    sent_twice = sum(1 for i, _s, _st in found["samples"] if again[i])
    return {"load": found, "answered": answered, "retries": sent_twice}


def _files_check(refs: set[str]) -> dict[str, int]:
    from django.db.models import Count

    from claims.models import ClaimFile

    files = ClaimFile.objects.filter(external_ref__in=refs)
    twice = files.values("provider_inpe", "external_ref").annotate(n=Count("id")).filter(n__gt=1).count()
    return {"files": files.count(), "duplicates": twice}


def run(*, members: int | None = None) -> dict[str, Any]:
    from django.db import connection

    if connection.vendor != "postgresql":
        return {"scenario": "submit", "skipped": "needs PostgreSQL (DATABASE_URL)"}
    n = members or web.members_count()
    web.web_members_load(members=n)
    tokens = web.provider_tokens(n=TOKENS)
    rng = random.Random(15)
    with web.gunicorn_serving(extra_env=web.api_server_env()) as workers:
        warm = _claims(n=n, channel="warm", rng=rng)[:200]
        web.load(requests=[_rest(c, tokens[i % TOKENS], f"warm-{i}") for i, c in enumerate(warm)], seconds=2,
                 concurrency=CONCURRENCY, expect=frozenset({200, 201}), cycle=False)  # fmt: skip
        load_before = web.machine_load()
        rest = _channel("rest", _rest, n=n, tokens=tokens, rng=rng)
        fhir = _channel("fhir", _fhir, n=n, tokens=tokens, rng=rng)
        floor = web.floor(seconds=SECONDS, concurrency=CONCURRENCY)
    refs = {f"rest-{i}" for i in rest["answered"]} | {f"fhir-{i}" for i in fhir["answered"]}
    check = _files_check(refs)
    r, f = rest["load"], fhir["load"]
    unexpected = {**r["unexpected_status"], **{f"fhir {k}": v for k, v in f["unexpected_status"].items()}}
    rps, p99 = r["requests_per_s"], r["p99_ms"]
    whole = check["files"] == len(refs) and check["duplicates"] == 0
    return {
        "scenario": "submit",
        "requests_per_s": rps,
        "p50_ms": r["p50_ms"],
        "p99_ms": p99,
        "fhir_requests_per_s": f["requests_per_s"],
        "fhir_p50_ms": f["p50_ms"],
        "fhir_p99_ms": f["p99_ms"],
        "floor_requests_per_s": floor["requests_per_s"],
        "share_of_floor": round(rps / floor["requests_per_s"], 2),
        "requests": r["requests"] + f["requests"],
        "retries": rest["retries"] + fhir["retries"],
        "claims_answered": len(refs),
        "files": check["files"],
        "duplicates": check["duplicates"],
        "unexpected_status": unexpected,
        "lines_per_claim": "3-5",
        "members": n,
        "workers": workers,
        "concurrency": CONCURRENCY,
        "client_cpu_share": r["client_cpu_share"],
        "load_average": load_before,
        "goal": f">= {GOAL_RPS} claims/s, p99 < {GOAL_P99_MS} ms, one file per claim",
        "met": rps >= GOAL_RPS and p99 < GOAL_P99_MS and whole and not unexpected,
    }

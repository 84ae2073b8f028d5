"""A national-scale synthetic mutual loaded with COPY (PostgreSQL): `demo --scale national`, `bench.national_demo`.

`national_load(members=N)` adds N members (both scripts' names, 60 administrations, 12 regions),
about 3 N beneficiaries (self, a spouse for 70 %, 0 to 2 children), 1.5 N claim files over 2025
(one or two per member, 3 to 6 lines each, providers of the demo's list, statuses mixed as in a
live year: 85 % paid), in chunks of `chunk` members, each chunk one COPY per table.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from django.db import connection, transaction

from demo import data
from demo.members import administrations_ensure, demo_users_ensure, providers_ensure
from demo.national_payments import PaidFile, national_batches_ensure, national_batches_total, national_payments_copy
from members.normalize import search_fold
from members.rib import rib_key
from mutuelle.bulk import rows_copy

FIRST_NUMBER = 5_000_000  # membership numbers and matricules of the national set: 5000000..
STATUSES = [("paid", 85), ("approved", 5), ("rejected", 3), ("adjudicated", 3), ("received", 4)]
CHANNELS = ["counter", "post", "portal", "provider"]
YEAR = dt.date(2025, 1, 1)
CHILD_BIRTH = dt.date(2005, 1, 1)
LINE_CODES = [
    ("act", "C"),
    ("act", "CS"),
    ("act", "ECBU"),
    ("act", "K"),
    ("medicine", "6118000000004"),
    ("medicine", "6118000070151"),
]


@dataclass(frozen=True)
class NationalLoad:
    members: int
    beneficiaries: int
    files: int
    lines: int
    payments: int
    seconds: float


@lru_cache(maxsize=8192)
def _names_folded(*names: str) -> str:
    return search_fold(" ".join(names))


def _statuses(rng: random.Random) -> str:
    return rng.choices([s for s, _ in STATUSES], weights=[w for _, w in STATUSES])[0]


def _ensure_postgresql() -> None:
    if connection.vendor != "postgresql":
        raise RuntimeError("the national scale needs PostgreSQL: set DATABASE_URL=postgres://...")


def national_load(
    *, members: int, seed: int = 2026, chunk: int = 50_000, progress: Callable[[str], None] | None = None
) -> NationalLoad:
    """Add `members` national-shaped members with their families and claim files (see the module)."""
    from accounts.models import Provider, User
    from claims.models import ClaimFile, ClaimLine
    from members.models import Beneficiary, Member

    _ensure_postgresql()
    started = time.perf_counter()
    # The demo's providers and logins first: files name providers, batches their two accountants.
    providers_ensure(seed=seed)
    demo_users_ensure()
    admins = [a.pk for a in administrations_ensure()]
    providers = list(Provider.objects.values_list("id", "inpe", "sector", "kind", "name"))
    accountants = dict(User.objects.filter(username__in=["comptable", "comptable2"]).values_list("username", "id"))
    batches = national_batches_ensure(prepared_by=accountants["comptable"], validated_by=accountants["comptable2"])
    start = FIRST_NUMBER + Member.objects.filter(matricule__gte=str(FIRST_NUMBER)).count()
    totals = [0, 0, 0, 0, 0]
    for low in range(0, members, chunk):
        rng = random.Random(f"{seed}:national:{low}")
        high = min(members, low + chunk)
        with transaction.atomic(durable=True):
            counts, paid = _chunk_load(
                rng,
                range(start + low, start + high),
                admins,
                providers,
                models=(Member, Beneficiary, ClaimFile, ClaimLine),
            )
            counts.append(national_payments_copy(paid, batches))
        totals = [t + c for t, c in zip(totals, counts, strict=True)]
        if progress:
            rate = sum(totals) / (time.perf_counter() - started)
            progress(
                f"{high}/{members} members, {totals[1]} beneficiaries, {totals[2]} files, {totals[3]} lines, "
                f"{totals[4]} payments "
                f"({rate:,.0f} rows/s)"
            )
    national_batches_total(list(batches.values()))
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    members_n, beneficiaries, files, lines, payments = totals
    return NationalLoad(members_n, beneficiaries, files, lines, payments, seconds=time.perf_counter() - started)


def _chunk_load(
    rng: random.Random, numbers: range, admins: list[int], providers: list[tuple], *, models: tuple
) -> tuple[list[int], list[PaidFile]]:
    member_model, ben_model, file_model, line_model = models
    m_rows, families, ribs = [], [], []
    for n in numbers:
        male = rng.random() < 0.6
        last = rng.choice(data.FAMILY_NAMES)
        first = rng.choice(data.MALE_FIRST_NAMES if male else data.FEMALE_FIRST_NAMES)
        married = rng.random() < 0.7
        joined = dt.date(1990 + rng.randrange(34), 1 + rng.randrange(12), 1)
        ribs.append(f"011780{n:016d}" + rib_key(f"011780{n:016d}"))
        m_rows.append(
            (
                str(n),
                str(n),
                f"NA{n:08d}"[:10],
                rng.choice(admins),
                joined,
                "married" if married else "single",
                "active",
                joined,
                f"{1 + rng.randrange(12):02d}",
                Decimal(rng.randrange(4000, 20000)),
                ribs[-1],
            )
        )
        families.append((n, male, last, first, married))
    ids = rows_copy(
        member_model,
        [
            "membership_number",
            "matricule",
            "cin",
            "administration_id",
            "joined_on",
            "marital_status",
            "status",
            "status_since",
            "region",
            "base_salary",
            "rib",
        ],
        m_rows,
        with_ids=True,
    )
    b_rows, owners = [], []
    for member_id, (n, male, last, first, married) in zip(ids, families, strict=True):
        people = [("self", first, "M" if male else "F", dt.date(1960 + rng.randrange(40), 1 + rng.randrange(12), 15))]
        if married:
            spouse = rng.choice(data.FEMALE_FIRST_NAMES if male else data.MALE_FIRST_NAMES)
            people.append(("spouse", spouse, "F" if male else "M", dt.date(1965 + rng.randrange(35), 6, 1)))
        for _ in range(rng.choice((0, 1, 1, 1, 2, 2, 2))):
            boy = rng.random() < 0.5
            child = rng.choice(data.MALE_FIRST_NAMES if boy else data.FEMALE_FIRST_NAMES)
            people.append(("child", child, "M" if boy else "F", CHILD_BIRTH + dt.timedelta(days=rng.randrange(7000))))
        for rank, (relation, (fn, fn_ar), sex, born) in enumerate(people):
            card = f"{n}-{rank:02d}"
            # = search_document(fn, last, fn_ar, last_ar, card, n, n, cin): folding is per word, the
            # names' part repeats (cached) and the numbers' part is ASCII (folded by hand).
            text = f" {_names_folded(fn, last[0], fn_ar, last[1])} {n} {rank:02d} {n} {n} na{n:08d} "
            b_rows.append((member_id, relation, rank, card, last[0], fn, last[1], fn_ar, born, sex, text))
            owners.append(member_id)
    ben_ids = rows_copy(
        ben_model,
        [
            "member_id",
            "relation",
            "rank",
            "card_number",
            "last_name",
            "first_name",
            "last_name_ar",
            "first_name_ar",
            "birth_date",
            "sex",
            "search_text",
        ],
        b_rows,
        with_ids=True,
    )
    by_member: dict[int, list[int]] = {}
    for ben_id, member_id in zip(ben_ids, owners, strict=True):
        by_member.setdefault(member_id, []).append(ben_id)
    f_rows, f_specs, paying = [], [], []
    for n, member_id, (_n, _male, last, first, _married), rib in zip(numbers, ids, families, ribs, strict=True):
        for k in range(2 if n % 2 == 0 else 1):
            status = _statuses(rng)
            provider = rng.choice(providers) if providers and rng.random() < 0.8 else None
            filed = YEAR + dt.timedelta(days=rng.randrange(365))
            channel = rng.choice(CHANNELS)
            if channel == "provider" and provider is None:
                channel = "counter"
            lines = [(*rng.choice(LINE_CODES), Decimal(rng.randrange(80, 600))) for _ in range(rng.randint(3, 6))]
            paid = sum((p for _, _, p in lines), Decimal(0))
            decided = status not in ("received", "rejected")
            amo, comp = (paid * Decimal("0.7"), paid * Decimal("0.1")) if decided else (Decimal(0), Decimal(0))
            f_rows.append(
                (
                    f"NT{n}{k}",
                    member_id,
                    rng.choice(by_member[member_id]),
                    filed,
                    channel,
                    provider[0] if provider else None,
                    provider[1] if provider else "",
                    provider[2] if provider else "private",
                    provider[3] if provider else "doctor",
                    status,
                    paid,
                    amo,
                    comp,
                    paid - amo - comp,
                )
            )
            f_specs.append((member_id, filed, status, lines))
            if status == "paid":
                payee = (provider[0], provider[4]) if channel == "provider" and provider else None
                paying.append((f"NT{n}{k}", member_id, filed, amo, comp, payee, f"{first[0]} {last[0]}", rib))
    file_ids = rows_copy(
        file_model,
        [
            "number",
            "member_id",
            "beneficiary_id",
            "filed_on",
            "channel",
            "provider_id",
            "provider_inpe",
            "provider_sector",
            "provider_kind",
            "status",
            "paid",
            "amo",
            "complementary",
            "remainder",
        ],
        f_rows,
        with_ids=True,
    )
    l_rows = []
    for file_id, (member_id, filed, status, lines) in zip(file_ids, f_specs, strict=True):
        accepted = status not in ("received", "rejected")
        verdict = "accepted" if accepted else "rejected" if status == "rejected" else "pending"
        for pos, (kind, code, paid) in enumerate(lines):
            amo, comp = (paid * Decimal("0.7"), paid * Decimal("0.1")) if accepted else (Decimal(0), Decimal(0))
            l_rows.append(
                (
                    member_id,
                    file_id,
                    pos,
                    kind,
                    code,
                    filed - dt.timedelta(days=5),
                    paid,
                    verdict,
                    amo,
                    comp,
                    paid - amo - comp,
                )
            )
    rows_copy(
        line_model,
        [
            "member_id",
            "file_id",
            "position",
            "kind",
            "code",
            "care_date",
            "paid",
            "status",
            "amo",
            "complementary",
            "remainder",
        ],
        l_rows,
    )
    by_number = dict(zip((r[0] for r in f_rows), file_ids, strict=True))
    paid_files = [PaidFile(by_number[p[0]], *p) for p in paying]
    return [len(ids), len(ben_ids), len(file_ids), len(l_rows)], paid_files


def database_mb() -> float:
    with connection.cursor() as cur:
        cur.execute("SELECT pg_database_size(current_database())")
        return round(cur.fetchone()[0] / 1024 / 1024, 1)

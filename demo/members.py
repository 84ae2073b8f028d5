"""A synthetic but realistic mutual for demonstrations: `python manage.py demo`.

Deterministic: member i is drawn from `random.Random(f"{seed}:{i}")`, so any number of
members can be generated in chunks, and a second run finds every matricule already there
and creates nothing. Members, beneficiaries and status rows are written with bulk_create.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.db import transaction

from accounts.models import Provider, User
from accounts.roles import Role
from accounts.services import user_create
from accounts.tokens import api_token_create, api_token_revoke
from demo import data
from members.imports_write import membership_number_first_free
from members.models import Administration, Beneficiary, Member, MemberStatus, MemberStatusChange, Relation, Sex
from members.rib import rib_key
from members.services import beneficiary_search_text

CHUNK = 2000
PASSWORD = "demo1234"  # noqa: S105 - published demo logins
DEMO_TOKEN_NAME = "demo"  # noqa: S105 - the label of the demo API token, not a secret
FIRST_MATRICULE = 1_000_000
TODAY = dt.date(2026, 1, 15)  # a fixed "today" keeps the data identical from one run to the next
# (role, username)
DEMO_USERS: list[tuple[Role, str]] = [
    (Role.RECEPTION, "reception"), (Role.CLAIMS_OFFICER, "liquidateur"), (Role.CLAIMS_OFFICER, "liquidateur2"),
    (Role.MEDICAL_CONTROLLER, "medecin"),
    (Role.ACCOUNTANT, "comptable"), (Role.ACCOUNTANT, "comptable2"), (Role.CENTRE_COORDINATOR, "coordinateur"),
    (Role.ADMINISTRATOR, "admin"), (Role.AUDITOR, "auditeur"), (Role.MEMBER, "adherent"),
    (Role.PROVIDER, "prestataire"), (Role.THERAPIST, "therapeute"), (Role.MANAGER, "direction"),
]  # fmt: skip


def _birth(rng: random.Random, age_min: int, age_max: int) -> dt.date:
    return TODAY - dt.timedelta(days=rng.randint(age_min * 365 + 1, age_max * 365 + 300))


def _rib(rng: random.Random) -> str:
    first22 = f"{rng.choice(data.BANK_CODES)}{rng.randint(100, 999)}{rng.randrange(10**16):016d}"
    return first22 + rib_key(first22)


def _person(rng: random.Random, sex: str, family: tuple[str, str]) -> dict[str, Any]:
    first = rng.choice(data.MALE_FIRST_NAMES if sex == Sex.MALE else data.FEMALE_FIRST_NAMES)
    return {"first_name": first[0], "first_name_ar": first[1], "last_name": family[0], "last_name_ar": family[1]}


class _Family:
    """One generated member: the Member row and its beneficiaries' fields, before saving."""

    def __init__(self, i: int, seed: int, admins: list[Administration]) -> None:
        rng = random.Random(f"{seed}:{i}")
        weights = [a[3] for a in data.ADMINISTRATIONS]
        admin = rng.choices(admins, weights=weights)[0]
        city, region, _w = rng.choices(data.CITIES, weights=[c[2] for c in data.CITIES])[0]
        sex = rng.choice([Sex.MALE, Sex.MALE, Sex.FEMALE])
        family = rng.choice(data.FAMILY_NAMES)
        roll = rng.random()
        status = MemberStatus.ACTIVE
        if roll < 0.08:
            status = MemberStatus.RETIRED
        elif roll < 0.10:
            status = MemberStatus.DECEASED
        elif roll < 0.12:
            status = MemberStatus.SUSPENDED
        age = rng.randint(61, 80) if status == MemberStatus.RETIRED else rng.randint(24, 59)
        birth = _birth(rng, age, age)
        joined = max(birth + dt.timedelta(days=23 * 365), TODAY - dt.timedelta(days=rng.randint(90, 35 * 365)))
        married = rng.random() < 0.72
        prefix = data.MEMBER_CIN_PREFIXES
        self.rank_rows: list[dict[str, Any]] = [
            {**_person(rng, sex, family), "relation": Relation.SELF, "birth_date": birth, "sex": sex,
             "cin": f"{prefix[i % len(prefix)]}{10000 + i // len(prefix)}"}
        ]  # fmt: skip
        if married:
            spouse_sex = Sex.FEMALE if sex == Sex.MALE else Sex.MALE
            spouse_family = rng.choice(data.FAMILY_NAMES)
            sp = data.SPOUSE_CIN_PREFIXES
            spouse_age = max(20, age + rng.randint(-8, 3) if sex == Sex.MALE else age + rng.randint(-2, 8))
            self.rank_rows.append(
                {**_person(rng, spouse_sex, spouse_family), "relation": Relation.SPOUSE, "sex": spouse_sex,
                 "birth_date": _birth(rng, spouse_age, spouse_age), "cin": f"{sp[i % len(sp)]}{10000 + i // len(sp)}"}
            )  # fmt: skip
            for _n in range(rng.choice([0, 1, 1, 2, 2, 2, 3, 3, 4]) if age > 24 else 0):
                child_age = rng.randint(0, min(26, age - 22))
                child = {**_person(rng, rng.choice([Sex.MALE, Sex.FEMALE]), family), "relation": Relation.CHILD}
                child["sex"] = Sex.MALE if child["first_name"] in {n for n, _a in data.MALE_FIRST_NAMES} else Sex.FEMALE
                child["birth_date"] = _birth(rng, child_age, child_age)
                if child_age >= 21:
                    child["school_certificate_until"] = dt.date(TODAY.year, 9, 30)
                if rng.random() < 0.03:
                    child["disabled"], child["disability_certificate"] = True, f"CH-{i:07d}-{_n}"
                self.rank_rows.append(child)
        status_since = joined
        if status != MemberStatus.ACTIVE:
            status_since = TODAY - dt.timedelta(days=rng.randint(30, 1500))
            status_since = max(status_since, joined + dt.timedelta(days=1))
        first = self.rank_rows[0]
        self.member = Member(
            matricule=f"{FIRST_MATRICULE + i}", cin=first["cin"], administration=admin, joined_on=joined,
            from_other_amo=rng.random() < 0.1, status=status, status_since=status_since,
            marital_status=Member.MaritalStatus.MARRIED if married else rng.choice(
                [Member.MaritalStatus.SINGLE, Member.MaritalStatus.DIVORCED, Member.MaritalStatus.WIDOWED]),
            phone=f"0{rng.choice('67')}{rng.randrange(10**8):08d}",
            email=f"{first['first_name'].split()[0].lower()}.{family[0].replace(' ', '').lower()}{i}@example.ma"
            if rng.random() < 0.5 else "",
            address=f"{rng.randint(1, 250)}, {rng.choice(data.STREETS)}", city=city, region=region,
            rib=_rib(rng) if rng.random() < 0.9 else "",
            base_salary=Decimal(rng.randrange(500_000, 2_500_000, 100)) / 100,
        )  # fmt: skip
        self.history = [(MemberStatus.ACTIVE, joined)]
        if status != MemberStatus.ACTIVE:
            self.history.append((status, status_since))


def _chunks(count: int) -> Iterator[range]:
    for start in range(0, count, CHUNK):
        yield range(start, min(count, start + CHUNK))


def demo_members_create(*, count: int, seed: int) -> int:
    """Create the missing demo members 0..count-1 with their families; return how many were new."""
    admins = administrations_ensure()
    by_code = {a.code: a for a in admins}
    ordered = [by_code[a[0]] for a in data.ADMINISTRATIONS]
    created = 0
    for block in _chunks(count):
        wanted = {f"{FIRST_MATRICULE + i}": i for i in block}
        present = set(Member.objects.filter(matricule__in=wanted).values_list("matricule", flat=True))
        families = [_Family(i, seed, ordered) for m, i in wanted.items() if m not in present]
        if not families:
            continue
        with transaction.atomic():
            number = membership_number_first_free()
            for offset, fam in enumerate(families):
                fam.member.membership_number = f"{number + offset:06d}"
            Member.objects.bulk_create([f.member for f in families], batch_size=CHUNK)
            bens = []
            for fam in families:
                for rank, fields in enumerate(fam.rank_rows):
                    ben = Beneficiary(member=fam.member, rank=rank, **fields)
                    ben.card_number = f"{fam.member.membership_number}-{rank:02d}"
                    ben.search_text = beneficiary_search_text(ben, fam.member)
                    bens.append(ben)
            Beneficiary.objects.bulk_create(bens, batch_size=CHUNK)
            MemberStatusChange.objects.bulk_create(
                [MemberStatusChange(member=f.member, status=s, valid_from=d, note="demo") for f in families
                 for s, d in f.history],
                batch_size=CHUNK,
            )  # fmt: skip
        created += len(families)
    return created


def administrations_ensure() -> list[Administration]:
    existing = set(Administration.objects.values_list("code", flat=True))
    Administration.objects.bulk_create(
        [Administration(code=c, name_fr=fr, name_ar=ar) for c, fr, ar, _w in data.ADMINISTRATIONS if c not in existing]
    )
    return list(Administration.objects.filter(code__in=[a[0] for a in data.ADMINISTRATIONS]))


def providers_ensure(*, seed: int) -> int:
    rng = random.Random(f"{seed}:providers")
    existing = set(Provider.objects.values_list("name", flat=True))
    new = []
    for kind, sector, name, name_ar, city in data.PROVIDERS:
        inpe = f"{rng.randrange(10**8, 10**9):09d}"
        if name not in existing:
            new.append(Provider(inpe=inpe, name=name, name_ar=name_ar, kind=kind, sector=sector, city=city))
    Provider.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def demo_users_ensure() -> list[tuple[str, str, str]]:
    """One login per role (two accountants; two claims officers, the second on the appeals committee);
    returns (role, username, password) rows."""
    for role, username in DEMO_USERS:
        if User.objects.filter(username=username).exists():
            continue
        provider_id = None
        if role == Role.PROVIDER:
            provider = Provider.objects.order_by("inpe").first()
            provider_id = provider.pk if provider else None
        user = user_create(username=username, password=PASSWORD, role=role, provider_id=provider_id)
        if role == Role.ADMINISTRATOR:
            User.objects.filter(pk=user.pk).update(is_superuser=True, is_staff=True)
        if role == Role.MEMBER:
            member = (
                Member.objects.filter(user__isnull=True, status=MemberStatus.ACTIVE, beneficiaries__rank=2)
                .order_by("membership_number")
                .first()
            )
            if member is not None:
                Member.objects.filter(pk=member.pk).update(user=user)
                holder = member.beneficiaries.get(rank=0)
                User.objects.filter(pk=user.pk).update(first_name=holder.first_name, last_name=holder.last_name)
    return [(str(role.label), username, PASSWORD) for role, username in DEMO_USERS]


def demo_api_token_rotate() -> tuple[User, str] | None:
    """A fresh API token for the demo provider user `prestataire`, to print with the logins.

    Only a token's digest is stored, so printing a working token means issuing a new one: each run
    revokes the previous demo token and issues another, and exactly one demo token is live. Tokens
    issued to `prestataire` under another name (`manage.py api_token`) are left alone.
    """
    user = User.objects.filter(username="prestataire", provider__isnull=False).select_related("provider").first()
    if user is None:
        return None
    for old in user.api_tokens.filter(name=DEMO_TOKEN_NAME, revoked_at__isnull=True):
        api_token_revoke(actor=None, token=old)
    _token, plaintext = api_token_create(actor=None, user=user, name=DEMO_TOKEN_NAME)
    return user, plaintext

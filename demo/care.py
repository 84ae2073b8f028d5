"""Demo Amal centres: Rabat (130 places in three programmes) and Agadir (31 children in three groups).

Deterministic for a seed and idempotent (nothing is done when the Rabat centre exists). The children
are dependants added to demo members through the members' services, with a recorded disability;
everything else goes through the care services: programmes full, a waiting list (one partner
mutual's child, and the `adherent` login's child, whose parent sees its position), one child
reaching the age limit in six weeks, an open offer at Agadir, new applications and an assessment
today for the coordinator's home.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.test.utils import override_settings
from django.utils import timezone

from accounts.models import Provider, User
from care.models import Centre, Programme
from care.services_centres import (
    Availability,
    Hours,
    RuleValues,
    centre_create,
    group_class_create,
    programme_create,
    room_create,
    staff_create,
)
from care.services_enrolment import (
    application_admit,
    application_assess,
    application_assessment_schedule,
    application_wait,
)
from care.services_filing import PartnerChild, application_file
from demo import data
from engine.eligibility import add_months
from members.models import Beneficiary, Member, MemberStatus, Sex
from members.services import beneficiary_add

TODAY = timezone.localdate()
DISABILITIES = [
    "Trouble du spectre de l'autisme", "Trisomie 21", "Infirmité motrice cérébrale", "Déficience intellectuelle",
    "Surdité profonde", "Polyhandicap", "Retard global de développement", "Dyspraxie sévère",
]  # fmt: skip


def _both(arabic: str, french: str) -> str:
    """The one name of a room or a group class, in both scripts, Arabic first ("القسم · Classe").

    Rooms and classes have a single name field: they are places and slots the centre names once,
    the way Moroccan public buildings sign their doors, in Arabic and French together; so an Arabic
    page shows Arabic and a French page keeps its French word beside it.
    """
    return f"{arabic} · {french}"


# (code, Arabic, French, places, age min, age max, [(group class, day, start slot, slots)])
RABAT = [
    ("socialisation", "التنشئة الاجتماعية", "Socialisation", 60, 5, 21,
     [(_both("ورشة جماعية", "Atelier collectif"), 0, 0, 4), (_both("خرجة", "Sortie"), 3, 8, 4)]),
    ("scolarisation", "التمدرس", "Scolarisation", 30, 5, 16,
     [(_both("القسم", "Classe"), 1, 0, 6), (_both("القسم", "Classe"), 3, 0, 6)]),
    ("preprofessionnel", "التكوين ما قبل المهني", "Préprofessionnel", 30, 14, 21,
     [(_both("الورشة", "Atelier"), 2, 0, 6)]),
]  # fmt: skip
AGADIR = [
    ("petite-enfance", "الطفولة المبكرة", "Petite enfance", 10, 3, 8, [(_both("الإيقاظ", "Éveil"), 0, 0, 3)]),
    ("sensori-moteur", "الحسي الحركي", "Sensori-moteur", 11, 5, 16, [(_both("الحركية", "Motricité"), 1, 0, 3)]),
    ("trisomie", "متلازمة داون", "Trisomie 21", 10, 5, 21, [(_both("الورشة", "Atelier"), 2, 0, 4)]),
]  # fmt: skip
# Therapies and how many therapists of each (Rabat: 25; Agadir: 7).
RABAT_STAFF = {"psychology": 4, "psychomotricity": 5, "speech": 6, "physiotherapy": 5, "special_education": 5}
AGADIR_STAFF = {"psychology": 1, "psychomotricity": 2, "speech": 2, "physiotherapy": 1, "special_education": 1}
# (code, Arabic, French, therapies): a room is named as on its door, in both scripts (see _both).
ROOMS = [
    ("speech", "قاعة تقويم النطق", "Orthophonie", ["speech"]),
    ("psychology", "قاعة علم النفس", "Psychologie", ["psychology"]),
    ("psychomotricity", "قاعة الحس الحركي", "Psychomotricité", ["psychomotricity", "occupational_therapy"]),
    ("physiotherapy", "قاعة الترويض الطبي", "Kinésithérapie", ["physiotherapy"]),
    ("classroom", "القسم", "Classe", ["special_education"]),
]  # fmt: skip
WEEK = [Hours(d, dt.time(8, 30), dt.time(16, 30)) for d in range(5)]


@dataclass
class _Builder:
    rng: random.Random
    members: list[Member]
    n: int = 0

    def child(
        self, *, age_years: float | None = None, birth: dt.date | None = None, member: Member | None = None
    ) -> Beneficiary:
        self.n += 1
        parent = member or self.members[self.n % len(self.members)]
        sex = self.rng.choice([Sex.MALE, Sex.FEMALE])
        first = self.rng.choice(data.MALE_FIRST_NAMES if sex == Sex.MALE else data.FEMALE_FIRST_NAMES)
        holder = parent.beneficiaries.get(rank=0)
        if birth is None:
            birth = TODAY - dt.timedelta(days=int((age_years or 8) * 365.25) + self.rng.randint(0, 300))
        return beneficiary_add(
            actor=None, member=parent, relation="child", last_name=holder.last_name, first_name=first[0],
            last_name_ar=holder.last_name_ar, first_name_ar=first[1], birth_date=birth, sex=sex,
            disabled=True, disability_certificate=f"CMH-{self.n:05d}",
        )  # fmt: skip

    def age(self, programme: Programme) -> float:
        # Not within half a year of leaving: only the one child placed on purpose ages out soon.
        return self.rng.uniform(programme.age_min + 0.1, programme.age_max - 0.35)

    def filed(self, days_ago: int) -> dt.datetime:
        return timezone.now() - dt.timedelta(days=days_ago, minutes=self.rng.randint(0, 600))

    def assessed(self, programme: Programme, child: Beneficiary, days_ago: int):  # type: ignore[no-untyped-def]
        app = application_file(actor=None, programme=programme, beneficiary=child, filed_at=self.filed(days_ago),
                               disability_details=self.rng.choice(DISABILITIES))  # fmt: skip
        app = application_assessment_schedule(actor=None, application=app, at=timezone.now() + dt.timedelta(hours=1))
        return application_assess(actor=None, application=app)

    def enrol(self, programme: Programme, child: Beneficiary) -> None:
        days = self.rng.randint(30, 900)
        starts = TODAY - dt.timedelta(days=self.rng.randint(1, days))
        application_admit(actor=None, application=self.assessed(programme, child, days), starts_on=starts)


def _centre(code: str, name_ar: str, name_fr: str, city: str, region: str, inpe: str) -> Centre:
    provider, _created = Provider.objects.get_or_create(
        inpe=inpe, defaults={"name": name_fr, "name_ar": name_ar, "kind": Provider.Kind.CLINIC,
                             "sector": Provider.Sector.PRIVATE, "city": city},
    )  # fmt: skip
    return centre_create(
        actor=None, hours=WEEK, code=code, name_ar=name_ar, name_fr=name_fr, city=city, region=region,
        provider=provider, address=f"Avenue Al Amal, {city}", phone="0537000000",
    )  # fmt: skip


def _setup(
    centre: Centre, programmes: list, staff: dict[str, int], rooms_each: int, rng: random.Random
) -> list[Programme]:  # type: ignore[type-arg]
    rule = RuleValues(valid_from=dt.date(2020, 1, 1), age_window_months=36, age_bonus_days=10,
                      partner_penalty_days=90, offer_deadline_days=10, age_out_notice_months=3)  # fmt: skip
    made = []
    for code, ar, fr, places, age_min, age_max, classes in programmes:
        p = programme_create(actor=None, centre=centre, rule=rule, code=code, name_ar=ar, name_fr=fr,
                             capacity=places, age_min=age_min, age_max=age_max)  # fmt: skip
        for name, day, start, length in classes:
            group_class_create(actor=None, programme=p, name=name, day=day, start_slot=start, length=length)
        made.append(p)
    for code, name_ar, name_fr, therapies in ROOMS:
        for i in range(rooms_each):
            name = _both(f"{name_ar} {i + 1}", f"{name_fr} {i + 1}")
            room_create(actor=None, centre=centre, code=f"{code}-{i + 1}", name=name, therapies=therapies)
    n = 0
    for therapy, count in staff.items():
        for _i in range(count):
            n += 1
            sex = rng.choice([Sex.MALE, Sex.FEMALE])
            first = rng.choice(data.MALE_FIRST_NAMES if sex == Sex.MALE else data.FEMALE_FIRST_NAMES)
            family = rng.choice(data.FAMILY_NAMES)
            part_time = n % 5 == 0  # one in five works mornings only
            week = [Availability(d, 0, 8 if part_time else 16) for d in range(5)]
            staff_create(
                actor=None, centre=centre, code=f"t{n:02d}", therapies=[therapy], availability=week,
                last_name=family[0], first_name=first[0], last_name_ar=family[1], first_name_ar=first[1],
            )  # fmt: skip
    return made


# The demo logins on Rabat's staff: (username, kind, therapies, code, Latin names, Arabic names).
LOGINS = [
    ("coordinateur", "coordinator", [], "coord", ("Bennani", "Nadia"), ("بناني", "نادية")),
    ("therapeute", "therapist", ["speech"], "t-login", ("Idrissi", "Karim"), ("الإدريسي", "كريم")),
]


def _logins(centre: Centre) -> None:
    for username, kind, therapies, code, latin, arabic in LOGINS:
        user = User.objects.filter(username=username).first()
        if user is None:
            continue
        staff_create(
            actor=None,
            centre=centre,
            code=code,
            kind=kind,
            therapies=therapies,
            user=user,
            availability=[Availability(d, 0, 16) for d in range(5)] if therapies else [],
            last_name=latin[0],
            first_name=latin[1],
            last_name_ar=arabic[0],
            first_name_ar=arabic[1],
        )


def demo_care_ensure(*, seed: int) -> int:
    """The two demo centres and their children; returns the number of applications made (0: already there)."""
    if Centre.objects.filter(code="amal-rabat").exists():
        return 0
    rng = random.Random(f"{seed}:care")
    members = list(Member.objects.filter(status=MemberStatus.ACTIVE).order_by("membership_number")[:400])
    if not members:
        return 0
    with override_settings(NOTIFY=False):  # demo families are not told of their demo applications
        rabat = _centre("amal-rabat", "مركز أمل الرباط", "Centre Amal Rabat", "Rabat", "04", "900000101")
        agadir = _centre("amal-agadir", "مركز أمل أكادير", "Centre Amal Agadir", "Agadir", "09", "900000102")
        rabat_p = _setup(rabat, RABAT, RABAT_STAFF, 3, rng)
        agadir_p = _setup(agadir, AGADIR, AGADIR_STAFF, 1, rng)
        _logins(rabat)
        b = _Builder(rng=rng, members=members)
        # One child leaves Rabat's socialisation at the age limit in six weeks (the home's warning).
        b.enrol(rabat_p[0], b.child(birth=add_months(TODAY + dt.timedelta(days=42), -12 * 22)))
        for programme in rabat_p + agadir_p:
            # One place free in two programmes: the first waiting child is offered it (below).
            full = programme.capacity - (1 if programme.code in ("trisomie", "preprofessionnel") else 0)
            for _i in range(full - programme.enrolments.count()):
                b.enrol(programme, b.child(age_years=b.age(programme)))
        made = sum(p.capacity for p in rabat_p + agadir_p) - 2
        socialisation, schooling = rabat_p[0], rabat_p[1]
        # Rabat's waiting list, by order of filing; the child filed 95 days ago is 19 and a half, so
        # close to the leaving age that its age bonus puts it ahead of children who waited longer.
        for days, age in ((400, 0.0), (260, 0.0), (180, 0.0), (95, 19.5), (40, 0.0)):
            child = b.child(age_years=age or b.age(socialisation))
            application_wait(actor=None, application=b.assessed(socialisation, child, days))
        partner = PartnerChild(
            mutual="Mutuelle des FAR", last_name="Ouazzani", first_name="Rim", last_name_ar="الوزاني",
            first_name_ar="ريم", birth_date=TODAY - dt.timedelta(days=11 * 365),
        )  # fmt: skip
        app = application_file(actor=None, programme=socialisation, partner=partner, filed_at=b.filed(300),
                               disability_details="Trisomie 21")  # fmt: skip
        app = application_assessment_schedule(actor=None, application=app, at=timezone.now() + dt.timedelta(hours=1))
        application_wait(actor=None, application=application_assess(actor=None, application=app))
        for days in (120, 30):
            application_wait(actor=None, application=b.assessed(schooling, b.child(age_years=9), days))
        adherent = Member.objects.filter(user__username="adherent").first()
        if adherent is not None:  # the parent's login sees this child's position on the list
            child = b.child(age_years=9, member=adherent)
            application_wait(actor=None, application=b.assessed(socialisation, child, 150))
        # Rabat's pre-vocational programme has a place free: it is offered to the first of its two
        # waiting children, whom the coordinator enrols when the family accepts.
        for days in (200, 70):
            application_wait(actor=None, application=b.assessed(rabat_p[2], b.child(age_years=16), days))
        # Agadir's Down syndrome group has one place free: the first waiting child is offered it.
        application_wait(actor=None, application=b.assessed(agadir_p[2], b.child(age_years=10), 60))
        # The coordinator's day: two new applications and an assessment in an hour.
        for days in (2, 0):
            application_file(actor=None, programme=socialisation, beneficiary=b.child(age_years=7),
                             filed_at=b.filed(days), disability_details=rng.choice(DISABILITIES))  # fmt: skip
        app = application_file(actor=None, programme=schooling, beneficiary=b.child(age_years=6), filed_at=b.filed(10))
        application_assessment_schedule(actor=None, application=app, at=timezone.now() + dt.timedelta(hours=1))
        made += 16
    return made

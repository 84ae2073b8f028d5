"""The demo centres' week: plans for every child, Rabat's timetable solved and published, sessions from the first
day of last month to the end of this week with attendance up to yesterday, progress notes, last month billed.

Everything goes through the care services (the solver runs in this process, with a short time limit, through
the same job handler the worker runs). Idempotent: a second run finds Rabat's timetable and adds nothing.
"""

from __future__ import annotations

import datetime as dt
import random

from django.test.utils import override_settings
from django.utils import timezone

from accounts.models import User
from care.models import Centre, Enrolment, EnrolmentState, Session, Therapy, Timetable, TimetableState
from care.services_billing import care_bills_month
from care.services_sessions import attendance_record, progress_note_add, sessions_generate
from care.services_week import SOLVE_KIND, plan_item_set, timetable_generate_enqueue, timetable_publish
from jobs.services import job_work

# The therapies each centre has therapists for; a child gets 2 to 4 of them, one-hour sessions mostly.
THERAPIES = ["psychology", "psychomotricity", "speech", "physiotherapy", "special_education"]
ABSENCES = ["illness", "illness", "family", "transport", "medical", "unexplained"]
NOTES = [
    ("speech", "Articule mieux les sons [r] et [ch]; vocabulaire en progrès, phrases de trois mots.", True),
    ("speech", "Séance écourtée: fatigue. Reprendre les exercices de souffle.", False),
]


def _plans(rng: random.Random, centre: Centre) -> int:
    therapies = {t.code: t for t in Therapy.objects.filter(code__in=THERAPIES)}
    made = 0
    for enrolment in Enrolment.objects.filter(programme__centre=centre, state=EnrolmentState.ACTIVE).order_by("pk"):
        for code in rng.sample(THERAPIES, rng.randint(2, 4)):
            sessions = 2 if code == "speech" and rng.random() < 0.3 else 1
            length = 3 if code == "special_education" else 2
            plan_item_set(actor=None, enrolment=enrolment, therapy=therapies[code], sessions=sessions, length=length)
            made += 1
    return made


def _attendance(rng: random.Random, centre: Centre, today: dt.date, coordinator: User | None) -> None:
    for session in Session.objects.filter(centre=centre, date__lt=today, state="planned").order_by("date", "pk"):
        roll = rng.random()
        if roll < 0.86:
            state, reason = "present", ""
        elif roll < 0.96:
            state, reason = "absent", rng.choice(ABSENCES)
        else:
            state, reason = "cancelled", "therapist_absent"
        attendance_record(actor=coordinator, session=session, state=state, reason=reason, today=today)


def _notes(centre: Centre, today: dt.date) -> None:
    therapist = User.objects.filter(username="therapeute").first()
    if therapist is None:
        return
    followed = (
        Enrolment.objects.filter(sessions__therapist__user=therapist, sessions__centre=centre).distinct().order_by("pk")
    )
    speech = Therapy.objects.get(code="speech")
    for k, enrolment in enumerate(followed[:5]):
        for days, (_code, text, for_parents) in zip((20, 6), NOTES, strict=True):
            progress_note_add(actor=therapist, enrolment=enrolment, therapy=speech, text=text, for_parents=for_parents,
                              written_on=today - dt.timedelta(days=days + k))  # fmt: skip


def demo_care_week_ensure(*, seed: int, time_limit: int = 10) -> int:
    """Plans, Rabat's published week, sessions, attendance, notes and last month's bills; the sessions made
    (0 when Rabat already has a timetable, or there is no demo centre)."""
    rabat = Centre.objects.filter(code="amal-rabat").first()
    if rabat is None or Timetable.objects.filter(centre=rabat).exists():
        return 0
    rng = random.Random(f"{seed}:care-week")
    for centre in Centre.objects.filter(code__in=["amal-rabat", "amal-agadir"]).order_by("code"):
        _plans(rng, centre)
    coordinator = User.objects.filter(username="coordinateur").first()
    tt, _job = timetable_generate_enqueue(actor=coordinator, centre=rabat, time_limit=time_limit, seed=seed)
    job_work(worker="demo", kinds=[SOLVE_KIND])
    tt.refresh_from_db()
    if tt.state != TimetableState.DRAFT:
        return 0
    timetable_publish(actor=coordinator, timetable=tt)
    today = timezone.localdate()
    first = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)  # the first day of last month
    friday = today + dt.timedelta(days=4 - today.weekday()) if today.weekday() < 5 else today
    this_month = today.replace(day=1)
    made = sessions_generate(actor=coordinator, centre=rabat, first=first, last=this_month - dt.timedelta(days=1))
    more = sessions_generate(actor=coordinator, centre=rabat, first=this_month, last=max(friday, this_month))
    _attendance(rng, rabat, today, coordinator)
    _notes(rabat, today)
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
                           SMS_BACKEND="demo.claims.SilentSms", CLAIMS_NOTIFY=False):  # fmt: skip
        care_bills_month(actor=coordinator, centre=rabat, month=first, filed_on=today)
    return made.created + more.created

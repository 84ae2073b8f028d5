"""Reads of the centres, their applications and the waiting list, scoped to the user.

A coordinator or therapist sees the centres where they are on the staff (StaffMember.user); users
with `care.view_all_centres` (the manager, the reception agents, the administrator) see every
centre; a member user sees the applications of their own children only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from care.models import (
    Application,
    ApplicationState,
    Centre,
    Enrolment,
    EnrolmentState,
    OfferState,
    PlaceOffer,
    Programme,
    ProgrammeRule,
    StaffMember,
)
from engine.eligibility import add_months
from mutuelle.errors import DomainError

MEDICAL_PERMISSIONS = ("care.view_care_medical", "claims.view_medical")
LIVE_STATES = (
    ApplicationState.FILED,
    ApplicationState.ASSESSMENT_SCHEDULED,
    ApplicationState.ASSESSED,
    ApplicationState.WAITING,
    ApplicationState.OFFERED,
)


def care_medical_allowed(user: Any) -> bool:
    """May this user read the children's disability details (and the care-week's progress notes)?"""
    return any(user.has_perm(p) for p in MEDICAL_PERMISSIONS) if user is not None else False


def centres_visible(*, user: Any) -> QuerySet[Centre]:
    if user is None or not getattr(user, "is_authenticated", False):
        return Centre.objects.none()
    if user.has_perm("care.view_all_centres"):
        return Centre.objects.all()
    if not user.has_perm("care.view_centre"):
        return Centre.objects.none()
    return Centre.objects.filter(staff__user=user, staff__active=True).distinct()


def centre_get(*, user: Any, pk: int) -> Centre:
    """One visible centre with its hours, programmes (and their counts), rooms and staff."""
    staff = StaffMember.objects.prefetch_related("therapies", "availability")
    programmes = Programme.objects.annotate(
        enrolled=Count("enrolments", filter=Q(enrolments__state=EnrolmentState.ACTIVE), distinct=True),
        waiting=Count("applications", filter=Q(applications__state=ApplicationState.WAITING), distinct=True),
    ).prefetch_related("group_classes", "rules")
    return (
        centres_visible(user=user)
        .select_related("provider")
        .prefetch_related(
            "hours",
            Prefetch("programmes", queryset=programmes),
            Prefetch("staff", queryset=staff),
            "rooms__therapies",
        )
        .get(pk=pk)
    )


def centres_list(*, user: Any) -> QuerySet[Centre]:
    return (
        centres_visible(user=user)
        .select_related("provider")
        .annotate(staff_count=Count("staff", filter=Q(staff__active=True), distinct=True))
        .prefetch_related(Prefetch("programmes", queryset=programmes_counted()))
    )


def programmes_counted() -> QuerySet[Programme]:
    return Programme.objects.annotate(
        enrolled=Count("enrolments", filter=Q(enrolments__state=EnrolmentState.ACTIVE), distinct=True),
        waiting=Count("applications", filter=Q(applications__state=ApplicationState.WAITING), distinct=True),
    )


def applications_visible(*, user: Any) -> QuerySet[Application]:
    """Staff: the applications of their centres; a member user: their own children's."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Application.objects.none()
    if user.has_perm("care.view_application"):
        return Application.objects.filter(centre__in=centres_visible(user=user))
    member = getattr(user, "member", None)
    if member is not None:
        return Application.objects.filter(member_id=member.pk)
    return Application.objects.none()


def applications_list(*, user: Any, state: str = "", programme: int | None = None) -> QuerySet[Application]:
    qs = applications_visible(user=user).select_related("centre", "programme", "beneficiary")
    if state:
        qs = qs.filter(state=state)
    if programme:
        qs = qs.filter(programme_id=programme)
    return qs


def application_get(*, user: Any, pk: int) -> Application:
    return (
        applications_visible(user=user)
        .select_related("centre", "programme", "beneficiary__member", "decided_by", "filed_by")
        .prefetch_related("offers")
        .get(pk=pk)
    )


class NoRuleError(DomainError):
    pass


def programme_rule_on(*, programme: Programme, on: dt.date) -> ProgrammeRule:
    """The waiting-list rule in force on `on` (the latest started one that has not ended)."""
    rule = (
        ProgrammeRule.objects.filter(programme=programme, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .order_by("-valid_from")
        .first()
    )
    if rule is None:
        from django.utils.translation import gettext_lazy as _

        raise NoRuleError(_("This programme has no waiting-list rule on that date."))
    return rule


def leaving_date(*, birth_date: dt.date, programme: Programme) -> dt.date:
    """The day a child turns age_max + 1 (born on 29 February: the 28th in a common year)."""
    return add_months(birth_date, 12 * (programme.age_max + 1))


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole calendar months from `start` to `end` (0 when end is not after start)."""
    months = max(0, (end.year - start.year) * 12 + end.month - start.month)
    while months and add_months(start, months) > end:
        months -= 1
    return months


@dataclass(frozen=True)
class WaitingEntry:
    """A child on a waiting list and why it stands there: score = days + age_bonus − partner_penalty."""

    application: Application
    position: int
    days_waited: int
    months_to_limit: int
    age_bonus: int
    partner_penalty: int

    @property
    def score(self) -> int:
        return self.days_waited + self.age_bonus - self.partner_penalty


def waiting_list(*, programme: Programme, on: dt.date) -> list[WaitingEntry]:
    """The programme's waiting list on `on`, first to be offered a place first.

    Ranked by score (highest first), then by filing time, then by id, so that two runs give the
    same order. See ProgrammeRule for the score.
    """
    rule = programme_rule_on(programme=programme, on=on)
    apps = list(
        Application.objects.filter(programme=programme, state=ApplicationState.WAITING).select_related("beneficiary")
    )
    scored = []
    for app in apps:
        days = max(0, (on - timezone.localdate(app.filed_at)).days)
        months_left = months_between(on, leaving_date(birth_date=app.birth_date, programme=programme))
        bonus = rule.age_bonus_days * max(0, rule.age_window_months - months_left)
        penalty = rule.partner_penalty_days if app.partner_mutual else 0
        scored.append((app, days, months_left, bonus, penalty))
    scored.sort(key=lambda s: (-(s[1] + s[3] - s[4]), s[0].filed_at, s[0].pk))
    return [
        WaitingEntry(application=a, position=i, days_waited=d, months_to_limit=m, age_bonus=b, partner_penalty=p)
        for i, (a, d, m, b, p) in enumerate(scored, start=1)
    ]


def waiting_position(*, application: Application, on: dt.date) -> WaitingEntry | None:
    """Where this child stands on its programme's list (None when it is not waiting)."""
    if application.state != ApplicationState.WAITING:
        return None
    for entry in waiting_list(programme=application.programme, on=on):
        if entry.application.pk == application.pk:
            return entry
    return None


def places_free(*, programme: Programme) -> int:
    """Places neither taken by an active enrolment nor held by an open offer."""
    taken = Enrolment.objects.filter(programme=programme, state=EnrolmentState.ACTIVE).count()
    held = PlaceOffer.objects.filter(programme=programme, state=OfferState.OFFERED).count()
    return programme.capacity - taken - held


def age_outs_upcoming(*, centres: QuerySet[Centre], on: dt.date, months: int) -> QuerySet[Enrolment]:
    """Active enrolments reaching the age limit within `months` (the home page's warning list)."""
    return (
        Enrolment.objects.filter(
            programme__centre__in=centres, state=EnrolmentState.ACTIVE, leaves_on__lte=add_months(on, months)
        )
        .select_related("application", "programme")
        .order_by("leaves_on")
    )


@dataclass(frozen=True)
class MedicalDetails:
    disability_details: str
    assessment_note: str


def application_medical_read(*, user: Any, application: Application) -> MedicalDetails | None:
    """The child's disability details and assessment note, for medical roles only; each read is logged."""
    if not care_medical_allowed(user):
        return None
    from audit.models import AuditAction
    from audit.services import audit_record

    audit_record(
        actor=user,
        action=AuditAction.VIEW_MEDICAL,
        obj=application,
        member_id=application.member_id,
        note="disability_details",
    )
    return MedicalDetails(application.disability_details, application.assessment_note)


def programmes_visible(*, user: Any) -> QuerySet[Programme]:
    return Programme.objects.filter(centre__in=centres_visible(user=user)).select_related("centre")


def family_children(*, user: Any) -> list[Any]:
    """The member user's children with a recorded disability (those the portal may file for)."""
    member = getattr(user, "member", None)
    if member is None:
        return []
    return list(member.beneficiaries.filter(relation="child", disabled=True).order_by("rank"))


def family_applications(*, user: Any, on: dt.date) -> list[tuple[Application, WaitingEntry | None]]:
    """The parent's applications, each with its waiting-list position (None when not waiting)."""
    apps = (
        applications_visible(user=user)
        .select_related("programme__centre")
        .prefetch_related(Prefetch("offers", queryset=PlaceOffer.objects.filter(state=OfferState.OFFERED)))
    )
    return [(app, waiting_position(application=app, on=on)) for app in apps]

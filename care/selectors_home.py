"""The coordinator's home: one centre's day (assessments, new applications, offers, arrivals, age-outs)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from care.models import (
    Application,
    ApplicationState,
    Centre,
    Enrolment,
    OfferState,
    PlaceOffer,
    Programme,
)
from care.selectors_centres import NoRuleError, age_outs_upcoming, programme_rule_on, programmes_counted
from engine.eligibility import add_months


@dataclass(frozen=True)
class CentreDay:
    """What the coordinator's home shows for one centre today."""

    centre: Centre
    assessments: list[Application]
    new_applications: list[Application]
    offers_open: list[PlaceOffer]
    offers_due: list[PlaceOffer]
    enrolments_starting: list[Enrolment]
    age_outs: list[Enrolment]
    programmes: list[Programme]


def centre_day(*, centre: Centre, on: dt.date, start: dt.datetime, end: dt.datetime) -> CentreDay:
    """Today at one centre: assessments between `start` and `end`, offers, arrivals, age-outs."""
    apps = Application.objects.filter(centre=centre).select_related("programme")
    offers = PlaceOffer.objects.filter(programme__centre=centre, state=OfferState.OFFERED).select_related(
        "application", "programme"
    )
    rules = {p.pk: _notice_months(p, on) for p in centre.programmes.all()}
    warn_months = max(rules.values(), default=0)
    return CentreDay(
        centre=centre,
        assessments=list(
            apps.filter(state=ApplicationState.ASSESSMENT_SCHEDULED, assessment_at__gte=start, assessment_at__lt=end)
        ),
        new_applications=list(apps.filter(state=ApplicationState.FILED).order_by("filed_at")),
        offers_open=list(offers.order_by("deadline")),
        offers_due=list(offers.filter(deadline__lte=on)),
        enrolments_starting=list(
            Enrolment.objects.filter(programme__centre=centre, starts_on=on).select_related("application", "programme")
        ),
        age_outs=[
            e
            for e in age_outs_upcoming(centres=Centre.objects.filter(pk=centre.pk), on=on, months=warn_months)
            if e.leaves_on <= add_months(on, rules.get(e.programme_id, warn_months))
        ],
        programmes=list(programmes_counted().filter(centre=centre)),
    )


def _notice_months(programme: Programme, on: dt.date) -> int:
    """The programme's notice period; a programme without a rule on that date (the centre page
    says so) warns on the day only."""
    try:
        return programme_rule_on(programme=programme, on=on).age_out_notice_months
    except NoRuleError:
        return 0

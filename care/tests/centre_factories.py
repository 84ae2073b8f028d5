"""Builders for the centres' tests: rows made through the services, as in production."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.utils import timezone

from care.models import Application, Centre, Programme
from care.services_centres import RuleValues, centre_create, programme_create
from care.services_enrolment import application_assess, application_assessment_schedule
from care.services_filing import application_file
from members.models import Beneficiary
from members.tests.registry_factories import dependant_make, member_make

_seq = itertools.count(1)
TODAY = timezone.localdate()


def rule_values(**overrides: Any) -> RuleValues:
    data: dict[str, Any] = {
        "valid_from": dt.date(2020, 1, 1),
        "age_window_months": 36,
        "age_bonus_days": 10,
        "partner_penalty_days": 90,
        "offer_deadline_days": 10,
        "age_out_notice_months": 3,
    }
    data.update(overrides)
    return RuleValues(**data)


def centre_make(code: str = "") -> Centre:
    n = next(_seq)
    return centre_create(
        actor=None, code=code or f"c{n}", name_ar="مركز أمل", name_fr="Centre Amal", city="Rabat", region="04"
    )


def programme_make(centre: Centre | None = None, *, capacity: int = 2, **overrides: Any) -> Programme:
    n = next(_seq)
    rule = overrides.pop("rule", None) or rule_values()
    fields: dict[str, Any] = {"code": f"p{n}", "name_ar": "التنشئة", "name_fr": "Socialisation"}
    fields.update({"age_min": 5, "age_max": 21, **overrides})
    return programme_create(actor=None, centre=centre or centre_make(), rule=rule, capacity=capacity, **fields)


def child_make(*, birth_date: dt.date = dt.date(2015, 3, 3), disabled: bool = True, **member: Any) -> Beneficiary:
    parent = member_make(**member)
    extra = {"disabled": True, "disability_certificate": "CERT-1"} if disabled else {}
    return dependant_make(parent, birth_date=birth_date, **extra)


def application_assessed(programme: Programme, child: Beneficiary, *, filed_on: dt.date | None = None) -> Application:
    """An application filed (on `filed_on`, set after filing) and assessed, ready for a decision."""
    app = application_file(actor=None, programme=programme, beneficiary=child, on=filed_on or TODAY)
    if filed_on is not None:
        Application.objects.filter(pk=app.pk).update(
            filed_at=timezone.make_aware(dt.datetime.combine(filed_on, dt.time(9)))
        )
        app.refresh_from_db()
    app = application_assessment_schedule(actor=None, application=app, at=timezone.now() + dt.timedelta(days=1))
    return application_assess(actor=None, application=app)


def staff_login(make_user: Any, role: Any, centre: Centre) -> Any:
    """A user of `role` on the centre's staff (their login sees this centre only)."""
    from care.services_centres import staff_create

    user = make_user(role)
    n = next(_seq)
    staff_create(actor=None, centre=centre, code=f"s{n}", last_name="Bennani", first_name="Nadia",
                 last_name_ar="بناني", first_name_ar="نادية", user=user,
                 kind="coordinator" if role == "centre_coordinator" else "therapist")  # fmt: skip
    return user

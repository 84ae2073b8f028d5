"""The families' notifications of an application's steps, through the members' outbox.

Registered by CareConfig.ready; rendered by the worker at send time in the member's language,
from the application as it is then (an application or enrolment deleted meanwhile sends nothing).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from members.outbox import Notification, notification_event_register

if TYPE_CHECKING:
    from care.models import Application
    from members.models import Member


def _application(member: Member, params: Mapping[str, str]) -> Application:
    from care.models import Application

    return Application.objects.select_related("programme__centre").get(
        pk=int(params["application"]), member_id=member.pk
    )


def _note(subject: str, body: str) -> Notification:
    return Notification(subject, body, body)


def _text(app: Application) -> dict[str, str]:
    return {"child": app.child_name, "programme": app.programme.name, "centre": app.programme.centre.name}


def _filed(member: Member, params: Mapping[str, str]) -> Notification:
    app = _application(member, params)
    body = _("Your application for %(child)s to %(programme)s (%(centre)s) was received.") % _text(app)
    return _note(_("Amal centre: application received"), body)


def _assessment(member: Member, params: Mapping[str, str]) -> Notification:
    app = _application(member, params)
    when = date_format(localtime(app.assessment_at), "DATETIME_FORMAT") if app.assessment_at else ""
    body = _("%(child)s is expected at %(centre)s for an assessment on %(when)s.") % {**_text(app), "when": when}
    return _note(_("Amal centre: assessment appointment"), body)


def _waiting(member: Member, params: Mapping[str, str]) -> Notification:
    app = _application(member, params)
    body = _("%(child)s is on the waiting list of %(programme)s; the portal shows the position.") % _text(app)
    return _note(_("Amal centre: waiting list"), body)


def _offered(member: Member, params: Mapping[str, str]) -> Notification:
    app = _application(member, params)
    offer = app.offers.filter(state="offered").first()
    deadline = date_format(offer.deadline, "DATE_FORMAT") if offer else ""
    body = _("A place in %(programme)s is offered to %(child)s: answer on the portal by %(deadline)s.") % {
        **_text(app),
        "deadline": deadline,
    }
    return _note(_("Amal centre: a place is offered"), body)


def _admitted(member: Member, params: Mapping[str, str]) -> Notification:
    body = _("%(child)s is enrolled in %(programme)s (%(centre)s).") % _text(_application(member, params))
    return _note(_("Amal centre: enrolled"), body)


def _refused(member: Member, params: Mapping[str, str]) -> Notification:
    app = _application(member, params)
    body = _("The application for %(child)s to %(programme)s was not accepted: %(reason)s") % {
        **_text(app),
        "reason": app.get_refusal_reason_display(),
    }
    return _note(_("Amal centre: application not accepted"), body)


def _closed(member: Member, params: Mapping[str, str]) -> Notification:
    body = _("The offered place in %(programme)s for %(child)s was not taken; the application is closed.") % _text(
        _application(member, params)
    )
    return _note(_("Amal centre: application closed"), body)


def _left(member: Member, params: Mapping[str, str]) -> Notification:
    body = _("%(child)s has left %(programme)s (%(centre)s).") % _text(_application(member, params))
    return _note(_("Amal centre: end of enrolment"), body)


def _age_out(member: Member, params: Mapping[str, str]) -> Notification:
    from care.models import Enrolment

    enrolment = Enrolment.objects.select_related("application", "programme__centre").get(
        pk=int(params["enrolment"]), member_id=member.pk
    )
    body = _("%(child)s reaches the age limit of %(programme)s and will leave on %(date)s.") % {
        **_text(enrolment.application),
        "date": date_format(enrolment.leaves_on, "DATE_FORMAT"),
    }
    return _note(_("Amal centre: leaving at the age limit"), body)


EVENTS: dict[str, Callable[[Member, Mapping[str, str]], Notification]] = {
    "care.filed": _filed,
    "care.assessment": _assessment,
    "care.waiting": _waiting,
    "care.offered": _offered,
    "care.admitted": _admitted,
    "care.refused": _refused,
    "care.closed": _closed,
    "care.left": _left,
    "care.age_out": _age_out,
}


def care_notify_register() -> None:
    for event, render in EVENTS.items():
        notification_event_register(event, render)

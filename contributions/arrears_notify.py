"""What the member is told of its arrears case (e-mail and SMS through members.outbox), and the
section of the member's file that shows notices and suspensions; registered by the AppConfig."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.translation import gettext

from members.outbox import Notification, notification_event_register
from members.sections import MemberSection, member_section_register
from mutuelle.money import money_format


def _day(text: str) -> str:
    """An ISO date from the job's parameters in the reader's format ("29 novembre 2026"), not "2026-11-29"."""
    day = parse_date(text) if text else None
    return date_format(day, "DATE_FORMAT") if day else text


def _notice(member: Any, params: Mapping[str, str]) -> Notification:
    values = {
        "amount": money_format(params.get("amount", "")),
        "months": params.get("months", ""),
        "date": _day(params.get("suspend_on", "")),
    }
    body = (
        gettext(
            "Formal notice: %(months)s months of contributions are unpaid, %(amount)s MAD in all. "
            "Without payment your rights and those of your dependants are suspended from %(date)s."
        )
        % values
    )
    return Notification(subject=gettext("Formal notice: unpaid contributions"), body=body, sms=body[:300])


def _suspended(member: Any, params: Mapping[str, str]) -> Notification:
    body = gettext(
        "Your rights and those of your dependants are suspended from %(date)s for unpaid contributions "
        "(%(amount)s MAD). They are restored from the day the arrears are paid."
    ) % {"date": _day(params.get("suspended_from", "")), "amount": money_format(params.get("amount", ""))}
    return Notification(subject=gettext("Rights suspended"), body=body, sms=body[:300])


def _restored(member: Any, params: Mapping[str, str]) -> Notification:
    body = gettext(
        "Your arrears are paid: your rights are restored from %(date)s. Care during the suspension stays uncovered."
    ) % {"date": _day(params.get("restored_from", ""))}
    return Notification(subject=gettext("Rights restored"), body=body, sms=body[:300])


def _section(*, user: Any, member: Any) -> dict[str, Any] | None:
    from contributions.arrears_selectors import member_rights

    today: dt.date = timezone.localdate()
    return {"rights": member_rights(member=member, today=today), "rights_today": today}


def arrears_register() -> None:
    from contributions.services_rights import EVENT_NOTICE, EVENT_RESTORED, EVENT_SUSPENDED

    notification_event_register(EVENT_NOTICE, _notice)
    notification_event_register(EVENT_SUSPENDED, _suspended)
    notification_event_register(EVENT_RESTORED, _restored)
    member_section_register(
        MemberSection(
            name="contributions.rights", template="contributions/rights_section.html", context=_section, order=35
        )
    )
